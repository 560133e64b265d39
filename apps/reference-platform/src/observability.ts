import { SlackChannel } from '@keelson/conventions';
import { PlatformCluster, PlatformNamespaces, PlatformServices, PredictiveScaler } from '@keelson/eks-core';
import { PlatformObservability, TelemetryNetworkPolicies } from '@keelson/observability';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { commonProps } from './common-props';
import { PlatformConfig } from './config';
import { RegionCluster } from './region-cluster';

/**
 * The predictive-scaling sample: podinfo (stefanprodan/podinfo, release 6.14.1 tagged 2026-07-22),
 * which counts its requests in `http_requests_total`, scaled by a `PredictiveScaler` that reads
 * this cluster's Prometheus.
 */
export const PREDICTIVE_SAMPLE = {
  namespace: 'predictive-sample',
  name: 'podinfo',
  image: 'ghcr.io/stefanprodan/podinfo:6.14.1',
  /** podinfo's `--port-metrics`: the port its PodMonitor scrapes, and the only one Prometheus reaches. */
  metricsPort: 9797,
};

/**
 * The cluster's workload namespaces: the default three, any other namespace developers are given
 * (`cluster.developerNamespaces`: it exists, as one more workload namespace), and the sample's when
 * KEDA (which scales it) is on.
 */
export function workloadNamespacesFor(config: PlatformConfig): string[] {
  const defaults = PlatformNamespaces.DEFAULT_WORKLOAD_NAMESPACES;
  const given = config.cluster.developerNamespaces.filter((n) => !defaults.includes(n));
  return [...new Set([...defaults, ...given, ...(config.services.keda ? [PREDICTIVE_SAMPLE.namespace] : [])])];
}

/**
 * Observability on one of the platform's clusters: metrics, alerts, logs,
 * traces and Grafana from `@keelson/observability`, PodMonitors for eks-core's
 * controllers, and the predictive-scaling sample. Every series and
 * notification carries `cluster` (the cluster's name) and `platform_role`
 * (`primary` or `dr`), and the DR cluster's alerts go to `<slackChannel>-dr`,
 * so the DR cluster's alerts say they are DR's. Critical alerts go to the
 * package's encrypted topic and, when a Slack webhook secret is configured, to
 * Slack. Grafana signs in through GitHub (the org Argo CD uses) when
 * `observability.grafanaGithub` is set. Everything is created in the
 * region's observability stack.
 */
export function installObservability(cluster: RegionCluster, config: PlatformConfig): PlatformObservability | undefined {
  const scope = cluster.layers.observability;
  if (!scope) return undefined;
  const { platformCluster: platform, services, role } = cluster;
  const o = config.observability;
  const eso = services.externalSecrets;
  const slack = eso ? o.slackWebhookSecretName ?? config.security.slackWebhookSecretName : undefined;
  const github = eso && o.grafanaGithub ? { organization: config.gitops.githubOrg, ...o.grafanaGithub } : undefined;
  const observability = new PlatformObservability(scope, 'Observability', {
    ...commonProps(config),
    cluster: platform.cluster,
    namespaces: services.namespaces!,
    externalSecrets: eso,
    services,
    metrics: { externalLabels: { cluster: platform.clusterName, platform_role: role } },
    // Critical alerts are also mailed, so they reach someone where no Slack webhook is set.
    alerts: { slackWebhookSecretName: slack, slackChannel: `#${role === 'dr' ? SlackChannel.dr(o.slackChannel) : o.slackChannel}`, alertEmails: [config.security.securityAlertsEmail] },
    grafana: { github },
    traces: { samplingRatio: o.tracesSamplingRatio },
    // Prometheus reaches workload pods on these ports only: the common client port and the sample's.
    workloadMetricsPorts: [...TelemetryNetworkPolicies.DEFAULT_METRICS_PORTS, PREDICTIVE_SAMPLE.metricsPort],
  });
  if (services.keda) predictiveSample(scope, platform, services, observability);
  return observability;
}

/**
 * The sample workload, its PodMonitor, and its `PredictiveScaler` (KEDA
 * `predict_linear` over the request rate) pointed at this package's
 * Prometheus (`PlatformObservability.prometheusUrl`), never a typed URL. It
 * lives in a workload namespace of its own (`workloadNamespacesFor`): a
 * sample is a workload, so the platform's secrets stores do not serve it.
 */
function predictiveSample(scope: Construct, platform: PlatformCluster, services: PlatformServices, observability: PlatformObservability): void {
  const { namespace, name, image } = PREDICTIVE_SAMPLE;
  // A workload namespace of the registry (PREDICTIVE_SAMPLE_NAMESPACES): quota, default-deny, workload stores only.
  const ns = services.namespaces!.manifests[namespace];
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'predictive-sample' };
  const probe = (path: string) => ({ httpGet: { path, port: 'http' }, periodSeconds: 10 });
  const workload = new eks.KubernetesManifest(scope, 'PredictiveSample', {
    cluster: platform.cluster,
    overwrite: true,
    manifest: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{
                name,
                image,
                command: ['./podinfo', '--port=9898', `--port-metrics=${PREDICTIVE_SAMPLE.metricsPort}`, '--level=info'],
                ports: [{ name: 'http', containerPort: 9898, protocol: 'TCP' }, { name: 'http-metrics', containerPort: PREDICTIVE_SAMPLE.metricsPort, protocol: 'TCP' }],
                readinessProbe: probe('/readyz'),
                livenessProbe: probe('/healthz'),
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              }],
            },
          },
        },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name, namespace, labels },
        spec: { selector: { matchLabels: labels }, podMetricsEndpoints: [{ port: 'http-metrics', path: '/metrics', interval: '15s' }] },
      },
    ],
  });
  workload.node.addDependency(ns, observability.metrics.chart);
  const scaler = new PredictiveScaler(scope, 'PredictiveSampleScaler', {
    keda: services.keda!,
    namespace,
    scaleTargetName: name,
    prometheusAddress: observability.prometheusUrl,
    metricQuery: `http_requests_total{namespace="${namespace}"}`,
    targetPerReplica: 5,
    minReplicas: 1,
    maxReplicas: 5,
  });
  scaler.manifest.node.addDependency(workload);
}
