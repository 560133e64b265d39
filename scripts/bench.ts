/**
 * `npm run bench`: measures what the project promises about speed and size,
 * writes `.bench/results.json` and prints a table.
 *
 *   - in-process `app.synth()` of the full platform: median of N fresh processes, peak RSS
 *   - of that, aws-cdk-lib's CloudFormation validation alone over the same templates (the floor)
 *   - `npm run synth` end to end, with the cfn-lint cache empty and with it filled, and `cdk synth` alone
 *   - Lambda functions and custom resources per stack, template sizes and resource counts
 *   - asset bytes in cdk.out
 *   - `npm test` on an unchanged tree (nx cache warm)
 *
 * `BENCH_SAMPLES` sets N (default 5). `BENCH_SKIP_TESTS=1` skips the test-suite timing.
 */
import { execSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const appDir = path.join(root, 'apps', 'reference-platform');
const samples = Number(process.env.BENCH_SAMPLES ?? 5);

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

/** Run one of the app's timing scripts in a fresh process; it prints one JSON line. */
function timingScript(script: string, ...args: string[]): any {
  const out = spawnSync('node', ['-r', 'ts-node/register/transpile-only', script, ...args], { cwd: appDir, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${script} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!);
}

// 1. In-process synth, one fresh process per sample.
const runs: { synthMs: number; totalMs: number; peakRssMb: number; outdir: string }[] = [];
const validationRuns: { validationMs: number }[] = [];
for (let i = 0; i < samples; i++) {
  const line = timingScript('src/synth-timing.ts');
  runs.push(line);
  // 1b. The CloudFormation validation engine alone over the templates that synth just wrote.
  validationRuns.push(timingScript('src/validation-timing.ts', line.outdir));
  fs.rmSync(line.outdir, { recursive: true, force: true });
}

// 2. `npm run synth` end to end (dependencies already built; nx restores them from cache):
// first with no cfn-lint results kept, then again with the templates unchanged.
fs.rmSync(path.join(appDir, 'node_modules', '.cache', 'cfn-lint'), { recursive: true, force: true });
const synthColdSeconds = timed('npm run synth', root);
const synthSeconds = timed('npm run synth', root);
const cdkSynthSeconds = timed('npx cdk synth --no-notices --quiet', appDir);

// 3. Templates: resources, Lambda functions, custom resources, sizes.
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

// 4. The test suite on an unchanged tree.
const testSeconds = process.env.BENCH_SKIP_TESTS ? undefined : timed('npm test', root);

const results = {
  date: new Date().toISOString(),
  machine: { cpus: require('os').cpus().length, node: process.version },
  synthInProcess: {
    samples,
    medianSeconds: median(runs.map((r) => r.synthMs / 1000)),
    medianWithConstructionSeconds: median(runs.map((r) => r.totalMs / 1000)),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    cloudFormationValidationAloneMedianSeconds: median(validationRuns.map((r) => r.validationMs / 1000)),
  },
  npmRunSynthSeconds: synthSeconds,
  npmRunSynthCfnLintCacheEmptySeconds: synthColdSeconds,
  cdkSynthSeconds,
  stacks,
  assetMb: Math.round(assetBytes / 1024 / 1024),
  npmTestCachedSeconds: testSeconds,
};
fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
fs.writeFileSync(path.join(root, '.bench', 'results.json'), JSON.stringify(results, null, 2));

const row = (k: string, v: string, target: string) => console.log(`${k.padEnd(44)} ${v.padStart(12)}   ${target}`);
console.log(`${'measure'.padEnd(44)} ${'value'.padStart(12)}   target`);
row(`in-process app.synth() median (${samples} runs)`, `${results.synthInProcess.medianSeconds.toFixed(2)} s`, '<= 5 s');
row('  including construction', `${results.synthInProcess.medianWithConstructionSeconds.toFixed(2)} s`, '');
row('  aws-cdk-lib CloudFormation validation alone', `${results.synthInProcess.cloudFormationValidationAloneMedianSeconds.toFixed(2)} s`, 'the floor: a gate that must run in synth');
row('peak memory', `${Math.round(results.synthInProcess.peakRssMb)} MB`, '<= 1536 MB');
row('npm run synth end to end', `${synthSeconds.toFixed(1)} s`, '<= 15 s');
row('  with the cfn-lint cache empty', `${synthColdSeconds.toFixed(1)} s`, '');
row('  of which cdk synth', `${cdkSynthSeconds.toFixed(1)} s`, '');
row('cdk.out size', `${results.assetMb} MB`, '');
if (testSeconds !== undefined) row('npm test, unchanged tree', `${testSeconds.toFixed(1)} s`, '<= 15 s');
for (const s of stacks) {
  row(`${s.stack}`, `${s.resources} res`, `${s.lambdaFunctions} Lambda (<= 3), ${s.customResources} custom, ${s.templateKb} KB (< 800 KB, < 400 res)`);
}
console.log(`\nwritten to ${path.relative(root, path.join(root, '.bench', 'results.json'))}`);
