import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { consumerHome, sha256, SynthOutcome } from './consumer';
import {
  applyEdits, GoCompileError, goExampleFile, GoImport, goImportPath, goImports, goMainFile,
  goTypeNames, JSII_RUNTIME_GO, JsiiGoManifest, parseGoErrors, repairFor, withImports,
} from './go-examples';
import { dropStaleCaches, languageCacheHome, languageCdkVersion, runExampleProcesses, toolchainVersion } from './language-consumer';
import { packageReadmeExamples } from './readme-examples';
import { TranslatedExample } from './translated-examples';
import { PublishedPackage } from './workspace';

/** aws-cdk-lib for Go. */
export const AWS_CDK_GO = 'github.com/aws/aws-cdk-go/awscdk/v2';
/** The consumer's own module name (never published). */
const CONSUMER_MODULE = 'keelson.example/readme';
/** Bump when the repairs in go-examples.ts change, so a program built with the old ones is built again. */
const REPAIR_VERSION = '4';
/** Repairs settle in three or four builds (a repair can uncover the next error); more means a rule loops. */
const MAX_BUILDS = 8;

/** A Go module a package's generated go.mod requires. */
interface GoRequirement {
  readonly module: string;
  readonly version: string;
}

/** One package's generated Go module (dist/go/<package name>). */
export interface GeneratedGoModule {
  readonly packageName: string;
  readonly module: string;
  readonly dir: string;
  readonly requires: GoRequirement[];
}

/** A module the Go proxy here does not serve, built from the npm package of the same version. */
export interface GoStandIn {
  readonly module: string;
  readonly version: string;
  readonly npmPackage: string;
  readonly dir: string;
}

/** Go's module and build caches for the consumer, and the module that builds every example. */
export interface GoConsumer {
  readonly goVersion: string;
  /** aws-cdk-go installed, and the aws-cdk-lib version the npm smoke test calls newest. */
  readonly cdkVersion: string;
  readonly npmNewest: string;
  readonly cache: string;
  readonly env: NodeJS.ProcessEnv;
  readonly project: string;
  readonly modules: GeneratedGoModule[];
  readonly standIns: GoStandIn[];
  /** 'created' (new caches: every module downloaded and compiled) or 'reused'. */
  readonly install: 'created' | 'reused';
}

/** The Go module the `package` task generated for a package (jsii-pacmak's dist/go/<name>). */
export function generatedGoModule(pkg: PublishedPackage): GeneratedGoModule {
  const base = path.join(pkg.dir, 'dist', 'go');
  const dirs = fs.existsSync(base) ? fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, 'go.mod'))) : [];
  if (dirs.length !== 1) throw new Error(`${pkg.name}: expected one Go module in dist/go, found ${dirs.length}: run its package task (npx nx run ${pkg.name}:package)`);
  const dir = path.join(base, dirs[0]);
  const goMod = fs.readFileSync(path.join(dir, 'go.mod'), 'utf8');
  const module = /^module (\S+)/m.exec(goMod)![1];
  const block = /^require \(([\s\S]*?)^\)/m.exec(goMod)?.[1] ?? '';
  const requires = [...block.matchAll(/^\s*(\S+) (v\S+)/gm)].map((m) => ({ module: m[1], version: m[2] }));
  return { packageName: dirs[0], module, dir, requires };
}

/** An npm package's manifest as a package's README example resolves it (its own dependencies, or a sibling). */
function npmManifest(name: string, fromDir: string, packages: PublishedPackage[]): JsiiGoManifest & { dir: string } {
  const sibling = packages.find((p) => p.name === name);
  if (sibling) return { ...(sibling.manifest as unknown as JsiiGoManifest), dir: sibling.dir };
  for (let d = fromDir; ; d = path.dirname(d)) {
    const manifest = path.join(d, 'node_modules', name, 'package.json');
    if (fs.existsSync(manifest)) return { ...JSON.parse(fs.readFileSync(manifest, 'utf8')), dir: fs.realpathSync(path.dirname(manifest)) };
    if (d === path.dirname(d)) throw new Error(`${name} is not installed for ${fromDir}: run npm ci`);
  }
}

function goEnv(cache: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: path.join(cache, 'mod'),
    GOCACHE: path.join(cache, 'build'),
    // -mod=mod: the build adds the requirements and checksums it needs to the consumer's go.mod.
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  };
}

function go(args: string[], cwd: string, env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const r = spawnSync('go', args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The versions the Go proxy lists for a module (`go list -m -versions`). */
function proxyVersions(module: string, env: NodeJS.ProcessEnv): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-go-list-'));
  try {
    const r = go(['list', '-m', '-versions', module], dir, { ...env, GOFLAGS: '' });
    if (!r.ok) throw new Error(`go list -m -versions ${module} failed:\n${r.output}`);
    return r.output.trim().split(/\s+/).slice(1).map((v) => v.replace(/^v/, ''));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The highest version of each module any generated go.mod requires (what Go's version selection picks). */
function thirdPartyRequirements(modules: GeneratedGoModule[]): GoRequirement[] {
  const own = new Set(modules.map((m) => m.module));
  const highest = new Map<string, string>();
  const newer = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true }) > 0;
  for (const r of modules.flatMap((m) => m.requires)) {
    if (own.has(r.module)) continue;
    const seen = highest.get(r.module);
    if (!seen || newer(r.version, seen)) highest.set(r.module, r.version);
  }
  return [...highest].map(([module, version]) => ({ module, version })).sort((a, b) => a.module.localeCompare(b.module));
}

/**
 * The Go module of each jsii dependency the packages' npm dependencies provide, by module path:
 * how a module the proxy refuses is found again as an npm package.
 */
function jsiiModulesOnNpm(packages: PublishedPackage[]): Map<string, { npmPackage: string; dir: string }> {
  const found = new Map<string, { npmPackage: string; dir: string }>();
  for (const pkg of packages) {
    const names = Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies });
    for (const name of names) {
      let manifest;
      try {
        manifest = npmManifest(name, pkg.dir, packages);
      } catch {
        continue;
      }
      if (!manifest.jsii?.targets?.go) continue;
      found.set(goImportPath(name, manifest).path, { npmPackage: `${name}@${manifest.version}`, dir: manifest.dir });
    }
  }
  return found;
}

/**
 * The Go consumer: Go's module and build caches in one folder under the user's cache, named by the
 * hash of what they hold (the Go version, aws-cdk-go's version, every third-party module the
 * generated go.mod files require), so a warm machine downloads and compiles nothing again; and a
 * module, outside the workspace, that requires every package's generated Go module (a `replace`
 * to its dist/go folder) and aws-cdk-go at the version the npm smoke test calls newest (or the
 * newest the proxy serves below it). A module the proxy refuses is generated, as its publisher
 * does, with jsii-pacmak from the npm package of the same version (the kubectl layers here).
 */
export function prepareGoConsumer(packages: PublishedPackage[]): GoConsumer {
  const goVersion = toolchainVersion('go', ['version'], 'install Go 1.25 or newer (the generated go.mod files ask for it)');
  const modules = packages.map(generatedGoModule);
  const requirements = thirdPartyRequirements(modules);
  const probeEnv = goEnv(path.join(languageCacheHome(), 'go-probe'));
  const { version: cdkVersion, npmNewest } = languageCdkVersion(packages, proxyVersions(AWS_CDK_GO, probeEnv));
  const key = sha256([goVersion, cdkVersion, ...requirements.map((r) => `${r.module}@${r.version}`)].join('\n')).slice(0, 16);
  const cache = path.join(languageCacheHome(), `go-consumer-${key}`);
  dropStaleCaches('go-consumer', cache);
  fs.rmSync(path.join(languageCacheHome(), 'go-probe'), { recursive: true, force: true });
  const env = goEnv(cache);
  const ready = path.join(cache, '.ready');
  const install: GoConsumer['install'] = fs.existsSync(ready) ? 'reused' : 'created';

  // Modules the proxy refuses: ask it once for every requirement, at the exact version.
  const standInsFile = path.join(cache, 'stand-ins.json');
  let standIns: GoStandIn[];
  if (install === 'reused' && fs.existsSync(standInsFile)) {
    standIns = JSON.parse(fs.readFileSync(standInsFile, 'utf8'));
  } else {
    fs.mkdirSync(cache, { recursive: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-go-download-'));
    const wanted = requirements.map((q) => (q.module === AWS_CDK_GO ? `${q.module}@v${cdkVersion}` : `${q.module}@${q.version}`));
    const r = go(['mod', 'download', '-json', ...wanted], dir, { ...env, GOFLAGS: '' });
    fs.rmSync(dir, { recursive: true, force: true });
    const refused = [...r.output.matchAll(/"Path": "([^"]+)",\s*"Version": "([^"]+)",\s*"Error": "([^"]*)"/g)];
    const onNpm = jsiiModulesOnNpm(packages);
    standIns = refused.map(([, module, version, error]) => {
      const npm = onNpm.get(module);
      if (!npm) throw new Error(`the Go proxy refused ${module}@${version} (${error}) and no npm package provides it`);
      const out = path.join(cache, 'stand-ins', module.replace(/[^\w.-]+/g, '_'));
      fs.rmSync(out, { recursive: true, force: true });
      const pacmak = jsiiPacmak(npm.dir, packages);
      const built = spawnSync(process.execPath, [pacmak, '--code-only', '--target', 'go', '-o', out, npm.dir], { encoding: 'utf8', env: goEnv(cache) });
      if (built.status !== 0) throw new Error(`jsii-pacmak --target go ${npm.npmPackage} failed:\n${built.stdout}${built.stderr}`);
      const goDir = path.join(out, 'go');
      const modDir = path.join(goDir, fs.readdirSync(goDir)[0]);
      const generated = /^module (\S+)/m.exec(fs.readFileSync(path.join(modDir, 'go.mod'), 'utf8'))![1];
      if (generated !== module) throw new Error(`${npm.npmPackage} generates ${generated}, not ${module}`);
      return { module, version, npmPackage: npm.npmPackage, dir: modDir };
    });
    fs.writeFileSync(standInsFile, JSON.stringify(standIns, null, 2));
  }

  const project = path.join(consumerHome(), 'go');
  fs.mkdirSync(project, { recursive: true });
  const cdkGo = requirements.find((r) => r.module === AWS_CDK_GO);
  const goLine = /^go (\S+)/m.exec(fs.readFileSync(path.join(modules[0].dir, 'go.mod'), 'utf8'))![1];
  const goMod = [
    `module ${CONSUMER_MODULE}`,
    '',
    `go ${goLine}`,
    '',
    'require (',
    `\t${AWS_CDK_GO} v${cdkVersion}`,
    ...requirements.filter((r) => r !== cdkGo).map((r) => `\t${r.module} ${r.version}`),
    ...modules.map((m) => `\t${m.module} v0.0.0`),
    ')',
    '',
    ...modules.map((m) => `replace ${m.module} => ${m.dir}`),
    ...standIns.map((s) => `replace ${s.module} => ${s.dir}`),
    '',
  ].join('\n');
  const goModFile = path.join(project, 'go.mod');
  if (!fs.existsSync(goModFile) || fs.readFileSync(goModFile, 'utf8') !== goMod) {
    fs.writeFileSync(goModFile, goMod);
    fs.rmSync(path.join(project, 'go.sum'), { force: true });
  }
  return { goVersion, cdkVersion, npmNewest, cache, env, project, modules, standIns, install };
}

/** jsii-pacmak, from the packages' own dependencies. */
function jsiiPacmak(fromDir: string, packages: PublishedPackage[]): string {
  for (const pkg of packages) {
    for (let d = pkg.dir; ; d = path.dirname(d)) {
      const manifest = path.join(d, 'node_modules', 'jsii-pacmak', 'package.json');
      if (fs.existsSync(manifest)) return path.join(path.dirname(manifest), 'bin', 'jsii-pacmak');
      if (d === path.dirname(d)) break;
    }
  }
  throw new Error(`jsii-pacmak is not installed (needed for ${fromDir}): run npm ci`);
}

/** What building the examples did: the binary, each example's compile error, the repairs made. */
export interface GoBuild {
  readonly binary: string;
  /** Examples that did not compile after the repairs, with the compiler's words. */
  readonly compileErrors: Record<string, string>;
  /** How many times each repair rule applied, over all examples. */
  readonly repairs: Record<string, number>;
  /** `go build` runs this took (0: the binary was reused). */
  readonly builds: number;
}

/**
 * Compile every example into one program (one link for all). Each example's file is rosetta's
 * translation with the static repairs; the compiler-driven repairs then run while the compiler
 * reports errors they answer. An example whose errors remain is left out of the program, with
 * the errors, and the rest is built again. The repaired files and the binary are reused while
 * the translations, the generated modules and the caches are unchanged.
 */
export function buildGoExamples(
  consumer: GoConsumer,
  examples: TranslatedExample[],
  packages: PublishedPackage[],
  options: { readonly sources?: Record<string, string> } = {},
): GoBuild {
  const dir = path.join(consumer.project, 'src');
  const typescriptOf = new Map(packages.flatMap((p) => packageReadmeExamples(p.name, p.dir).map((e) => [e.id.replace(/-/g, '_'), e.code] as const)));
  const files = new Map<string, string>();
  const importsOf = new Map<string, GoImport[]>();
  for (const example of examples) {
    const pkg = packages.find((p) => p.name === example.packageName)!;
    const imports = goImports(typescriptOf.get(example.id) ?? '', (name) => npmManifest(name, pkg.dir, packages));
    importsOf.set(example.id, imports);
    files.set(example.id, goExampleFile(example.id, options.sources?.[example.id] ?? example.source, imports));
  }
  const moduleKey = sha256([
    REPAIR_VERSION,
    fs.readFileSync(path.join(consumer.project, 'go.mod'), 'utf8'),
    ...consumer.modules.map((m) => directoryDigest(m.dir)),
    ...[...files].map(([id, f]) => `${id}\n${f}`),
  ].join('\n'));
  const binary = path.join(consumer.project, 'readme-examples');
  const keyFile = path.join(consumer.project, '.build-key');
  const resultFile = path.join(consumer.project, '.build-result.json');
  if (fs.existsSync(binary) && fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === moduleKey && fs.existsSync(resultFile)) {
    return { ...JSON.parse(fs.readFileSync(resultFile, 'utf8')), binary, builds: 0 };
  }
  fs.rmSync(keyFile, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const fileOf = (id: string) => `ex_${id}.go`;
  for (const [id, source] of files) fs.writeFileSync(path.join(dir, fileOf(id)), source);
  let included = [...files.keys()];
  const writeMain = () => fs.writeFileSync(path.join(dir, 'main.go'), goMainFile(included));
  writeMain();

  // The types each imported package declares, for qualify-type; listed once from the packages' folders.
  const typeOwners = new Map<string, Set<string>>();
  const typesOfPath = (importPath: string): Set<string> => {
    if (!typeOwners.has(importPath)) {
      const r = go(['list', '-f', '{{.Dir}}', importPath], consumer.project, consumer.env);
      typeOwners.set(importPath, r.ok ? goTypeNames(r.output.trim()) : new Set());
    }
    return typeOwners.get(importPath)!;
  };

  const implicitImports: GoImport[] = [
    { name: 'awscdk', path: AWS_CDK_GO },
    { name: 'constructs', path: 'github.com/aws/constructs-go/constructs/v10' },
    ...consumer.modules.map((m) => ({ name: m.packageName, path: m.module })),
  ];
  const repairs: Record<string, number> = {};
  const compileErrors: Record<string, string> = {};
  let builds = 0;
  for (;;) {
    if (++builds > MAX_BUILDS) throw new Error(`the README examples still do not compile after ${MAX_BUILDS} builds: see ${dir}`);
    const r = go(['build', '-gcflags=-e', '-o', binary, './src'], consumer.project, consumer.env);
    if (r.ok) break;
    const errors = parseGoErrors(r.output);
    const byFile = new Map<string, GoCompileError[]>();
    for (const e of errors) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    const strays = [...byFile.keys()].filter((f) => !included.some((id) => fileOf(id) === f));
    if (errors.length === 0 || strays.length > 0) throw new Error(`go build of the README examples failed outside any example:\n${r.output}`);
    let repaired = 0;
    for (const id of included) {
      const fileErrors = byFile.get(fileOf(id));
      if (!fileErrors) continue;
      const file = path.join(dir, fileOf(id));
      const source = fs.readFileSync(file, 'utf8').split('\n');
      // Besides the example's own imports, aws-cdk-go's root, constructs and every Keelson module:
      // rosetta writes a type the TypeScript inferred (`[]IDependable{`, a nested props struct)
      // without importing its package.
      const imports = [...importsOf.get(id)!, ...implicitImports];
      const typesOf = (name: string) => [...new Set(imports
        .filter((i) => i.path !== JSII_RUNTIME_GO && typesOfPath(i.path).has(name))
        .map((i) => i.name))];
      const edits = fileErrors.map((e) => repairFor(e, source, typesOf)).filter((e) => e !== undefined);
      if (edits.length === 0) {
        compileErrors[id] = fileErrors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`).join('\n');
        continue;
      }
      for (const e of edits) repairs[e.rule] = (repairs[e.rule] ?? 0) + 1;
      repaired += edits.length;
      fs.writeFileSync(file, withImports(applyEdits(source, edits).join('\n'), imports));
    }
    // Examples with errors no rule answers leave the program; the rest is built again.
    const failed = Object.keys(compileErrors);
    if (failed.some((id) => included.includes(id))) {
      for (const id of failed) fs.rmSync(path.join(dir, fileOf(id)), { force: true });
      included = included.filter((id) => !failed.includes(id));
      writeMain();
    } else if (repaired === 0) {
      throw new Error(`go build of the README examples made no progress:\n${r.output}`);
    }
    if (included.length === 0) break;
  }
  const result = { compileErrors, repairs };
  fs.writeFileSync(resultFile, JSON.stringify(result));
  fs.writeFileSync(keyFile, moduleKey);
  fs.writeFileSync(path.join(consumer.cache, '.ready'), '');
  return { ...result, binary, builds };
}

/** A digest of a folder's files (names and bytes), to know a generated module changed. */
function directoryDigest(dir: string): string {
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else parts.push(`${path.relative(dir, p)} ${sha256(fs.readFileSync(p))}`);
    }
  };
  walk(dir);
  return sha256(parts.join('\n'));
}

/**
 * Run each compiled example (`readme-examples <id>`), `concurrency` at a time, with its cloud
 * assembly directed to a folder of its own (`CDK_OUTDIR`); the stacks each wrote, by example id.
 * An example that did not compile fails with the compiler's words.
 */
export async function runGoExamples(
  consumer: GoConsumer,
  build: GoBuild,
  examples: TranslatedExample[],
  options: { readonly concurrency?: number } = {},
): Promise<Record<string, SynthOutcome>> {
  const failed: Record<string, SynthOutcome> = {};
  const runs = examples.filter((e) => {
    if (build.compileErrors[e.id] === undefined) return true;
    failed[e.id] = { templates: 0, error: `does not compile:\n${build.compileErrors[e.id]}` };
    return false;
  }).map((e) => ({ id: e.id, command: build.binary, args: [e.id], cwd: consumer.project, outdir: path.join(consumer.project, 'cdk.out', e.id) }));
  return { ...failed, ...await runExampleProcesses(runs, options.concurrency) };
}

