/**
 * Proof that the validation cache changes nothing: the full platform
 * synthesized with the cache off, then with an empty cache (every stack
 * validated and stored), then again (every stack from the cache). The three
 * `validation-report.json` files (aws-cdk-lib's report of every plugin,
 * acknowledged violations included, stack traces left out) must be equal.
 * `npm run bench` runs it. Prints one JSON line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, VALIDATION_CACHE_ENV } from '@keelson/proof';
import { configFromContext } from './config';
import { buildPlatform } from './platform';
import { platformApp } from './platform-app';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-cache-check-'));
const cache = path.join(work, 'cache');

function synthOnce(validationCache: string | false) {
  const app = platformApp({ outdir: fs.mkdtempSync(path.join(work, 'out-')), validationCache });
  buildPlatform(app, configFromContext(app.node));
  const result = synthesize(app);
  const report = JSON.parse(fs.readFileSync(path.join(result.assembly.directory, 'validation-report.json'), 'utf8'));
  return { report: JSON.stringify(withoutTraces(report)), findings: result.findings.length, cache: result.validationCache };
}

function withoutTraces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTraces);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !/trace/i.test(k)).map(([k, v]) => [k, withoutTraces(v)]));
}

delete process.env[VALIDATION_CACHE_ENV];
const uncached = synthOnce(false);
const cold = synthOnce(cache);
const warm = synthOnce(cache);
fs.rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({
  reportBytes: uncached.report.length,
  acknowledgedInReport: (uncached.report.match(/"acknowledgedId"/g) ?? []).length,
  findings: [uncached.findings, cold.findings, warm.findings],
  coldMisses: cold.cache.map((c) => c.misses),
  warmHits: warm.cache.map((c) => c.hits),
  coldEqualsUncached: cold.report === uncached.report,
  warmEqualsUncached: warm.report === uncached.report,
}));
