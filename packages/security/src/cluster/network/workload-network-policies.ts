import { Cidr, KeelsonLabels, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformNamespaces } from '@keelson/eks-core';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { checkNamespaceNames } from '../../private/cluster';

/** Options of {@link WorkloadNetworkPolicies} (also used by `ClusterSecurity`). */
export interface WorkloadNetworkPoliciesOptions {
  /**
   * Subnets the load balancers live in. With the AWS Load Balancer
   * Controller's `ip` targets, an ALB sends traffic from its own addresses in
   * these subnets straight to the pods, so their CIDR blocks (not the VPC's,
   * which pods share under the VPC CNI) are what workload pods admit.
   *
   * @default - the cluster VPC's public subnets
   */
  readonly loadBalancerSubnets?: ec2.ISubnet[];

  /**
   * Address ranges load balancers reach pods from, instead of `loadBalancerSubnets`' blocks.
   *
   * @default - the CIDR blocks of `loadBalancerSubnets`
   */
  readonly loadBalancerCidrs?: string[];

  /**
   * Pod ports the load balancers may reach (their target ports).
   *
   * @default [80, 443, 8080, 8443]
   */
  readonly loadBalancerPorts?: number[];

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
 * namespace, and ingress from the load balancers' subnets on their target
 * ports (the ALB path) and from any in-cluster ingress controller. A namespace added to the registry's
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
    const cidrs = props.loadBalancerCidrs ?? this.subnetCidrs(props.loadBalancerSubnets ?? cluster.vpc.publicSubnets);
    cidrs.forEach((c, i) => Cidr.check(this, `loadBalancerCidrs[${i}]`, c));
    const ports = props.loadBalancerPorts ?? [80, 443, 8080, 8443];
    ports.forEach((p, i) => PropsCheck.inRange(this, `loadBalancerPorts[${i}]`, p, 1, 65535));
    const controllers = props.ingressControllerNamespaces ?? [];
    checkNamespaceNames(this, 'ingressControllerNamespaces', controllers);
    const dns = props.dnsPodLabels ?? { 'k8s-app': 'kube-dns' };

    for (const namespace of props.namespaces.workloadNamespaces) {
      const policy = (name: string, spec: Record<string, any>) => ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace, labels: KeelsonLabels.component('network-policies') },
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
            ingress: [
              // The load balancers' subnets, on their target ports only.
              { from: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports.map((port) => ({ protocol: 'TCP', port })) },
              ...(controllers.length > 0
                ? [{ from: controllers.map((n) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } })) }]
                : []),
            ],
          }),
        ],
      });
      const created = props.namespaces.manifests[namespace];
      if (created) manifest.node.addDependency(created);
      this.manifests[namespace] = manifest;
    }
  }

  private subnetCidrs(subnets: ec2.ISubnet[]): string[] {
    if (subnets.length === 0) {
      PropsCheck.fail(this, 'loadBalancerSubnets', 'the cluster VPC has no public subnets for the load balancers', 'pass the subnets your load balancers live in (loadBalancerSubnets) or their CIDR blocks (loadBalancerCidrs)');
    }
    return subnets.map((subnet, i) => {
      try {
        return subnet.ipv4CidrBlock;
      } catch {
        PropsCheck.fail(this, `loadBalancerSubnets[${i}]`, `the CIDR block of imported subnet ${subnet.subnetId} is unknown`, 'import the VPC with its subnets\' CIDR blocks, or pass loadBalancerCidrs');
        return '';
      }
    });
  }
}
