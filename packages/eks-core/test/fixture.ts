import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

export const ENV = { account: '111111111111', region: 'ap-southeast-1' };
export const AZS = ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'];

/** A stack with a plain 3-AZ VPC (public + private, one NAT), as @keelson/network would provide. */
export function stackWithVpc(app: App, id: string = 'Test'): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(app, id, { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: AZS,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
  // The fixture VPC stands in for @keelson/network's, which has the flow logs and
  // subnet hardening; this package is tested for what it builds on top.
  const fixture = 'test fixture: the VPC stands in for @keelson/network\'s PlatformNetwork, which this package does not import';
  Validations.of(vpc).acknowledge(
    { id: 'AwsSolutions-VPC7', reason: `${fixture}; flow logs are built there` },
    { id: 'NIST.800.53.R5-VPCFlowLogsEnabled', reason: `${fixture}; flow logs are built there` },
    { id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', reason: `${fixture}; it strips the default security group there` },
    { id: 'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled', reason: `${fixture}; its public subnets hold only load balancers and NAT gateways` },
    { id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', reason: `${fixture}; public subnets route to the internet gateway by definition` },
  );
  return { stack, vpc };
}
