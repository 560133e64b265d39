import * as fs from 'fs';
import * as path from 'path';
import { NagPack, proofApp } from '@keelson/proof';
import { App, AppProps } from 'aws-cdk-lib';

/**
 * The context `cdk synth` gives the app: cdk.json's, where every feature flag is decided
 * (.projenrc.ts writes it). Read here too, so tests and the benchmark synthesize what the CLI does.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = path.join(__dirname, '..', 'cdk.json');
  return JSON.parse(fs.readFileSync(cdkJson, 'utf8')).context ?? {};
}

/**
 * The App the reference platform synthesizes in, however it runs (`cdk`, the
 * benchmark, tests): cdk-nag AwsSolutions and NIST 800-53 rev 5 as validation
 * plugins, cdk.json's context (every feature flag decided, and
 * `@aws-cdk/core:validateAgainstDefaultRules` on, so a CloudFormation
 * validation error fails synth), then the caller's context.
 */
export function platformApp(props: AppProps = {}): App {
  return proofApp({
    ...props,
    nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5],
    context: { ...cdkJsonContext(), ...props.context },
  });
}
