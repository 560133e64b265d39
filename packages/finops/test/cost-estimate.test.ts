import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CostLine, PlatformCostEstimate, PriceTable } from '../src';

// A tiny assembly whose cost is worked out by hand below: two stacks, L1
// resources only (what the estimator reads is the template, nothing else).
// The fixtures are deliberately partial (only what the estimator reads), so CloudFormation's own
// validation, which would only warn about them, is off for this file.
process.env.CDK_VALIDATION = 'false';
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-cost-'));
const app = new App({ outdir });
const res = (stack: Stack, id: string, type: string, properties: Record<string, any> = {}) => new CfnResource(stack, id, { type, properties });

const use1 = new Stack(app, 'Tiny', { env: { account: '111111111111', region: 'us-east-1' } });
res(use1, 'Cluster', 'AWS::EKS::Cluster', { RoleArn: 'arn:aws:iam::111111111111:role/eks', ResourcesVpcConfig: { SubnetIds: ['subnet-1'] } });
res(use1, 'Nat1', 'AWS::EC2::NatGateway', { SubnetId: 'subnet-1' });
res(use1, 'Nat2', 'AWS::EC2::NatGateway', { SubnetId: 'subnet-2' });
res(use1, 'Ecr', 'AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.us-east-1.ecr.api', VpcId: 'vpc-1', SubnetIds: ['subnet-1', 'subnet-2'] });
res(use1, 'S3', 'AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: 'com.amazonaws.us-east-1.s3', VpcId: 'vpc-1' });
res(use1, 'System', 'AWS::EKS::Nodegroup', { ClusterName: 'c', NodeRole: 'r', Subnets: ['s'], CapacityType: 'ON_DEMAND', InstanceTypes: ['m7i.large'], ScalingConfig: { MinSize: 1, DesiredSize: 2, MaxSize: 4 } });
res(use1, 'Spot', 'AWS::EKS::Nodegroup', { ClusterName: 'c', NodeRole: 'r', Subnets: ['s'], CapacityType: 'SPOT', InstanceTypes: ['m7i.xlarge', 'm6i.xlarge'], ScalingConfig: { MinSize: 0, DesiredSize: 3, MaxSize: 9 } });
res(use1, 'Alb1', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application' });
res(use1, 'Alb2', 'AWS::ElasticLoadBalancingV2::LoadBalancer', {});
res(use1, 'Nlb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network' });
const ingress = (name: string, group?: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, annotations: group ? { 'alb.ingress.kubernetes.io/group.name': group } : {} },
  spec: { ingressClassName: 'alb' },
});
res(use1, 'Ingresses', 'Custom::AWSCDK-EKS-KubernetesResource', {
  ServiceToken: 'arn', Manifest: JSON.stringify([ingress('a', 'shared'), ingress('b', 'shared'), { kind: 'Ingress', metadata: { name: 'nginx' }, spec: { ingressClassName: 'nginx' } }]),
});
res(use1, 'Chart', 'Custom::AWSCDK-EKS-HelmChart', { ServiceToken: 'arn', Release: 'argocd', Values: JSON.stringify({ server: { ingress: { enabled: true, ingressClassName: 'alb' } }, other: { ingress: { enabled: false, ingressClassName: 'alb' } } }) });
res(use1, 'Ca', 'AWS::ACMPCA::CertificateAuthority', { KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA', Type: 'ROOT', Subject: { CommonName: 'x' } });
res(use1, 'Key1', 'AWS::KMS::Key', {});
res(use1, 'Key2', 'AWS::KMS::Key', {});
res(use1, 'Logs1', 'AWS::Logs::LogGroup', {});
res(use1, 'Logs2', 'AWS::Logs::LogGroup', {});
res(use1, 'Logs3', 'AWS::Logs::LogGroup', {});
res(use1, 'Detector', 'AWS::GuardDuty::Detector', { Enable: true });

const sin = new Stack(app, 'TinySg', { env: { account: '111111111111', region: 'ap-southeast-1' } });
res(sin, 'Nat', 'AWS::EC2::NatGateway', { SubnetId: 'subnet-1' });
res(sin, 'Pool', 'AWS::EKS::Nodegroup', { ClusterName: 'c', NodeRole: 'r', Subnets: ['s'], InstanceTypes: ['m7i.large'], ScalingConfig: { MinSize: 1, DesiredSize: 1, MaxSize: 2 } });
res(sin, 'Unknown', 'AWS::EKS::Nodegroup', { ClusterName: 'c', NodeRole: 'r', Subnets: ['s'], InstanceTypes: ['x9z.large'], ScalingConfig: { MinSize: 1, DesiredSize: 1, MaxSize: 2 } });
app.synth();

const report = PlatformCostEstimate.fromAssembly(outdir);
const line = (stack: string, what: RegExp): CostLine => {
  const found = report.lines.filter((l) => l.stack === stack && what.test(l.what));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('PlatformCostEstimate on a stack whose cost is known by hand (730 h)', () => {
  test.each([
    // what, quantity, $/month: by hand
    [/^EKS control plane$/, 1, 73.00], // 0.10 x 730
    [/^NAT gateway$/, 2, 65.70], // 2 x 0.045 x 730
    [/^interface endpoint-AZ$/, 2, 14.60], // one Interface endpoint in 2 subnets x 0.01 x 730; the Gateway endpoint is free
    [/^m7i\.large in node group System \(on-demand\)$/, 2, 147.17], // 2 x 0.1008 x 730 = 147.168
    [/^m7i\.xlarge in node group Spot \(spot\)$/, 3, 220.75], // 3 x 0.2016 x 730 x 0.5 = 220.752
    [/^Application Load Balancer$/, 2, 32.85], // 2 x 0.0225 x 730 (the NLB is not an ALB)
    [/^ALB from Ingresses of class alb$/, 2, 32.85], // group "shared" (2 Ingresses) + the Helm chart's enabled alb Ingress; nginx and the disabled one do not count
    [/^Private CA \(general-purpose\)$/, 1, 400.00],
    [/^KMS customer managed key$/, 2, 2.00],
    [/^GB of log ingestion \(assumed\)$/, 3, 1.50], // 3 log groups x 1 GB x 0.50
  ])('%s', (what, quantity, usd) => {
    const l = line('Tiny', what);
    expect(l.quantity).toBe(quantity);
    expect(l.monthlyUsd).toBe(usd);
    expect(l.fixed).toBe(true);
  });

  test('the stack, region and total add up: 990.42 in us-east-1', () => {
    expect(report.byStack.Tiny).toBe(990.42);
    expect(report.byRegion['us-east-1']).toBe(990.42);
  });

  test('usage-based services are listed, not priced', () => {
    const gd = line('Tiny', /^GuardDuty detector$/);
    expect(gd).toMatchObject({ quantity: 1, monthlyUsd: 0, fixed: false, price: 'usage-based' });
  });

  test('a spot line states its assumption', () => {
    expect(line('Tiny', /spot/).note).toBe('spot at 50% off on-demand, priced as m7i.xlarge, the first of m7i.xlarge, m6i.xlarge');
  });

  test('a region with its own price uses it; one without borrows us-east-1\'s and says so; an unknown type is left unpriced', () => {
    expect(line('TinySg', /^NAT gateway$/)).toMatchObject({ monthlyUsd: 43.07, price: 'nat-gateway-hour@ap-southeast-1' }); // 0.059 x 730
    expect(line('TinySg', /m7i\.large/)).toMatchObject({ monthlyUsd: 73.58, price: 'ec2:m7i.large-hour@us-east-1', note: 'us-east-1 price' }); // 0.1008 x 730
    expect(line('TinySg', /node group Unknown/)).toMatchObject({ monthlyUsd: 0, fixed: false, price: 'no price for ec2:x9z.large-hour' });
    expect(report.byRegion['ap-southeast-1']).toBe(116.65);
    expect(report.borrowedPrices).toBe(1);
    expect(report.totalUsd).toBe(1107.07);
  });

  test('the text report names each line\'s price and every source used', () => {
    const text = PlatformCostEstimate.format(report);
    expect(text).toContain('us-east-1: $990.42 / month');
    expect(text).toContain('  Tiny: $990.42 / month');
    expect(text).toContain('Total fixed: $1107.07 / month');
    expect(text).toContain('1 line(s) use the us-east-1 price');
    expect(text).toMatch(/nat-gateway-hour@ap-southeast-1 = \$0\.059\/hour \(2026-08-21\): third-party:/);
    expect(text).toMatch(/ec2:m7i\.large-hour@us-east-1 = \$0\.1008\/hour \(2026-07-20\): aws\/karpenter-provider-aws/);
  });

  test('other assumptions change the result as stated', () => {
    const r = PlatformCostEstimate.fromAssembly(outdir, { spotDiscountPercent: 0, logGbPerGroupMonth: 10, hoursPerMonth: 720 });
    expect(r.lines.find((l) => l.stack === 'Tiny' && /spot/.test(l.what))!.monthlyUsd).toBe(435.46); // 3 x 0.2016 x 720
    expect(r.lines.find((l) => l.stack === 'Tiny' && /log ingestion/.test(l.what))!.monthlyUsd).toBe(15.00);
  });
});

describe('the price table', () => {
  test('every entry has a source and a date; third-party sources say so', () => {
    for (const e of PriceTable.DEFAULT.entries) {
      expect(e.source.length).toBeGreaterThan(30);
      expect(e.sourceDate).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      if (!/aws\.amazon\.com|AWS Containers blog|aws\/karpenter-provider-aws/.test(e.source)) expect(e.source).toMatch(/^third-party: /);
    }
  });

  test('bad input is rejected naming the field and the fix', () => {
    const entry = { item: 'nat-gateway-hour', region: 'us-east-1', usd: 1, unit: 'hour', source: 'a source of at least some length', sourceDate: '2026' };
    expect(() => new PriceTable([entry, entry])).toThrow(/nat-gateway-hour@us-east-1 is priced twice\. Fix:/);
    expect(() => new PriceTable([{ ...entry, sourceDate: 'June' }])).toThrow(/needs .* a sourceDate .*Fix:/);
    expect(() => PlatformCostEstimate.fromAssembly(outdir, { spotDiscountPercent: 100 })).toThrow(/invalid spotDiscountPercent: 100\. Fix: use 0 to 99/);
    expect(() => PlatformCostEstimate.fromAssembly(path.join(outdir, 'nope'))).toThrow(/has no manifest\.json\. Fix: synthesize first/);
  });
});
