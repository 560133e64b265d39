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
  Validations.of(vpc).acknowledge({
    id: 'AwsSolutions-VPC7',
    reason: 'test fixture: flow logs belong to @keelson/network, which this package does not import',
  });
  return { stack, vpc };
}
