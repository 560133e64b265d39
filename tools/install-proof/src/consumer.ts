import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as semver from 'semver';
import { ReadmeExample } from './readme-examples';
import { PublishedPackage, workspaceRoot } from './workspace';

/** Which versions a consumer project picks from the packages' peer ranges. */
export enum PeerPick {
  /** The lowest version every range admits: the floor we promise. */
  LOWEST = 'lowest',
  /** The newest published version every range admits: what `npm install` picks today. */
  HIGHEST = 'highest',
}

/** One consumer project: how it picks its peers and which Node.js runs its examples. */
export interface ConsumerVariant {
  /** Folder name of the project and label in test names. */
  readonly name: string;
  readonly peers: PeerPick;
  /**
   * Node.js version that runs the examples, installed from the npm registry as the
   * `node-<platform>-<arch>` package (the official binary, shipped inside a registry package).
   * @default the Node.js running this process
   */
  readonly nodeVersion?: string;
}

/** The versions a prepared consumer project installed. */
export interface ConsumerProject {
  readonly variant: ConsumerVariant;
  readonly dir: string;
  /** Each third-party peer dependency and the version installed. */
  readonly peers: Record<string, string>;
  /** The Node.js binary that runs the examples, and its version. */
  readonly node: string;
  readonly nodeVersion: string;
  /** Whether `npm install` ran (false: the tarballs and versions were unchanged, the install was reused). */
  readonly installed: boolean;
}

/**
 * Where consumer projects live: outside the workspace, so nothing resolves from its node_modules,
 * and one folder per clone (named by the hash of the workspace's path), so runs in two clones at
 * once (a developer's tree and CI's) never install into or read from each other's projects.
 */
export function consumerHome(root: string = workspaceRoot()): string {
  return process.env.KEELSON_CONSUMER_HOME ?? path.join(os.tmpdir(), `keelson-consumer-${sha256(path.resolve(root)).slice(0, 12)}`);
}

/** Run a command to completion; a non-zero exit throws with its output. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `npm pack` every package into `dir`; returns tarball paths by package name. */
export function packTarballs(packages: PublishedPackage[], dir: string): Record<string, string> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tarballs: Record<string, string> = {};
  for (const pkg of packages) {
    const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], pkg.dir);
    const [result] = JSON.parse(out) as Array<{ filename: string }>;
    tarballs[pkg.name] = path.join(dir, result.filename);
  }
  return tarballs;
}

/** Every published version of a package, from the registry (one query per package and run). */
const versionLists = new Map<string, string[]>();
export function publishedVersions(name: string): string[] {
  if (!versionLists.has(name)) {
    const out = execFileSync('npm', ['view', name, 'versions', '--json'], { encoding: 'utf8' });
    const parsed = JSON.parse(out) as string[] | string;
    versionLists.set(name, Array.isArray(parsed) ? parsed : [parsed]);
  }
  return versionLists.get(name)!;
}

/**
 * The version of `name` a user would install under every range given: the lowest published
 * version all admit, or the highest.
 */
export function pickVersion(name: string, ranges: string[], pick: PeerPick, versions = publishedVersions(name)): string {
  const admitted = versions.filter((v) => !semver.prerelease(v) && ranges.every((r) => semver.satisfies(v, r)));
  const chosen = pick === PeerPick.LOWEST ? semver.minSatisfying(admitted, '*') : semver.maxSatisfying(admitted, '*');
  if (!chosen) throw new Error(`no published version of ${name} satisfies ${ranges.join(' and ')}`);
  return chosen;
}

/** The third-party peer ranges of the packages, merged by dependency name. */
export function thirdPartyPeerRanges(packages: PublishedPackage[]): Record<string, string[]> {
  const keelson = new Set(packages.map((p) => p.name));
  const ranges: Record<string, string[]> = {};
  for (const pkg of packages) {
    for (const [name, range] of Object.entries(pkg.manifest.peerDependencies ?? {})) {
      if (keelson.has(name)) continue;
      (ranges[name] ??= []).includes(range) || ranges[name].push(range);
    }
  }
  return ranges;
}

/**
 * Create (or reuse) a consumer project that installs every tarball beside the peers the variant
 * picks, TypeScript and Node's types. The install is reused while the tarballs' bytes and the
 * chosen versions are unchanged.
 */
export function prepareConsumer(
  variant: ConsumerVariant,
  packages: PublishedPackage[],
  tarballs: Record<string, string>,
  tools: { typescript: string },
): ConsumerProject {
  const dir = path.join(consumerHome(), variant.name);
  fs.mkdirSync(dir, { recursive: true });

  const peers = Object.fromEntries(Object.entries(thirdPartyPeerRanges(packages))
    .map(([name, ranges]) => [name, pickVersion(name, ranges, variant.peers)]));
  const nodePackage = variant.nodeVersion ? `node-${process.platform}-${process.arch}` : undefined;
  const manifest = {
    name: `keelson-consumer-${variant.name}`,
    private: true,
    dependencies: {
      ...Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`])),
      ...peers,
    },
    devDependencies: {
      'typescript': tools.typescript,
      '@types/node': `^${semver.major(variant.nodeVersion ?? process.version)}`,
      ...(nodePackage ? { [nodePackage]: variant.nodeVersion } : {}),
    },
  };
  const manifestText = JSON.stringify(manifest, undefined, 2);
  const key = sha256([manifestText, ...Object.values(tarballs).map((f) => sha256(fs.readFileSync(f)))].join('\n'));
  const keyFile = path.join(dir, '.install-key');
  const reuse = fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === key
    && fs.existsSync(path.join(dir, 'node_modules'));
  if (!reuse) {
    fs.rmSync(keyFile, { force: true });
    fs.rmSync(path.join(dir, 'node_modules', '@keelson'), { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
    fs.writeFileSync(path.join(dir, 'package.json'), manifestText);
    // A consumer's own npm settings, not the workspace's (.npmrc there is linked layout).
    run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--install-strategy=hoisted'], dir);
    fs.writeFileSync(keyFile, key);
  }

  const node = nodePackage ? path.join(dir, 'node_modules', nodePackage, 'bin', 'node') : process.execPath;
  const nodeVersion = run(node, ['--version'], dir).trim();
  return { variant, dir, peers, node, nodeVersion, installed: !reuse };
}

/** tsc's diagnostics for a set of examples, by example id (an id with no entry compiled clean). */
export interface TypeCheckResult {
  readonly errors: Record<string, string[]>;
  /** Diagnostics outside any example file (in a package's .d.ts, for example). */
  readonly otherErrors: string[];
}

/**
 * Write the examples into the consumer project and compile them with its TypeScript, strict,
 * declaration files included (no skipLibCheck), so a type a package's .d.ts needs that the
 * installed aws-cdk-lib lacks is an error too.
 */
export function compileExamples(project: ConsumerProject, examples: ReadmeExample[], folder = 'examples'): TypeCheckResult {
  const dir = path.join(project.dir, folder);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const example of examples) fs.writeFileSync(path.join(dir, `${example.id}.ts`), example.code);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      lib: ['es2022'],
      // Node's own resolution (what `exports` maps such as aws-cdk-lib's are written for); CommonJS
      // output, as the project has no `"type": "module"`. TypeScript 6 refuses `moduleResolution: node`.
      module: 'node16',
      types: ['node'],
      outDir: 'dist',
      skipLibCheck: false,
      noUnusedLocals: false,
    },
    include: ['*.ts'],
  }, undefined, 2));
  const tsc = path.join(project.dir, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  const errors: Record<string, string[]> = {};
  const otherErrors: string[] = [];
  for (const line of `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l))) {
    const match = /^([^(]+)\(/.exec(line);
    const id = match ? path.basename(match[1], '.ts') : undefined;
    if (id && examples.some((e) => e.id === id) && !match![1].includes('node_modules')) {
      (errors[id] ??= []).push(line);
    } else {
      otherErrors.push(line);
    }
  }
  if (r.status !== 0 && Object.keys(errors).length === 0 && otherErrors.length === 0) {
    otherErrors.push(`tsc exited ${r.status}: ${r.stdout}${r.stderr}`);
  }
  return { errors, otherErrors };
}

/** What running one compiled example produced. */
export interface SynthOutcome {
  /** Stack templates in the cloud assembly the example wrote. */
  readonly templates: number;
  /** stderr of the run when it failed, else empty. */
  readonly error: string;
}

/**
 * Run a compiled example with the project's Node.js, the cloud assembly directed to a folder of
 * its own (`CDK_OUTDIR`: `new App()` writes there, and synthesizes on exit as under `cdk synth`,
 * so an example needs no `app.synth()`), and count the templates it synthesized.
 */
export function synthesizeExample(project: ConsumerProject, example: ReadmeExample, folder = 'examples'): SynthOutcome {
  const outdir = path.join(project.dir, 'cdk.out', example.id);
  fs.rmSync(outdir, { recursive: true, force: true });
  const script = path.join(project.dir, folder, 'dist', `${example.id}.js`);
  const r = spawnSync(project.node, [script], {
    cwd: project.dir,
    encoding: 'utf8',
    env: { ...process.env, CDK_OUTDIR: outdir, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  });
  if (r.status !== 0) return { templates: 0, error: `${r.stderr}`.trim() || `exited ${r.status}` };
  return assemblyOutcome(outdir);
}

/**
 * The stacks of the cloud assembly a finished example run wrote to `outdir` (its `manifest.json`),
 * in any language: no manifest is an error.
 */
export function assemblyOutcome(outdir: string): SynthOutcome {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    return { templates: 0, error: 'wrote no cloud assembly' };
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, { type: string }> };
  const templates = Object.values(manifest.artifacts ?? {}).filter((a) => a.type === 'aws:cloudformation:stack').length;
  return { templates, error: '' };
}
