import { Cidr, KeelsonTags } from '@keelson/conventions';
import { PlatformNamespaces } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { checkNamespaceNames, componentLabels } from '../../private/cluster';

/** Options of {@link WorkloadNetworkPolicies} (also used by `ClusterSecurity`). */
export interface WorkloadNetworkPoliciesOptions {
  /**
   * Address ranges load balancers reach pods from. With the AWS Load
   * Balancer Controller's `ip` targets, an ALB sends traffic from its own
   * addresses in the VPC straight to the pods.
   *
   * @default - the cluster VPC's CIDR block
   */
  readonly loadBalancerCidrs?: string[];

  /**
   * Namespaces of in-cluster ingress controllers or gateways (for example an
   * Istio ingress gateway) that may reach every workload pod.
   *
   * @default - none
   */
  readonly ingressControllerNamespaces?: string[];

  /**
   * Label selecting the cluster DNS pods in `kube-system` (CoreDNS on EKS carries `k8s-app=kube-dns`).
   *
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly dnsPodLabels?: { [key: string]: string };
}

/** Properties of {@link WorkloadNetworkPolicies}. */
export interface WorkloadNetworkPoliciesProps extends WorkloadNetworkPoliciesOptions {
  /** The cluster's namespace registry: every workload namespace in it gets the policies. */
  readonly namespaces: PlatformNamespaces;
}

/**
 * Default-deny NetworkPolicies for every workload namespace of the registry,
 * with explicit allows: DNS to CoreDNS in `kube-system`, traffic within the
 * namespace, and ingress from the load balancers (the ALB path) and any
 * in-cluster ingress controller. A namespace added to the registry's
 * workload namespaces is covered without further code. The VPC CNI enforces
 * them (eks-core turns its network policy agent on).
 */
export class WorkloadNetworkPolicies extends Construct {
  /** Names of the policies each namespace gets. */
  public static readonly POLICY_NAMES = ['default-deny', 'allow-dns', 'allow-same-namespace', 'allow-ingress-controller'];

  /** One manifest per workload namespace, by name. */
  public readonly manifests: { [namespace: string]: eks.KubernetesManifest } = {};

  constructor(scope: Construct, id: string, props: WorkloadNetworkPoliciesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'network-policies');
    const cluster = props.namespaces.cluster;
    const cidrs = props.loadBalancerCidrs ?? [cluster.vpc.vpcCidrBlock];
    cidrs.forEach((c, i) => Cidr.check(this, `loadBalancerCidrs[${i}]`, c));
    const controllers = props.ingressControllerNamespaces ?? [];
    checkNamespaceNames(this, 'ingressControllerNamespaces', controllers);
    const dns = props.dnsPodLabels ?? { 'k8s-app': 'kube-dns' };

    for (const namespace of props.namespaces.workloadNamespaces) {
      const policy = (name: string, spec: Record<string, any>) => ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace, labels: componentLabels('network-policies') },
        spec,
      });
      const manifest = new eks.KubernetesManifest(this, `Policies-${namespace}`, {
        cluster,
        overwrite: true,
        manifest: [
          // Selects every pod, allows nothing: only the policies below open paths.
          policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
          policy('allow-dns', {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [{
              to: [{
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: dns },
              }],
              ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
            }],
          }),
          policy('allow-same-namespace', {
            podSelector: {},
            policyTypes: ['Ingress', 'Egress'],
            ingress: [{ from: [{ podSelector: {} }] }],
            egress: [{ to: [{ podSelector: {} }] }],
          }),
          policy('allow-ingress-controller', {
            podSelector: {},
            policyTypes: ['Ingress'],
            ingress: [{
              from: [
                ...cidrs.map((cidr) => ({ ipBlock: { cidr } })),
                ...controllers.map((n) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } })),
              ],
            }],
          }),
        ],
      });
      const created = props.namespaces.manifests[namespace];
      if (created) manifest.node.addDependency(created);
      this.manifests[namespace] = manifest;
    }
  }
}
