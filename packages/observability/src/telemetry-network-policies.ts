import { KeelsonLabels, KeelsonTags } from '@keelson/conventions';
import { PlatformNamespaces } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { OBSERVABILITY_NAMESPACE } from './private/names';

/** Properties of {@link TelemetryNetworkPolicies}. */
export interface TelemetryNetworkPoliciesProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's namespace registry: every workload namespace gets the policy. */
  readonly namespaces: PlatformNamespaces;
}

/**
 * A NetworkPolicy `allow-observability` in every workload namespace of the
 * registry, so telemetry flows where default-deny policies (for example
 * `@keelson/security`'s) are in force: ingress from `observability`
 * (Prometheus scraping the workloads' PodMonitors and ServiceMonitors) and
 * egress to `observability` on the OTLP ports only (4317 gRPC, 4318 HTTP: the
 * trace agent). NetworkPolicies add up, so this opens these two paths and
 * nothing else.
 */
export class TelemetryNetworkPolicies extends Construct {
  /** The policy's name in each namespace. */
  public static readonly NAME = 'allow-observability';

  /** The policies, one manifest for every workload namespace (undefined when there is none). */
  public readonly manifest?: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: TelemetryNetworkPoliciesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'observability');
    const workloads = props.namespaces.workloadNamespaces;
    if (workloads.length === 0) return;
    const observability = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': OBSERVABILITY_NAMESPACE } } };
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
          ingress: [{ from: [observability] }],
          egress: [{ to: [observability], ports: [{ protocol: 'TCP', port: 4317 }, { protocol: 'TCP', port: 4318 }] }],
        },
      })),
    });
    for (const namespace of workloads) {
      const created = props.namespaces.manifests[namespace];
      if (created) this.manifest.node.addDependency(created);
    }
  }
}
