/**
 * `npm run cost`: the platform's fixed monthly cost, read from synthesized
 * templates by `@keelson/finops`' `PlatformCostEstimate` (checked-in price
 * table, each price with its source and date).
 *
 *   npm run cost                      # synthesize dev and prod, estimate each
 *   npm run cost -- prod              # one environment (any of environments.ts)
 *   npm run cost -- path/to/cdk.out   # an assembly synthesized already
 *
 * Environments are synthesized without the proof gates and without
 * CloudFormation validation (`npm run synth` runs those): the estimate reads
 * the templates only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PlatformCostEstimate } from '@keelson/finops';
import { CONTEXT_KEYS, ENVIRONMENTS, configFromContext } from './config';
import { buildPlatform } from './platform';
import { platformApp } from './platform-app';

function synthesize(environment: string): string {
  const outdir = path.join(__dirname, '..', 'cdk.out', `cost-${environment}`);
  const app = platformApp({ gates: false, outdir, context: { [CONTEXT_KEYS.environment]: environment } });
  buildPlatform(app, configFromContext(app.node));
  app.synth();
  return outdir;
}

function main(args: string[]): number {
  process.env.CDK_VALIDATION = 'false';
  const targets = args.length > 0 ? args : ['dev', 'prod'];
  for (const target of targets) {
    const isAssembly = fs.existsSync(path.join(target, 'manifest.json'));
    if (!isAssembly && !ENVIRONMENTS[target]) {
      console.error(`cost: invalid argument: "${target}" is neither a cloud assembly nor an environment. Fix: give one of ${Object.keys(ENVIRONMENTS).join(', ')} or a cdk.out directory`);
      return 1;
    }
    const dir = isAssembly ? target : synthesize(target);
    console.log(`== ${isAssembly ? dir : `environment ${target}`}: estimated fixed monthly cost (USD, list prices, ${new Date().toISOString().slice(0, 10)})`);
    console.log(PlatformCostEstimate.format(PlatformCostEstimate.fromAssembly(dir)));
    console.log('');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
