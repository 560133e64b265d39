/**
 * A library's `package` task (run in the package folder, after its build):
 *
 * 1. `jsii-rosetta extract --strict`: every README and API doc example compiles against the
 *    package and is translated to Python, Java, C# and Go (the tablet `.jsii.tabl.json`); a
 *    broken example fails here.
 * 2. One `jsii-pacmak --code-only` pass for all five targets with that tablet: the JavaScript
 *    tarball (npm pack) and the Python, Java, .NET and Go sources, with translated examples.
 * 3. The Python wheel and source distribution from the generated code, with the OS's Python
 *    build tools (`python3 -m build --no-isolation`), and `twine check` on both.
 * 4. The checks in `bindings.ts` over `dist/`.
 *
 * The wheels and the tablet are what the Python consumer proof installs and runs
 * (test/python.test.ts). Java, .NET and Go are not compiled here (README: "Languages and
 * packaging" says why for each); the release pipeline compiles them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssemblyTargets, bindingProblems, translationProblems } from './bindings';
import { packageReadmeExamples } from './readme-examples';

/** The project's pinned Python tools (`eval "$(bash .ci/python-tools)"` sets KEELSON_PYTHON), else `python3` on PATH. */
const python = process.env.KEELSON_PYTHON ?? 'python3';
const PYTHON_FIX = 'install the pinned Python tools: eval "$(bash .ci/python-tools)" (.ci/run does)';

/**
 * A jsii tool's entry point, resolved from the package's own dependencies and run with node: npm's
 * linked layout has been seen to leave a workspace package's `node_modules/.bin` empty after an
 * install that rewrote package.json files, and the tools themselves are always there.
 */
function jsiiTool(name: 'jsii-rosetta' | 'jsii-pacmak', dir: string): [string, string] {
  // Not require.resolve: the tools' `exports` hide their bin files and package.json.
  for (let d = dir; ; d = path.dirname(d)) {
    const pkg = path.join(d, 'node_modules', name);
    if (fs.existsSync(path.join(pkg, 'package.json'))) {
      const bin = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).bin as string | Record<string, string>;
      return [process.execPath, path.join(pkg, typeof bin === 'string' ? bin : bin[name])];
    }
    if (d === path.dirname(d)) throw new Error(`${name} is not installed for ${dir}: run npm ci at the workspace root`);
  }
}

/**
 * A directory where every dependency of the package's examples resolves, for rosetta's
 * `--directory`: symlinks to what the package's own node_modules holds, and to the package. Without
 * it rosetta builds its own with `npm install --force` of `file:` links into this workspace, and
 * npm then rewrites the linked packages' node_modules (measured: it emptied aws-cdk-lib's bundled
 * dependencies and workspace packages' node_modules/.bin, breaking every later build and synth).
 */
function rosettaDirectory(dir: string, name: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-rosetta-'));
  const modules = path.join(tmp, 'node_modules');
  const link = (pkg: string, target: string) => {
    fs.mkdirSync(path.dirname(path.join(modules, pkg)), { recursive: true });
    fs.symlinkSync(fs.realpathSync(target), path.join(modules, pkg), 'dir');
  };
  const own = path.join(dir, 'node_modules');
  for (const entry of fs.readdirSync(own)) {
    if (entry.startsWith('.')) continue;
    const scoped = entry.startsWith('@') ? fs.readdirSync(path.join(own, entry)).map((e) => `${entry}/${e}`) : [entry];
    for (const pkg of scoped) link(pkg, path.join(own, pkg));
  }
  link(name, dir);
  return tmp;
}

function run(cmd: string, args: string[], what: string): string {
  const started = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`${what} failed: ${cmd} ${args.join(' ')} exited ${r.status ?? r.error}`);
  }
  console.log(`package: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return r.stdout;
}

function main() {
  const dir = process.cwd();
  const assembly = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8')) as AssemblyTargets;
  const dist = path.join(dir, 'dist');
  // dist/release (the release's version and changelog) is the bump's, not ours.
  for (const lang of ['js', 'python', 'java', 'dotnet', 'go']) fs.rmSync(path.join(dist, lang), { recursive: true, force: true });
  fs.rmSync(path.join(dir, '.jsii.tabl.json'), { force: true });

  const probe = spawnSync(python, ['-c', 'import build, twine, setuptools, wheel'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`${python} lacks the Python build tools: ${PYTHON_FIX}`);

  const [node, rosetta] = jsiiTool('jsii-rosetta', dir);
  const compileDir = rosettaDirectory(dir, assembly.name);
  try {
    run(node, [rosetta, 'extract', '--strict', '--directory', compileDir], 'README and doc examples compiled and translated (jsii-rosetta extract --strict)');
  } finally {
    fs.rmSync(compileDir, { recursive: true, force: true });
  }
  // rosetta writes no tablet for a package without examples (mesh, before its issue lands).
  const tabletFile = path.join(dir, '.jsii.tabl.json');
  const tablet = fs.existsSync(tabletFile) ? JSON.parse(fs.readFileSync(tabletFile, 'utf8')) : { snippets: {} };
  const examples = packageReadmeExamples(assembly.name, dir).length;
  const untranslated = translationProblems(tablet, examples);

  const [, pacmak] = jsiiTool('jsii-pacmak', dir);
  run(node, [pacmak, '--code-only', ...(fs.existsSync(tabletFile) ? ['--rosetta-tablet', '.jsii.tabl.json'] : []),
    '--target', 'js', '--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go'],
  'JavaScript tarball, Python, Java, .NET and Go sources (jsii-pacmak --code-only)');

  const pyDir = path.join(dist, 'python');
  process.chdir(pyDir);
  run(python, ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--outdir', '.', '.'], 'Python wheel and sdist (python3 -m build)');
  const built = fs.readdirSync(pyDir).filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz'));
  run(python, ['-m', 'twine', 'check', '--strict', ...built], `twine check ${built.join(' ')}`);
  const wheel = built.find((f) => f.endsWith('.whl'));
  const wheelFiles = wheel
    ? run(python, ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', wheel], 'wheel contents listed').split('\n')
    : [];
  process.chdir(dir);

  const problems = [...untranslated, ...bindingProblems(assembly, dist, wheelFiles)];
  if (problems.length > 0) {
    throw new Error(`${assembly.name}: ${problems.length} packaging problem(s):\n  ${problems.join('\n  ')}`);
  }
  const tablets = Object.keys(tablet.snippets).length;
  console.log(`package: ${assembly.name}@${assembly.version}: ${examples} README example(s), ${tablets} example(s) in all, `
    + 'compiled and translated; dist/{js,python,java,dotnet,go} checked');
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
