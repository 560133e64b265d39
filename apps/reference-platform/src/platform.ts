import { KeelsonTags, PlatformSecrets } from '@keelson/conventions';
import {
  DisasterRecoveryPlatform, PeerVpcPublication, PeerVpcReference, PlatformPeering, PlatformSpec, PrimaryPlatform,
  ReplicaBackupBucket, VeleroBackups,
} from '@keelson/dr';
import { NodeAutoscaler, PlatformCluster, PlatformKubernetesVersion, PlatformServices } from '@keelson/eks-core';
import { NatGatewayMode, PeeringRoutes } from '@keelson/network';
import { SecurityBaseline } from '@keelson/security';
import { Annotations, App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { clusterOutputs } from './cluster-outputs';
import { installClusterSecurity } from './cluster-security';
import { CommonProps, commonProps } from './common-props';
import { configWarnings, formatProblem, PlatformConfig, RegionConfig, validateConfig } from './config';
import { installBilling, installFinOps } from './finops';
import { installGitOps } from './gitops';
import { Layer, LAYER_DESCRIPTIONS, layerEnabled, layerStacks, RegionLayers } from './layers';
import { installMesh } from './mesh';
import { meshSampleNetwork } from './mesh-sample';
import { installObservability, workloadNamespacesFor } from './observability';
import { platformSecretSpecs } from './platform-secrets';
import { PlatformStack } from './platform-stack';
import { RegionCluster, RegionRole } from './region-cluster';

export type { RegionRole } from './region-cluster';

/** The platform's stacks, by region and lifecycle. */
export interface PlatformStacks {
  /**
   * The primary cluster stack (`keelson-<suffix>-primary-platform`): network, cluster, node
   * pools, managed add-ons and the controllers the cluster needs (autoscaler,
   * load balancer controller, External Secrets, metrics-server, KEDA).
   */
  readonly primaryCluster: PlatformStack;
  /** The primary's in-cluster layers, a stack each, depending on `primaryCluster`. */
  readonly primaryLayers: RegionLayers;
  /** Velero, replicating to the DR replica; when `backups.enabled`. */
  readonly primaryBackup?: PlatformStack;
  readonly primarySecurity: PlatformStack;
  /** The cost stack in us-east-1 (CUR 2.0 export, Athena, budget and anomaly alerts), when finops is enabled. */
  readonly billing?: PlatformStack;
  /** The DR stacks, when DR is enabled. */
  readonly dr?: {
    /** The DR cluster stack, as `primaryCluster` is the primary's. */
    readonly cluster: PlatformStack;
    /** The DR cluster's in-cluster layers, a stack each, depending on `cluster`. */
    readonly layers: RegionLayers;
    /** The replica of the primary's backups and DR's Velero; when `backups.enabled`. */
    readonly backup?: PlatformStack;
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
export function buildPlatform(app: App, input: PlatformConfig): PlatformStacks {
  const config = validateConfig(input);
  const common = commonProps(config);
  const spec = platformSpec(config, common.removalPolicy);
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
  const layers = (role: RegionRole, region: RegionConfig, clusterStack: PlatformStack) => layerStacks(
    clusterStack,
    (layer) => layerEnabled(layer, role, config),
    (layer: Layer) => stack(role, layer, region, LAYER_DESCRIPTIONS[layer]),
  );
  // The layers every cluster runs whatever the config: cluster security and observability.
  const alwaysOn = (cluster: RegionCluster) => {
    installClusterSecurity(cluster, config);
    installObservability(cluster, config);
  };
  // Velero backs up what the cluster's namespace registry holds (PlatformNamespaces.backupNamespaces()).
  const backupOptions = {
    ...common,
    schedule: config.backups.schedule,
    ttl: Duration.days(config.backups.ttlDays),
  };

  // --- DR region, first: the primary's peering and replication point at it ---
  let dr: PlatformStacks['dr'];
  let replica: ReplicaBackupBucket | undefined;
  let drRegion: DisasterRecoveryPlatform | undefined;
  let drCluster: RegionCluster | undefined;
  if (config.dr.enabled) {
    const drSecurity = stack('dr', 'security', config.dr, 'security baseline');
    const drBaseline = securityBaseline(drSecurity, config, common, 'dr');
    const drClusterStack = stack('dr', 'platform', config.dr, 'platform: VPC and EKS cluster mirroring the primary, with its services');
    drRegion = new DisasterRecoveryPlatform(drClusterStack, 'Dr', {
      spec,
      primaryVpcCidr: config.primary.vpcCidr,
      drVpcCidr: config.dr.vpcCidr,
      availabilityZones: config.dr.availabilityZones,
      drNodeScale: config.dr.nodeScale,
      natGateways,
      flowLogs,
    });
    const drServices = servicesFor(drRegion.platformCluster, [drRegion.network.securityGroups.alb], config, common);
    clusterOutputs(drClusterStack, drRegion.platformCluster, drServices, config);
    drCluster = {
      role: 'dr', network: drRegion.network, platformCluster: drRegion.platformCluster, services: drServices, baseline: drBaseline, layers: layers('dr', config.dr, drClusterStack),
    };
    alwaysOn(drCluster);
    descriptor(drClusterStack, config, 'dr', config.dr, config.primary, drRegion.clusterName);
    new PeerVpcPublication(drClusterStack, 'PublishVpc', { vpc: drRegion.vpc, parameterName: drVpcParameter(config) });

    // Without backups there is nothing to replicate: no stack, no replica bucket.
    const backup = config.backups.enabled ? stack('dr', 'backup', config.dr, 'backups: Velero, and the replica of the primary\'s backups') : undefined;
    if (backup) {
      replica = new ReplicaBackupBucket(backup, 'PrimaryReplica', { ...common, retentionDays: config.backups.ttlDays + 7 });
      new VeleroBackups(backup, 'Velero', {
        ...backupOptions,
        namespaces: drServices.namespaces!.backupNamespaces(),
        cluster: drRegion.platformCluster.cluster,
        readOnlyLocations: [{ name: 'primary-replica', bucket: replica.bucket, key: replica.key }],
      });
    }
    dr = {
      cluster: drClusterStack,
      layers: drCluster.layers,
      backup,
      security: drSecurity,
      peering: stack('primary', 'peering', config.primary, 'VPC peering to the DR region'),
      peeringRoutes: stack('dr', 'peering-routes', config.dr, 'return routes to the primary region'),
    };
  }

  // --- primary region ----------------------------------------------------------
  const primarySecurity = stack('primary', 'security', config.primary, 'security baseline');
  const primaryBaseline = securityBaseline(primarySecurity, config, common, 'primary');
  const primaryClusterStack = stack('primary', 'platform', config.primary, 'platform: VPC, EKS cluster and its services');
  const primaryRegion = new PrimaryPlatform(primaryClusterStack, 'Primary', {
    spec,
    vpcCidr: config.primary.vpcCidr,
    availabilityZones: config.primary.availabilityZones,
    peerCidrs: config.dr.enabled ? [config.dr.vpcCidr] : [],
    natGateways,
    flowLogs,
  });
  // The secrets the platform reads, as empty shells replicated to the DR region: operators fill each once, here.
  const secretSpecs = platformSecretSpecs(config);
  const secrets = secretSpecs.length ? new PlatformSecrets(primaryClusterStack, 'PlatformSecrets', {
    ...common, secrets: secretSpecs, replicas: config.dr.enabled ? [{ region: config.dr.region }] : [],
  }) : undefined;
  const primaryServices = servicesFor(primaryRegion.platformCluster, [primaryRegion.network.securityGroups.alb], config, common);
  // The shells exist before anything in the cluster reads them.
  if (secrets) primaryServices.node.addDependency(secrets);
  clusterOutputs(primaryClusterStack, primaryRegion.platformCluster, primaryServices, config);
  const primaryLayers = layers('primary', config.primary, primaryClusterStack);
  const primaryCluster: RegionCluster = {
    role: 'primary', network: primaryRegion.network, platformCluster: primaryRegion.platformCluster, services: primaryServices, baseline: primaryBaseline, layers: primaryLayers,
  };
  alwaysOn(primaryCluster);
  descriptor(primaryClusterStack, config, 'primary', config.primary, config.dr, primaryRegion.clusterName);

  const primaryBackup = config.backups.enabled ? stack('primary', 'backup', config.primary, 'backups: Velero, replicated to the DR region') : undefined;
  if (primaryBackup) {
    new VeleroBackups(primaryBackup, 'Velero', {
      ...backupOptions,
      namespaces: primaryServices.namespaces!.backupNamespaces(),
      cluster: primaryRegion.platformCluster.cluster,
      replication: replica ? { destination: replica.bucket, destinationKey: replica.key } : undefined,
    });
  }

  if (dr && drRegion) {
    // The DR VPC id arrives through SSM, read in the peering stack, so the DR cluster
    // stack needs no cross-region export writer; the dependency orders the deploys.
    dr.peering.addStackDependency(dr.cluster);
    const drVpc = new PeerVpcReference(dr.peering, 'DrVpc', {
      ...common,
      region: config.dr.region,
      parameterName: drVpcParameter(config),
      availabilityZones: config.dr.availabilityZones,
    });
    const peering = new PlatformPeering(dr.peering, 'DrPeering', {
      ...common,
      vpc: primaryRegion.vpc,
      vpcCidr: config.primary.vpcCidr,
      peerVpc: drVpc.vpc,
      peerCidr: config.dr.vpcCidr,
    });
    new PeeringRoutes(dr.peeringRoutes, 'ReturnRoutes', {
      vpc: drRegion.vpc,
      peeringConnectionId: peering.peeringConnectionId,
      peerCidr: config.primary.vpcCidr,
    });
  }

  installGitOps(primaryCluster, config);
  if (drCluster) installGitOps(drCluster, config);
  installMesh(primaryCluster, config, drCluster);
  let billing: PlatformStack | undefined;
  if (config.finops.enabled) {
    billing = stack('global', 'billing', { region: 'us-east-1', availabilityZones: [] }, 'cost: CUR 2.0 export, Athena, budget and anomaly alerts');
    installFinOps(primaryCluster, config, installBilling(billing, config));
  }
  // Settings that do nothing, on the primary cluster stack (an App's own annotations reach no stack artifact).
  for (const warning of configWarnings(config)) {
    Annotations.of(primaryClusterStack).addWarningV2(`@keelson/reference-platform:config:${warning.path}`, formatProblem(warning));
  }
  KeelsonTags.apply(app, { environment: config.environment, project: config.project, owner: config.owner });
  const { layers: drLayerStacks, ...drStacks } = dr ?? { layers: {} };
  const stacks = [
    primaryClusterStack, ...Object.values(primaryLayers), ...(primaryBackup ? [primaryBackup] : []), primarySecurity,
    ...Object.values(drStacks).filter((s): s is PlatformStack => s !== undefined), ...Object.values(drLayerStacks), ...(billing ? [billing] : []),
  ];
  return { primaryCluster: primaryClusterStack, primaryLayers, primaryBackup, primarySecurity, billing, dr, stacks };
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
    ...meshSampleNetwork(config),
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
    namespaces: { workloadNamespaces: workloadNamespacesFor(config) },
    metricsServer: { enabled: s.metricsServer },
    keda: { enabled: s.keda },
    containerInsights: { enabled: s.containerInsights },
  });
}

/** The region's security baseline, in its security stack. */
function securityBaseline(stack: PlatformStack, config: PlatformConfig, common: CommonProps, role: RegionRole): SecurityBaseline {
  const s = config.security;
  return new SecurityBaseline(stack, 'Baseline', {
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
