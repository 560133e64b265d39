import { ArgoCd, ArgoCdImageUpdater, ArgoRollouts, GitOpsApplications } from '@keelson/gitops';
import { PlatformConfig } from './config';
import { RegionCluster } from './region-cluster';

/** Argo CD and what it deploys, in one cluster. */
export interface GitOps {
  readonly argoCd: ArgoCd;
  readonly applications: GitOpsApplications;
  readonly rollouts: ArgoRollouts;
  readonly imageUpdater: ArgoCdImageUpdater;
}

/**
 * Argo CD in one cluster from the config's `gitops` section. Both clusters
 * follow the same repository: the primary syncs `clusters/primary`, the DR
 * cluster its overlay `clusters/dr`, so failing over is a DNS change. Pull
 * request previews run in the primary only. The ALB carries the region's
 * WAF web ACL from the security baseline, when there is one. Argo Rollouts
 * and Image Updater (ECR of the region, read-only) run beside it. Everything
 * is created in the region's GitOps stack.
 */
export function installGitOps(cluster: RegionCluster, config: PlatformConfig): GitOps | undefined {
  const scope = cluster.layers.gitops;
  const g = config.gitops;
  if (!scope || !g.enabled) return undefined;
  const { platformCluster: platform, services, role } = cluster;
  const argoCd = new ArgoCd(scope, 'ArgoCd', {
    environmentSuffix: config.environmentSuffix,
    cluster: platform.cluster,
    clusterName: platform.clusterName,
    // The semantic checks make sure External Secrets is on when GitOps is.
    externalSecrets: services.externalSecrets!,
    namespaces: services.namespaces,
    sso: { organization: g.githubOrg, adminTeams: g.adminTeams },
    ingress: {
      hostedZoneId: g.hostedZoneId,
      zoneName: g.domainName,
      webAclArn: cluster.baseline.webAclArn,
      loadBalancerController: services.loadBalancerController,
    },
    notifications: { channel: g.slackChannel },
  });
  // Argo CD's pods need the system pool and the load balancer controller's webhooks.
  if (platform.nodePools.system) argoCd.node.addDependency(platform.nodePools.system);
  if (services.loadBalancerController) argoCd.node.addDependency(services.loadBalancerController);
  const applications = new GitOpsApplications(scope, 'GitOps', {
    argoCd,
    repoUrl: g.repoUrl,
    rootPath: `clusters/${role}`,
    previews: { enabled: role === 'primary' },
  });
  const rollouts = new ArgoRollouts(scope, 'ArgoRollouts', { cluster: platform.cluster, namespaces: services.namespaces });
  const imageUpdater = new ArgoCdImageUpdater(scope, 'ArgoCdImageUpdater', { argoCd });
  for (const c of [rollouts, imageUpdater]) {
    if (platform.nodePools.system) c.node.addDependency(platform.nodePools.system);
  }
  return { argoCd, applications, rollouts, imageUpdater };
}
