import * as fs from 'fs';
import * as path from 'path';
import type * as proof from '@keelson/proof';
import { KeelsonEksChecks } from '@keelson/security';
import { App, AppProps, Validations } from 'aws-cdk-lib';

export interface PlatformAppProps extends AppProps {
  /**
   * The proof gates: cdk-nag AwsSolutions and NIST 800-53 rev 5, and
   * CloudFormation validation errors failing synth. `false` is a plain CDK
   * App, the baseline `npm run bench` compares against (it also sets
   * `CDK_VALIDATION=false`, which turns aws-cdk-lib's validation off).
   * @default true
   */
  readonly gates?: boolean;
  /**
   * Where the gates' reports are reused from; `false` runs them in full (`proofApp`'s `validationCache`).
   * @default - node_modules/.cache/keelson-validation
   */
  readonly validationCache?: string | false;
}

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
 * benchmark, tests): cdk.json's context (every feature flag decided, and
 * `@aws-cdk/core:validateAgainstDefaultRules` on, so a CloudFormation
 * validation error fails synth), then the caller's context; with the gates,
 * cdk-nag AwsSolutions and NIST 800-53 rev 5 and the Keelson EKS checks as validation plugins. Each
 * stack's validation reports are reused while the stack is unchanged
 * (`proofApp`'s validation cache, in node_modules/.cache/keelson-validation).
 */
export function platformApp(props: PlatformAppProps = {}): App {
  const { gates = true, validationCache, ...appProps } = props;
  const context = { ...cdkJsonContext(), ...appProps.context };
  if (!gates) return new App({ ...appProps, context });
  // Required here so that the plain-CDK baseline loads none of the proof harness.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NagPack, proofApp }: typeof proof = require('@keelson/proof');
  const app = proofApp({ ...appProps, nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5], validationCache, context });
  // The Keelson EKS checks: cdk-nag's EKS rules never fire on aws-eks-v2 clusters.
  Validations.of(app).addPlugins(new KeelsonEksChecks());
  return app;
}
