import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assemblyOutcome, PeerPick, pickVersion, SynthOutcome, thirdPartyPeerRanges } from './consumer';
import { PublishedPackage } from './workspace';

/**
 * Where the language consumers keep what they install (a virtual environment, Go's module and
 * build caches), each in a folder named by the hash of what it holds: under the user's cache like
 * the project's Python tools (.ci/python-tools), so a warm machine reuses it.
 */
export function languageCacheHome(): string {
  return process.env.KEELSON_LANGUAGE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'keelson');
}

/**
 * Remove the cache folders of an earlier key (`<prefix>-<other key>`), so a changed key does not
 * leave gigabytes behind.
 */
export function dropStaleCaches(prefix: string, keep: string): void {
  const home = languageCacheHome();
  if (!fs.existsSync(home)) return;
  for (const entry of fs.readdirSync(home)) {
    if (entry.startsWith(`${prefix}-`) && path.join(home, entry) !== keep) fs.rmSync(path.join(home, entry), { recursive: true, force: true });
  }
}

/**
 * The first line a toolchain prints of its version. A missing toolchain fails the proof (never a
 * skip): the machines this project runs on have it, and a test that passes without it proves nothing.
 */
export function toolchainVersion(cmd: string, args: string[], fix: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${fix}`);
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0];
}

/**
 * The aws-cdk-lib version a language's consumer installs: the one the npm smoke test calls newest
 * (the newest on npm the peer ranges admit), or, when that language's registry does not serve it
 * yet (each registry publishes a release on its own schedule), the newest one it serves below it.
 */
export function languageCdkVersion(packages: PublishedPackage[], registryVersions: string[]): { version: string; npmNewest: string } {
  const ranges = thirdPartyPeerRanges(packages)['aws-cdk-lib'];
  const npmNewest = pickVersion('aws-cdk-lib', ranges, PeerPick.HIGHEST);
  const version = pickVersion('aws-cdk-lib', [...ranges, `<=${npmNewest}`], PeerPick.HIGHEST, registryVersions);
  return { version, npmNewest };
}

/** One example's run in a language: the process that runs it, and the folder for its cloud assembly. */
export interface ExampleProcess {
  readonly id: string;
  readonly command: string;
  readonly args: string[];
  readonly cwd: string;
  /** `CDK_OUTDIR` for the run; emptied first. */
  readonly outdir: string;
}

/**
 * Run example processes, `concurrency` at a time (each drives its own jsii kernel, mostly busy
 * loading aws-cdk-lib), each with its cloud assembly directed to its own folder (`CDK_OUTDIR`);
 * the stacks each wrote, or its error output, by example id.
 */
export async function runExampleProcesses(runs: ExampleProcess[], concurrency: number = os.cpus().length): Promise<Record<string, SynthOutcome>> {
  const outcomes: Record<string, SynthOutcome> = {};
  const queue = [...runs];
  const runOne = (run: ExampleProcess) => new Promise<void>((resolve) => {
    fs.rmSync(run.outdir, { recursive: true, force: true });
    const child = spawn(run.command, run.args, {
      cwd: run.cwd,
      env: { ...process.env, CDK_OUTDIR: run.outdir, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('close', (code) => {
      outcomes[run.id] = code === 0 ? assemblyOutcome(run.outdir) : { templates: 0, error: stderr.trim() || `exited ${code}` };
      resolve();
    });
  });
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await runOne(next);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}
