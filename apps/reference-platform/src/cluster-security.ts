import { ClusterSecurity, PolicyEnforcement } from '@keelson/security';
import { commonProps } from './common-props';
import { PlatformConfig } from './config';
import { PREDICTIVE_SAMPLE } from './observability';
import { RegionCluster } from './region-cluster';

/**
 * In-cluster security on one cluster (primary or DR): Gatekeeper's workload
 * policies, default-deny NetworkPolicies, Kyverno verifying images with the
 * config's cosign key, and Falco with Falcosidekick (Slack through the
 * cluster's External Secrets, CloudWatch Logs, Security Hub), all over the
 * cluster's namespace registry, in their default enforcement (deny, except
 * warn in `dev` and the predictive sample's namespace), in the region's
 * cluster-security stack. Findings the importer cannot deliver alarm into the
 * region's alert email, as the security baseline's own do.
 */
export function installClusterSecurity(cluster: RegionCluster, config: PlatformConfig): ClusterSecurity | undefined {
  const scope = cluster.layers['cluster-security'];
  if (!scope) return undefined;
  const { services } = cluster;
  return new ClusterSecurity(scope, 'ClusterSecurity', {
    ...commonProps(config),
    namespaces: services.namespaces!,
    // The predictive sample runs upstream podinfo, not signed with the platform's key: it warns, as dev does.
    enforcement: PolicyEnforcement.byEnvironment(['dev', PREDICTIVE_SAMPLE.namespace]),
    externalSecrets: services.externalSecrets,
    kyvernoOptions: { imageSignatures: { cosignPublicKey: config.security.cosignPublicKey } },
    falcoOptions: {
      // Slack only where the External Secrets Operator runs to deliver the webhook.
      slackWebhookSecretName: services.externalSecrets ? config.security.slackWebhookSecretName : undefined,
      alarmTopic: cluster.baseline.alerts?.deliveryFailureTopic,
    },
  });
}
