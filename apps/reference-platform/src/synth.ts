/**
 * `npm run synth`: `cdk synth` into cdk.out, then the summary of stacks and
 * gates (src/synth-summary.ts). The CLI's own closing hint for a multi-stack
 * app (`Supply a stack id (...) to display its template`) is dropped from its
 * output: the summary lists the stacks.
 *
 * `cfn-lint --version`, which keys the summary's cfn-lint cache, imports all
 * of cfn-lint (~3 s); it starts beside `cdk synth` so the summary does not
 * wait for it.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';
import { cfnLintAvailabilityAsync } from '@keelson/proof';
import { summarize } from './synth-summary';

async function main(): Promise<number> {
  const probe = cfnLintAvailabilityAsync();
  const status = await new Promise<number | null>((resolve, reject) => {
    // `cdk synth` selects every stack by default (it has no --all).
    const cdk = spawn('cdk', ['synth', '--no-notices', '--quiet'], {
      stdio: ['inherit', 'inherit', 'pipe'],
      // Piped, the CLI would drop its colours; keep them when the terminal has them.
      env: process.stderr.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env,
    });
    readline.createInterface({ input: cdk.stderr! }).on('line', (line) => {
      if (!isStackHint(line)) process.stderr.write(`${line}\n`);
    });
    cdk.on('error', reject);
    cdk.on('close', resolve);
  });
  if (status !== 0) return status ?? 1;
  await probe;
  return (await summarize(path.resolve('cdk.out'))) ? 0 : 1;
}

/** The CLI's `Supply a stack id (a, b, ...) to display its template.` line (colours stripped). */
export function isStackHint(line: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^Supply a stack id \(.*\) to display its template\.$/.test(line.replace(/\u001b\[[0-9;]*m/g, '').trim());
}

if (require.main === module) {
  main().then((code) => (process.exitCode = code), (error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
