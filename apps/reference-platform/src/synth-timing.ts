/**
 * One in-process synth of the whole platform, timed: what `npm run bench`
 * runs in a fresh process per sample. Prints one JSON line.
 */
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { configFromContext } from './config';
import { buildPlatform } from './platform';

const started = process.hrtime.bigint();
const app = new App({ outdir: path.join(os.tmpdir(), `keelson-bench-${process.pid}`) });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
buildPlatform(app, configFromContext(app.node));
const built = process.hrtime.bigint();
app.synth();
const done = process.hrtime.bigint();

console.log(JSON.stringify({
  constructMs: Number(built - started) / 1e6,
  synthMs: Number(done - built) / 1e6,
  totalMs: Number(done - started) / 1e6,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  outdir: app.outdir,
}));
