import * as fs from 'fs';
import * as path from 'path';
import { consumerHome, run, sha256, SynthOutcome } from './consumer';
import { dropStaleCaches, languageCacheHome, languageCdkVersion, runExampleProcesses, toolchainVersion } from './language-consumer';
import { TranslatedExample } from './translated-examples';
import { PublishedPackage } from './workspace';

/** A virtual environment with every package's wheel installed as a Python user would. */
export interface PythonConsumer {
  readonly venv: string;
  readonly python: string;
  readonly pythonVersion: string;
  /** aws-cdk-lib installed, and the version the npm smoke test calls newest. */
  readonly cdkVersion: string;
  readonly npmNewest: string;
  /** What ran: 'created' (a new environment), 'wheels' (only the Keelson wheels reinstalled) or 'reused'. */
  readonly install: 'created' | 'wheels' | 'reused';
}

/** The Python that creates the environment: the project's own (.ci/python-tools sets KEELSON_PYTHON), else python3. */
function basePython(): string {
  return process.env.KEELSON_PYTHON ?? 'python3';
}

/** The wheel the `package` task built for a package (dist/python/*.whl). */
export function builtWheel(pkg: PublishedPackage): string {
  const dir = path.join(pkg.dir, 'dist', 'python');
  const wheels = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.whl')) : [];
  if (wheels.length !== 1) throw new Error(`${pkg.name}: expected one wheel in dist/python, found ${wheels.length}: run its package task (npx nx run ${pkg.name}:package)`);
  return path.join(dir, wheels[0]);
}

/** aws-cdk-lib's versions on the Python registry (`pip index versions`, the registry's own listing). */
function pypiVersions(python: string, name: string): string[] {
  const out = run(python, ['-m', 'pip', 'index', 'versions', '--disable-pip-version-check', name], process.cwd());
  const listed = /Available versions: (.*)/.exec(out);
  if (!listed) throw new Error(`pip index versions ${name} listed no versions:\n${out}`);
  return listed[1].split(',').map((v) => v.trim());
}

/**
 * One virtual environment for every package, under the user's cache, named by the hash of the
 * Python version and the aws-cdk-lib version, holding every wheel with its dependencies from the
 * registry (the jsii runtime, aws-cdk-lib, constructs, the kubectl layers). It is reused while
 * nothing changed; a changed wheel reinstalls only the Keelson wheels, then `pip check` proves
 * their requirements still hold.
 */
export function preparePythonConsumer(packages: PublishedPackage[]): PythonConsumer {
  const base = basePython();
  const pythonVersion = toolchainVersion(base, ['--version'], 'install Python 3 (and eval "$(bash .ci/python-tools)", as .ci/run does)');
  const { version: cdkVersion, npmNewest } = languageCdkVersion(packages, pypiVersions(base, 'aws-cdk-lib'));
  const venv = path.join(languageCacheHome(), `python-consumer-${sha256([pythonVersion, cdkVersion].join('\n')).slice(0, 16)}`);
  dropStaleCaches('python-consumer', venv);
  const python = path.join(venv, 'bin', 'python');
  const wheels = packages.map(builtWheel);
  const key = sha256(wheels.map((w) => `${path.basename(w)} ${sha256(fs.readFileSync(w))}`).join('\n'));
  const keyFile = path.join(venv, '.install-key');
  const pip = (args: string[]) => run(python, ['-m', 'pip', '--disable-pip-version-check', '--no-input', ...args], venv);

  let install: PythonConsumer['install'] = 'reused';
  if (!fs.existsSync(python)) {
    run(base, ['-m', 'venv', venv], process.cwd());
    pip(['install', '--quiet', ...wheels, `aws-cdk-lib==${cdkVersion}`]);
    install = 'created';
  } else if (!fs.existsSync(keyFile) || fs.readFileSync(keyFile, 'utf8') !== key) {
    // Same version numbers, new bytes: pip would call them installed already. An environment an
    // interrupted run left half-built is completed by the second install.
    fs.rmSync(keyFile, { force: true });
    pip(['install', '--quiet', '--force-reinstall', '--no-deps', ...wheels]);
    pip(['install', '--quiet', ...wheels, `aws-cdk-lib==${cdkVersion}`]);
    install = 'wheels';
  }
  pip(['check']);
  fs.writeFileSync(keyFile, key);
  return { venv, python, pythonVersion, cdkVersion, npmNewest, install };
}

/** The version of a distribution installed in the environment. */
export function installedPythonVersion(consumer: PythonConsumer, distribution: string): string {
  return run(consumer.python, ['-c', 'import sys, importlib.metadata as m; print(m.version(sys.argv[1]))', distribution], consumer.venv).trim();
}

/**
 * Run examples as rosetta translated them to Python, `concurrency` at a time (each is a Python
 * process driving its own jsii kernel, mostly busy loading aws-cdk-lib), each with its cloud
 * assembly directed to a folder of its own (`CDK_OUTDIR`); the stacks each wrote, by example id.
 * `sources` replaces an example's translation (a test that breaks one).
 */
export async function runPythonExamples(
  consumer: PythonConsumer,
  examples: TranslatedExample[],
  options: { readonly concurrency?: number; readonly sources?: Record<string, string> } = {},
): Promise<Record<string, SynthOutcome>> {
  const dir = path.join(consumerHome(), 'python');
  fs.mkdirSync(dir, { recursive: true });
  return runExampleProcesses(examples.map((example) => {
    const script = path.join(dir, `${example.id}.py`);
    fs.writeFileSync(script, options.sources?.[example.id] ?? example.source);
    return { id: example.id, command: consumer.python, args: [script], cwd: dir, outdir: path.join(dir, 'cdk.out', example.id) };
  }), options.concurrency);
}
