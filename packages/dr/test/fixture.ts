import { PeeringRoutes } from '@keelson/network';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DisasterRecoveryPlatform, PeeringAccepterRole, PlatformPeering, PlatformSpec, PrimaryPlatform, ReplicaBackupBucket, VeleroBackups,
} from '../src';

export const ACCOUNT = '111111111111';
export const PRIMARY_REGION = 'ap-southeast-1';
export const DR_REGION = 'us-west-2';
export const PRIMARY_CIDR = '10.0.0.0/16';
export const DR_CIDR = '10.1.0.0/16';

/** A stack placed in a region whose AZs are known without a lookup. */
export class RegionStack extends Stack {
  private readonly zones: string[];
  constructor(scope: Construct, id: string, region: string, props: StackProps = {}) {
    super(scope, id, { env: { account: ACCOUNT, region }, crossRegionReferences: true, ...props });
    this.zones = ['a', 'b', 'c'].map((z) => `${region}${z}`);
  }
  public get availabilityZones(): string[] {
    return this.zones;
  }
}

/** The namespaces the test platform backs up (Velero's `namespaces`). */
export const BACKED_UP_NAMESPACES = ['kube-system', 'platform', 'team-a'];

/** The shared spec of the test platform (non-default values, so "follows the spec" is visible). */
export function testSpec(overrides: Partial<PlatformSpec> = {}): PlatformSpec {
  return {
    environmentSuffix: 'prod',
    publicAccessCidrs: ['203.0.113.0/24'],
    nodePools: {
      system: { instanceTypes: ['m7i.xlarge'], minSize: 2, desiredSize: 3, maxSize: 6 },
      app: { onDemandInstanceTypes: ['m7i.2xlarge'], spotInstanceTypes: ['m7i.2xlarge', 'm6i.2xlarge'], minSize: 4, desiredSize: 6, maxSize: 20 },
      gpu: { enabled: false },
    },
    ...overrides,
  };
}

export interface DrApp {
  readonly app: App;
  readonly primaryStack: RegionStack;
  readonly drStack: RegionStack;
  readonly drRoutesStack: RegionStack;
  readonly primary: PrimaryPlatform;
  readonly dr: DisasterRecoveryPlatform;
  readonly peering: PlatformPeering;
  readonly replica: ReplicaBackupBucket;
  readonly primaryVelero: VeleroBackups;
  readonly drVelero: VeleroBackups;
  readonly drRoutes: PeeringRoutes;
  readonly accepterRole: PeeringAccepterRole;
}

/**
 * The recommended layout: DR platform + replica + DR Velero (DR region) ←
 * primary platform + peering requester + primary Velero with replication
 * (primary region) ← DR return routes (DR region).
 */
export function buildDrApp(app: App, spec: PlatformSpec = testSpec()): DrApp {
  const drStack = new RegionStack(app, 'DrPlatform', DR_REGION);
  const dr = new DisasterRecoveryPlatform(drStack, 'Dr', {
    spec,
    primaryVpcCidr: PRIMARY_CIDR,
    drVpcCidr: DR_CIDR,
    availabilityZones: drStack.availabilityZones,
  });
  // Cross-account variant only: the role the requester account would assume to accept.
  const accepterRole = new PeeringAccepterRole(drStack, 'PeeringAccepter', { requesterAccountId: '222222222222', vpc: dr.vpc, environmentSuffix: 'prod' });
  const replica = new ReplicaBackupBucket(drStack, 'BackupReplica', { environmentSuffix: 'prod' });
  const drVelero = new VeleroBackups(drStack, 'Velero', {
    cluster: dr.platformCluster.cluster,
    namespaces: BACKED_UP_NAMESPACES,
    environmentSuffix: 'prod',
    readOnlyLocations: [{ name: 'primary-replica', bucket: replica.bucket, key: replica.key }],
  });

  const primaryStack = new RegionStack(app, 'PrimaryPlatform', PRIMARY_REGION);
  const primary = new PrimaryPlatform(primaryStack, 'Primary', {
    spec,
    vpcCidr: PRIMARY_CIDR,
    availabilityZones: primaryStack.availabilityZones,
    peerCidrs: [DR_CIDR],
  });
  const peering = new PlatformPeering(primaryStack, 'DrPeering', {
    vpc: primary.vpc,
    vpcCidr: PRIMARY_CIDR,
    peerVpc: dr.vpc,
    peerCidr: DR_CIDR,
    environmentSuffix: 'prod',
  });
  const primaryVelero = new VeleroBackups(primaryStack, 'Velero', {
    cluster: primary.platformCluster.cluster,
    namespaces: BACKED_UP_NAMESPACES,
    environmentSuffix: 'prod',
    replication: { destination: replica.bucket, destinationKey: replica.key },
  });

  const drRoutesStack = new RegionStack(app, 'DrPeeringRoutes', DR_REGION);
  const drRoutes = new PeeringRoutes(drRoutesStack, 'ReturnRoutes', {
    vpc: dr.vpc,
    peeringConnectionId: peering.peeringConnectionId,
    peerCidr: PRIMARY_CIDR,
  });
  return { app, primaryStack, drStack, drRoutesStack, primary, dr, peering, replica, primaryVelero, drVelero, drRoutes, accepterRole };
}
