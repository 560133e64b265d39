import { PlatformCluster, PlatformServices } from '@keelson/eks-core';
import { PlatformObservability } from '@keelson/observability';
import { RemovalPolicy } from 'aws-cdk-lib';
import { PlatformConfig } from './config';

/**
 * Observability on one of the platform's clusters: metrics, alerts, logs and
 * Grafana from `@keelson/observability`. Every series and notification carries
 * `cluster` (the cluster's name) and `platform_role` (`primary` or `dr`), so the
 * DR cluster's alerts say they are DR's. Critical alerts go to the package's
 * encrypted topic and, when the config names a Slack webhook secret, to Slack.
 */
export function observabilityFor(
  platform: PlatformCluster,
  services: PlatformServices,
  config: PlatformConfig,
  common: { environmentSuffix: string; removalPolicy: RemovalPolicy },
  role: 'primary' | 'dr',
): PlatformObservability {
  const slack = services.externalSecrets ? config.security.slackWebhookSecretName : undefined;
  return new PlatformObservability(platform, 'Observability', {
    ...common,
    cluster: platform.cluster,
    namespaces: services.namespaces!,
    externalSecrets: services.externalSecrets,
    metrics: { externalLabels: { cluster: platform.clusterName, platform_role: role } },
    alerts: { slackWebhookSecretName: slack, slackChannel: role === 'dr' ? '#platform-alerts-dr' : '#platform-alerts' },
  });
}
