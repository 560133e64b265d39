import { NagPack, proofApp } from '@keelson/proof';
import { App, AppProps } from 'aws-cdk-lib';

/**
 * The App the reference platform synthesizes in, however it runs (`cdk`, the
 * benchmark): cdk-nag AwsSolutions and NIST 800-53 rev 5 as validation
 * plugins, and `@aws-cdk/core:validateAgainstDefaultRules` on, so a
 * CloudFormation validation error fails synth even without cdk.json.
 */
export function platformApp(props: AppProps = {}): App {
  return proofApp({
    ...props,
    nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5],
    context: {
      // The peering and backup stacks consume the platform stacks' outputs. Strong references
      // make CloudFormation refuse to delete an export in use, so redeploying the DR platform
      // cannot pull a VPC id out from under the primary's peering.
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      ...props.context,
    },
  });
}
