import { PlatformCluster, PlatformServices } from '@keelson/eks-core';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

export const ENV = { account: '111111111111', region: 'ap-southeast-1' };
export const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'platform.example.com' };

/**
 * A stack with a plain 3-AZ VPC (standing in for @keelson/network's), a
 * PlatformCluster and its PlatformServices (External Secrets, the alb
 * IngressClass, the namespace registry): what the mesh is installed on.
 */
export function platformFixture(app: App, id: string = 'Mesh', region: string = ENV.region): { stack: Stack; platform: PlatformCluster; services: PlatformServices; vpc: ec2.Vpc } {
  const stack = new Stack(app, id, { env: { ...ENV, region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['a', 'b', 'c'].map((zone) => `${region}${zone}`),
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
  const reason = 'test fixture: this VPC stands in for @keelson/network\'s PlatformNetwork (flow logs, closed default security group, subnet hardening), which mesh does not import';
  Validations.of(vpc).acknowledge(
    ...['AwsSolutions-VPC7', 'NIST.800.53.R5-VPCFlowLogsEnabled', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled', 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW'].map((rule) => ({ id: rule, reason })),
  );
  const platform = new PlatformCluster(stack, 'Platform', { vpc, publicAccessCidrs: ['203.0.113.0/24'] });
  const services = new PlatformServices(stack, 'Services', { platform, containerInsights: { enabled: false }, keda: { enabled: false } });
  return { stack, platform, services, vpc };
}
