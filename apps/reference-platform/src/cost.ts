/**
 * `npm run cost`: the platform's fixed monthly cost, read from synthesized
 * templates by `@keelson/finops`' `PlatformCostEstimate` (checked-in price
 * table, each price with its source and date).
 *
 *   npm run cost                      # the reference estimate: dev, and prod with stand-in identities
 *   npm run cost -- prod              # one environment (any of environments.ts), as configured
 *   npm run cost -- path/to/cdk.out   # an assembly synthesized already
 *
 * An environment other than dev refuses the documentation's example values
 * (domain, zone, organization, roles, cosign key): named, it is estimated
 * from your config. The reference estimate without arguments gives prod the
 * tests' stand-in identities (test/support/stand-in-identity.yaml) instead,
 * which change no price.
 *
 * Environments are synthesized without the proof gates and without
 * CloudFormation validation (`npm run synth` runs those): the estimate reads
 * the templates only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PlatformCostEstimate } from '@keelson/finops';
import { CONTEXT_KEYS, ConfigError, ENVIRONMENTS, configFromContext } from './config';
import { buildPlatform } from './platform';
import { platformApp } from './platform-app';

/** Identities that are not examples, for the reference estimate of prod. */
const STAND_IN_IDENTITY_FILE = path.join(__dirname, '..', 'test', 'support', 'stand-in-identity.yaml');

function synthesize(environment: string, configFile?: string): string {
  const outdir = path.join(__dirname, '..', 'cdk.out', `cost-${environment}`);
  const context = { [CONTEXT_KEYS.environment]: environment, ...(configFile ? { [CONTEXT_KEYS.configFile]: configFile } : {}) };
  const app = platformApp({ gates: false, outdir, context });
  buildPlatform(app, configFromContext(app.node));
  app.synth();
  return outdir;
}

function main(args: string[]): number {
  process.env.CDK_VALIDATION = 'false';
  const reference = args.length === 0;
  const targets = reference ? ['dev', 'prod'] : args;
  for (const target of targets) {
    const isAssembly = fs.existsSync(path.join(target, 'manifest.json'));
    if (!isAssembly && !ENVIRONMENTS[target]) {
      console.error(`cost: invalid argument: "${target}" is neither a cloud assembly nor an environment. Fix: give one of ${Object.keys(ENVIRONMENTS).join(', ')} or a cdk.out directory`);
      return 1;
    }
    const standIn = reference && target === 'prod';
    let dir: string;
    try {
      dir = isAssembly ? target : synthesize(target, standIn ? STAND_IN_IDENTITY_FILE : undefined);
    } catch (e) {
      // A refused config: its lines, as check-config prints them.
      if (!(e instanceof ConfigError)) throw e;
      console.error(e.message);
      return 1;
    }
    const name = isAssembly ? dir : `environment ${target}${standIn ? ' (stand-in identities)' : ''}`;
    console.log(`== ${name}: estimated fixed monthly cost (USD, list prices, ${new Date().toISOString().slice(0, 10)})`);
    console.log(PlatformCostEstimate.format(PlatformCostEstimate.fromAssembly(dir)));
    console.log('');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
