/**
 * `npm run bench`: measures what the project promises about speed and size,
 * writes `.bench/results.json` and prints a table.
 *
 *   - side by side, whole processes run in turn (construct + synth of the full platform):
 *     the plain-CDK baseline (no gates, `CDK_VALIDATION=false`) against every gate on with the
 *     validation cache warm, and with one stack changed: as users get it (the engine built in the
 *     synth's process, prewarmed when a core is idle), with the opt-in resident engine
 *     (`KEELSON_VALIDATION_RESIDENT=on`), and with prewarming off too; medians of N and their ratios
 *   - that the cache changes nothing: the platform's validation report with the cache off, empty and filled, compared
 *   - in-process `app.synth()` with the validation cache off: median of N fresh processes, peak RSS
 *   - of that, aws-cdk-lib's CloudFormation validation alone over the same templates (the engine)
 *   - `npm run synth` end to end, with the cfn-lint and validation caches empty and with them filled, and `cdk synth` alone
 *   - Lambda functions and custom resources per stack, template sizes and resource counts
 *   - asset bytes in cdk.out
 *   - `npm test` on an unchanged tree (nx cache warm)
 *
 * `BENCH_SAMPLES` sets N (default 5). `BENCH_SKIP_TESTS=1` skips the test-suite timing;
 * `BENCH_SIDE_BY_SIDE_ONLY=1` measures only the side-by-side.
 */
import { execSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const appDir = path.join(root, 'apps', 'reference-platform');
const samples = Number(process.env.BENCH_SAMPLES ?? 5);

const validationCache = path.join(appDir, 'node_modules', '.cache', 'keelson-validation');

function timed(command: string, cwd: string): number {
  const start = Date.now();
  execSync(command, { cwd, stdio: 'ignore', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' } });
  return (Date.now() - start) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function dirBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? dirBytes(full) : fs.statSync(full).size);
  }, 0);
}

/** Run one of the app's timing scripts in a fresh process; it prints one JSON line, to which the process's wall time is added. */
function timingScript(script: string, args: string[] = [], env: Record<string, string | undefined> = {}): any {
  const start = process.hrtime.bigint();
  const out = spawnSync('node', ['-r', 'ts-node/register/transpile-only', script, ...args], {
    cwd: appDir, encoding: 'utf8', env: { ...process.env, ...env },
  });
  const processMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (out.status !== 0) throw new Error(`${script} failed: ${out.stderr}`);
  return { ...JSON.parse(out.stdout.trim().split('\n').pop()!), processMs };
}

// 1. Side by side, whole processes, in turn so that the host's load falls on all four alike.
const benchCache = fs.mkdtempSync(path.join(require('os').tmpdir(), 'keelson-bench-validation-'));
// The bench's own resident engine (mkdtemp makes the directory private, as the engine requires); removing it stops the engine.
const benchResident = fs.mkdtempSync(path.join(require('os').tmpdir(), 'keelson-bench-resident-'));
const gates = { CDK_VALIDATION: undefined, KEELSON_VALIDATION_CACHE: undefined, KEELSON_VALIDATION_CACHE_DIR: benchCache, CI: undefined };
const variants = {
  baseline: { args: ['--gates', 'off'], env: { CDK_VALIDATION: 'false' } },
  warm: { args: [], env: gates },
  // As users get it: the engine built in the synth's own process, in a worker when a core is idle.
  oneStackChanged: { args: ['--change'], env: gates },
  // With the opt-in resident engine left by the synth before.
  oneStackChangedResident: { args: ['--change'], env: { ...gates, KEELSON_VALIDATION_RESIDENT: 'on', KEELSON_VALIDATION_RESIDENT_DIR: benchResident } },
  // The engine built only when the changed stack reaches it: what prewarming saves.
  oneStackChangedColdEngine: { args: ['--change'], env: { ...gates, KEELSON_VALIDATION_PREWARM: 'off' } },
};
type Variant = keyof typeof variants;
type Stats = { hits: number; misses: number; inWorker?: number; inResidentEngine?: number };
const sideBySide: Record<Variant, { processMs: number; peakRssMb: number; validationCache: Stats[]; outdir: string }[]> = {
  baseline: [], warm: [], oneStackChanged: [], oneStackChangedResident: [], oneStackChangedColdEngine: [],
};
const runVariant = (name: Variant, i: number) => {
  const v = variants[name];
  const line = timingScript('src/synth-timing.ts', (v.args as string[]).includes('--change') ? [...v.args, `sample-${i}-${Date.now()}`] : v.args, v.env);
  fs.rmSync(line.outdir, { recursive: true, force: true });
  return line;
};
runVariant('warm', -1); // fills the bench's own cache; not counted
// Not counted either: the first change starts the resident engine, the second waits for it to be built.
runVariant('oneStackChangedResident', -2);
runVariant('oneStackChangedResident', -1);
for (let i = 0; i < samples; i++) {
  for (const name of Object.keys(variants) as Variant[]) sideBySide[name].push(runVariant(name, i));
}
fs.rmSync(benchCache, { recursive: true, force: true });
fs.rmSync(benchResident, { recursive: true, force: true });
const side = Object.fromEntries((Object.keys(variants) as Variant[]).map((name) => [name, {
  medianSeconds: median(sideBySide[name].map((r) => r.processMs / 1000)),
  samplesSeconds: sideBySide[name].map((r) => Math.round(r.processMs) / 1000),
  medianPeakRssMb: median(sideBySide[name].map((r) => r.peakRssMb)),
  stacksValidatedPerPlugin: Math.max(0, ...sideBySide[name].flatMap((r) => r.validationCache.map((c) => c.misses))),
  // Samples whose changed stack the prewarmed engine validated (it starts only with an idle core).
  samplesValidatedInWorker: sideBySide[name].filter((r) => r.validationCache.some((c) => (c.inWorker ?? 0) > 0)).length,
  samplesValidatedByResidentEngine: sideBySide[name].filter((r) => r.validationCache.some((c) => (c.inResidentEngine ?? 0) > 0)).length,
}])) as Record<Variant, {
  medianSeconds: number; samplesSeconds: number[]; medianPeakRssMb: number; stacksValidatedPerPlugin: number;
  samplesValidatedInWorker: number; samplesValidatedByResidentEngine: number;
}>;

const sideBySideResults = {
  samples,
  ...side,
  warmOverBaseline: side.warm.medianSeconds / side.baseline.medianSeconds,
  oneStackChangedOverBaseline: side.oneStackChanged.medianSeconds / side.baseline.medianSeconds,
  oneStackChangedResidentOverBaseline: side.oneStackChangedResident.medianSeconds / side.baseline.medianSeconds,
  oneStackChangedColdEngineOverBaseline: side.oneStackChangedColdEngine.medianSeconds / side.baseline.medianSeconds,
};
const row = (k: string, v: string, target: string) => console.log(`${k.padEnd(44)} ${v.padStart(12)}   ${target}`);
const machine = { cpus: require('os').cpus().length, node: process.version, loadAverage: require('os').loadavg() as number[] };
function writeResults(results: object): void {
  fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(root, '.bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine, sideBySide: sideBySideResults, ...results }, null, 2));
}
function printSideBySide(): void {
  const ratio = (x: number) => `${x.toFixed(2)}x`;
  const proc = (v: Variant) => `${side[v].medianSeconds.toFixed(2)} s, ${Math.round(side[v].medianPeakRssMb)} MB`;
  row(`whole process, medians of ${samples}, in turn:`, '', '');
  row('  plain CDK: no gates, CDK_VALIDATION=false', proc('baseline'), 'the baseline');
  row('  every gate on, validation cache warm', proc('warm'), `${ratio(sideBySideResults.warmOverBaseline)} the baseline (<= 1.2x)`);
  row('  every gate on, one stack changed', proc('oneStackChanged'), `${ratio(sideBySideResults.oneStackChangedOverBaseline)} the baseline (<= 2x)`);
  row('    of which engine prewarmed (idle core)', `${side.oneStackChanged.samplesValidatedInWorker} of ${samples}`, '');
  row('  the same, resident engine on (opt-in)', proc('oneStackChangedResident'), `${ratio(sideBySideResults.oneStackChangedResidentOverBaseline)} the baseline`);
  row('    of which validated by the resident engine', `${side.oneStackChangedResident.samplesValidatedByResidentEngine} of ${samples}`, '');
  row('  the same, engine not prewarmed', proc('oneStackChangedColdEngine'), `${ratio(sideBySideResults.oneStackChangedColdEngineOverBaseline)} the baseline`);
}
function printNotes(): void {
  if (side.warm.stacksValidatedPerPlugin !== 0 || side.oneStackChanged.stacksValidatedPerPlugin !== 1 || side.oneStackChangedColdEngine.samplesValidatedInWorker !== 0
    || side.oneStackChanged.samplesValidatedByResidentEngine !== 0) {
    console.log(`\nWARNING: expected 0 stacks validated warm and 1 with one stack changed; got ${side.warm.stacksValidatedPerPlugin} and ${side.oneStackChanged.stacksValidatedPerPlugin}`);
  }
  console.log(`\nLoad average ${machine.loadAverage.map((l) => l.toFixed(1)).join(', ')} on ${machine.cpus} CPUs: on a shared host the seconds are noisy; the ratios are taken in turn, in the same run.`);
  console.log(`\nwritten to ${path.relative(root, path.join(root, '.bench', 'results.json'))}`);
}
console.log(`${'measure'.padEnd(44)} ${'value'.padStart(12)}   target`);
if (process.env.BENCH_SIDE_BY_SIDE_ONLY) {
  writeResults({});
  printSideBySide();
  printNotes();
  process.exit(0);
}

// 1b. The same validation report with the cache off, empty and filled.
const cacheCheck = timingScript('src/validation-cache-check.ts');

// 2. In-process synth with the validation cache off (every gate runs in full), one fresh process per sample.
const runs: { synthMs: number; totalMs: number; peakRssMb: number; outdir: string }[] = [];
const validationRuns: { validationMs: number }[] = [];
for (let i = 0; i < samples; i++) {
  const line = timingScript('src/synth-timing.ts', [], { KEELSON_VALIDATION_CACHE: 'off' });
  runs.push(line);
  // 2b. The CloudFormation validation engine alone over the templates that synth just wrote.
  validationRuns.push(timingScript('src/validation-timing.ts', [line.outdir]));
  fs.rmSync(line.outdir, { recursive: true, force: true });
}

// 3. `npm run synth` end to end (dependencies already built; nx restores them from cache):
// first with no cfn-lint results or validation reports kept, then again with the templates unchanged.
fs.rmSync(path.join(appDir, 'node_modules', '.cache', 'cfn-lint'), { recursive: true, force: true });
fs.rmSync(validationCache, { recursive: true, force: true });
const synthColdSeconds = timed('npm run synth', root);
const synthSeconds = timed('npm run synth', root);
const cdkSynthSeconds = timed('npx cdk synth --no-notices --quiet', appDir);

// 4. Templates: resources, Lambda functions, custom resources, sizes.
const cdkOut = path.join(appDir, 'cdk.out');
const stacks = fs.readdirSync(cdkOut).filter((f) => f.endsWith('.template.json')).map((file) => {
  const body = fs.readFileSync(path.join(cdkOut, file), 'utf8');
  const resources = Object.values(JSON.parse(body).Resources ?? {}) as { Type: string }[];
  return {
    stack: file.replace('.template.json', ''),
    resources: resources.length,
    lambdaFunctions: resources.filter((r) => r.Type === 'AWS::Lambda::Function').length,
    customResources: resources.filter((r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource').length,
    templateKb: Math.round(Buffer.byteLength(body) / 1024),
  };
});
const assetBytes = dirBytes(cdkOut);

// 5. The test suite on an unchanged tree.
const testSeconds = process.env.BENCH_SKIP_TESTS ? undefined : timed('npm test', root);

const results = {
  validationCacheCheck: cacheCheck,
  synthInProcess: {
    samples,
    medianSeconds: median(runs.map((r) => r.synthMs / 1000)),
    medianWithConstructionSeconds: median(runs.map((r) => r.totalMs / 1000)),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    cloudFormationValidationAloneMedianSeconds: median(validationRuns.map((r) => r.validationMs / 1000)),
  },
  npmRunSynthSeconds: synthSeconds,
  npmRunSynthCachesEmptySeconds: synthColdSeconds,
  cdkSynthSeconds,
  stacks,
  assetMb: Math.round(assetBytes / 1024 / 1024),
  npmTestCachedSeconds: testSeconds,
};
writeResults(results);
printSideBySide();
row('  same validation report, cache off/empty/filled', `${cacheCheck.coldEqualsUncached && cacheCheck.warmEqualsUncached ? 'yes' : 'NO'}`,
  `${cacheCheck.acknowledgedInReport} acknowledged violations in it, ${cacheCheck.findings[0]} findings`);
row(`in-process app.synth(), cache off (${samples} runs)`, `${results.synthInProcess.medianSeconds.toFixed(2)} s`, '<= 5 s');
row('  including construction', `${results.synthInProcess.medianWithConstructionSeconds.toFixed(2)} s`, '');
row('  aws-cdk-lib CloudFormation validation alone', `${results.synthInProcess.cloudFormationValidationAloneMedianSeconds.toFixed(2)} s`, 'the engine, when any stack changed');
row('peak memory', `${Math.round(results.synthInProcess.peakRssMb)} MB`, '<= 1536 MB');
row('npm run synth end to end', `${synthSeconds.toFixed(1)} s`, '<= 15 s');
row('  with the cfn-lint and validation caches empty', `${synthColdSeconds.toFixed(1)} s`, '');
row('  of which cdk synth', `${cdkSynthSeconds.toFixed(1)} s`, '');
row('cdk.out size', `${results.assetMb} MB`, '');
if (testSeconds !== undefined) row('npm test, unchanged tree', `${testSeconds.toFixed(1)} s`, '<= 15 s');
for (const s of stacks) {
  row(`${s.stack}`, `${s.resources} res`, `${s.lambdaFunctions} Lambda (<= 3), ${s.customResources} custom, ${s.templateKb} KB (< 800 KB, < 400 res)`);
}
printNotes();
