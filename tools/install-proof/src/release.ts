/**
 * Releases: every library is versioned on its own from conventional commits that touch its folder
 * (projen's `bump` task in each package: tag `@keelson/<dir>@v<version>`, `dist/release/version.txt`
 * and `dist/release/changelog.md`), then the `@keelson/*` ranges between the packages are rewritten
 * to the versions being released, so what is published asks for what was released beside it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PublishedPackage, publishedPackages } from './workspace';

/** Where each package's `bump` writes its version, tag and changelog (projenrc: `Version`'s artifactsDirectory). */
export const RELEASE_DIR = path.join('dist', 'release');

/** One package's release. */
export interface PackageRelease {
  readonly name: string;
  /** The package folder relative to the workspace root. */
  readonly dir: string;
  /** The last release's tag, or undefined before the first release. */
  readonly previousTag?: string;
  readonly version: string;
  readonly tag: string;
  /** Whether this version is new (false: no releasable commit touched the package since its last tag). */
  readonly released: boolean;
  /** The release notes (markdown) of this version. */
  readonly changelog: string;
}

/**
 * The packages that are released: published ones whose entry point exports something (an empty
 * `src/index.ts`, a package whose issue has not landed, is held back). Read from the source, as the
 * release bumps before it builds.
 */
export function releasablePackages(root: string): PublishedPackage[] {
  const exportsSomething = /^export (\*|\{\s*\w|(abstract )?class |interface |enum |function |const )/m;
  return publishedPackages(root).filter((p) => exportsSomething.test(fs.readFileSync(path.join(p.dir, 'src', 'index.ts'), 'utf8')));
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.error}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The newest tag of a package (`@keelson/x@v1.2.3`), by version order. */
function latestTag(root: string, name: string): string | undefined {
  const tags = run('git', ['-c', 'versionsort.suffix=-', 'tag', '--sort=-version:refname', '--list', `${name}@v*`], root);
  return tags.split('\n').find((t) => t.trim() !== '');
}

/**
 * Run each package's `bump` (projen's conventional-commit bump, limited to commits touching the
 * package) in the workspace `root` (the workspace itself, or a clone of it), and read back what it
 * decided. `packages` are the workspace's (`releasablePackages`), found by their folder in `root`;
 * `workspace` is the installed workspace whose projen runs the bump.
 */
export function bumpAll(root: string, packages: PublishedPackage[], workspace: string = root): PackageRelease[] {
  const projen = path.join(workspace, 'node_modules', '.bin', 'projen');
  return packages.map((pkg) => {
    const dir = path.join(root, 'packages', path.basename(pkg.dir));
    const previousTag = latestTag(root, pkg.name);
    run(projen, ['bump'], dir, { ...process.env, CI: 'true' });
    const version = fs.readFileSync(path.join(dir, RELEASE_DIR, 'version.txt'), 'utf8').trim();
    const tag = fs.readFileSync(path.join(dir, RELEASE_DIR, 'releasetag.txt'), 'utf8').trim();
    return {
      name: pkg.name,
      dir: path.relative(root, dir),
      previousTag,
      version,
      tag,
      released: tag !== previousTag,
      changelog: fs.readFileSync(path.join(dir, RELEASE_DIR, 'changelog.md'), 'utf8'),
    };
  });
}

/**
 * A manifest's `@keelson/*` dependencies set to the versions being released: peer ranges to
 * `^<version>` (a user may take newer compatible releases), dev dependencies to the exact version
 * (jsii asks a peer's dev dependency to be exact). Other dependencies are left as they are.
 */
export function rewriteInternalRanges<T extends { peerDependencies?: Record<string, string>; devDependencies?: Record<string, string> }>(
  manifest: T, versions: Record<string, string>): T {
  const rewrite = (deps: Record<string, string> | undefined, range: (v: string) => string) => deps && Object.fromEntries(
    Object.entries(deps).map(([name, spec]) => [name, versions[name] ? range(versions[name]) : spec]));
  return {
    ...manifest,
    ...(manifest.peerDependencies && { peerDependencies: rewrite(manifest.peerDependencies, (v) => `^${v}`) }),
    ...(manifest.devDependencies && { devDependencies: rewrite(manifest.devDependencies, (v) => v) }),
  };
}

/** Rewrite every released package's package.json in `root` to the versions of `releases`. */
export function rewriteAll(root: string, releases: PackageRelease[]): void {
  const versions = Object.fromEntries(releases.map((r) => [r.name, r.version]));
  for (const r of releases) {
    const file = path.join(root, r.dir, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify(rewriteInternalRanges({ ...manifest, version: r.version }, versions), undefined, 2) + '\n');
  }
}

/**
 * A throw-away clone of the workspace's committed history and tags. It has no node_modules: the
 * bump runs the workspace's projen, which finds commit-and-tag-version from its own location, so
 * nothing in the clone can touch the workspace's install.
 */
export function cloneWorkspace(root: string, into: string = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-release-'))): string {
  run('git', ['clone', '--quiet', '--no-hardlinks', root, into], root);
  run('git', ['config', 'user.email', 'release-dry-run@keelson.dev'], into);
  run('git', ['config', 'user.name', 'Keelson release dry run'], into);
  return into;
}

/** The summary table a release (or its dry run) prints. */
export function releaseSummary(releases: PackageRelease[]): string {
  const rows = releases.map((r) => `| ${r.name} | ${r.previousTag ?? '(first release)'} | ${r.version} | ${r.released ? 'release' : 'unchanged'} |`);
  return ['| package | previous tag | version | action |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
