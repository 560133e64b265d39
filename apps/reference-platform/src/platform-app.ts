import type * as proof from '@keelson/proof';
import { App, AppProps } from 'aws-cdk-lib';

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
 * The App the reference platform synthesizes in, however it runs (`cdk`, the
 * benchmark): cdk-nag AwsSolutions and NIST 800-53 rev 5 as validation
 * plugins, and `@aws-cdk/core:validateAgainstDefaultRules` on, so a
 * CloudFormation validation error fails synth even without cdk.json. Each
 * stack's validation reports are reused while the stack is unchanged
 * (`proofApp`'s validation cache, in node_modules/.cache/keelson-validation).
 */
export function platformApp(props: PlatformAppProps = {}): App {
  const { gates = true, validationCache, ...appProps } = props;
  const context = {
    // The peering and backup stacks consume the platform stacks' outputs. Strong references
    // make CloudFormation refuse to delete an export in use, so redeploying the DR platform
    // cannot pull a VPC id out from under the primary's peering.
    '@aws-cdk/core:defaultCrossStackReferences': 'strong',
    ...appProps.context,
  };
  if (!gates) return new App({ ...appProps, context });
  // Required here so that the plain-CDK baseline loads none of the proof harness.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NagPack, proofApp }: typeof proof = require('@keelson/proof');
  return proofApp({ ...appProps, nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5], validationCache, context });
}
