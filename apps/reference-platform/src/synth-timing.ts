/**
 * One in-process synth of the whole platform, timed: what `npm run bench`
 * runs in a fresh process per sample. Prints one JSON line.
 */
import * as os from 'os';
import * as path from 'path';
import { configFromContext } from './config';
import { buildPlatform } from './platform';
import { platformApp } from './platform-app';

const started = process.hrtime.bigint();
const app = platformApp({ outdir: path.join(os.tmpdir(), `keelson-bench-${process.pid}`) });
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
