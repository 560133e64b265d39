/**
 * `npm run synth`: `cdk synth` into cdk.out, then the summary of stacks and
 * gates (src/synth-summary.ts).
 *
 * `cfn-lint --version`, which keys the summary's cfn-lint cache, imports all
 * of cfn-lint (~3 s); it starts beside `cdk synth` so the summary does not
 * wait for it.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { cfnLintAvailabilityAsync } from '@keelson/proof';
import { summarize } from './synth-summary';

async function main(): Promise<number> {
  const probe = cfnLintAvailabilityAsync();
  const status = await new Promise<number | null>((resolve, reject) => {
    const cdk = spawn('cdk', ['synth', '--all', '--no-notices', '--quiet'], { stdio: 'inherit' });
    cdk.on('error', reject);
    cdk.on('close', resolve);
  });
  if (status !== 0) return status ?? 1;
  await probe;
  return (await summarize(path.resolve('cdk.out'))) ? 0 : 1;
}

main().then((code) => (process.exitCode = code), (error) => {
  console.error(error);
  process.exitCode = 1;
});
