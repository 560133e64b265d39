import { PlatformCluster } from '@keelson/eks-core';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigOverride, configFromContext, DEFAULT_CONFIG, resolveConfig, validateConfig } from '../src/config';
import { buildPlatform } from '../src/platform';
import { STATEFUL_TYPES } from './support/stateful';

describe('config validation fails before any construct is built, with one line naming the field', () => {
  const cases: [string, ConfigOverride, RegExp][] = [
    ['overlapping CIDRs', { dr: { vpcCidr: '10.0.128.0/17' } }, /^config\.dr\.vpcCidr: 10\.0\.128\.0\/17 overlaps primary\.vpcCidr 10\.0\.0\.0\/16\. Fix: /],
    ['an unknown region', { dr: { region: 'mars-north-1' } }, /^config\.dr\.region: "mars-north-1" is not a supported region\. Fix: use one of/],
    ['a CIDR too small for three zones', { primary: { vpcCidr: '10.0.0.0/24' } }, /^config\.primary\.vpcCidr: \/24 cannot hold .* Fix: use a \/16 to \/20 block$/],
    ['a malformed CIDR', { primary: { vpcCidr: '10.0.0/16' } }, /^config\.primary\.vpcCidr: "10\.0\.0\/16" is not an IPv4 CIDR/],
    ['zones of another region', { primary: { availabilityZones: ['us-west-2a', 'us-west-2b'] } }, /^config\.primary\.availabilityZones: "us-west-2a" is not a zone of ap-southeast-1/],
    ['one zone only', { dr: { availabilityZones: ['us-west-2a'] } }, /^config\.dr\.availabilityZones: has 1 zones\. Fix: list 2 to 6 zones/],
    ['a bad account', { account: '12345' }, /^config\.account: "12345" is not a 12-digit AWS account id/],
    ['a missing owner', { owner: '' }, /^config\.owner: is missing/],
    ['the same region twice', { dr: { region: 'ap-southeast-1', availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'] } }, /^config\.dr\.region: is the same as primary\.region/],
    ['an email that is not an email', { security: { securityAlertsEmail: 'security-at-example.com' } }, /^config\.security\.securityAlertsEmail: "security-at-example\.com" is not an email address/],
    ['a cost email that is not an email', { finops: { costAlertsEmail: 'finops@' } }, /^config\.finops\.costAlertsEmail: "finops@" is not an email address/],
    ['a domain that is not a domain', { gitops: { domainName: 'not a domain' } }, /^config\.gitops\.domainName: "not a domain" is not a domain name/],
    ['a domain with no TLD', { gitops: { domainName: 'localhost' } }, /^config\.gitops\.domainName: "localhost" is not a domain name/],
    ['a missing domain', { gitops: { domainName: '' } }, /^config\.gitops\.domainName: is missing/],
    ['a repo outside the org', { gitops: { repoUrl: 'https://github.com/someone-else/gitops' } }, /^config\.gitops\.repoUrl: .* is not an HTTPS repository of example-org/],
    ['desired above max', { cluster: { appPool: { minSize: 1, desiredSize: 30, maxSize: 20 } } }, /^config\.cluster\.appPool: min 1, desired 30, max 20 are out of order/],
    ['min above desired', { cluster: { systemPool: { minSize: 3, desiredSize: 2, maxSize: 4 } } }, /^config\.cluster\.systemPool: min 3, desired 2, max 4 are out of order/],
    ['a DR scale above 1', { dr: { nodeScale: 1.5 } }, /^config\.dr\.nodeScale: 1\.5 is outside \(0, 1\]/],
    ['a backup schedule that is not cron', { backups: { schedule: 'daily' } }, /^config\.backups\.schedule: "daily" is not a five-field cron expression/],
    ['an unknown node autoscaler', { services: { nodeAutoscaler: 'keda' as any } }, /^config\.services\.nodeAutoscaler: "keda" is not allowed/],
    ['spot with one instance type', { cluster: { appPool: { spotInstanceTypes: ['m7i.xlarge'] } } }, /^config\.cluster\.appPool\.spotInstanceTypes: lists 1 instance types\. Fix: list at least 2/],
    ['a malformed instance type', { cluster: { systemPool: { instanceTypes: ['large'] } } }, /^config\.cluster\.systemPool\.instanceTypes: "large" is not an EC2 instance type/],
    ['a spot share over 100', { cluster: { appPool: { spotPercentage: 150 } } }, /^config\.cluster\.appPool\.spotPercentage: 150 is not a percentage/],
    ['a Kubernetes version without a kubectl layer', { cluster: { kubernetesVersion: '1.28' } }, /^config\.cluster\.kubernetesVersion: "1\.28" is not allowed\. Fix: use one of 1\.36, 1\.35/],
    ['an empty public CIDR allow-list', { cluster: { publicAccessCidrs: [] } }, /^config\.cluster\.publicAccessCidrs: is empty while the public endpoint is on/],
    ['a user ARN where a role is expected', { cluster: { adminRoleArns: ['arn:aws:iam::123456789012:user/alice'] } }, /^config\.cluster\.adminRoleArns\[0\]: .* is not an IAM role ARN/],
    ['a webhook URL instead of a secret name', { security: { slackWebhookSecretName: 'https://hooks.slack.example/x' } }, /^config\.security\.slackWebhookSecretName: /],
    ['a cosign key that is not PEM', { security: { cosignPublicKey: 'ssh-ed25519 AAAA' } }, /^config\.security\.cosignPublicKey: is not a PEM public key/],
    ['a retention CloudWatch does not offer', { network: { flowLogRetentionDays: 45 } }, /^config\.network\.flowLogRetentionDays: 45 is not allowed/],
    ['an unknown NAT mode', { network: { natGateways: 'none' as any } }, /^config\.network\.natGateways: "none" is not allowed\. Fix: use one of per-az, single/],
    ['an unknown removal policy', { removalPolicy: 'snapshot' as any }, /^config\.removalPolicy: "snapshot" is not allowed/],
  ];

  test.each(cases)('%s', (_name, override, message) => {
    const app = new App();
    expect(() => buildPlatform(app, resolveConfig('dev', override))).toThrow(message);
    expect(app.node.children).toHaveLength(0);
  });

  test('the documented example and every environment are valid', () => {
    expect(() => validateConfig(DEFAULT_CONFIG)).not.toThrow();
    for (const env of ['dev', 'staging', 'prod']) expect(() => validateConfig(resolveConfig(env))).not.toThrow();
  });

  test('an unknown environment names the choices', () => {
    expect(() => resolveConfig('qa')).toThrow('config.environment: "qa" is not defined. Fix: use one of dev, staging, prod');
  });
});

describe('node autoscaler', () => {
  // Construction only (no synth): which node groups each choice creates, in both clusters.
  const nodeGroupsOf = (nodeAutoscaler: 'cluster-autoscaler' | 'karpenter') => {
    const app = new App();
    const platform = buildPlatform(app, resolveConfig('dev', { services: { nodeAutoscaler } }));
    const clusters = app.node.findAll().filter((c): c is PlatformCluster => c instanceof PlatformCluster);
    return { platform, groups: clusters.map((c) => Object.keys(c.nodePools).sort()) };
  };

  test('karpenter: only the system pool is a managed node group in both clusters, and no warning of doubled pools', () => {
    const { platform, groups } = nodeGroupsOf('karpenter');
    expect(groups).toEqual([['system'], ['system']]);
    const warnings = platform.stacks.flatMap((s) => s.node.findAll()).flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning');
    expect(warnings).toEqual([]);
  });

  test('cluster-autoscaler: system, app (on-demand + spot) and gpu managed node groups in both clusters', () => {
    expect(nodeGroupsOf('cluster-autoscaler').groups).toEqual([
      ['app-on-demand', 'app-spot', 'gpu', 'system'], ['app-on-demand', 'app-spot', 'gpu', 'system'],
    ]);
  });
});

describe('config sources', () => {
  test('environments override the defaults field by field', () => {
    const prod = resolveConfig('prod');
    expect(prod).toMatchObject({ environmentSuffix: 'prod', removalPolicy: 'retain', primary: { region: 'ap-southeast-1', vpcCidr: '10.20.0.0/16' } });
    expect(prod.cluster.appPool).toMatchObject({ minSize: 4, desiredSize: 6, maxSize: 40, spotPercentage: 50 });
    expect(prod.dr.nodeScale).toBe(1);
    expect(resolveConfig('dev').network.natGateways).toBe('single');
  });

  test('context picks the environment and the account; CDK_DEFAULT_ACCOUNT is the fallback', () => {
    const app = new App({ context: { 'keelson:environment': 'staging', 'keelson:account': '123456789012' } });
    expect(configFromContext(app.node, {})).toMatchObject({ environment: 'staging', account: '123456789012' });
    expect(configFromContext(new App().node, { CDK_DEFAULT_ACCOUNT: '210987654321' }).account).toBe('210987654321');
    expect(configFromContext(new App().node, {}).account).toBe('000000000000');
  });

  test('context overrides any part of the config as JSON, and a bad value names the key', () => {
    const app = new App({ context: { 'keelson:overrides': '{"dr":{"enabled":false},"cluster":{"gpuPool":{"enabled":false}}}' } });
    const config = configFromContext(app.node, {});
    expect(config.dr).toMatchObject({ enabled: false, region: 'us-west-2' });
    expect(config.cluster.gpuPool.enabled).toBe(false);
    expect(() => configFromContext(new App({ context: { 'keelson:overrides': '{dr:' } }).node, {}))
      .toThrow(/^context\.keelson:overrides: is not JSON .* Fix: pass an object/);
  });
});

describe('removalPolicy retain (prod) reaches every stateful resource', () => {
  const app = new App();
  const platform = buildPlatform(app, resolveConfig('prod', { dr: { enabled: false } }));

  test('buckets, log groups, keys and queues are retained; stacks are termination-protected', () => {
    const stateful = platform.stacks.flatMap((stack) => Object.entries<any>(Template.fromStack(stack).toJSON().Resources)
      .filter(([, r]) => STATEFUL_TYPES.includes(r.Type))
      .map(([id, r]) => `${stack.stackName}/${id} ${r.Type} ${r.DeletionPolicy}`));
    expect(stateful.length).toBeGreaterThan(5);
    expect(stateful.filter((s) => !s.endsWith(' Retain'))).toEqual([]);
    expect(platform.stacks.every((s) => s.terminationProtection)).toBe(true);
    expect(platform.dr).toBeUndefined();
  });
});
