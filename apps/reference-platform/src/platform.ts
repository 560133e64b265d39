import { KeelsonTags, PlatformSecrets } from '@keelson/conventions';
import {
  DisasterRecoveryPlatform, PeerVpcPublication, PeerVpcReference, PlatformPeering, PlatformSpec, RegionalPlatform,
  ReplicaBackupBucket, VeleroBackups,
} from '@keelson/dr';
import { NodeAutoscaler, PlatformCluster, PlatformKubernetesVersion, PlatformServices } from '@keelson/eks-core';
import { NatGatewayMode, PeeringRoutes } from '@keelson/network';
import { SecurityBaseline } from '@keelson/security';
import { App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { clusterOutputs } from './cluster-outputs';
import { installClusterSecurity } from './cluster-security';
import { PlatformConfig, RegionConfig, validateConfig } from './config';
import { buildFinOps, installClusterFinOps } from './finops';
import { installGitOps } from './gitops';
import { Layer, LAYER_DESCRIPTIONS, layerEnabled, layerStacks, RegionLayers } from './layers';
import { installMesh } from './mesh';
import { observabilityFor } from './observability';
import { platformSecretSpecs } from './platform-secrets';
import { PlatformStack } from './platform-stack';

type CommonProps = { environmentSuffix: string; removalPolicy: RemovalPolicy };

/** `primary` or `dr`. */
export type RegionRole = 'primary' | 'dr';

/** The platform's stacks, by region and lifecycle. */
export interface Platform {
  /**
   * The primary cluster stack: network, cluster, node pools, managed add-ons
   * and the controllers the cluster needs (autoscaler, load balancer
   * controller, External Secrets, metrics-server, KEDA).
   */
  readonly primaryPlatform: PlatformStack;
  /** The primary's in-cluster layers, a stack each, depending on `primaryPlatform`. */
  readonly primaryLayers: RegionLayers;
  readonly primaryBackup: PlatformStack;
  readonly primarySecurity: PlatformStack;
  /** The cost stack in us-east-1 (CUR 2.0 export, Athena, budget and anomaly alerts), when finops is enabled. */
  readonly billing?: PlatformStack;
  /** The DR stacks, when DR is enabled. */
  readonly dr?: {
    readonly platform: PlatformStack;
    /** The DR cluster's in-cluster layers, a stack each, depending on `platform`. */
    readonly layers: RegionLayers;
    readonly backup: PlatformStack;
    readonly security: PlatformStack;
    /** Peering requester + primary-side routes (primary region). */
    readonly peering: PlatformStack;
    /** DR-side return routes (DR region). */
    readonly peeringRoutes: PlatformStack;
  };
  /** Every stack. */
  readonly stacks: PlatformStack[];
}

/**
 * Compose the whole platform into `app` from one config, validated before any
 * construct is built. Both regions are built from one `PlatformSpec`, so they
 * cannot drift; stacks are split by lifecycle and region.
 *
 * Deploy order (CDK derives it from the references and the layers' declared
 * dependencies, `LAYER_DEPENDENCIES`):
 *   dr-platform -> dr-backup -> primary-platform -> primary-peering -> dr-peering-routes,
 *   primary-backup (after dr-backup), and the security stacks independently;
 *   in each region, after its platform stack: cluster-security, mesh and
 *   observability side by side, then gitops (after all three) and finops
 *   (after observability).
 */
export function buildPlatform(app: App, input: PlatformConfig): Platform {
  const config = validateConfig(input);
  const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  const common = { environmentSuffix: config.environmentSuffix, removalPolicy };
  const spec = platformSpec(config, removalPolicy);
  const natGateways = config.network.natGateways === 'single' ? NatGatewayMode.SINGLE : NatGatewayMode.PER_AZ;
  const flowLogs = { retention: config.network.flowLogRetentionDays };
  const stack = (role: RegionRole | 'global', name: string, region: Pick<RegionConfig, 'region' | 'availabilityZones'>, description: string) => {
    const s = new PlatformStack(app, `keelson-${config.environmentSuffix}-${role}-${name}`, {
      env: { account: config.account, region: region.region },
      regionConfig: region,
      crossRegionReferences: true,
      description: `Keelson ${role} ${description} in ${region.region} (${config.environment})`,
      terminationProtection: config.removalPolicy === 'retain',
    });
    KeelsonTags.component(s, name);
    return s;
  };
  const layers = (role: RegionRole, region: RegionConfig, cluster: PlatformStack) => layerStacks(
    cluster,
    (layer) => layerEnabled(layer, role, config),
    (layer: Layer) => stack(role, layer, region, LAYER_DESCRIPTIONS[layer]),
  );
  // The layers every cluster runs whatever the config: cluster security and observability.
  const alwaysOn = (
    platformCluster: PlatformCluster, services: PlatformServices, regionLayers: RegionLayers, role: RegionRole, security: PlatformStack,
  ) => {
    // Undelivered Falco findings alarm into the region's alert email, as the baseline's own do.
    const baseline = security.node.findChild('Baseline') as SecurityBaseline;
    installClusterSecurity(regionLayers['cluster-security']!, services, config, removalPolicy, baseline.alerts?.deliveryFailureTopic);
    observabilityFor(regionLayers.observability!, platformCluster, services, config, common, role);
  };
  // Velero backs up what the cluster's namespace registry holds (PlatformNamespaces.backupNamespaces()).
  const backupOptions = {
    ...common,
    schedule: config.backups.schedule,
    ttl: Duration.days(config.backups.ttlDays),
  };

  // --- DR region, first: the primary's peering and replication point at it ---
  let dr: Platform['dr'];
  let replica: ReplicaBackupBucket | undefined;
  let drPlatform: DisasterRecoveryPlatform | undefined;
  let drServices: PlatformServices | undefined;
  let drLayers: RegionLayers = {};
  if (config.dr.enabled) {
    const drSecurity = securityStack(stack('dr', 'security', config.dr, 'security baseline'), config, common, 'dr');
    const platform = stack('dr', 'platform', config.dr, 'platform: VPC and EKS cluster mirroring the primary, with its services');
    drPlatform = new DisasterRecoveryPlatform(platform, 'Dr', {
      spec,
      primaryVpcCidr: config.primary.vpcCidr,
      drVpcCidr: config.dr.vpcCidr,
      availabilityZones: config.dr.availabilityZones,
      drNodeScale: config.dr.nodeScale,
      natGateways,
      flowLogs,
    });
    drServices = servicesFor(drPlatform.platformCluster, [drPlatform.platform.network.securityGroups.alb], config, common);
    clusterOutputs(platform, drPlatform.platformCluster, drServices, config);
    drLayers = layers('dr', config.dr, platform);
    alwaysOn(drPlatform.platformCluster, drServices, drLayers, 'dr', drSecurity);
    descriptor(platform, config, 'dr', config.dr, config.primary, drPlatform.clusterName);
    new PeerVpcPublication(platform, 'PublishVpc', { vpc: drPlatform.vpc, parameterName: drVpcParameter(config) });

    const backup = stack('dr', 'backup', config.dr, 'backups: Velero, and the replica of the primary\'s backups');
    replica = new ReplicaBackupBucket(backup, 'PrimaryReplica', { ...common, retentionDays: config.backups.ttlDays + 7 });
    if (config.backups.enabled) {
      new VeleroBackups(backup, 'Velero', {
        ...backupOptions,
        namespaces: drServices.namespaces!.backupNamespaces(),
        cluster: drPlatform.platformCluster.cluster,
        readOnlyLocations: [{ name: 'primary-replica', bucket: replica.bucket, key: replica.key }],
      });
    }
    dr = {
      platform,
      layers: drLayers,
      backup,
      security: drSecurity,
      peering: stack('primary', 'peering', config.primary, 'VPC peering to the DR region'),
      peeringRoutes: stack('dr', 'peering-routes', config.dr, 'return routes to the primary region'),
    };
  }

  // --- primary region ----------------------------------------------------------
  const primarySecurity = securityStack(stack('primary', 'security', config.primary, 'security baseline'), config, common, 'primary');
  const primaryPlatform = stack('primary', 'platform', config.primary, 'platform: VPC, EKS cluster and its services');
  const primary = new RegionalPlatform(primaryPlatform, 'Primary', {
    spec,
    vpcCidr: config.primary.vpcCidr,
    availabilityZones: config.primary.availabilityZones,
    peerCidrs: config.dr.enabled ? [config.dr.vpcCidr] : [],
    natGateways,
    flowLogs,
  });
  // The secrets the platform reads, as empty shells replicated to the DR region: operators fill each once, here.
  const secretSpecs = platformSecretSpecs(config);
  const secrets = secretSpecs.length ? new PlatformSecrets(primaryPlatform, 'PlatformSecrets', {
    ...common, secrets: secretSpecs, replicas: config.dr.enabled ? [{ region: config.dr.region }] : [],
  }) : undefined;
  const primaryServices = servicesFor(primary.platformCluster, [primary.network.securityGroups.alb], config, common);
  // The shells exist before anything in the cluster reads them.
  if (secrets) primaryServices.node.addDependency(secrets);
  clusterOutputs(primaryPlatform, primary.platformCluster, primaryServices, config);
  const primaryLayers = layers('primary', config.primary, primaryPlatform);
  alwaysOn(primary.platformCluster, primaryServices, primaryLayers, 'primary', primarySecurity);
  descriptor(primaryPlatform, config, 'primary', config.primary, config.dr, primary.clusterName);

  const primaryBackup = stack('primary', 'backup', config.primary, 'backups: Velero, replicated to the DR region');
  if (config.backups.enabled) {
    new VeleroBackups(primaryBackup, 'Velero', {
      ...backupOptions,
      namespaces: primaryServices.namespaces!.backupNamespaces(),
      cluster: primary.platformCluster.cluster,
      replication: replica ? { destination: replica.bucket, destinationKey: replica.key } : undefined,
    });
  }

  if (dr && drPlatform) {
    // The DR VPC id arrives through SSM, read in the peering stack, so the DR cluster
    // stack needs no cross-region export writer; the dependency orders the deploys.
    dr.peering.addStackDependency(dr.platform);
    const drVpc = new PeerVpcReference(dr.peering, 'DrVpc', {
      ...common,
      region: config.dr.region,
      parameterName: drVpcParameter(config),
      availabilityZones: config.dr.availabilityZones,
    });
    const peering = new PlatformPeering(dr.peering, 'DrPeering', {
      ...common,
      vpc: primary.vpc,
      vpcCidr: config.primary.vpcCidr,
      peerVpc: drVpc.vpc,
      peerCidr: config.dr.vpcCidr,
    });
    new PeeringRoutes(dr.peeringRoutes, 'ReturnRoutes', {
      vpc: drPlatform.vpc,
      peeringConnectionId: peering.peeringConnectionId,
      peerCidr: config.primary.vpcCidr,
    });
  }

  if (primaryLayers.gitops) installGitOps(primaryLayers.gitops, 'primary', primary.platformCluster, primaryServices, primarySecurity, config);
  if (dr && drPlatform && drServices && drLayers.gitops) installGitOps(drLayers.gitops, 'dr', drPlatform.platformCluster, drServices, dr.security, config);
  if (primaryLayers.mesh) {
    const drMesh = dr && drPlatform && drServices && drLayers.mesh
      ? { platform: drPlatform.platformCluster, services: drServices, security: dr.security, stack: drLayers.mesh } : undefined;
    const primaryMesh = { platform: primary.platformCluster, services: primaryServices, security: primarySecurity, stack: primaryLayers.mesh };
    installMesh(primaryMesh, drMesh, config, common);
  }
  let billing: PlatformStack | undefined;
  if (config.finops.enabled) {
    billing = stack('global', 'billing', { region: 'us-east-1', availabilityZones: [] }, 'cost: CUR 2.0 export, Athena, budget and anomaly alerts');
    const analytics = buildFinOps(billing, config, common);
    if (primaryLayers.finops) {
      installClusterFinOps(primaryLayers.finops, primary.platformCluster, primaryServices, primarySecurity, analytics, config);
    }
  }
  KeelsonTags.apply(app, { environment: config.environment, project: config.project, owner: config.owner });
  const { layers: drLayerStacks, ...drStacks } = dr ?? { layers: {} };
  const stacks = [
    primaryPlatform, ...Object.values(primaryLayers), primaryBackup, primarySecurity,
    ...Object.values(drStacks), ...Object.values(drLayerStacks), ...(billing ? [billing] : []),
  ];
  return { primaryPlatform, primaryLayers, primaryBackup, primarySecurity, billing, dr, stacks };
}

/** The settings both clusters share, from the one config. */
function platformSpec(config: PlatformConfig, removalPolicy: RemovalPolicy): PlatformSpec {
  const c = config.cluster;
  const managedByKarpenter = config.services.nodeAutoscaler === 'karpenter' ? { enabled: false } : {};
  return {
    environmentSuffix: config.environmentSuffix,
    removalPolicy,
    clusterNameBase: 'platform',
    version: PlatformKubernetesVersion.of(c.kubernetesVersion),
    publicAccessCidrs: c.publicAccessCidrs,
    access: {
      adminRoleArns: c.adminRoleArns,
      developerRoleArns: c.developerRoleArns,
      developerNamespaces: c.developerNamespaces,
      readOnlyRoleArns: c.readOnlyRoleArns,
    },
    // The config's pool shapes are eks-core's node-pool options. Karpenter provisions app and
    // gpu capacity itself (its NodePools), so the managed groups for them are not created.
    nodePools: { system: { ...c.systemPool }, app: { ...c.appPool, ...managedByKarpenter }, gpu: { ...c.gpuPool, ...managedByKarpenter } },
  };
}

function servicesFor(
  platform: PlatformCluster, albSecurityGroups: ec2.ISecurityGroup[], config: PlatformConfig, common: CommonProps,
): PlatformServices {
  const s = config.services;
  return new PlatformServices(platform, 'Services', {
    ...common,
    platform,
    nodeAutoscaler: s.nodeAutoscaler === 'karpenter' ? NodeAutoscaler.KARPENTER : NodeAutoscaler.CLUSTER_AUTOSCALER,
    // Every ALB Ingress the platform writes (ingressAnnotations()) sits in the network's ALB group.
    loadBalancerController: { enabled: s.loadBalancerController, albSecurityGroups },
    // Each cluster writes its own UI hosts (argocd.<cluster>.<domain>, the cost UI) into the platform zone, owner id = its name.
    externalDns: { hostedZones: [route53.HostedZone.fromHostedZoneAttributes(platform, 'PlatformZone', { hostedZoneId: config.gitops.hostedZoneId, zoneName: config.gitops.domainName })] },
    externalSecrets: { enabled: s.externalSecrets },
    metricsServer: { enabled: s.metricsServer },
    keda: { enabled: s.keda },
    containerInsights: { enabled: s.containerInsights },
  });
}

function securityStack(stack: PlatformStack, config: PlatformConfig, common: CommonProps, role: RegionRole): PlatformStack {
  const s = config.security;
  new SecurityBaseline(stack, 'Baseline', {
    ...common,
    guardDuty: s.guardDuty,
    securityHub: s.securityHub,
    // One multi-region trail, in the primary region, records both regions; the DR baseline relies on it.
    trail: s.cloudTrail && role === 'primary',
    webAcl: s.webAcl,
    alertsOptions: {
      securityAlertsEmail: s.securityAlertsEmail,
      slackWebhookSecret: s.slackWebhookSecretName
        ? secretsmanager.Secret.fromSecretNameV2(stack, 'SlackWebhook', s.slackWebhookSecretName)
        : undefined,
    },
  });
  return stack;
}

function drVpcParameter(config: PlatformConfig): string {
  return `/keelson/${config.environmentSuffix}/dr/vpc-id`;
}

/** Where this region sits in the platform, for operators and cross-region tooling. */
function descriptor(stack: PlatformStack, config: PlatformConfig, role: RegionRole, region: RegionConfig, peer: RegionConfig, clusterName: string) {
  new ssm.StringParameter(stack, 'PlatformDescriptor', {
    parameterName: `/keelson/${config.environmentSuffix}/platform/${role}`,
    description: 'Keelson platform descriptor: role, regions, CIDRs and cluster of this deployment',
    stringValue: JSON.stringify({
      role, region: region.region, vpcCidr: region.vpcCidr, peerRegion: peer.region, peerVpcCidr: peer.vpcCidr, clusterName,
    }),
  });
}
