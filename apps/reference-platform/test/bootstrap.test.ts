import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../src/config';
import { buildPlatform } from '../src/platform';
import { platformApp } from '../src/platform-app';
import { isStackHint } from '../src/synth';

// One synth of the dev platform without the gates (bootstrap reads only the stacks' environments).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-bootstrap-'));
const app = platformApp({ gates: false, outdir: dir });
buildPlatform(app, resolveConfig('dev'));
app.synth();

/** The bootstrap task as `npm run bootstrap -- <args>` runs it. */
const bootstrap = (...args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/bootstrap.ts', ...args], {
  cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, PATH: '' },
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm run bootstrap', () => {
  test('--dry-run prints one cdk bootstrap naming every environment of the assembly: both regions and us-east-1 (billing)', () => {
    const run = bootstrap('--dry-run', '--assembly', dir, '--profile', 'ops');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('cdk bootstrap aws://000000000000/ap-southeast-1 aws://000000000000/us-east-1 aws://000000000000/us-west-2 --profile ops');
  });

  test('refuses the placeholder account before running cdk, naming the fix', () => {
    // PATH is empty: had it tried to run cdk, the spawn would fail differently.
    const run = bootstrap('--assembly', dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/placeholder account 000000000000\. Fix: set account in keelson\.config\.yaml, pass -c keelson:account=<id>/);
  });

  test('--assembly needs a directory', () => {
    const run = bootstrap('--assembly');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--assembly needs a directory/);
  });
});

describe('npm run synth output', () => {
  test('drops the CLI\'s "Supply a stack id" hint, coloured or not, and nothing else', () => {
    expect(isStackHint('Supply a stack id (keelson-dev-primary-platform, keelson-dev-dr-platform) to display its template.')).toBe(true);
    expect(isStackHint('\u001b[0mSupply a stack id (\u001b[32mkeelson-dev-primary-platform\u001b[39m) to display its template.\u001b[0m')).toBe(true);
    expect(isStackHint('Successfully synthesized to cdk.out')).toBe(false);
    expect(isStackHint('[Warning at /keelson-dev-primary-platform] Supply a stack id (x) to display its template.')).toBe(false);
  });
});
