import { KeelsonCommonProps, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ClusterAutoscaler, ClusterAutoscalerOptions } from './cluster-autoscaler';
import { ContainerInsights, ContainerInsightsOptions } from './container-insights';
import { ExternalDns, ExternalDnsOptions } from './external-dns';
import { ExternalSecretsOperator, ExternalSecretsOptions } from './external-secrets';
import { Karpenter, KarpenterOptions, NodeAutoscaler } from './karpenter';
import { Keda, KedaOptions } from './keda';
import { AwsLoadBalancerController, LoadBalancerControllerOptions } from './load-balancer-controller';
import { MetricsServer, MetricsServerOptions } from './metrics-server';
import { PlatformCluster } from '../cluster/platform-cluster';
import { NamespacesOptions, PlatformNamespaces } from '../kit/platform-namespaces';

/** Properties of {@link PlatformServices}. */
export interface PlatformServicesProps extends KeelsonCommonProps {
  /** The platform cluster. */
  readonly platform: PlatformCluster;

  /**
   * Which controller scales nodes.
   *
   * @default NodeAutoscaler.CLUSTER_AUTOSCALER
   */
  readonly nodeAutoscaler?: NodeAutoscaler;

  /**
   * Cluster Autoscaler (when `nodeAutoscaler` is CLUSTER_AUTOSCALER).
   *
   * @default - on, least-waste expander
   */
  readonly clusterAutoscaler?: ClusterAutoscalerOptions;

  /**
   * Karpenter (when `nodeAutoscaler` is KARPENTER).
   *
   * @default - EksCoreVersions.KARPENTER, system/app/gpu NodePools
   */
  readonly karpenter?: KarpenterOptions;

  /**
   * AWS Load Balancer Controller.
   *
   * @default - on
   */
  readonly loadBalancerController?: LoadBalancerControllerOptions;

  /**
   * external-dns: Route 53 records for the hosts of the cluster's Ingresses
   * and LoadBalancer Services, in the given hosted zones only.
   *
   * @default - installed when `externalDns.hostedZones` is given (upsert-only, TXT owner id = the cluster's name)
   */
  readonly externalDns?: ExternalDnsOptions;

  /**
   * External Secrets Operator.
   *
   * @default - on, path prefix `keelson/<environmentSuffix>/`
   */
  readonly externalSecrets?: ExternalSecretsOptions;

  /**
   * metrics-server.
   *
   * @default - on
   */
  readonly metricsServer?: MetricsServerOptions;

  /**
   * KEDA.
   *
   * @default - on
   */
  readonly keda?: KedaOptions;

  /**
   * The namespace registry: workload namespaces with Pod Security labels,
   * RBAC and quotas, and the namespaces the services register. Developers
   * may edit the workload namespaces in the cluster's `developerNamespaces`.
   *
   * @default - on: dev/staging/production, plus external-secrets, keda and karpenter as their services register them
   */
  readonly namespaces?: NamespacesOptions;

  /**
   * CloudWatch Container Insights.
   *
   * @default - on
   */
  readonly containerInsights?: ContainerInsightsOptions;
}

/**
 * Every in-cluster platform service of a `PlatformCluster` in one construct:
 * namespaces + RBAC, Cluster Autoscaler (or Karpenter), AWS Load Balancer Controller, external-dns
 * (given hosted zones), External Secrets, metrics-server, KEDA and Container Insights. Each is on by default
 * and switched off with `<service>.enabled: false`. The controllers are applied
 * after the system node pool exists.
 */
export class PlatformServices extends Construct {
  /** Namespaces and RBAC. */
  public readonly namespaces?: PlatformNamespaces;
  /** Cluster Autoscaler. */
  public readonly clusterAutoscaler?: ClusterAutoscaler;
  /** Karpenter. */
  public readonly karpenter?: Karpenter;
  /** AWS Load Balancer Controller. */
  public readonly loadBalancerController?: AwsLoadBalancerController;
  /** external-dns (when hosted zones are given). */
  public readonly externalDns?: ExternalDns;
  /** External Secrets Operator. */
  public readonly externalSecrets?: ExternalSecretsOperator;
  /** metrics-server. */
  public readonly metricsServer?: MetricsServer;
  /** KEDA. */
  public readonly keda?: Keda;
  /** Container Insights. */
  public readonly containerInsights?: ContainerInsights;

  constructor(scope: Construct, id: string, props: PlatformServicesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'platform-services');
    const platform = props.platform;
    const cluster = platform.cluster;
    const clusterName = platform.clusterName;
    const common = { environmentSuffix: props.environmentSuffix, removalPolicy: props.removalPolicy };
    const on = (o?: { enabled?: boolean }) => o?.enabled ?? true;
    const system = platform.nodePools.system;

    const karpenterOn = (props.nodeAutoscaler ?? NodeAutoscaler.CLUSTER_AUTOSCALER) === NodeAutoscaler.KARPENTER;
    if (karpenterOn && props.clusterAutoscaler?.enabled === true) {
      PropsCheck.fail(this, 'clusterAutoscaler.enabled', 'Cluster Autoscaler and Karpenter would both scale nodes', 'drop clusterAutoscaler.enabled, or use nodeAutoscaler: NodeAutoscaler.CLUSTER_AUTOSCALER');
    }
    const esoOn = on(props.externalSecrets);
    const kedaOn = on(props.keda);
    if (on(props.namespaces)) {
      this.namespaces = new PlatformNamespaces(this, 'Namespaces', {
        ...common,
        ...props.namespaces,
        developerNamespaces: platform.developerNamespaces,
        cluster,
      });
    }
    const namespaces = this.namespaces;

    if (karpenterOn) {
      this.karpenter = new Karpenter(this, 'Karpenter', {
        ...common,
        nodePools: platform.nodePoolOptions,
        ...props.karpenter,
        cluster,
        clusterName,
        namespaces,
        nodeSecurityGroups: platform.nodeSecurityGroups,
      });
      warnOfManagedPoolsBesideKarpenter(this, platform, (props.karpenter?.gpuCpuLimit ?? 32) > 0);
    } else if (on(props.clusterAutoscaler)) {
      this.clusterAutoscaler = new ClusterAutoscaler(this, 'ClusterAutoscaler', {
        ...props.clusterAutoscaler, cluster, clusterName, kubernetesVersion: platform.version.version,
      });
    }
    if (on(props.loadBalancerController)) {
      this.loadBalancerController = new AwsLoadBalancerController(this, 'LoadBalancerController', { ...common, ...props.loadBalancerController, cluster, clusterName });
    }
    const dns = props.externalDns;
    if (dns?.enabled === true && (dns.hostedZones ?? []).length === 0) {
      PropsCheck.fail(this, 'externalDns.hostedZones', 'is empty while externalDns.enabled is true; external-dns would have no zone to write to', 'give the platform domain\'s hosted zone(s), or drop externalDns.enabled');
    }
    if (dns?.enabled !== false && (dns?.hostedZones ?? []).length > 0) {
      this.externalDns = new ExternalDns(this, 'ExternalDns', { ...dns, cluster, clusterName, namespaces });
    }
    // KEDA before External Secrets: their RBAC rules reach the workload Roles in this order.
    if (kedaOn) {
      this.keda = new Keda(this, 'Keda', { ...props.keda, cluster, namespaces });
    }
    if (esoOn) {
      this.externalSecrets = new ExternalSecretsOperator(this, 'ExternalSecrets', { ...common, ...props.externalSecrets, cluster, namespaces });
    }
    if (on(props.metricsServer)) {
      this.metricsServer = new MetricsServer(this, 'MetricsServer', { ...props.metricsServer, cluster });
    }
    if (on(props.containerInsights)) {
      this.containerInsights = new ContainerInsights(this, 'ContainerInsights', { ...props.containerInsights, cluster, removalPolicy: props.removalPolicy });
      if (platform.addons.podIdentityAgent) this.containerInsights.addon.node.addDependency(platform.addons.podIdentityAgent);
    }

    // Controllers need somewhere to run: the system pool (their pods tolerate its taint).
    const controllers = [
      this.clusterAutoscaler, this.karpenter, this.loadBalancerController, this.externalDns, this.externalSecrets,
      this.metricsServer, this.keda, this.containerInsights,
    ];
    for (const c of controllers) {
      if (c && system) c.node.addDependency(system);
    }
  }
}

/**
 * Karpenter provisions the app (and, with a CPU limit, gpu) pools; managed node
 * groups for the same pools would scale out for the same pending pods and
 * double the bill. A warning, not an error: both run side by side while
 * workloads move from one to the other.
 */
function warnOfManagedPoolsBesideKarpenter(scope: Construct, platform: PlatformCluster, karpenterGpu: boolean): void {
  const doubled = ['app-on-demand', 'app-spot', ...(karpenterGpu ? ['gpu'] : [])].filter((name) => platform.nodePools[name]);
  if (doubled.length === 0) return;
  Annotations.of(scope).addWarningV2('@keelson/eks-core:managedPoolsBesideKarpenter',
    `Karpenter provisions the app${karpenterGpu ? ' and gpu' : ''} pools, but the cluster also has the managed node groups ${doubled.join(', ')}: `
    + 'both would scale out for the same pods. Set nodePools.app.enabled (and nodePools.gpu.enabled) to false on the PlatformCluster '
    + 'once workloads run on Karpenter nodes.');
}
