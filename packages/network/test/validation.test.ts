import { App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ZonedStack } from './helpers';
import {
  CrossRegionPeering, CrossRegionPeeringProps, PeeringRoutes, PlatformNetwork, PlatformNetworkAcls, PlatformNetworkProps, PlatformSecurityGroups,
} from '../src';

// Validation fails in the constructor, before any synth: no template is produced.
const app = new App();
let n = 0;
const stack = (zones?: string[]) => new ZonedStack(app, `S${n++}`, { zones });
const network = (props: Partial<PlatformNetworkProps>, zones?: string[]) =>
  () => new PlatformNetwork(stack(zones), 'Net', { clusterName: 'platform', ...props });

describe('PlatformNetwork validation names the prop and the fix', () => {
  test.each<[string, Partial<PlatformNetworkProps>, RegExp]>([
    ['malformed cidr', { cidr: '10.0.0/16' }, /Net: invalid cidr: "10\.0\.0\/16" is not an IPv4 CIDR block \(a\.b\.c\.d\/n\)\. Fix: use an IPv4 CIDR block such as 10\.0\.0\.0\/16$/],
    ['octet above 255', { cidr: '10.0.256.0/16' }, /invalid cidr: "10\.0\.256\.0\/16" is not an IPv4 CIDR block/],
    ['host bits set', { cidr: '10.0.0.1/16' }, /invalid cidr: "10\.0\.0\.1\/16" has host bits set\. Fix: use 10\.0\.0\.0\/16$/],
    ['prefix wider than /16', { cidr: '10.0.0.0/8' }, /invalid cidr: 10\.0\.0\.0\/8 has a \/8 prefix; VPCs take \/16 to \/28\. Fix: use a prefix from \/16 to \/28, for example 10\.0\.0\.0\/16$/],
    ['prefix narrower than /28', { cidr: '10.0.0.0/29' }, /invalid cidr: .* VPCs take \/16 to \/28/],
    ['too small for three AZs of subnets', { cidr: '10.0.0.0/18' },
      /invalid cidr: 10\.0\.0\.0\/18 holds 16384 addresses but 3 AZs × \(public \/24 \+ private \/19\) need 32768\. Fix: use a \/17 or larger VPC, fewer AZs, or longer subnet masks$/],
    ['too small once isolated subnets are added', { cidr: '10.0.0.0/17', isolatedSubnets: true },
      /invalid cidr: 10\.0\.0\.0\/17 .*3 AZs × \(public \/24 \+ private \/19 \+ isolated \/24\).* Fix: use a \/16 or larger VPC/],
    ['even a /16 is too small', { maxAzs: 6, privateSubnetMask: 17 }, /invalid cidr: .* 6 AZs .*Fix: use fewer AZs or longer subnet masks \(even a \/16 is too small\)$/],
    ['maxAzs below 2', { maxAzs: 1 }, /Net: invalid maxAzs: 1 is outside 2–6\. Fix: use an integer from 2 to 6$/],
    ['maxAzs above 6', { maxAzs: 7 }, /invalid maxAzs: 7 is outside 2–6/],
    ['one zone listed', { availabilityZones: ['ap-southeast-1a'] }, /invalid availabilityZones: lists 1 zones; the platform spans 2–6\. Fix: list 2 to 6 zones$/],
    ['seven zones listed', { availabilityZones: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, /invalid availabilityZones: lists 7 zones/],
    ['zone list does not match maxAzs', { maxAzs: 3, availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'] },
      /invalid availabilityZones: lists 2 zones but maxAzs is 3\. Fix: list 3 zones, or set maxAzs to 2 \(or omit it\)$/],
    ['repeated zone', { availabilityZones: ['ap-southeast-1a', 'ap-southeast-1a'] }, /invalid availabilityZones: repeats a zone .* Fix: list each zone once$/],
    ['public mask too long', { publicSubnetMask: 29 }, /invalid publicSubnetMask: 29 is outside 16–28/],
    ['private mask too short', { privateSubnetMask: 15 }, /invalid privateSubnetMask: 15 is outside 16–28/],
    ['isolated mask out of range', { isolatedSubnets: true, isolatedSubnetMask: 30 }, /invalid isolatedSubnetMask: 30 is outside 16–28/],
    ['subnet larger than the VPC', { cidr: '10.0.0.0/20', privateSubnetMask: 19 },
      /invalid privateSubnetMask: a \/19 subnet is larger than the \/20 VPC\. Fix: use a mask of \/20 or longer, or a larger cidr$/],
    ['cluster name', { clusterName: 'my cluster' }, /invalid clusterName: "my cluster" is not a valid EKS cluster name\. Fix: use 1–100 letters/],
    ['peer CIDR overlapping the VPC', { peerCidrs: ['10.0.128.0/17'] },
      /invalid peerCidrs\[0\]: 10\.0\.128\.0\/17 overlaps the VPC cidr 10\.0\.0\.0\/16\. Fix: give the peer VPC a non-overlapping CIDR/],
    ['malformed peer CIDR', { peerCidrs: ['10.1.0.0/16', 'ten'] }, /invalid peerCidrs\[1\]: "ten" is not an IPv4 CIDR block/],
    ['more than ten peers', { peerCidrs: Array.from({ length: 11 }, (_, i) => `10.${i + 1}.0.0/16`) }, /invalid peerCidrs \(count\): 11 is outside 0–10/],
    ['malformed ALB source', { albIngressCidrs: ['0.0.0.0/33'] }, /invalid albIngressCidrs\[0\]: "0\.0\.0\.0\/33" has a prefix length above 32/],
    ['malformed IPv6 ALB source', { albIngressCidrs: ['2001:db8::/200'] }, /invalid albIngressCidrs\[0\]: "2001:db8::\/200" has a prefix length above 128/],
    ['empty ALB sources', { albIngressCidrs: [] }, /invalid albIngressCidrs: is empty\. Fix: list at least one source CIDR/],
    ['NLB port 0', { nlbListenerPorts: [0] }, /invalid nlbListenerPorts\[0\]: 0 is outside 1–65535/],
    ['no peering ports', { peeringPorts: [] }, /invalid peeringPorts: is empty/],
    ['the kubelet port to a peer', { peerCidrs: ['10.1.0.0/16'], peeringPorts: [443, 10250] }, /invalid peeringPorts: lists the kubelet port 10250\. Fix: remove it/],
    ['environment suffix', { environmentSuffix: 'Prod' }, /invalid environmentSuffix: "Prod" is not a valid suffix/],
  ])('%s', (_name, props, message) => {
    expect(network(props)).toThrow(message);
  });

  test('a region that offers fewer zones than asked for', () => {
    expect(network({ maxAzs: 3 }, ['ap-southeast-1a', 'ap-southeast-1b']))
      .toThrow(/invalid maxAzs: 3 AZs were asked for but the stack offers 2\. Fix: pass availabilityZones explicitly/);
  });

  test('valid edge cases pass: 2 and 6 AZs, a /28-masked small VPC, peers that touch but do not overlap', () => {
    expect(network({ maxAzs: 2 })).not.toThrow();
    expect(network({ maxAzs: 6, isolatedSubnets: true }, ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => `ap-southeast-1${z}`))).not.toThrow();
    expect(network({ cidr: '10.0.0.0/24', publicSubnetMask: 28, privateSubnetMask: 27, maxAzs: 2 })).not.toThrow();
    expect(network({ cidr: '10.0.0.0/17', peerCidrs: ['10.0.128.0/17'] })).not.toThrow();
  });
});

describe('CrossRegionPeering validation', () => {
  const vpc = () => {
    const s = stack();
    return { s, vpc: ec2.Vpc.fromVpcAttributes(s, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['ap-southeast-1a'], privateSubnetIds: ['subnet-1'], privateSubnetRouteTableIds: ['rtb-1'] }) };
  };
  const peering = (props: Partial<CrossRegionPeeringProps>) => () => {
    const { s, vpc: v } = vpc();
    return new CrossRegionPeering(s, 'Peer', { vpc: v, peerVpcId: 'vpc-0123456789abcdef0', peerRegion: 'us-west-2', ...props });
  };

  test.each<[string, Partial<CrossRegionPeeringProps>, RegExp]>([
    ['malformed VPC id', { peerVpcId: 'vpc-xyz' }, /Peer: invalid peerVpcId: "vpc-xyz" is not a VPC ID\. Fix: pass the accepter VPC ID/],
    ['malformed region', { peerRegion: 'Oregon' }, /invalid peerRegion: "Oregon" is not a region name/],
    ['own region', { peerRegion: 'ap-southeast-1' }, /invalid peerRegion: "ap-southeast-1" is this stack's own region\. Fix: pass the other region/],
    ['malformed owner', { peerOwnerId: '1234' }, /invalid peerOwnerId: "1234" is not a 12-digit account ID/],
    ['role without owner', { peerRoleArn: 'arn:aws:iam::222222222222:role/x' }, /invalid peerRoleArn: is set without peerOwnerId/],
    ['cross-account without role', { peerOwnerId: '222222222222' }, /invalid peerRoleArn: is required when peerOwnerId \(222222222222\) is another account\. Fix: create a role in the accepter account/],
    ['malformed peer CIDR for routes', { peerCidr: '10.1.0.0' }, /Peer\/Routes: invalid peerCidr: "10\.1\.0\.0" is not an IPv4 CIDR block/],
  ])('%s', (_name, props, message) => {
    expect(peering(props)).toThrow(message);
  });

  test('same-account peering needs no role; imported VPCs get routes', () => {
    expect(peering({ peerOwnerId: '111111111111', peerCidr: '10.1.0.0/16' })).not.toThrow();
  });
});

describe('PeeringRoutes, PlatformNetworkAcls and PlatformSecurityGroups validation', () => {
  test('a VPC with nothing to route from', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'PublicOnly', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => new PeeringRoutes(s, 'Routes', { vpc, peeringConnectionId: 'pcx-1', peerCidr: '10.1.0.0/16' }))
      .toThrow(/Routes: invalid vpc: has no private subnets to route from\. Fix: pass a VPC with PRIVATE_WITH_EGRESS subnets/);
  });

  test('a malformed VPC CIDR for the ACLs', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2 });
    expect(() => new PlatformNetworkAcls(s, 'Acls', { vpc, vpcCidr: '10.0.0.0' })).toThrow(/Acls: invalid vpcCidr: "10\.0\.0\.0" is not an IPv4 CIDR block/);
    expect(() => new PlatformNetworkAcls(s, 'Acls2', { vpc, vpcCidr: '10.0.0.0/16', peerCidrs: ['x'] })).toThrow(/Acls2: invalid peerCidrs\[0\]/);
  });

  test('security groups used alone validate their inputs', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2 });
    expect(() => new PlatformSecurityGroups(s, 'Sg1', { vpc, peerCidrs: ['10.1.0.0/33'] })).toThrow(/Sg1: invalid peerCidrs\[0\]/);
    const imported = ec2.Vpc.fromVpcAttributes(s, 'Imported', { vpcId: 'vpc-12345678', availabilityZones: ['a'], vpcCidrBlock: '10.9.0.0/16' });
    expect(() => new PlatformSecurityGroups(s, 'Sg3', { vpc: imported, ipv6: true }))
      .toThrow(/Sg3: invalid vpcIpv6Cidr: is needed with ipv6 when vpc is not an ec2.Vpc\. Fix: pass the VPC's IPv6 block/);
    expect(() => new PlatformSecurityGroups(s, 'Sg4', { vpc: imported, ipv6: true, vpcIpv6Cidr: '2001:db8::/56' })).not.toThrow();
  });
});

