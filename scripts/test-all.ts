/**
 * `npm test`: builds, tests, lints and packages (every jsii target, README examples in every
 * language) every workspace through nx, then prints
 * one summary of every package's jest run (read from each package's
 * `test-reports/jest-results.json`, which nx restores from cache too), ending
 * with the plain line `Tests: N passed, N failed`. Arguments are passed to nx
 * (`npm test -- --skip-nx-cache`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

interface JestResults {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTestSuites: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites: number;
}

const root = path.resolve(__dirname, '..');
const nx = spawnSync('nx', ['run-many', '-t', 'build', 'test', 'lint', 'package', '--output-style=stream-without-prefixes', ...process.argv.slice(2)], {
  cwd: root, stdio: 'inherit',
});
const workspaces = ['tools', 'packages', 'apps']
  .flatMap((dir) => fs.readdirSync(path.join(root, dir)).map((name) => path.join(dir, name)))
  .filter((dir) => fs.existsSync(path.join(root, dir, 'package.json')));

let passed = 0;
let failed = 0;
let skipped = 0;
const rows: string[] = [];
for (const ws of workspaces) {
  const file = path.join(root, ws, 'test-reports', 'jest-results.json');
  if (!fs.existsSync(file)) {
    rows.push(`${ws.padEnd(34)} no results (tests did not run)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as JestResults;
  const brokenSuites = r.numFailedTestSuites + r.numRuntimeErrorTestSuites;
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numFailedTests === 0 ? brokenSuites : 0);
  skipped += r.numPendingTests;
  rows.push(`${ws.padEnd(34)} ${String(r.numPassedTests).padStart(4)} passed ${String(r.numFailedTests).padStart(3)} failed ` +
    `${String(r.numPendingTests).padStart(3)} skipped  (${r.numTotalTestSuites} suites${brokenSuites ? `, ${brokenSuites} broken` : ''})`);
}

console.log('\nKeelson test summary');
console.log(rows.join('\n'));
console.log(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || nx.status !== 0 ? 1 : 0;
