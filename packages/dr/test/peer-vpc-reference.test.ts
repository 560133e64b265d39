import { NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DR_CIDR, DR_REGION, PRIMARY_CIDR, PRIMARY_REGION, RegionStack } from './fixture';
import { PeerVpcPublication, PeerVpcReference, PlatformPeering } from '../src';

// The SSM path for the DR VPC id: the DR stack publishes it, the primary reads it,
// so the DR stack needs no cross-region export writer.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const drStack = new RegionStack(app, 'DrVpcStack', DR_REGION);
const drVpc = new ec2.Vpc(drStack, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr(DR_CIDR), availabilityZones: drStack.availabilityZones, natGateways: 0, restrictDefaultSecurityGroup: false });
new PeerVpcPublication(drStack, 'Publish', { vpc: drVpc, parameterName: '/keelson/test/dr/vpc-id' });
const primaryStack = new RegionStack(app, 'PrimaryVpcStack', PRIMARY_REGION);
const primaryVpc = new ec2.Vpc(primaryStack, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr(PRIMARY_CIDR), availabilityZones: primaryStack.availabilityZones, natGateways: 1, restrictDefaultSecurityGroup: false });
const peeringStack = new RegionStack(app, 'PeeringStack', PRIMARY_REGION);
peeringStack.addStackDependency(drStack);
const reference = new PeerVpcReference(peeringStack, 'DrVpc', {
  region: DR_REGION, parameterName: '/keelson/test/dr/vpc-id', availabilityZones: drStack.availabilityZones,
});
new PlatformPeering(peeringStack, 'Peering', { vpc: primaryVpc, vpcCidr: PRIMARY_CIDR, peerVpc: reference.vpc, peerCidr: DR_CIDR });
for (const vpc of [drVpc, primaryVpc]) {
  // The fixture VPCs stand in for @keelson/network's, which carries flow logs and subnet hardening.
  Validations.of(vpc).acknowledge(
    ...['AwsSolutions-VPC7', 'NIST.800.53.R5-VPCFlowLogsEnabled', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled', 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', 'CloudFormation-Validate::W3010']
      .map((id) => ({ id, reason: 'test fixture VPC: flow logs and default-group hardening are @keelson/network\'s, tested there' })),
  );
}
const result = synthesize(app);

describe('PeerVpcPublication + PeerVpcReference', () => {
  testProofGates(result);

  test('the DR stack publishes the VPC id as a plain parameter: no Lambda, no cross-region writer', () => {
    const dr = result.template('DrVpcStack');
    dr.hasResourceProperties('AWS::SSM::Parameter', { Name: '/keelson/test/dr/vpc-id', Value: { Ref: Match.stringLikeRegexp('^Vpc') } });
    dr.resourceCountIs('AWS::Lambda::Function', 0);
    expect(JSON.stringify(dr.toJSON())).not.toMatch(/CrossRegionExportWriter/);
  });

  test('the primary reads it in the DR region, with ssm:GetParameter on that parameter only', () => {
    const peering = result.template('PeeringStack');
    const [, reader] = Object.entries<any>(peering.findResources('Custom::AWS'))[0];
    expect(JSON.parse(reader.Properties.Update)).toMatchObject({ service: 'SSM', action: 'getParameter', region: 'us-west-2', parameters: { Name: '/keelson/test/dr/vpc-id' } });
    const [, policy] = Object.entries<any>(peering.findResources('AWS::IAM::Policy'))[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Action: 'ssm:GetParameter',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-west-2:111111111111:parameter/keelson/test/dr/vpc-id']] },
    }]);
  });

  test('the peering connection uses the read id and the DR region', () => {
    const [, connection] = Object.entries<any>(result.template('PeeringStack').findResources('AWS::EC2::VPCPeeringConnection'))[0];
    expect(connection.Properties.PeerRegion).toBe('us-west-2');
    expect(JSON.stringify(connection.Properties.PeerVpcId)).toMatch(/Fn::GetAtt.*Parameter\.Value/);
  });

  test('bad input fails at synth, naming the field', () => {
    expect(() => new PeerVpcReference(peeringStack, 'Same', { region: PRIMARY_REGION, parameterName: '/x/y', availabilityZones: [] }))
      .toThrow(/invalid region: is this stack's own region \(ap-southeast-1\)/);
    expect(() => new PeerVpcReference(peeringStack, 'BadName', { region: DR_REGION, parameterName: 'no-slash', availabilityZones: [] }))
      .toThrow(/invalid parameterName: "no-slash" is not an SSM parameter path/);
  });
});
