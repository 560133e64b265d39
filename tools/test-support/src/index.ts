import { PlatformCluster, PlatformServices, PlatformServicesProps } from '@keelson/eks-core';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The account and region of every fixture stack (the region can be overridden). */
export const ENV = { account: '111111111111', region: 'ap-southeast-1' };

/** A Route 53 hosted zone the fixtures' DNS names live in. */
export const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'platform.example.com' };

/** What the fixtures may vary. */
export interface FixtureOptions {
  /** The stack's id. */
  readonly id: string;
  /** The stack's region (the VPC's zones are its a, b and c). Default: `ENV.region`. */
  readonly region?: string;
  /** For a stack that reads from or is read by a stack of another region. Default: false. */
  readonly crossRegionReferences?: boolean;
}

/** A fixture cluster: its stack, the stand-in VPC and the cluster. */
export interface ClusterFixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly platform: PlatformCluster;
}

/** A fixture cluster with its services. */
export interface PlatformFixture extends ClusterFixture {
  readonly services: PlatformServices;
}

/**
 * The cdk-nag rules a plain VPC raises that @keelson/network's PlatformNetwork
 * answers (flow logs, a closed default security group, hardened subnets):
 * the fixture VPC stands in for it, and the in-cluster packages do not import it.
 */
export const STAND_IN_VPC_RULES = [
  'AwsSolutions-VPC7', 'NIST.800.53.R5-VPCFlowLogsEnabled', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
  'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled', 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
];

/**
 * A stack with a plain 3-AZ VPC (public /24s, private /20s, one NAT gateway)
 * and a PlatformCluster on it: what every in-cluster package is installed on.
 */
export function clusterFixture(app: App, options: FixtureOptions): ClusterFixture {
  const region = options.region ?? ENV.region;
  const stack = new Stack(app, options.id, { env: { ...ENV, region }, crossRegionReferences: options.crossRegionReferences });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['a', 'b', 'c'].map((zone) => `${region}${zone}`),
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
  const reason = 'test fixture: this VPC stands in for @keelson/network\'s PlatformNetwork (flow logs, closed default security group, '
    + 'subnet hardening), which the in-cluster packages do not import';
  Validations.of(vpc).acknowledge(...STAND_IN_VPC_RULES.map((id) => ({ id, reason })));
  const platform = new PlatformCluster(stack, 'Platform', { vpc, publicAccessCidrs: ['203.0.113.0/24'] });
  return { stack, vpc, platform };
}

/**
 * `clusterFixture` with the cluster's PlatformServices (External Secrets, the
 * alb IngressClass, the namespace registry). Container Insights and KEDA are
 * off unless `services` turns them on.
 *
 * @param services PlatformServices props to set (the platform is the fixture's)
 */
export function platformFixture(app: App, options: FixtureOptions, services: Partial<PlatformServicesProps> = {}): PlatformFixture {
  const cluster = clusterFixture(app, options);
  return {
    ...cluster,
    services: new PlatformServices(cluster.stack, 'Services', {
      containerInsights: { enabled: false },
      keda: { enabled: false },
      ...services,
      platform: cluster.platform,
    }),
  };
}
