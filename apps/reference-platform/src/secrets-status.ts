/**
 * `npm run secrets [-- --environment <name>]`
 *
 * Lists each Secrets Manager secret the platform reads (`platformSecretSpecs`)
 * and, in the primary and the DR region, whether it has a value: `value`
 * (a current version exists), `empty` (the shell exists, nobody has put a
 * value), `missing` (no such secret in that region: not deployed, or not
 * replicated yet). Only `DescribeSecret` is called, which returns metadata:
 * no value is ever read, so none can be printed. Exits 0 when every secret
 * has a value in every region, 1 when one does not, 2 without AWS
 * credentials or on a usage error.
 */
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CONTEXT_KEYS, resolveFromContext } from './config';
import { platformSecretSpecs } from './platform-secrets';

/** What a region holds for one secret. */
export type SecretState = 'value' | 'empty' | 'missing' | `error: ${string}`;

/** One secret and its state in each region. */
export interface SecretStatus {
  readonly name: string;
  readonly states: Record<string, SecretState>;
}

/** The one call this tool makes: metadata of a secret, never its value. */
export interface SecretDescriber {
  describe(name: string): Promise<{ VersionIdsToStages?: Record<string, string[]> }>;
}

/** Raised when no AWS credentials can be found: the tool says so and exits 2. */
export class NoCredentials extends Error {}

/** The state of each secret in each region, from `DescribeSecret` metadata alone. */
export async function secretsStatus(names: string[], regions: string[], describerFor: (region: string) => SecretDescriber): Promise<SecretStatus[]> {
  const out: SecretStatus[] = [];
  for (const name of names) {
    const states: Record<string, SecretState> = {};
    for (const region of regions) {
      try {
        const meta = await describerFor(region).describe(name);
        const current = Object.values(meta.VersionIdsToStages ?? {}).some((stages) => stages.includes('AWSCURRENT'));
        states[region] = current ? 'value' : 'empty';
      } catch (e) {
        const err = e as { name?: string; message?: string };
        if (err.name === 'ResourceNotFoundException') states[region] = 'missing';
        else if (err.name === 'CredentialsProviderError') throw new NoCredentials(err.message ?? 'no credentials');
        else states[region] = `error: ${err.name ?? 'Error'}`;
      }
    }
    out.push({ name, states });
  }
  return out;
}

/** A fixed-width table: one row per secret, one column per region. */
export function formatStatus(rows: SecretStatus[], regions: string[]): string {
  const width = Math.max(6, ...rows.map((r) => r.name.length));
  const header = `${'secret'.padEnd(width)}  ${regions.map((r) => r.padEnd(14)).join('  ')}`.trimEnd();
  const lines = rows.map((r) => `${r.name.padEnd(width)}  ${regions.map((g) => r.states[g].padEnd(14)).join('  ')}`.trimEnd());
  return [header, ...lines].join('\n') + '\n';
}

function sdkDescriber(region: string): SecretDescriber {
  const client = new SecretsManagerClient({ region });
  return { describe: (name) => client.send(new DescribeSecretCommand({ SecretId: name })) };
}

/** Runs the tool; returns the exit code. */
export async function main(argv: string[], describerFor: (region: string) => SecretDescriber = sdkDescriber,
  out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const context: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if ((argv[i] === '--environment' || argv[i] === '-e') && argv[i + 1]) {
      context[CONTEXT_KEYS.environment] = argv[++i];
    } else {
      err(`secrets: unknown argument ${argv[i]}\nusage: npm run secrets -- [--environment dev|staging|prod]\n`);
      return 2;
    }
  }
  const { config } = resolveFromContext({ tryGetContext: (key: string) => context[key] });
  const regions = [config.primary.region, ...(config.dr.enabled ? [config.dr.region] : [])];
  const names = platformSecretSpecs(config).map((s) => s.name);
  let rows: SecretStatus[];
  try {
    rows = await secretsStatus(names, regions, describerFor);
  } catch (e) {
    if (!(e instanceof NoCredentials)) throw e;
    err(`secrets: no AWS credentials found (${e.message}). Fix: set AWS_PROFILE or sign in (aws sso login), then run again\n`);
    return 2;
  }
  out(formatStatus(rows, regions));
  const unfilled = rows.filter((r) => Object.values(r.states).some((s) => s !== 'value'));
  if (unfilled.length === 0) {
    out('every platform secret has a value in every region\n');
    return 0;
  }
  err(`${unfilled.length} secret(s) without a value somewhere. Fix: put each value once, in ${config.primary.region} `
    + '(aws secretsmanager put-secret-value --secret-id <name> --secret-string file://value.json); replicas follow within minutes\n');
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`secrets: ${(e as Error).message}\n`);
    process.exitCode = 2;
  });
}
