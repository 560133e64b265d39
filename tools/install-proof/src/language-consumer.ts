import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PeerPick, pickVersion, thirdPartyPeerRanges } from './consumer';
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
