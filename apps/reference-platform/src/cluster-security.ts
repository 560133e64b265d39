import { PlatformServices } from '@keelson/eks-core';
import { ClusterSecurity, PolicyEnforcement } from '@keelson/security';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PlatformConfig } from './config';
import { PREDICTIVE_SAMPLE } from './observability';

/**
 * In-cluster security on one cluster (primary or DR): Gatekeeper's workload
 * policies, default-deny NetworkPolicies, Kyverno verifying images with the
 * config's cosign key, and Falco with Falcosidekick (Slack through the
 * cluster's External Secrets, CloudWatch Logs, Security Hub), all over the
 * cluster's namespace registry, in their default enforcement (deny, except
 * warn in `dev` and the predictive sample's namespace), in `scope`, the region's cluster-security stack. Findings the
 * importer cannot deliver alarm into `alarmTopic` (the region's alert email).
 */
export function installClusterSecurity(
  scope: Construct, services: PlatformServices, config: PlatformConfig, removalPolicy: RemovalPolicy, alarmTopic?: sns.ITopic,
): ClusterSecurity {
  return new ClusterSecurity(scope, 'ClusterSecurity', {
    environmentSuffix: config.environmentSuffix,
    removalPolicy,
    namespaces: services.namespaces!,
    // The predictive sample runs upstream podinfo, not signed with the platform's key: it warns, as dev does.
    enforcement: PolicyEnforcement.byEnvironment(['dev', PREDICTIVE_SAMPLE.namespace]),
    externalSecrets: services.externalSecrets,
    kyvernoOptions: { imageSignatures: { cosignPublicKey: config.security.cosignPublicKey } },
    falcoOptions: {
      // Slack only where the External Secrets Operator runs to deliver the webhook.
      slackWebhookSecretName: services.externalSecrets ? config.security.slackWebhookSecretName : undefined,
      alarmTopic,
    },
  });
}
