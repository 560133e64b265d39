/**
 * One in-process synth of the whole platform, timed: what `npm run bench`
 * runs in a fresh process per sample. Prints one JSON line.
 *
 *   --gates off      the plain-CDK baseline: no nag packs, no validation flag
 *                    (run with CDK_VALIDATION=false for no CloudFormation validation)
 *   --change <text>  adds an output with this value to the primary platform
 *                    stack: one stack changed since the last synth
 */
import * as os from 'os';
import * as path from 'path';
import type * as proof from '@keelson/proof';
import { CfnOutput } from 'aws-cdk-lib';
import { configFromContext } from './config';
import { buildPlatform } from './platform';
import { platformApp } from './platform-app';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

const started = process.hrtime.bigint();
const gates = arg('--gates') !== 'off';
const app = platformApp({ outdir: path.join(os.tmpdir(), `keelson-bench-${process.pid}`), gates });
const platform = buildPlatform(app, configFromContext(app.node));
const change = arg('--change');
if (change !== undefined) new CfnOutput(platform.primaryCluster, 'BenchChange', { value: change });
const built = process.hrtime.bigint();
app.synth();
const done = process.hrtime.bigint();

console.log(JSON.stringify({
  constructMs: Number(built - started) / 1e6,
  synthMs: Number(done - built) / 1e6,
  totalMs: Number(done - started) / 1e6,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  // The baseline loads nothing of the proof harness, not even to ask.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validationCache: gates ? (require('@keelson/proof') as typeof proof).validationCacheStats(app) : [],
  outdir: app.outdir,
}));
