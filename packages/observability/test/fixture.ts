import { PlatformCluster } from '@keelson/eks-core';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

export const ENV = { account: '111111111111', region: 'ap-southeast-1' };

/**
 * A stack with a plain 3-AZ VPC (as @keelson/network would provide) and an
 * eks-core PlatformCluster on it: what this package is installed onto.
 */
export function clusterStack(app: App, id: string): { stack: Stack; platform: PlatformCluster } {
  const stack = new Stack(app, id, { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['a', 'b', 'c'].map((z) => `${ENV.region}${z}`),
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
  const standIn = 'test fixture: stands in for @keelson/network\'s VPC, which has flow logs, a closed default security group and hardened subnets';
  for (const rule of ['AwsSolutions-VPC7', 'NIST.800.53.R5-VPCFlowLogsEnabled', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
    'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled', 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW']) {
    Validations.of(vpc).acknowledge({ id: rule, reason: standIn });
  }
  const platform = new PlatformCluster(stack, 'Platform', { vpc, publicAccessCidrs: ['203.0.113.0/24'] });
  return { stack, platform };
}
