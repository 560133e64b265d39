import { KeelsonLabels, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformNamespaces, TrafficPeer, TrafficPort } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { OBSERVABILITY_NAMESPACE, PROMETHEUS_POD_LABELS } from './private/names';

/** Properties of {@link TelemetryNetworkPolicies}. */
export interface TelemetryNetworkPoliciesProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's namespace registry: every workload namespace gets the policy. */
  readonly namespaces: PlatformNamespaces;
  /**
   * The ports workloads serve metrics on (their PodMonitors' and
   * ServiceMonitors' container ports): Prometheus reaches workload pods on
   * these and no other.
   *
   * @default TelemetryNetworkPolicies.DEFAULT_METRICS_PORTS
   */
  readonly metricsPorts?: number[];
}

/**
 * A NetworkPolicy `allow-observability` in every workload namespace of the
 * registry, so telemetry flows where default-deny policies (for example
 * `@keelson/security`'s) are in force: ingress from Prometheus on the
 * workloads' metrics ports only (`metricsPorts`; their PodMonitors and
 * ServiceMonitors), and
 * egress to `observability` on the OTLP ports only (4317 gRPC, 4318 HTTP: the
 * trace agent). NetworkPolicies add up, so this opens these two paths and
 * nothing else.
 */
export class TelemetryNetworkPolicies extends Construct {
  /** The policy's name in each namespace. */
  public static readonly NAME = 'allow-observability';
  /** Metrics ports of workloads, when none are given: 9090, the common Prometheus client port. */
  public static readonly DEFAULT_METRICS_PORTS = [9090];
  /** The OTLP ports of the trace agent (gRPC, HTTP). */
  public static readonly OTLP_PORTS = [4317, 4318];

  /** The policies, one manifest for every workload namespace (undefined when there is none). */
  public readonly manifest?: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: TelemetryNetworkPoliciesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'observability');
    const workloads = props.namespaces.workloadNamespaces;
    if (workloads.length === 0) return;
    const observability = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': OBSERVABILITY_NAMESPACE } } };
    const prometheus = { ...observability, podSelector: { matchLabels: PROMETHEUS_POD_LABELS } };
    const metricsPorts = props.metricsPorts ?? TelemetryNetworkPolicies.DEFAULT_METRICS_PORTS;
    if (metricsPorts.length === 0) PropsCheck.fail(this, 'metricsPorts', 'is empty', 'list the ports workloads serve metrics on, or turn the policies off');
    metricsPorts.forEach((p, i) => PropsCheck.inRange(this, `metricsPorts[${i}]`, p, 1, 65535));
    const otlp = TelemetryNetworkPolicies.OTLP_PORTS.map((port) => ({ protocol: 'TCP', port }));
    this.manifest = new eks.KubernetesManifest(this, 'Policies', {
      cluster: props.cluster,
      overwrite: true,
      manifest: workloads.map((namespace) => ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: TelemetryNetworkPolicies.NAME, namespace, labels: KeelsonLabels.component('observability') },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          // Prometheus only, on the metrics ports only.
          ingress: [{ from: [prometheus], ports: metricsPorts.map((port) => ({ protocol: 'TCP', port })) }],
          egress: [{ to: [observability], ports: otlp }],
        },
      })),
    });
    // The receiving side: the namespace's collectors admit the workloads' OTLP.
    if (props.namespaces.isolatedNamespaces.includes(OBSERVABILITY_NAMESPACE)) {
      props.namespaces.traffic(OBSERVABILITY_NAMESPACE).allowIngress({
        // why: open-telemetry/opentelemetry-operator internal/manifests/manifestutils/labels.go SelectorLabels sets
        // app.kubernetes.io/component to ComponentOpenTelemetryCollector "opentelemetry-collector"
        // (internal/manifests/collector/collector.go) on every collector's pods, tag v0.158.0 (the pinned chart ships 0.159.0).
        name: 'otlp-from-workloads',
        pods: { 'app.kubernetes.io/component': 'opentelemetry-collector' },
        peers: workloads.map((n) => TrafficPeer.namespace(n)),
        ports: TelemetryNetworkPolicies.OTLP_PORTS.map((p) => TrafficPort.tcp(p)),
      });
    }
    for (const namespace of workloads) {
      const created = props.namespaces.manifests[namespace];
      if (created) this.manifest.node.addDependency(created);
    }
  }
}
