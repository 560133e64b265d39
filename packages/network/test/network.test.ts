import { Cidr, VpcCidrRule } from '@keelson/conventions';
import { cfnLint, cfnLintRunsHere, formatCfnLint, NagPack, proofApp, synthesize, SynthResult, testProofGates } from '@keelson/proof';
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ZonedStack, ZONES } from './helpers';
import {
  CrossRegionPeering, NatGatewayMode, PeeringRoutes, PlatformEndpoint, PlatformNetwork, PlatformSecurityGroups,
} from '../src';

// ---------------------------------------------------------------------------
// One synth for the whole file: three stacks under cdk-nag AwsSolutions and
// CloudFormation validation, plus four small stacks in a second proof app
// without nag packs.
// ---------------------------------------------------------------------------
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });

const defaultsStack = new ZonedStack(app, 'Defaults');
const defaults = new PlatformNetwork(defaultsStack, 'Network', { clusterName: 'platform' });

const fullStack = new ZonedStack(app, 'Full');
const full = new PlatformNetwork(fullStack, 'Network', {
  clusterName: 'platform',
  environmentSuffix: 'prod',
  isolatedSubnets: true,
  peerCidrs: ['10.1.0.0/16'],
  networkAcls: true,
  internalLoadBalancer: true,
  additionalInterfaceEndpoints: [
    PlatformEndpoint.SQS, PlatformEndpoint.SNS, PlatformEndpoint.SECRETS_MANAGER, PlatformEndpoint.SSM,
    PlatformEndpoint.KMS, PlatformEndpoint.ELASTIC_LOAD_BALANCING, PlatformEndpoint.AUTOSCALING,
    PlatformEndpoint.EKS, PlatformEndpoint.EKS_AUTH, PlatformEndpoint.BEDROCK_RUNTIME,
    PlatformEndpoint.STS, // duplicate of a default: created once
  ],
});
const peering = new CrossRegionPeering(fullStack, 'Peering', {
  vpc: full.vpc,
  peerVpcId: 'vpc-0123456789abcdef0',
  peerRegion: 'us-west-2',
  peerCidr: '10.1.0.0/16',
  routeFromIsolatedSubnets: true,
  environmentSuffix: 'prod',
});

const dualStack = new ZonedStack(app, 'DualStack');
const dual = new PlatformNetwork(dualStack, 'Network', {
  clusterName: 'platform-v6',
  availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'],
  natGateways: NatGatewayMode.SINGLE,
  ipv6: true,
  networkAcls: true,
  internalLoadBalancer: true,
  albIngressCidrs: ['203.0.113.0/24'],
  interfaceEndpoints: [PlatformEndpoint.STS],
});
const crossAccount = new CrossRegionPeering(dualStack, 'CrossAccountPeering', {
  vpc: dual.vpc,
  peerVpcId: 'vpc-0abcdef1',
  peerRegion: 'us-west-2',
  peerOwnerId: '222222222222',
  peerRoleArn: 'arn:aws:iam::222222222222:role/peering-accepter',
});
// The accepter-side helper, given any IVpc and a peering id.
new PeeringRoutes(dualStack, 'AccepterRoutes', {
  vpc: dual.vpc,
  peeringConnectionId: crossAccount.peeringConnectionId,
  peerCidr: '172.16.0.0/16',
});

const result: SynthResult = synthesize(app);
const tDefaults = result.template('Defaults');
const tFull = result.template('Full');
const tDual = result.template('DualStack');

// Options that need collaborators outside this package (an S3 bucket, a
// caller's key) or an environment-agnostic stack: a proof app without nag packs,
// whose CloudFormation validation reuses each stack's report while its template is unchanged.
const optionsApp = proofApp({ nagPacks: [] });
const s3Stack = new ZonedStack(optionsApp, 'S3Dest');
const bucket = new s3.Bucket(s3Stack, 'FlowLogBucket');
const callerKey = new kms.Key(s3Stack, 'CallerKey', { enableKeyRotation: true });
const s3Net = new PlatformNetwork(s3Stack, 'Network', {
  clusterName: 'platform',
  flowLogs: { s3Bucket: bucket, retention: logs.RetentionDays.ONE_YEAR, key: callerKey },
  restrictDefaultSecurityGroup: false,
  removalPolicy: RemovalPolicy.RETAIN,
});
// Negative control for the 0.0.0.0/0 walker: a group outside this package that opens SSH.
const controlStack = new ZonedStack(optionsApp, 'Control');
const controlNet = new PlatformNetwork(controlStack, 'Network', { clusterName: 'platform', restrictDefaultSecurityGroup: false });
const openSsh = new ec2.CfnSecurityGroupIngress(controlStack, 'OpenSsh', {
  groupId: controlNet.securityGroups.nodes.securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0',
});
Validations.of(openSsh).acknowledge({ id: 'CloudFormation-Validate::W2508', reason: 'Deliberately open: the negative control for the 0.0.0.0/0 walker' });
const agnosticStack = new Stack(optionsApp, 'Agnostic');
new PlatformNetwork(agnosticStack, 'Network', { clusterName: 'platform', maxAzs: 4 });
const optionsStack = new ZonedStack(optionsApp, 'Options');
const opts = new PlatformNetwork(optionsStack, 'Network', {
  clusterName: 'platform',
  ipv6: true,
  restrictDefaultSecurityGroup: false,
  peerCidrs: ['10.2.0.0/16'],
  nlbListenerPorts: [443, 8443],
  peeringPorts: [5432],
});
const tS3 = Template.fromStack(s3Stack);
const tAgnostic = Template.fromStack(agnosticStack);
const tOptions = Template.fromStack(optionsStack);
const tControl = Template.fromStack(controlStack);

// ---------------------------------------------------------------------------
// Helpers over raw templates.
// ---------------------------------------------------------------------------
type Resources = Record<string, { Type: string; Properties: any }>;
const resourcesOf = (t: Template): Resources => t.toJSON().Resources;
const tagsOf = (r: any): Record<string, string> =>
  Object.fromEntries((r.Properties.Tags ?? []).map((tag: any) => [tag.Key, tag.Value]));
const subnetsByType = (t: Template, type: string) => Object.entries(t.findResources('AWS::EC2::Subnet'))
  .filter(([, r]) => tagsOf(r)['aws-cdk:subnet-type'] === type);
/** Resolve Fn::Join over AWS pseudo parameters to plain text, as CloudFormation would in ap-southeast-1. */
const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Region': 'ap-southeast-1', 'AWS::AccountId': '111111111111' };
const flatten = (v: any): any => {
  if (Array.isArray(v)) return v.map(flatten);
  if (v && typeof v === 'object') {
    if ('Fn::Join' in v) return v['Fn::Join'][1].map(flatten).join(v['Fn::Join'][0]);
    if ('Ref' in v && PSEUDO[v.Ref]) return PSEUDO[v.Ref];
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flatten(x)]));
  }
  return v;
};
const logicalIdOf = (construct: ec2.ISecurityGroup) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as ec2.CfnSecurityGroup);

describe('gates', () => {
  testProofGates(result);

  test('this package acknowledges only what it causes', () => {
    const ours = result.acknowledgements
      .filter((a) => !/F300[23]$/.test(a.id)) // aws-cdk-lib's own ec2.FlowLog acknowledgements
      .map((a) => `${a.constructPath.replace(/^[^/]+\//, '')} ${a.id}`);
    expect([...new Set(ours)].sort()).toEqual([
      'Network/NetworkAcls AwsSolutions-VPC3',
      'Network/SecurityGroups/Alb AwsSolutions-EC23',
      'Network/EndpointSecurityGroup AwsSolutions-EC23',
      'Network/SecurityGroups/Nlb AwsSolutions-EC23',
      'Network/Vpc CloudFormation-Validate::W3010',
      'Network/FlowLogs/CloudWatch NIST.800.53.R5-IAMNoInlinePolicy',
      'Network/SecurityGroups/Nodes NIST.800.53.R5-EC2RestrictedCommonPorts',
      ...[1, 2, 3].map((i) => `Network/Vpc/PublicSubnet${i} NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW`),
      'Network/EndpointSecurityGroup NIST.800.53.R5-EC2RestrictedSSH',
      'Network/SecurityGroups/Nlb NIST.800.53.R5-EC2RestrictedSSH',
      ...[1, 2].flatMap((i) => ['Public', 'Private'].map((t) => `Network/Vpc/${t}Subnet${i} NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled`)),
    ].sort());
  });

  (cfnLintRunsHere() ? test : test.skip)('cfn-lint finds no error', () => {
    expect(formatCfnLint(cfnLint(result.templatePaths).errors)).toBe('');
  });

  test('templates stay well under CloudFormation limits', () => {
    for (const t of [tDefaults, tFull, tDual]) {
      expect(Object.keys(resourcesOf(t)).length).toBeLessThan(250);
    }
  });
});

describe('VPC defaults', () => {
  test('10.0.0.0/16 with DNS support and hostnames', () => {
    tDefaults.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.0.0.0/16',
      EnableDnsSupport: true,
      EnableDnsHostnames: true,
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'platform-vpc-dev' }]),
    });
    expect(defaults.vpcCidr).toBe('10.0.0.0/16');
  });

  test('three AZs, a public and a private subnet in each, no isolated tier', () => {
    expect(defaults.availabilityZones).toEqual(ZONES);
    expect(defaults.publicSubnets.map((s) => s.availabilityZone)).toEqual(ZONES);
    expect(defaults.privateSubnets.map((s) => s.availabilityZone)).toEqual(ZONES);
    expect(defaults.isolatedSubnets).toEqual([]);
    tDefaults.resourceCountIs('AWS::EC2::Subnet', 6);
    expect(subnetsByType(tDefaults, 'Public')).toHaveLength(3);
    expect(subnetsByType(tDefaults, 'Private')).toHaveLength(3);
    for (const [, subnet] of subnetsByType(tDefaults, 'Public')) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  test('subnet CIDRs are exactly the layout the private CIDR planner computes', () => {
    const cidrs = Object.values(tDefaults.findResources('AWS::EC2::Subnet')).map((r) => r.Properties.CidrBlock).sort();
    const plan = VpcCidrRule.planSubnets('10.0.0.0/16', [24, 19], 3);
    expect(plan.fits).toBe(true);
    expect(cidrs).toEqual([...plan.subnets].sort());
    expect(plan.subnets).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.32.0/19', '10.0.64.0/19', '10.0.96.0/19']);
  });

  test('one route table per subnet', () => {
    tDefaults.resourceCountIs('AWS::EC2::RouteTable', 6);
    const assocs = Object.values(tDefaults.findResources('AWS::EC2::SubnetRouteTableAssociation'));
    expect(assocs).toHaveLength(6);
    expect(new Set(assocs.map((a) => JSON.stringify(a.Properties.RouteTableId))).size).toBe(6);
    expect(new Set(assocs.map((a) => JSON.stringify(a.Properties.SubnetId))).size).toBe(6);
  });

  test('one NAT gateway per AZ by default, each private route table using its own', () => {
    tDefaults.resourceCountIs('AWS::EC2::NatGateway', 3);
    const natRoutes = Object.values(tDefaults.findResources('AWS::EC2::Route', {
      Properties: { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: Match.anyValue() },
    }));
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => JSON.stringify(r.Properties.NatGatewayId))).size).toBe(3);
  });

  test('EKS, load balancer controller and Karpenter discovery tags by subnet role', () => {
    for (const [, subnet] of subnetsByType(tDefaults, 'Public')) {
      const tags = tagsOf(subnet);
      expect(tags['kubernetes.io/role/elb']).toBe('1');
      expect(tags['kubernetes.io/cluster/platform']).toBe('shared');
      expect(tags['kubernetes.io/role/internal-elb']).toBeUndefined();
      expect(tags['karpenter.sh/discovery']).toBeUndefined();
    }
    for (const [, subnet] of subnetsByType(tDefaults, 'Private')) {
      const tags = tagsOf(subnet);
      expect(tags['kubernetes.io/role/internal-elb']).toBe('1');
      expect(tags['karpenter.sh/discovery']).toBe('platform');
      expect(tags['kubernetes.io/cluster/platform']).toBe('shared');
      expect(tags['kubernetes.io/role/elb']).toBeUndefined();
    }
    const nodes = resourcesOf(tDefaults)[logicalIdOf(defaults.securityGroups.nodes)];
    expect(tagsOf(nodes)['karpenter.sh/discovery']).toBe('platform');
    expect(tagsOf(nodes).Component).toBe('network-security-groups');
  });

  test('the default security group is stripped of its rules', () => {
    tDefaults.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    tS3.resourceCountIs('Custom::VpcRestrictDefaultSG', 0);
  });

  test('IPv4 only unless asked', () => {
    tDefaults.resourceCountIs('AWS::EC2::VPCCidrBlock', 0);
    tDefaults.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 0);
  });
});

describe('VPC options', () => {
  test('isolated tier: one subnet per AZ, own route tables, no internet route, no LB tags', () => {
    expect(full.isolatedSubnets).toHaveLength(3);
    tFull.resourceCountIs('AWS::EC2::Subnet', 9);
    tFull.resourceCountIs('AWS::EC2::RouteTable', 9);
    const isolated = subnetsByType(tFull, 'Isolated');
    expect(isolated.map(([, s]) => s.Properties.CidrBlock)).toEqual(['10.0.128.0/24', '10.0.129.0/24', '10.0.130.0/24']);
    for (const [, subnet] of isolated) {
      const tags = tagsOf(subnet);
      expect(Object.keys(tags).filter((k) => k.startsWith('kubernetes.io') || k.startsWith('karpenter'))).toEqual([]);
    }
    const isolatedTables = full.isolatedSubnets.map((s) => fullStack.resolve(s.routeTable.routeTableId));
    const internetRoutes = Object.values(tFull.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '0.0.0.0/0' } }));
    for (const route of internetRoutes) {
      expect(isolatedTables).not.toContainEqual(route.Properties.RouteTableId);
    }
  });

  test('explicit AZ list and a single shared NAT gateway', () => {
    expect(dual.availabilityZones).toEqual(['ap-southeast-1a', 'ap-southeast-1b']);
    tDual.resourceCountIs('AWS::EC2::Subnet', 4);
    tDual.resourceCountIs('AWS::EC2::NatGateway', 1);
    const natRoutes = Object.values(tDual.findResources('AWS::EC2::Route', {
      Properties: { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: Match.anyValue() },
    }));
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((r) => JSON.stringify(r.Properties.NatGatewayId))).size).toBe(1);
  });

  test('IPv6 dual-stack: Amazon-provided block, a /64 per subnet, egress-only gateway for private subnets', () => {
    tDual.hasResourceProperties('AWS::EC2::VPCCidrBlock', { AmazonProvidedIpv6CidrBlock: true });
    tDual.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 1);
    for (const subnet of Object.values(tDual.findResources('AWS::EC2::Subnet'))) {
      expect(subnet.Properties.Ipv6CidrBlock).toBeDefined();
    }
    tDual.hasResourceProperties('AWS::EC2::Route', { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: Match.anyValue() });
    tDual.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^VPC interface endpoints'),
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIpv6: Match.anyValue(), FromPort: 443, ToPort: 443 })]),
    });
  });

  test('an environment-agnostic stack still gets the requested number of AZs', () => {
    const azs = Object.values(tAgnostic.findResources('AWS::EC2::Subnet')).map((s) => JSON.stringify(s.Properties.AvailabilityZone));
    expect(azs).toHaveLength(8);
    expect(new Set(azs).size).toBe(4);
    expect(azs[3]).toContain('"Fn::Select":[3');
  });
});

describe('VPC endpoints', () => {
  const endpointsOf = (t: Template, type: string) => Object.values(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: type } }));
  const serviceOf = (e: any) => JSON.stringify(e.Properties.ServiceName);

  test('S3 gateway endpoint on the private route tables (and isolated when present)', () => {
    const [gw] = endpointsOf(tDefaults, 'Gateway');
    expect(serviceOf(gw)).toContain('.s3');
    expect(gw.Properties.RouteTableIds).toHaveLength(3);
    expect(endpointsOf(tFull, 'Gateway')[0].Properties.RouteTableIds).toHaveLength(6);
    expect(defaults.s3Endpoint.vpcEndpointId).toBeDefined();
  });

  test('five interface endpoints by default, private DNS on, in the endpoint group', () => {
    const eps = endpointsOf(tDefaults, 'Interface');
    expect(eps).toHaveLength(5);
    expect(defaults.interfaceEndpoints).toHaveLength(5);
    const sgRef = { 'Fn::GetAtt': [logicalIdOf(defaults.endpointSecurityGroup), 'GroupId'] };
    for (const ep of eps) {
      expect(ep.Properties.PrivateDnsEnabled).toBe(true);
      expect(ep.Properties.SecurityGroupIds).toEqual([sgRef]);
      expect(ep.Properties.SubnetIds).toHaveLength(3);
    }
    const services = eps.map(serviceOf).join(' ');
    for (const svc of ['.ecr.api', '.ecr.dkr', '.ec2', '.logs', '.sts']) expect(services).toContain(svc);
  });

  test('the typed option set adds services; duplicates are created once', () => {
    const services = endpointsOf(tFull, 'Interface').map(serviceOf);
    expect(services).toHaveLength(15);
    for (const svc of ['.sqs', '.sns', '.secretsmanager', '.ssm', '.kms', '.elasticloadbalancing', '.autoscaling', '.eks"', '.eks-auth', '.bedrock-runtime']) {
      expect(services.join(' ')).toContain(svc);
    }
    expect(endpointsOf(tDual, 'Interface').map(serviceOf)).toEqual([expect.stringContaining('.sts')]);
    expect(PlatformEndpoint.DEFAULTS.map((e) => e.id)).toEqual(['ecr-api', 'ecr-dkr', 'ec2', 'logs', 'sts']);
  });

  test('endpoint group admits HTTPS from the VPC CIDR and peered CIDRs only, no egress', () => {
    const sg = resourcesOf(tFull)[logicalIdOf(full.endpointSecurityGroup)].Properties;
    expect(sg.SecurityGroupIngress).toEqual([
      expect.objectContaining({ CidrIp: '10.0.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
      expect.objectContaining({ CidrIp: '10.1.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
    ]);
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
    const dflt = resourcesOf(tDefaults)[logicalIdOf(defaults.endpointSecurityGroup)].Properties;
    expect(dflt.SecurityGroupIngress).toHaveLength(1);
  });
});

describe('security groups', () => {
  const sgs = (n: PlatformNetwork) => n.securityGroups;
  const ingressRules = (t: Template) => {
    // Inline rules and standalone AWS::EC2::SecurityGroupIngress, normalised to { groupId, rule }.
    const out: { groupId: string; rule: any }[] = [];
    for (const [id, r] of Object.entries(resourcesOf(t))) {
      if (r.Type === 'AWS::EC2::SecurityGroup') for (const rule of r.Properties.SecurityGroupIngress ?? []) out.push({ groupId: id, rule });
      if (r.Type === 'AWS::EC2::SecurityGroupIngress') out.push({ groupId: r.Properties.GroupId['Fn::GetAtt']?.[0] ?? JSON.stringify(r.Properties.GroupId), rule: r.Properties });
    }
    return out;
  };
  const egressRules = (t: Template, groupId: string) => {
    const r = resourcesOf(t);
    return [
      ...(r[groupId].Properties.SecurityGroupEgress ?? []),
      ...Object.values(r).filter((x) => x.Type === 'AWS::EC2::SecurityGroupEgress' && x.Properties.GroupId['Fn::GetAtt']?.[0] === groupId).map((x) => x.Properties),
    ];
  };

  /** Every ingress rule open to the internet that is not the ALB's 80/443 listener. */
  const openViolations = (t: Template, albId: string) => ingressRules(t)
    .filter(({ rule }) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0')
    .filter(({ groupId, rule }) => !(groupId === albId && rule.IpProtocol === 'tcp' && [80, 443].includes(rule.FromPort) && rule.ToPort === rule.FromPort))
    .map(({ groupId, rule }) => `${groupId} ${rule.IpProtocol} ${rule.FromPort}-${rule.ToPort} ${rule.CidrIp ?? rule.CidrIpv6}`);

  test.each([
    ['Defaults', () => tDefaults, () => defaults],
    ['Full', () => tFull, () => full],
    ['DualStack', () => tDual, () => dual],
    ['S3Dest', () => tS3, () => s3Net],
  ])('%s: no 0.0.0.0/0 or ::/0 ingress anywhere except the ALB on 80/443', (_name, t, n) => {
    expect(openViolations(t(), logicalIdOf(sgs(n()).alb))).toEqual([]);
    // The walker sees every rule, inline and standalone.
    expect(ingressRules(t()).length).toBeGreaterThanOrEqual(13);
  });

  test('the walker flags an open rule outside the ALB listeners (negative control)', () => {
    expect(openViolations(tControl, logicalIdOf(controlNet.securityGroups.alb))).toEqual([`${logicalIdOf(controlNet.securityGroups.nodes)} tcp 22-22 0.0.0.0/0`]);
  });

  test('ALB: exactly 443 and 80 from 0.0.0.0/0 by default (plus ::/0 only with IPv6 and no explicit sources)', () => {
    const alb = ingressRules(tDefaults).filter(({ groupId }) => groupId === logicalIdOf(defaults.securityGroups.alb)).map(({ rule }) => `${rule.CidrIp ?? rule.CidrIpv6}:${rule.FromPort}`);
    expect(alb.sort()).toEqual(['0.0.0.0/0:443', '0.0.0.0/0:80']);
    const dualAlb = ingressRules(tDual).filter(({ groupId }) => groupId === logicalIdOf(dual.securityGroups.alb)).map(({ rule }) => `${rule.CidrIp ?? rule.CidrIpv6}:${rule.FromPort}`);
    expect(dualAlb.sort()).toEqual(['203.0.113.0/24:443', '203.0.113.0/24:80']);
  });

  test('IPv6 without explicit ALB sources admits ::/0 on the listener ports too', () => {
    const alb = ingressRules(tOptions).filter(({ groupId }) => groupId === logicalIdOf(opts.securityGroups.alb)).map(({ rule }) => `${rule.CidrIp ?? rule.CidrIpv6}:${rule.FromPort}`);
    expect(alb.sort()).toEqual(['0.0.0.0/0:443', '0.0.0.0/0:80', '::/0:443', '::/0:80']);
    expect(openViolations(tOptions, logicalIdOf(opts.securityGroups.alb))).toEqual([]);
  });

  test('load balancers reach node targets on 80, 443 and 1024-65535, never the kubelet (10250)', () => {
    const nodes = logicalIdOf(opts.securityGroups.nodes);
    const fromLoadBalancers = [opts.securityGroups.alb, opts.securityGroups.nlb!].map((g) => logicalIdOf(g));
    const rules = ingressRules(tOptions)
      .filter(({ groupId, rule }) => groupId === nodes && fromLoadBalancers.includes(rule.SourceSecurityGroupId?.['Fn::GetAtt']?.[0]))
      .map(({ rule }) => rule);
    expect([...new Set(rules.map((r) => `${r.FromPort}-${r.ToPort}`))].sort()).toEqual(['1024-10249', '10251-65535', '443-443', '80-80']);
    expect(rules.filter((r) => r.FromPort <= PlatformSecurityGroups.KUBELET_PORT && r.ToPort >= PlatformSecurityGroups.KUBELET_PORT)).toEqual([]);
  });

  test('NLB listener ports and peering ports are configurable', () => {
    const nlb = ingressRules(tOptions).filter(({ groupId }) => groupId === logicalIdOf(opts.securityGroups.nlb!))
      .map(({ rule }) => `${typeof (rule.CidrIp ?? rule.CidrIpv6) === 'string' ? rule.CidrIp ?? rule.CidrIpv6 : 'vpc-ipv6'}:${rule.FromPort}`);
    expect(nlb.sort()).toEqual(['10.0.0.0/16:443', '10.0.0.0/16:8443', '10.2.0.0/16:443', '10.2.0.0/16:8443', 'vpc-ipv6:443', 'vpc-ipv6:8443'].sort());
    const peeringSg = resourcesOf(tOptions)[logicalIdOf(opts.securityGroups.peering!)].Properties;
    expect(peeringSg.SecurityGroupIngress.map((r: any) => `${r.CidrIp}:${r.FromPort}`)).toEqual(['10.2.0.0/16:5432']);
  });

  test('ALB, NLB and control plane groups have scoped egress; nodes egress all', () => {
    const scoped = [
      [tDefaults, defaults.securityGroups.alb], [tFull, full.securityGroups.nlb!], [tDefaults, defaults.securityGroups.controlPlane],
    ] as const;
    for (const [t, sg] of scoped) {
      const egress = egressRules(t, logicalIdOf(sg));
      expect(egress.length).toBeGreaterThan(0);
      for (const rule of egress) {
        expect(rule.CidrIp).toBeUndefined();
        expect(rule.DestinationSecurityGroupId).toBeDefined();
      }
    }
    expect(egressRules(tDefaults, logicalIdOf(defaults.securityGroups.nodes))).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }),
    ]);
  });

  test('control plane and nodes admit each other only on the documented ports', () => {
    const cp = logicalIdOf(defaults.securityGroups.controlPlane);
    const nodes = logicalIdOf(defaults.securityGroups.nodes);
    const fromCpToNodes = ingressRules(tDefaults).filter(({ groupId, rule }) => groupId === nodes && rule.SourceSecurityGroupId?.['Fn::GetAtt']?.[0] === cp);
    const expectedPorts = [...PlatformSecurityGroups.CONTROL_PLANE_TO_NODE_PORTS, PlatformSecurityGroups.MESH_WEBHOOK_PORT];
    expect(fromCpToNodes.map(({ rule }) => rule.FromPort).sort()).toEqual(expectedPorts.sort());
    const intoCp = ingressRules(tDefaults).filter(({ groupId }) => groupId === cp);
    expect(intoCp.map(({ rule }) => [rule.FromPort, rule.SourceSecurityGroupId['Fn::GetAtt'][0]])).toEqual([[443, nodes]]);
  });

  test('no group without a user: the Istio ports live in the nodes group, there is no separate mesh group', () => {
    const groups = Object.values(resourcesOf(tDefaults)).filter((r: any) => r.Type === 'AWS::EC2::SecurityGroup');
    // control plane, nodes, ALB, endpoints: no peering group without peers, no NLB group without an NLB.
    expect(groups).toHaveLength(4);
    expect((defaults.securityGroups as any).mesh).toBeUndefined();
    expect(defaults.securityGroups.nlb).toBeUndefined();
  });

  test('internal NLB admits listener ports from the VPC and peers only', () => {
    const nlb = ingressRules(tFull).filter(({ groupId }) => groupId === logicalIdOf(full.securityGroups.nlb!));
    const cidrs = nlb.map(({ rule }) => rule.CidrIp).filter((c) => c !== undefined);
    expect(cidrs).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
    expect(nlb.every(({ rule }) => rule.FromPort === 443 && rule.ToPort === 443)).toBe(true);
  });

  test('peering group exists only with peer CIDRs and admits only the peer CIDR', () => {
    expect(defaults.securityGroups.peering).toBeUndefined();
    const peeringSg = full.securityGroups.peering!;
    const props = resourcesOf(tFull)[logicalIdOf(peeringSg)].Properties;
    const expected = ['10.1.0.0/16:15008', '10.1.0.0/16:15443', '10.1.0.0/16:443'];
    expect(props.SecurityGroupIngress.map((r: any) => `${r.CidrIp}:${r.FromPort}`).sort()).toEqual(expected);
    expect(props.SecurityGroupEgress.map((r: any) => `${r.CidrIp}:${r.FromPort}`).sort()).toEqual(expected);
    expect(props.SecurityGroupIngress.some((r: any) => r.FromPort <= 10250 && r.ToPort >= 10250)).toBe(false);
  });
});

describe('flow logs', () => {
  test('ALL traffic to an encrypted CloudWatch log group with 30-day retention', () => {
    tDefaults.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', ResourceType: 'VPC',
    });
    const keyId = Stack.of(defaults).getLogicalId(defaults.flowLogKey.node.defaultChild as kms.CfnKey);
    tDefaults.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/keelson/vpc-flow-logs-dev',
      RetentionInDays: 30,
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    // No removal policy given: the flow logs are kept.
    tDefaults.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  test('a new key with rotation whose policy admits the regional logs principal for this log group only', () => {
    const [key] = Object.values(tDefaults.findResources('AWS::KMS::Key'));
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true });
    expect(key.Properties.PendingWindowInDays).toBeUndefined();
    const statements = flatten(key.Properties.KeyPolicy.Statement);
    const logsStatements = statements.filter((st: any) => st.Principal?.Service !== undefined);
    expect(logsStatements).toEqual([expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'logs.ap-southeast-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Condition: {
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:ap-southeast-1:111111111111:log-group:/keelson/vpc-flow-logs-dev',
        },
      },
    })]);
    tDefaults.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/keelson/vpc-flow-logs-dev' });
  });

  test('a caller key, a custom retention and an S3 destination', () => {
    tS3.resourceCountIs('AWS::KMS::Key', 1); // only the caller's
    expect(s3Net.flowLogKey).toBe(callerKey);
    tS3.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    tS3.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/vpc-flow-logs/'])]) }),
    });
    tS3.resourceCountIs('AWS::EC2::FlowLog', 2);
    tS3.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(s3Net.flowLogs.s3FlowLog).toBeDefined();
    expect(defaults.flowLogs.s3FlowLog).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// Network ACLs, proved by evaluating packets against the synthesized entries.
// ---------------------------------------------------------------------------
interface Packet { egress: boolean; protocol: 'tcp' | 'udp'; port: number; remote: string }
interface Verdict { action: 'allow' | 'deny'; rule: number | '*' }
const PROTOCOL_NUMBERS = { tcp: 6, udp: 17 };

/** AWS evaluates NACL entries in ascending rule number; the first match decides; `*` denies the rest. */
function evaluate(t: Template, aclLogicalId: string, packet: Packet): Verdict {
  const ip = `${packet.remote}/32`;
  const entries = Object.values(t.findResources('AWS::EC2::NetworkAclEntry'))
    .map((e) => e.Properties)
    .filter((p) => p.NetworkAclId.Ref === aclLogicalId && Boolean(p.Egress) === packet.egress && p.CidrBlock !== undefined)
    .sort((a, b) => a.RuleNumber - b.RuleNumber);
  for (const e of entries) {
    if (e.Protocol !== -1 && e.Protocol !== PROTOCOL_NUMBERS[packet.protocol]) continue;
    if (e.Protocol !== -1 && (packet.port < e.PortRange.From || packet.port > e.PortRange.To)) continue;
    if (!Cidr.contains(e.CidrBlock, ip)) continue;
    return { action: e.RuleAction, rule: e.RuleNumber };
  }
  return { action: 'deny', rule: '*' };
}

describe('network ACLs', () => {
  const aclId = (acl: ec2.INetworkAcl | undefined) => fullStack.getLogicalId(acl!.node.defaultChild as ec2.CfnNetworkAcl);
  const acls = () => full.networkAcls!;
  const INTERNET = '52.95.110.1';

  test('off by default; one ACL per tier associated with every subnet when on', () => {
    expect(defaults.networkAcls).toBeUndefined();
    tDefaults.resourceCountIs('AWS::EC2::NetworkAcl', 0);
    tFull.resourceCountIs('AWS::EC2::NetworkAcl', 3);
    tFull.resourceCountIs('AWS::EC2::SubnetNetworkAclAssociation', 9);
    const assoc = Object.values(tFull.findResources('AWS::EC2::SubnetNetworkAclAssociation'));
    const privAssoc = assoc.filter((a) => a.Properties.NetworkAclId.Ref === aclId(acls().privateAcl));
    expect(privAssoc.map((a) => fullStack.resolve(a.Properties.SubnetId)).sort())
      .toEqual(full.privateSubnets.map((s) => fullStack.resolve(s.subnetId)).sort());
  });

  test('an outbound HTTPS call from a node and its return traffic are allowed at every hop', () => {
    // Node -> internet: leaves the private subnet, enters the NAT's public subnet, leaves it.
    expect(evaluate(tFull, aclId(acls().privateAcl), { egress: true, protocol: 'tcp', port: 443, remote: INTERNET })).toEqual({ action: 'allow', rule: 200 });
    expect(evaluate(tFull, aclId(acls().publicAcl), { egress: true, protocol: 'tcp', port: 443, remote: INTERNET }).action).toBe('allow');
    // Return: from 52.95.110.1:443 to the NAT's source port (anywhere in 1024-65535), then to the node's ephemeral port.
    for (const natPort of [1024, 33000, 65535]) {
      expect(evaluate(tFull, aclId(acls().publicAcl), { egress: false, protocol: 'tcp', port: natPort, remote: INTERNET })).toEqual({ action: 'allow', rule: 220 });
    }
    expect(evaluate(tFull, aclId(acls().privateAcl), { egress: false, protocol: 'tcp', port: 40000, remote: INTERNET })).toEqual({ action: 'allow', rule: 200 });
    // NAT forwards the return to the node (public egress to the VPC).
    expect(evaluate(tFull, aclId(acls().publicAcl), { egress: true, protocol: 'tcp', port: 40000, remote: '10.0.32.10' })).toEqual({ action: 'allow', rule: 100 });
  });

  test('packets that should be denied are denied', () => {
    // RDP from the internet: the explicit deny (190) precedes the ephemeral allow (200) that would match it.
    expect(evaluate(tFull, aclId(acls().privateAcl), { egress: false, protocol: 'tcp', port: 3389, remote: '198.51.100.7' })).toEqual({ action: 'deny', rule: 190 });
    expect(evaluate(tFull, aclId(acls().privateAcl), { egress: false, protocol: 'tcp', port: 22, remote: '198.51.100.7' })).toEqual({ action: 'deny', rule: 180 });
    // Nothing but return TCP reaches private subnets from outside; no UDP, no low ports.
    expect(evaluate(tFull, aclId(acls().privateAcl), { egress: false, protocol: 'udp', port: 40000, remote: INTERNET })).toEqual({ action: 'deny', rule: '*' });
    expect(evaluate(tFull, aclId(acls().privateAcl), { egress: true, protocol: 'tcp', port: 25, remote: INTERNET })).toEqual({ action: 'deny', rule: '*' });
    // SSH to a public subnet from the internet.
    expect(evaluate(tFull, aclId(acls().publicAcl), { egress: false, protocol: 'tcp', port: 22, remote: INTERNET })).toEqual({ action: 'deny', rule: '*' });
    // Isolated subnets have no internet path either way.
    expect(evaluate(tFull, aclId(acls().isolatedAcl), { egress: false, protocol: 'tcp', port: 40000, remote: INTERNET })).toEqual({ action: 'deny', rule: '*' });
    expect(evaluate(tFull, aclId(acls().isolatedAcl), { egress: true, protocol: 'tcp', port: 443, remote: INTERNET })).toEqual({ action: 'deny', rule: '*' });
  });

  test('the VPC and the peered VPC are admitted, including admin ports from inside', () => {
    expect(evaluate(tFull, aclId(acls().privateAcl), { egress: false, protocol: 'tcp', port: 22, remote: '10.0.0.20' })).toEqual({ action: 'allow', rule: 100 });
    expect(evaluate(tFull, aclId(acls().privateAcl), { egress: false, protocol: 'tcp', port: 8080, remote: '10.1.5.5' })).toEqual({ action: 'allow', rule: 110 });
    expect(evaluate(tFull, aclId(acls().isolatedAcl), { egress: false, protocol: 'tcp', port: 5432, remote: '10.0.40.1' })).toEqual({ action: 'allow', rule: 100 });
    expect(evaluate(tFull, aclId(acls().isolatedAcl), { egress: true, protocol: 'tcp', port: 5432, remote: '10.1.40.1' })).toEqual({ action: 'allow', rule: 110 });
  });

  test('dual-stack ACLs mirror internet and VPC rules for IPv6', () => {
    const privId = dualStack.getLogicalId(dual.networkAcls!.privateAcl.node.defaultChild as ec2.CfnNetworkAcl);
    const v6 = Object.values(tDual.findResources('AWS::EC2::NetworkAclEntry'))
      .map((e) => e.Properties).filter((p) => p.NetworkAclId.Ref === privId && p.Ipv6CidrBlock !== undefined);
    expect(v6.map((p) => `${p.Egress ? 'out' : 'in'}${p.RuleNumber}`).sort())
      .toEqual(['in1100', 'in1180', 'in1190', 'in1200', 'out1100', 'out1200', 'out1210'].sort());
    expect(v6.find((p) => p.RuleNumber === 1200 && !p.Egress)).toMatchObject({ Ipv6CidrBlock: '::/0', PortRange: { From: 1024, To: 65535 }, RuleAction: 'allow' });
    expect(dual.networkAcls!.isolatedAcl).toBeUndefined();
  });
});

describe('peering', () => {
  test('requester creates a cross-region peering connection', () => {
    tFull.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      VpcId: { Ref: Match.anyValue() },
      PeerVpcId: 'vpc-0123456789abcdef0',
      PeerRegion: 'us-west-2',
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'platform-peering-prod' }]),
    });
    const props = Object.values(tFull.findResources('AWS::EC2::VPCPeeringConnection'))[0].Properties;
    expect(props.PeerOwnerId).toBeUndefined();
    expect(props.PeerRoleArn).toBeUndefined();
  });

  test('cross-account requester passes owner and accepter role', () => {
    tDual.hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      PeerOwnerId: '222222222222',
      PeerRoleArn: 'arn:aws:iam::222222222222:role/peering-accepter',
      PeerRegion: 'us-west-2',
    });
  });

  test('routes to the peer CIDR from every private and isolated route table through the connection', () => {
    const routes = Object.values(tFull.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '10.1.0.0/16' } }));
    expect(routes).toHaveLength(6);
    expect(peering.routes!.routes).toHaveLength(6);
    const pcx = fullStack.resolve(peering.peeringConnectionId);
    const tables = [...full.privateSubnets, ...full.isolatedSubnets].map((s) => JSON.stringify(fullStack.resolve(s.routeTable.routeTableId))).sort();
    expect(routes.map((r) => JSON.stringify(r.Properties.RouteTableId)).sort()).toEqual(tables);
    for (const r of routes) expect(r.Properties.VpcPeeringConnectionId).toEqual(pcx);
  });

  test('the route helper works on any IVpc side, private tables only by default', () => {
    const routes = Object.values(tDual.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '172.16.0.0/16' } }));
    expect(routes).toHaveLength(2);
    for (const r of routes) expect(r.Properties.VpcPeeringConnectionId).toEqual(dualStack.resolve(crossAccount.peeringConnectionId));
    tDual.resourceCountIs('AWS::EC2::Route', 2 * 2 /* public: IGW v4 + v6 */ + 2 * 2 /* private: NAT + egress-only */ + 2 /* peering */);
  });
});

describe('tags and naming', () => {
  test('each construct tags its resources with its component', () => {
    expect(tagsOf(Object.values(tDefaults.findResources('AWS::EC2::VPC'))[0]).Component).toBe('network');
    expect(tagsOf(Object.values(tDefaults.findResources('AWS::KMS::Key'))[0]).Component).toBe('network-flow-logs');
    expect(tagsOf(Object.values(tFull.findResources('AWS::EC2::NetworkAcl'))[0]).Component).toBe('network-acls');
    expect(tagsOf(Object.values(tFull.findResources('AWS::EC2::VPCPeeringConnection'))[0]).Component).toBe('network-peering');
  });
});
