/**
 * `npm run bootstrap`: `cdk bootstrap` for every environment (account and
 * region) the platform deploys to, read from the synthesized assembly, so a
 * region the config adds (the billing stack's us-east-1, a DR region) is never
 * missed. It synthesizes first (`cdk synth --quiet`, into cdk.out) unless
 * `--assembly <dir>` names an assembly already synthesized.
 *
 *   npm run bootstrap                     # synthesize, then bootstrap each environment
 *   npm run bootstrap -- --dry-run        # print the command, run nothing
 *   npm run bootstrap -- --profile ops    # other arguments go to cdk bootstrap (-c ones to synth too)
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { PLACEHOLDER_ACCOUNT } from './config/defaults';

/** The `aws://account/region` environments of the assembly's stacks, sorted, each once. */
export function assemblyEnvironments(assemblyDir: string): string[] {
  const assembly = new CloudAssembly(assemblyDir, { skipVersionCheck: true });
  return [...new Set(assembly.stacks.map((s) => `aws://${s.environment.account}/${s.environment.region}`))].sort();
}

/** The `cdk bootstrap` arguments for the environments, then the caller's own arguments. */
export function bootstrapArgs(environments: string[], extra: string[]): string[] {
  return ['bootstrap', ...environments, ...extra];
}

function run(command: string, args: string[]): number {
  return spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;
}

function main(argv: string[]): number {
  const dryRun = argv.includes('--dry-run');
  const at = argv.indexOf('--assembly');
  const given = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && !given) {
    console.error('--assembly needs a directory (a synthesized cloud assembly, e.g. cdk.out)');
    return 2;
  }
  const extra = argv.filter((a, i) => a !== '--dry-run' && i !== at && i !== at + 1);
  const assemblyDir = path.resolve(given ?? 'cdk.out');
  if (!given) {
    // The config's context (`-c keelson:account=...`) decides the environments: synth gets it too.
    const context = extra.flatMap((a, i) => (['-c', '--context'].includes(a) && extra[i + 1] ? [a, extra[i + 1]] : []));
    const status = run('cdk', ['synth', '--quiet', '--no-notices', ...context]);
    if (status !== 0) return status;
  }
  const environments = assemblyEnvironments(assemblyDir);
  const args = bootstrapArgs(environments, extra);
  console.log(`cdk ${args.join(' ')}`);
  if (dryRun) return 0;
  if (environments.some((e) => e.startsWith(`aws://${PLACEHOLDER_ACCOUNT}/`))) {
    console.error(`The assembly targets the placeholder account ${PLACEHOLDER_ACCOUNT}. Fix: set account in keelson.config.yaml, `
      + 'pass -c keelson:account=<id>, or set CDK_DEFAULT_ACCOUNT (credentials of that account), then run this again');
    return 1;
  }
  return run('cdk', args);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
