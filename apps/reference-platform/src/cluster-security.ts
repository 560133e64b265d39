import { PlatformServices } from '@keelson/eks-core';
import { ClusterSecurity } from '@keelson/security';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PlatformConfig } from './config';

/**
 * In-cluster security on one cluster (primary or DR): Gatekeeper's workload
 * policies, default-deny NetworkPolicies, Kyverno verifying images with the
 * config's cosign key, and Falco with Falcosidekick (Slack through the
 * cluster's External Secrets, CloudWatch Logs, Security Hub), all over the
 * cluster's namespace registry, in their default enforcement (deny, except
 * warn in `dev`), in `scope`, the region's cluster-security stack. Findings the
 * importer cannot deliver alarm into `alarmTopic` (the region's alert email).
 */
export function installClusterSecurity(
  scope: Construct, services: PlatformServices, config: PlatformConfig, removalPolicy: RemovalPolicy, alarmTopic?: sns.ITopic,
): ClusterSecurity {
  return new ClusterSecurity(scope, 'ClusterSecurity', {
    environmentSuffix: config.environmentSuffix,
    removalPolicy,
    namespaces: services.namespaces!,
    externalSecrets: services.externalSecrets,
    kyvernoOptions: { imageSignatures: { cosignPublicKey: config.security.cosignPublicKey } },
    falcoOptions: {
      // Slack only where the External Secrets Operator runs to deliver the webhook.
      slackWebhookSecretName: services.externalSecrets ? config.security.slackWebhookSecretName : undefined,
      alarmTopic,
    },
  });
}
