import * as fs from 'fs';
import { _InstanceType } from '@aws-sdk/client-ec2';
import { App, Stack, Token } from 'aws-cdk-lib';
import { Cidr, Ec2InstanceTypes, EmailAddress, IamRoleArn, VpcCidrRule } from '../src';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const catalogue = require('../scripts/ec2-instance-types.js');

describe('Cidr: the one IPv4/IPv6 parser', () => {
  test.each([
    ['10.0.0.0/16', 4, '10.0.0.0', 16],
    ['0.0.0.0/0', 4, '0.0.0.0', 0],
    ['203.0.113.7/32', 4, '203.0.113.7', 32],
    ['2001:db8::/32', 6, '2001:db8::', 32],
    ['::/0', 6, '::', 0],
  ])('parses %s', (text, ipVersion, networkAddress, prefixLength) => {
    expect(Cidr.parse(text)).toEqual({ cidr: text, ipVersion, networkAddress, prefixLength });
  });

  test.each([
    ['10.0.0/16', '"10.0.0/16" is not an IPv4 CIDR block (a.b.c.d/n)', 'use an IPv4 CIDR block such as 10.0.0.0/16'],
    ['010.0.0.0/8', '"010.0.0.0/8" is not an IPv4 CIDR block (a.b.c.d/n)', 'use an IPv4 CIDR block such as 10.0.0.0/16'],
    ['10.0.256.0/16', '"10.0.256.0/16" is not an IPv4 CIDR block (a.b.c.d/n)', 'use an IPv4 CIDR block such as 10.0.0.0/16'],
    ['10.0.0.0', '"10.0.0.0" is not an IPv4 CIDR block (a.b.c.d/n)', 'use an IPv4 CIDR block such as 10.0.0.0/16'],
    ['10.0.0.0/33', '"10.0.0.0/33" has a prefix length above 32', 'use an IPv4 CIDR block such as 10.0.0.0/16'],
    ['10.0.0.1/16', '"10.0.0.1/16" has host bits set', 'use 10.0.0.0/16'],
    ['2001:db8::/129', '"2001:db8::/129" has a prefix length above 128', 'use an IPv6 CIDR block such as 2001:db8::/56'],
    ['2001:db8::1/32', '"2001:db8::1/32" has host bits set', 'use 2001:db8::/32'],
    ['2001:zz8::/32', '"2001:zz8::/32" is not an IPv6 CIDR block', 'use an IPv6 CIDR block such as 2001:db8::/56'],
  ])('refuses %s, naming the problem and the fix', (text, problem, fix) => {
    expect(Cidr.problem(text)).toEqual({ problem, fix });
    expect(() => Cidr.parse(text)).toThrow(`${problem}. Fix: ${fix}`);
  });

  test('a family can be required', () => {
    expect(Cidr.problem('2001:db8::/32', 4)?.problem).toBe('"2001:db8::/32" is an IPv6 block where an IPv4 block is needed');
    expect(Cidr.problem('10.0.0.0/8', 6)?.problem).toBe('"10.0.0.0/8" is an IPv4 block where an IPv6 block is needed');
    expect(Cidr.problem('10.0.0.0/8', 4)).toBeUndefined();
  });

  test('overlap and containment, both families', () => {
    expect(Cidr.overlaps('10.0.0.0/16', '10.0.128.0/17')).toBe(true);
    expect(Cidr.overlaps('10.0.128.0/17', '10.0.0.0/16')).toBe(true);
    expect(Cidr.overlaps('10.0.0.0/16', '10.1.0.0/16')).toBe(false);
    expect(Cidr.overlaps('10.0.0.0/17', '10.0.128.0/17')).toBe(false);
    expect(Cidr.overlaps('2001:db8::/32', '2001:db8:1::/48')).toBe(true);
    expect(Cidr.overlaps('2001:db8::/32', '2001:db9::/32')).toBe(false);
    expect(Cidr.overlaps('0.0.0.0/0', '::/0')).toBe(false);
    expect(Cidr.contains('10.0.0.0/16', '10.0.3.0/24')).toBe(true);
    expect(Cidr.contains('10.0.3.0/24', '10.0.0.0/16')).toBe(false);
    expect(Cidr.isAllAddresses('0.0.0.0/0')).toBe(true);
    expect(Cidr.isAllAddresses('::/0')).toBe(true);
    expect(Cidr.isAllAddresses('203.0.113.0/24')).toBe(false);
    expect(Cidr.ipv4AddressCount('10.0.0.0/20')).toBe(4096);
  });

  test('construct checks name the path and field; tokens pass', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => Cidr.check(stack, 'vpcCidr', '10.0.0.1/16')).toThrow('S: invalid vpcCidr: "10.0.0.1/16" has host bits set. Fix: use 10.0.0.0/16');
    expect(() => Cidr.check(stack, 'cidr', Token.asString({ Ref: 'X' }))).not.toThrow();
    expect(() => Cidr.checkDisjoint(stack, 'drVpcCidr', '10.0.128.0/17', 'primaryVpcCidr', '10.0.0.0/16')).toThrow(
      'S: invalid drVpcCidr: 10.0.128.0/17 overlaps primaryVpcCidr 10.0.0.0/16; peered VPCs need disjoint address ranges. Fix: choose a drVpcCidr outside 10.0.0.0/16, for example the next /16');
    expect(() => Cidr.checkDisjoint(stack, 'drVpcCidr', '10.1.0.0/16', 'primaryVpcCidr', '10.0.0.0/16')).not.toThrow();
  });
});

describe('VpcCidrRule: the one VPC bound', () => {
  const threeAzs = { availabilityZoneCount: 3 };

  test('a /17 holds public /24 + private /19 in three zones; a /18 and a /20 do not', () => {
    expect(VpcCidrRule.problems('10.0.0.0/16', threeAzs)).toEqual([]);
    expect(VpcCidrRule.problems('10.0.0.0/17', threeAzs)).toEqual([]);
    expect(VpcCidrRule.problems('10.0.0.0/20', threeAzs)).toEqual([{
      field: 'privateSubnetMask', problem: 'a /19 subnet is larger than the /20 VPC', fix: 'use a mask of /20 or longer, or a larger cidr',
    }, {
      field: 'cidr',
      problem: '10.0.0.0/20 holds 4096 addresses but 3 AZs × (public /24 + private /19) need 32768',
      fix: 'use a /17 or larger VPC, fewer AZs, or longer subnet masks',
    }]);
  });

  test('prefix bounds, masks, isolated subnets', () => {
    expect(VpcCidrRule.problems('10.0.0.0/8', threeAzs)[0]).toMatchObject({ field: 'cidr', problem: '10.0.0.0/8 has a /8 prefix; VPCs take /16 to /28' });
    expect(VpcCidrRule.problems('10.0.0.0/16', { ...threeAzs, publicSubnetMask: 29 })).toEqual([
      { field: 'publicSubnetMask', problem: '29 is outside 16–28', fix: 'use an integer from 16 to 28' },
    ]);
    expect(VpcCidrRule.problems('10.0.0.0/17', { ...threeAzs, isolatedSubnetMask: 24 })[0].fix).toBe('use a /16 or larger VPC, fewer AZs, or longer subnet masks');
    expect(VpcCidrRule.problems('10.0.0.0/24', { availabilityZoneCount: 2, publicSubnetMask: 28, privateSubnetMask: 27 })).toEqual([]);
  });

  test('lays subnets out as ec2.Vpc does', () => {
    expect(VpcCidrRule.planSubnets('10.0.0.0/16', [24, 19], 2)).toEqual({
      fits: true, addressesUsed: 24576, subnets: ['10.0.0.0/24', '10.0.1.0/24', '10.0.32.0/19', '10.0.64.0/19'],
    });
    const plan = VpcCidrRule.planSubnets('10.0.0.0/16', [24, 19, 24], 3);
    expect(plan.subnets).toEqual([
      '10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24',
      '10.0.32.0/19', '10.0.64.0/19', '10.0.96.0/19',
      '10.0.128.0/24', '10.0.129.0/24', '10.0.130.0/24',
    ]);
    expect(plan.addressesUsed).toBe(131 * 256);
  });

  test('minimum VPC prefix accounts for alignment, not just the sum of sizes', () => {
    // Sum is 3*256 + 3*8192 = 25344 (< /17's 32768) but alignment pushes the last /19 to end at 32768: /17 fits exactly.
    expect(VpcCidrRule.minimumPrefix([24, 19], 3)).toBe(17);
    // Four /19s after /24s need 5 blocks of 8192 = 40960 > 32768: /16.
    expect(VpcCidrRule.minimumPrefix([24, 19], 4)).toBe(16);
    expect(VpcCidrRule.minimumPrefix([24, 17], 6)).toBeUndefined();
    expect(VpcCidrRule.minimumPrefix([28, 28], 2)).toBe(26);
    expect(VpcCidrRule.minimumPrefix([16, 16], 6)).toBeUndefined();
  });
});

describe('EmailAddress and IamRoleArn', () => {
  test.each(['team@example.com', 'a.b+c@sub.example.co.uk'])('accepts %s', (v) => expect(EmailAddress.isValid(v)).toBe(true));
  test.each(['team@', 'team-at-example.com', 'a@b', 'a b@example.com', `${'a'.repeat(250)}@example.com`])('refuses %s', (v) => {
    expect(EmailAddress.problem(v)).toEqual({ problem: `"${v}" is not an email address`, fix: 'give one address such as team@example.com' });
  });

  test.each([
    'arn:aws:iam::123456789012:role/PlatformAdmin',
    'arn:aws-us-gov:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc',
    'arn:aws-cn:iam::123456789012:role/a+b=c,d.e@f-g',
  ])('accepts role %s', (v) => expect(IamRoleArn.isValid(v)).toBe(true));
  test.each([
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:sts::123456789012:assumed-role/Admin/alice',
    'arn:aws:iam::12345:role/Admin',
    `arn:aws:iam::123456789012:role/${'x'.repeat(65)}`,
    'PlatformAdmin',
  ])('refuses %s', (v) => expect(IamRoleArn.problem(v)?.problem).toBe(`"${v}" is not an IAM role ARN`));
});

describe('Ec2InstanceTypes: the EC2 API catalogue', () => {
  test('knows real types and refuses made-up ones, listing the family sizes', () => {
    for (const t of ['m7i.large', 'g5.xlarge', 'p5.48xlarge', 'c7gn.16xlarge', 'p6-b200.48xlarge']) expect(Ec2InstanceTypes.isKnown(t)).toBe(true);
    for (const t of ['m7i.huge', 't3.metal', 'm9z.large', 'large', 'M7I.LARGE', 'constructor.x', '']) expect(Ec2InstanceTypes.isKnown(t)).toBe(false);
    expect(Ec2InstanceTypes.problem('m7i.huge')).toEqual({
      problem: '"m7i.huge" is not an EC2 instance type',
      fix: 'm7i comes in large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 48xlarge, metal-24xl, metal-48xl',
    });
    expect(Ec2InstanceTypes.problem('m9z.large')?.fix).toBe('use a type EC2 offers, written family.size, for example m7i.large');
  });

  test('GPU types: NVIDIA families EKS Bottlerocket supports, all of them in the catalogue', () => {
    expect(Ec2InstanceTypes.gpuProblem('g5.xlarge')).toBeUndefined();
    expect(Ec2InstanceTypes.gpuProblem('g5g.xlarge')).toBeUndefined();
    expect(Ec2InstanceTypes.gpuProblem('m7i.xlarge')?.problem).toBe('"m7i.xlarge" is not a GPU instance type (family "m7i")');
    expect(Ec2InstanceTypes.gpuProblem('g4ad.xlarge')?.problem).toMatch(/not a GPU instance type/); // AMD, no NVIDIA driver
    const families = new Set(Object.values(_InstanceType).map((t) => t.split('.')[0]));
    const gpuFamilies = [...Ec2InstanceTypes.NVIDIA_GPU_FAMILIES_X86_64, ...Ec2InstanceTypes.NVIDIA_GPU_FAMILIES_ARM_64];
    expect(gpuFamilies.filter((f) => !families.has(f))).toEqual([]);
  });

  test('construct check: count, catalogue, duplicates', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => Ec2InstanceTypes.check(stack, 'instanceTypes', ['m7i.large', 'm7i.large'])).toThrow('S: invalid instanceTypes: "m7i.large" is listed twice. Fix: list each instance type once');
    expect(() => Ec2InstanceTypes.check(stack, 'instanceTypes', ['m7i.large'], 2)).toThrow('1 instance type(s) given, at least 2 needed');
    expect(() => Ec2InstanceTypes.check(stack, 'instanceTypes', ['m7i.large', 'm6i.large'], 2)).not.toThrow();
  });

  test('the checked-in catalogue is what the pinned SDK renders (regenerated by every build)', () => {
    expect(fs.readFileSync(catalogue.OUT, 'utf8')).toBe(catalogue.render());
    expect(Ec2InstanceTypes.CATALOGUE_SOURCE).toMatch(/^@aws-sdk\/client-ec2 \d+\.\d+\.\d+$/);
  });
});
