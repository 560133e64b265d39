import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CloudFormationValidatePlugin } from 'aws-cdk-lib';
import {
  CachedCloudFormationValidatePlugin, Finding, ProofAppOptions, synthesize, SynthResult,
  VALIDATION_CACHE_ENV, VALIDATION_PREWARM_ENV, VALIDATION_RESIDENT_DIR_ENV, VALIDATION_RESIDENT_ENV, ValidationReportStore,
} from '../src';
import { build, Shape } from './validation-cache.fixture';
import { PrewarmedValidationEngine } from '../src/prewarmed-validation-engine';
import { ResidentValidationEngine } from '../src/resident-validation-engine';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'proof-validation-cache-'));
let dirs = 0;
/** A fresh, empty cache directory. */
const freshCache = () => path.join(root, `cache-${++dirs}`);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Build the fixture app and synthesize it, each run in its own output directory. */
const run = (cache: string | false, shape: Shape = {}, options: ProofAppOptions = {}): SynthResult =>
  synthesize(build(cache, shape, fs.mkdtempSync(path.join(root, 'out-')), options));

const ids = (findings: Finding[]) => findings.flatMap((f) => f.constructPaths.map((p) => `${f.plugin} ${f.rule} ${p}`)).sort();
const stats = (result: SynthResult) => Object.fromEntries(result.validationCache.map((s) => [s.plugin, `${s.hits} hit ${s.misses} miss`]));
const PLANTED = [
  'AwsSolutions AwsSolutions-SQS3 Changing/Planted',
  'AwsSolutions AwsSolutions-SQS4 Changing/Planted',
  'CloudFormation Validate F3034 Changing/Planted',
];

describe('a planted violation is reported, whatever the cache holds', () => {
  const cache = freshCache();
  const filled = run(cache);
  const warm = run(cache, { plant: true });
  const cold = run(freshCache(), { plant: true });
  const uncached = run(false, { plant: true });

  test('the clean tree fills the cache: every stack validated once by each plugin', () => {
    expect(filled.findings).toEqual([]);
    expect(stats(filled)).toEqual({
      'CloudFormation Validate': '0 hit 2 miss', 'AwsSolutions': '0 hit 2 miss', 'NIST.800.53.R5': '0 hit 2 miss',
    });
  });

  test('warm: only the changed stack is validated again, and its violations are reported', () => {
    expect(stats(warm)).toEqual({
      'CloudFormation Validate': '1 hit 1 miss', 'AwsSolutions': '1 hit 1 miss', 'NIST.800.53.R5': '1 hit 1 miss',
    });
    expect(ids(warm.findings)).toEqual(expect.arrayContaining(PLANTED));
    expect(warm.findings.find((f) => f.rule === 'F3034')!.description).toMatch(/999999 is greater than the maximum of 43200/);
  });

  test('cold: the same violations', () => {
    expect(stats(cold)).toEqual({
      'CloudFormation Validate': '0 hit 2 miss', 'AwsSolutions': '0 hit 2 miss', 'NIST.800.53.R5': '0 hit 2 miss',
    });
    expect(ids(cold.findings)).toEqual(ids(warm.findings));
  });

  test('cached findings are exactly the uncached plugins\' findings, descriptions and severities included', () => {
    expect(uncached.validationCache).toEqual([]);
    const full = (r: SynthResult) => r.findings.map((f) => ({ ...f, constructPaths: [...f.constructPaths].sort() }))
      .sort((a, b) => `${a.plugin}${a.rule}`.localeCompare(`${b.plugin}${b.rule}`));
    expect(full(warm)).toEqual(full(uncached));
    expect(full(cold)).toEqual(full(uncached));
    expect(ids(uncached.findings)).toEqual(PLANTED);
  });

  test('a synth that fails validation still throws from app.synth(), served from the cache', () => {
    const again = run(cache, { plant: true });
    expect(stats(again)).toEqual({
      'CloudFormation Validate': '2 hit 0 miss', 'AwsSolutions': '2 hit 0 miss', 'NIST.800.53.R5': '2 hit 0 miss',
    });
    expect(ids(again.findings)).toEqual(ids(warm.findings));
    const report = JSON.parse(fs.readFileSync(path.join(again.assembly.directory, 'validation-report.json'), 'utf8'));
    expect(Object.fromEntries(report.pluginReports.map((p: { pluginName: string; conclusion: string }) => [p.pluginName, p.conclusion])))
      .toEqual({ 'AwsSolutions': 'failure', 'CloudFormation Validate': 'failure' });
  });
});

describe('a prewarmed engine (a worker thread started with the app) reports exactly what the main thread would', () => {
  const prewarm = { prewarmValidationEngine: true };
  const cache = freshCache();
  const filled = run(cache, {}, prewarm);
  const changed = run(cache, { plant: true }, prewarm);
  const unchanged = run(cache, { plant: true }, prewarm);
  const inProcess = run(false, { plant: true });
  const cfn = (r: SynthResult) => r.validationCache.find((s) => s.plugin === 'CloudFormation Validate')!;
  const full = (r: SynthResult) => r.findings.filter((f) => f.plugin === 'CloudFormation Validate')
    .map((f) => ({ ...f, constructPaths: [...f.constructPaths].sort() })).sort((a, b) => a.rule.localeCompare(b.rule));

  test('a cold cache: every stack validated, in the worker', () => {
    expect(cfn(filled)).toEqual({ plugin: 'CloudFormation Validate', hits: 0, misses: 2, inWorker: 2, inResidentEngine: 0 });
    expect(filled.findings).toEqual([]);
  });

  test('one stack changed: only it is validated, in the worker, and the planted violation is reported', () => {
    expect(cfn(changed)).toEqual({ plugin: 'CloudFormation Validate', hits: 1, misses: 1, inWorker: 1, inResidentEngine: 0 });
    expect(ids(changed.findings)).toEqual(expect.arrayContaining(PLANTED));
  });

  test('findings, descriptions and severities are those of the plugin in the main thread without a cache', () => {
    expect(full(changed)).toEqual(full(inProcess));
    expect(full(changed).length).toBeGreaterThan(0);
  });

  test('every stack hits: the worker validates nothing, and the findings come from the cache', () => {
    expect(cfn(unchanged)).toEqual({ plugin: 'CloudFormation Validate', hits: 2, misses: 0, inWorker: 0, inResidentEngine: 0 });
    expect(full(unchanged)).toEqual(full(changed));
  });

  test('the engine is built for the resource types the last synth used, kept in the cache', () => {
    const store = new ValidationReportStore(cache);
    const plugin = new CachedCloudFormationValidatePlugin(store);
    const types = store.get<string[]>((plugin as unknown as { resourceTypesKey(): string }).resourceTypesKey());
    expect(types).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy']));
  });

  test('\'whenIdle\' counts a core idle when the 1-minute load average is below the cores less one half', () => {
    expect(PrewarmedValidationEngine.hasIdleCore(0.4, 2)).toBe(true);
    expect(PrewarmedValidationEngine.hasIdleCore(1.4, 2)).toBe(true);
    expect(PrewarmedValidationEngine.hasIdleCore(1.6, 2)).toBe(false);
    expect(PrewarmedValidationEngine.hasIdleCore(12, 2)).toBe(false);
    expect(PrewarmedValidationEngine.hasIdleCore(6, 8)).toBe(true);
  });

  test(`${VALIDATION_PREWARM_ENV} chooses when the option is not given, and a wrong value names the choices`, () => {
    const saved = process.env[VALIDATION_PREWARM_ENV];
    try {
      process.env[VALIDATION_PREWARM_ENV] = 'sometimes';
      expect(() => build(freshCache())).toThrow(`${VALIDATION_PREWARM_ENV}=sometimes: expected on, off or whenIdle`);
      process.env[VALIDATION_PREWARM_ENV] = 'on';
      expect(cfn(run(freshCache(), {})).inWorker).toBe(2);
    } finally {
      if (saved === undefined) delete process.env[VALIDATION_PREWARM_ENV];
      else process.env[VALIDATION_PREWARM_ENV] = saved;
    }
  });

  test('an engine that cannot start gives no report, so the caller validates in its own thread', () => {
    const broken = PrewarmedValidationEngine.start({ regoRules: [{ name: 'broken.rego', content: 'this is not rego' }] }, ['AWS::SQS::Queue']);
    const id = broken.submit([{ stackConstructPath: 'Changing', templatePath: changed.templatePaths[0], accountId: undefined, region: undefined }]);
    expect(id === undefined || broken.result(id) === undefined).toBe(true);
    expect(broken.usable).toBe(false);
  });
});

/** Wait (blocking, as a synth would) until `condition` holds; false after `ms`. */
function waitFor(condition: () => boolean, ms = 60_000): boolean {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (const deadline = Date.now() + ms; Date.now() < deadline; Atomics.wait(sleeper, 0, 0, 50)) if (condition()) return true;
  return condition();
}

describe('a resident engine (a process kept between synths) reports exactly what the main thread would', () => {
  const directory = path.join(root, 'resident');
  fs.mkdirSync(directory, { mode: 0o700 });
  const savedDir = process.env[VALIDATION_RESIDENT_DIR_ENV];
  process.env[VALIDATION_RESIDENT_DIR_ENV] = directory;
  const resident = { residentValidationEngine: true };
  const address = ResidentValidationEngine.address({})!;
  const cfn = (r: SynthResult) => r.validationCache.find((s) => s.plugin === 'CloudFormation Validate')!;
  const full = (r: SynthResult) => r.findings.filter((f) => f.plugin === 'CloudFormation Validate')
    .map((f) => ({ ...f, constructPaths: [...f.constructPaths].sort() })).sort((a, b) => a.rule.localeCompare(b.rule));

  const cache = freshCache();
  // No engine yet: this synth validates in its own thread and leaves one running behind it.
  const filled = run(cache, {}, resident);
  const started = waitFor(() => ResidentValidationEngine.isListening(address));
  const changed = run(cache, { plant: true }, resident);
  const inProcess = run(false, { plant: true });
  // Stopped: the next synth validates in its own thread, and starts another.
  ResidentValidationEngine.stop(address);
  const restored = run(freshCache(), { plant: true }, resident);
  const restarted = waitFor(() => ResidentValidationEngine.isListening(address));

  afterAll(() => {
    ResidentValidationEngine.stop(address);
    if (savedDir === undefined) delete process.env[VALIDATION_RESIDENT_DIR_ENV];
    else process.env[VALIDATION_RESIDENT_DIR_ENV] = savedDir;
  });

  test('a synth that built an engine leaves one listening, on a socket only its owner can open', () => {
    expect(cfn(filled)).toEqual({ plugin: 'CloudFormation Validate', hits: 0, misses: 2, inWorker: 0, inResidentEngine: 0 });
    expect(started).toBe(true);
    expect(path.dirname(address)).toBe(directory);
    expect(fs.statSync(address).mode.toString(8)).toMatch(/600$/);
  });

  test('one stack changed: the resident engine validates it, and the planted violation is reported', () => {
    expect(cfn(changed)).toEqual({ plugin: 'CloudFormation Validate', hits: 1, misses: 1, inWorker: 0, inResidentEngine: 1 });
    expect(ids(changed.findings)).toEqual(expect.arrayContaining(PLANTED));
  });

  test('findings, descriptions and severities are those of the plugin in the main thread without a cache', () => {
    expect(full(changed)).toEqual(full(inProcess));
    expect(full(changed).length).toBeGreaterThan(0);
  });

  test('removing its socket stops it; the next synth validates in its own thread and starts another', () => {
    expect(cfn(restored)).toEqual({ plugin: 'CloudFormation Validate', hits: 0, misses: 2, inWorker: 0, inResidentEngine: 0 });
    expect(full(restored)).toEqual(full(inProcess));
    expect(restarted).toBe(true);
  });

  test('a stale socket (nobody listening) is replaced, and an idle engine exits and removes its socket', () => {
    const stale = path.join(directory, 'stale.sock');
    // A socket file whose process is gone, as a killed engine leaves it.
    const bind = spawnSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', stale]);
    expect(bind.status).toBe(0);
    expect(ResidentValidationEngine.isListening(stale)).toBe(true);
    ResidentValidationEngine.start(stale, {}, ['AWS::SQS::Queue'], 200);
    // A new socket at the same path (the inode number may be reused; its change time is not).
    const made = (file: string) => fs.statSync(file, { bigint: true, throwIfNoEntry: false })?.ctimeNs;
    const before = made(stale);
    expect(waitFor(() => made(stale) !== undefined && made(stale) !== before)).toBe(true);
    expect(waitFor(() => !fs.existsSync(stale))).toBe(true);
  });

  test('no engine where another user could write to the socket directory', () => {
    const open = path.join(root, 'shared');
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    expect(ResidentValidationEngine.address({}, open)).toBeUndefined();
    expect(ResidentValidationEngine.address({}, directory)).toBe(address);
  });

  test('the socket names the rule set: other rules, another engine', () => {
    expect(ResidentValidationEngine.address({ includeDefaultRules: false })).not.toBe(address);
  });

  test(`${VALIDATION_RESIDENT_ENV} chooses when the option is not given (off unless asked for), and a wrong value names the choices`, () => {
    const saved = process.env[VALIDATION_RESIDENT_ENV];
    try {
      process.env[VALIDATION_RESIDENT_ENV] = 'sometimes';
      expect(() => build(freshCache())).toThrow(`${VALIDATION_RESIDENT_ENV}=sometimes: expected on or off`);
      delete process.env[VALIDATION_RESIDENT_ENV];
      expect(cfn(run(freshCache(), { plant: true })).inResidentEngine).toBe(0);
      process.env[VALIDATION_RESIDENT_ENV] = 'on';
      expect(cfn(run(freshCache(), { plant: true })).inResidentEngine).toBe(2);
    } finally {
      if (saved === undefined) delete process.env[VALIDATION_RESIDENT_ENV];
      else process.env[VALIDATION_RESIDENT_ENV] = saved;
    }
  });
});

/** Synthesize the fixture in a child process, as `cdk synth` would run the app: outside jest, CI unset. */
function synthInChild(env: NodeJS.ProcessEnv, options: { plant?: boolean; uid?: number } = {}) {
  const script = `
    const { synthesize } = require('./src');
    const { build } = require('./test/validation-cache.fixture');
    const result = synthesize(build(process.env.KEELSON_VALIDATION_CACHE_DIR, { plant: ${options.plant === true} }));
    console.log(JSON.stringify(result.validationCache.find((s) => s.plugin === 'CloudFormation Validate')));`;
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(JEST_WORKER_ID|CI|KEELSON_VALIDATION_RESIDENT(_DIR)?)$/.test(name)));
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
    env: { ...base, ...env },
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  const report = child.status === 0 ? JSON.parse(child.stdout.trim().split('\n').pop()!) : undefined;
  return { status: child.status, stderr: child.stderr, stats: report };
}

/**
 * A directory anyone may write to (as the OS temporary directory is), for a synth as another user.
 * Beside `root`, not in it: `root` is private to the user running the tests.
 */
const shared: string[] = [];
afterAll(() => shared.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
function sharedTemporaryDirectory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proof-shared-tmp-'));
  fs.chmodSync(dir, 0o1777);
  shared.push(dir);
  return dir;
}

const sockets = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.sock')).map((f) => path.join(dir, f)) : []);

describe('the resident engine is opt-in, contained, and cannot fail a synth', () => {
  test('by default a synth that validates a changed stack leaves no process behind (outside jest and CI too)', () => {
    const residentDir = fs.mkdtempSync(path.join(root, 'resident-default-'));
    const run1 = synthInChild({ KEELSON_VALIDATION_CACHE_DIR: freshCache(), KEELSON_VALIDATION_RESIDENT_DIR: residentDir }, { plant: true });
    expect(run1.status).toBe(0);
    expect(run1.stats).toMatchObject({ misses: 2, inResidentEngine: 0 });
    expect(run1.stderr).not.toMatch(/resident/);
    // Nothing was started: no socket, no start file, no log in the engine's directory.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
    expect(fs.readdirSync(residentDir)).toEqual([]);
  });

  test('asked for, it says so, inherits no AWS credentials, logs beside its socket, and survives a malformed line', () => {
    const dir = fs.mkdtempSync(path.join(root, 'resident-contained-'));
    const address = path.join(dir, 'engine-test.sock');
    const saved = process.env.AWS_SECRET_ACCESS_KEY;
    const said: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { said.push(String(chunk)); return true; });
    let pid: number | undefined;
    try {
      // A stand-in value, not a credential: the test checks that the variable does not reach the engine.
      process.env.AWS_SECRET_ACCESS_KEY = 'stand-in-not-a-credential';
      pid = ResidentValidationEngine.start(address, {}, ['AWS::SQS::Queue'], 60_000);
    } finally {
      stderr.mockRestore();
      if (saved === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved;
    }
    try {
      expect(pid).toBeGreaterThan(0);
      expect(said.join('')).toMatch(new RegExp(`started a resident CloudFormation validation engine \\(pid ${pid}; .*stop it with: rm ${address.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      expect(waitFor(() => ResidentValidationEngine.isListening(address))).toBe(true);
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').map((e) => e.split('=')[0]);
      expect(environ.filter((name) => name.startsWith('AWS_'))).toEqual([]);
      expect(environ).toContain('PATH');
      expect(fs.readFileSync(ResidentValidationEngine.logFile(address), 'utf8')).toMatch(`listening on ${address}`);
      expect(fs.statSync(address).mode.toString(8)).toMatch(/600$/);

      const template = path.join(dir, 'one-queue.template.json');
      fs.writeFileSync(template, JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 999_999 } } } }));
      const request = JSON.stringify({ id: 7, stackTemplates: [{ stackConstructPath: 'One', templatePath: template }] });
      const talk = spawnSync('python3', ['-c', [
        'import socket, sys',
        's = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")',
        'f.write("this is not json\\n"); f.flush(); print(f.readline().strip())',
        'f.write(sys.argv[2] + "\\n"); f.flush(); print(f.readline().strip())',
      ].join('\n'), address, request], { encoding: 'utf8', timeout: 60_000 });
      const [refused, answered] = talk.stdout.trim().split('\n').map((line) => JSON.parse(line));
      expect(refused).toMatchObject({ kind: 'error', id: -1, error: expect.stringMatching(/^malformed request/) });
      expect(answered).toMatchObject({ kind: 'report', id: 7 });
      expect(JSON.stringify(answered.report)).toMatch(/F3034/);
      expect(fs.readFileSync(ResidentValidationEngine.logFile(address), 'utf8')).toMatch('refused a malformed request line');
    } finally {
      ResidentValidationEngine.stop(address);
    }
  });

  test('a resident engine that never answers costs the synth a deadline, then the main thread validates', () => {
    const dir = fs.mkdtempSync(path.join(root, 'resident-silent-'));
    const address = path.join(dir, 'silent.sock');
    // Accepts the connection and never replies, as a hung engine would.
    const silent = spawn('python3', ['-c', 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(5); c,_=s.accept(); time.sleep(60)', address]);
    try {
      expect(waitFor(() => ResidentValidationEngine.isListening(address))).toBe(true);
      const engine = PrewarmedValidationEngine.start({}, ['AWS::SQS::Queue'], { residentAddress: address, buildLocally: false });
      const template = path.join(dir, 'one-queue.template.json');
      fs.writeFileSync(template, JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }));
      const id = engine.submit([{ stackConstructPath: 'One', templatePath: template, accountId: undefined, region: undefined }])!;
      const started = Date.now();
      const warnings: string[] = [];
      const warn = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => { warnings.push(String(w)); });
      try {
        expect(engine.result(id, 1500)).toBeUndefined();
      } finally {
        warn.mockRestore();
      }
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(engine.usable).toBe(false);
      expect(warnings.join('')).toMatch(/no reply within 2 s|no reply within 1 s/);
    } finally {
      silent.kill();
    }
  });

  // Switching users needs root; a suite run as a user is itself the non-root case.
  const asRoot = process.getuid?.() === 0;
  const users = asRoot ? [{ name: 'a non-root user (nobody)', uid: 65534 }, { name: 'a uid with no passwd entry', uid: 4242 }] : [{ name: 'this non-root user', uid: undefined }];
  for (const user of users) {
    test(`a synth as ${user.name} passes, and so does its resident engine`, () => {
      const tmp = sharedTemporaryDirectory();
      const cache = path.join(tmp, 'cache');
      fs.mkdirSync(cache);
      if (user.uid !== undefined) fs.chownSync(cache, user.uid, user.uid);
      // The engine's directory is the default one, under the user's TMPDIR, named by the uid.
      const env = { TMPDIR: tmp, KEELSON_VALIDATION_CACHE_DIR: cache, KEELSON_VALIDATION_RESIDENT: 'on' };
      const engineDir = path.join(tmp, `keelson-validation-${user.uid ?? process.getuid?.()}`);
      try {
        const filled = synthInChild(env, { uid: user.uid });
        expect({ status: filled.status, stderr: filled.stderr }).toMatchObject({ status: 0 });
        expect(filled.stats).toMatchObject({ misses: 2 });
        // The engine the first synth left (as that user, in that user's private directory) answers the next.
        expect(waitFor(() => sockets(engineDir).some((s) => ResidentValidationEngine.isListening(s)))).toBe(true);
        const changed = synthInChild(env, { uid: user.uid, plant: true });
        expect({ status: changed.status, stderr: changed.stderr }).toMatchObject({ status: 0 });
        expect(changed.stats).toMatchObject({ hits: 1, misses: 1, inResidentEngine: 1 });
      } finally {
        sockets(engineDir).forEach((s) => ResidentValidationEngine.stop(s));
      }
    });
  }
});

describe('acknowledgements', () => {
  const cache = freshCache();
  const acknowledged = run(cache, { plant: true, acknowledge: true });
  const removed = run(cache, { plant: true });
  const restored = run(cache, { plant: true, acknowledge: true });

  test('acknowledged findings are left out', () => {
    expect(ids(acknowledged.findings)).not.toContain(PLANTED[0]);
    expect(ids(acknowledged.findings)).not.toContain(PLANTED[2]);
    expect(ids(acknowledged.findings)).toContain(PLANTED[1]);
  });

  test('removing the acknowledgement brings the findings back on a warm cache', () => {
    // cdk-nag applies acknowledgements inside its own run: they are in its key, so the stack is validated again.
    // aws-cdk-lib applies them to the CloudFormation report after the plugin: that report is reused as is.
    expect(stats(removed)).toEqual({
      'CloudFormation Validate': '2 hit 0 miss', 'AwsSolutions': '1 hit 1 miss', 'NIST.800.53.R5': '1 hit 1 miss',
    });
    expect(ids(removed.findings)).toEqual(expect.arrayContaining(PLANTED));
  });

  test('putting it back hides them again, from the cache', () => {
    expect(stats(restored)).toEqual({
      'CloudFormation Validate': '2 hit 0 miss', 'AwsSolutions': '2 hit 0 miss', 'NIST.800.53.R5': '2 hit 0 miss',
    });
    expect(ids(restored.findings)).toEqual(ids(acknowledged.findings));
  });
});

describe('the key', () => {
  test('covers the construct class, which nag rules test and the template does not show', () => {
    const cache = freshCache();
    const untyped = run(cache);
    const typed = run(cache, { typedBucket: true });
    // Same template bytes: CloudFormation validation reuses its report; the nag packs do not.
    expect(fs.readFileSync(untyped.templatePaths.find((p) => p.endsWith('Steady.template.json'))!, 'utf8'))
      .toBe(fs.readFileSync(typed.templatePaths.find((p) => p.endsWith('Steady.template.json'))!, 'utf8'));
    expect(stats(typed)).toEqual({
      'CloudFormation Validate': '2 hit 0 miss', 'AwsSolutions': '1 hit 1 miss', 'NIST.800.53.R5': '1 hit 1 miss',
    });
    expect(ids(untyped.findings)).toEqual([]);
    expect(ids(typed.findings)).toEqual(expect.arrayContaining(['NIST.800.53.R5 NIST.800.53.R5-S3BucketVersioningEnabled Steady/Bucket']));
  });

  test('covers the region (the engine\'s pseudo-parameters)', () => {
    const cache = freshCache();
    const store = new ValidationReportStore(cache);
    const plugin = new CachedCloudFormationValidatePlugin(store);
    const template = path.join(root, 'region.template.json');
    fs.writeFileSync(template, JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } } }));
    const validate = (region: string) => plugin.validate({
      appConstruct: new App(),
      templatePaths: [template],
      stackTemplates: [{ stackConstructPath: 'S', templatePath: template, accountId: '111111111111', region }],
    });
    validate('eu-west-1');
    validate('eu-west-1');
    validate('us-east-1');
    expect(plugin.stats).toEqual({ plugin: 'CloudFormation Validate', hits: 1, misses: 2, inWorker: 0, inResidentEngine: 0 });
  });

  test('reports the engine\'s own version without loading it', () => {
    const plugin = new CachedCloudFormationValidatePlugin(new ValidationReportStore(freshCache()));
    expect(plugin.version).toBe(new CloudFormationValidatePlugin().version);
    expect(plugin.ruleIds).toEqual([plugin.version]);
  });
});

describe('the store', () => {
  test('writes whole entries only, and reads a damaged entry as a miss', () => {
    const dir = freshCache();
    const store = new ValidationReportStore(dir);
    store.put('ab12', [{ ruleName: 'R' }]);
    expect(store.get('ab12')).toEqual([{ ruleName: 'R' }]);
    expect(fs.readdirSync(path.join(dir, 'ab'))).toEqual(['ab12.json']);
    fs.writeFileSync(path.join(dir, 'ab', 'ab12.json'), '{"key":"ab12","value":[');
    expect(store.get('ab12')).toBeUndefined();
  });

  test(`${VALIDATION_CACHE_ENV}=off turns it off`, () => {
    const saved = process.env[VALIDATION_CACHE_ENV];
    process.env[VALIDATION_CACHE_ENV] = 'off';
    try {
      expect(ValidationReportStore.fromEnvironment(freshCache())).toBeUndefined();
      expect(run(freshCache()).validationCache).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env[VALIDATION_CACHE_ENV];
      else process.env[VALIDATION_CACHE_ENV] = saved;
    }
  });
});

test('when every stack hits, the WASM engine is never loaded (a fresh process)', () => {
  const cache = freshCache();
  run(cache, { plant: true });
  const script = [
    "const p = require('./src');",
    "const { build } = require('./test/validation-cache.fixture');",
    'const loaded = () => Object.keys(require.cache).some((k) => k.includes("cloudformation-validate/"));',
    `const result = p.synthesize(build(${JSON.stringify(cache)}, { plant: true }));`,
    'const warm = { loaded: loaded(), stats: result.validationCache, findings: result.findings.length };',
    // The control: asking the real plugin its version loads the engine, and this check sees it.
    "new (require('aws-cdk-lib').CloudFormationValidatePlugin)().version;",
    'console.log(JSON.stringify({ warm, loadedByControl: loaded() }));',
  ].join('\n');
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
  expect(child.stderr).not.toMatch(/Error/);
  const out = JSON.parse(child.stdout.trim().split('\n').pop()!);
  expect(out.warm.stats.map((s: { misses: number }) => s.misses)).toEqual([0, 0, 0]);
  expect(out.warm.findings).toBeGreaterThan(0);
  expect(out.warm.loaded).toBe(false);
  expect(out.loadedByControl).toBe(true);
});
