import {
  CostAlerts, CostAllocationTags, CostAnalytics, CostAndUsageExport, CostEngine, CostMonitoring, SpotDataFeed, SpotInterruptionDashboard,
} from '@keelson/finops';
import { commonProps } from './common-props';
import { PlatformConfig } from './config';
import { PlatformStack } from './platform-stack';
import { RegionCluster } from './region-cluster';

/**
 * The platform's cost side, in its own us-east-1 stack (where AWS Data
 * Exports, the CUR, Budgets and Cost Explorer are served): the CUR 2.0 export,
 * the Glue table and Athena workgroup over it, the budget and anomaly alerts,
 * the cost allocation tags, and the account's one Spot data feed.
 */
export function installBilling(stack: PlatformStack, config: PlatformConfig): CostAnalytics {
  const f = config.finops;
  const common = commonProps(config);
  const cur = new CostAndUsageExport(stack, 'CostExport', { ...common, legacyReport: f.legacyReport });
  const analytics = new CostAnalytics(stack, 'CostAnalytics', { ...common, exportBucket: cur.bucket, dataPrefix: cur.dataPrefix, columns: cur.columns });
  new CostAlerts(stack, 'CostAlerts', {
    ...common,
    email: f.costAlertsEmail,
    monthlyBudgetUsd: f.monthlyBudgetUsd,
    anomalyThresholdUsd: f.anomalyThresholdUsd,
  });
  new CostAllocationTags(stack, 'CostAllocationTags');
  if (f.spotDataFeed) new SpotDataFeed(stack, 'SpotDataFeed', common);
  return analytics;
}

/**
 * The cost side of the primary cluster: the in-cluster cost tool (Kubecost
 * or OpenCost) querying the export through the billing stack's Athena
 * workgroup (its names and ARNs reach this region as cross-region
 * references), and, when Karpenter runs the cluster's capacity, a dashboard
 * of the interruption signals it receives. With `costUiSignIn` the cost UI is
 * behind the ALB (ACM certificate, the region's WAF) and the ALB's OIDC
 * sign-in; without it, the UI has no Ingress. Everything is created in the
 * cluster's FinOps stack (the primary's only: `layerEnabled`).
 */
export function installFinOps(cluster: RegionCluster, config: PlatformConfig, analytics: CostAnalytics): void {
  const scope = cluster.layers.finops;
  if (!scope) return;
  const { platformCluster: platform, services } = cluster;
  const f = config.finops;
  if (services.karpenter) {
    new SpotInterruptionDashboard(scope, 'SpotInterruptions', {
      environmentSuffix: config.environmentSuffix,
      clusterName: platform.clusterName,
      signals: SpotInterruptionDashboard.karpenterSignals(services.karpenter.interruptionRules),
      queue: services.karpenter.interruptionQueue,
    });
  }
  if (f.costEngine === 'none') return;
  const signIn = f.costUiSignIn;
  const monitoring = new CostMonitoring(scope, 'CostMonitoring', {
    environmentSuffix: config.environmentSuffix,
    cluster: platform.cluster,
    clusterName: platform.clusterName,
    engine: f.costEngine === 'opencost' ? CostEngine.OPENCOST : CostEngine.KUBECOST,
    querySource: analytics.querySource,
    namespaces: services.namespaces,
    // The semantic checks make sure External Secrets and the load balancer controller are on when sign-in is set.
    ingress: signIn ? {
      hostedZoneId: config.gitops.hostedZoneId,
      zoneName: config.gitops.domainName,
      webAclArn: cluster.baseline.webAclArn,
      loadBalancerController: services.loadBalancerController!,
      externalSecrets: services.externalSecrets!,
      oidc: signIn,
    } : undefined,
  });
  if (platform.nodePools.system) monitoring.node.addDependency(platform.nodePools.system);
}
