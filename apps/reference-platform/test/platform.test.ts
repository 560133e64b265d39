import {
  cfnLint, cfnLintAvailability, formatCfnLint, formatFindings, NagPack, proofApp, synthesize,
} from '@keelson/proof';
import { DEFAULT_CONFIG, PLACEHOLDER_ACCOUNT, resolveConfig } from '../src/config';
import { buildPlatform } from '../src/platform';

const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const platform = buildPlatform(app, DEFAULT_CONFIG);
const result = synthesize(app);
const stacks = result.assembly.stacks;

describe('reference platform skeleton', () => {
  test('places a primary and a DR stack explicitly in their regions with the placeholder account', () => {
    expect(stacks.map((s) => [s.stackName, s.environment.region, s.environment.account]).sort()).toEqual([
      ['keelson-dev-dr-platform', 'us-west-2', PLACEHOLDER_ACCOUNT],
      ['keelson-dev-primary-platform', 'ap-southeast-1', PLACEHOLDER_ACCOUNT],
    ]);
    expect(platform.primary[0].availabilityZones).toEqual(DEFAULT_CONFIG.primary.availabilityZones);
  });

  test('synthesizes hermetically: no context lookups were needed', () => {
    expect(result.assembly.manifest.missing ?? []).toEqual([]);
  });

  test('passes cdk-nag AwsSolutions + NIST 800-53 rev 5 and CloudFormation validation', () => {
    expect(formatFindings(result.findings)).toBe('');
  });

  test('every acknowledgement carries a specific reason', () => {
    for (const ack of result.acknowledgements) expect(ack.reason.length).toBeGreaterThan(20);
  });

  test('tags every taggable resource with the Keelson tag set', () => {
    const template = result.template('keelson-dev-primary-platform');
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Tags: { Environment: 'dev', ManagedBy: 'keelson', Purpose: 'eks-platform', Project: 'keelson', Owner: 'platform-team', Component: 'platform' },
    });
  });

  test('records each region\'s role and its peer in SSM', () => {
    const template = result.template('keelson-dev-dr-platform');
    const [param] = Object.values(template.findResources('AWS::SSM::Parameter'));
    expect(param.Properties.Name).toBe('/keelson/dev/platform/dr');
    expect(JSON.parse(param.Properties.Value)).toEqual({
      role: 'dr', region: 'us-west-2', vpcCidr: '10.1.0.0/16', peerRegion: 'ap-southeast-1', peerVpcCidr: '10.0.0.0/16', name: 'keelson-dev',
    });
  });

  const lint = cfnLintAvailability();
  (lint.available ? test : test.skip)('cfn-lint finds no error in any template', () => {
    const linted = cfnLint(result.templatePaths);
    expect(formatCfnLint(linted.errors)).toBe('');
  });
});

describe('config validation fails before any construct is built, naming the field', () => {
  test.each([
    ['overlapping CIDRs', { dr: { vpcCidr: '10.0.128.0/17' } }, /^config\.dr\.vpcCidr: 10\.0\.128\.0\/17 overlaps primary\.vpcCidr/],
    ['an unknown region', { dr: { region: 'mars-north-1' } }, /^config\.dr\.region: "mars-north-1" is not a supported region/],
    ['a CIDR too small for three zones', { primary: { vpcCidr: '10.0.0.0/24' } }, /^config\.primary\.vpcCidr: \/24 cannot hold/],
    ['a malformed CIDR', { primary: { vpcCidr: '10.0.0/16' } }, /^config\.primary\.vpcCidr: "10\.0\.0\/16" is not an IPv4 CIDR/],
    ['zones of another region', { primary: { availabilityZones: ['us-west-2a', 'us-west-2b'] } }, /^config\.primary\.availabilityZones: "us-west-2a" is not a zone of ap-southeast-1/],
    ['a bad account', { account: '12345' }, /^config\.account: "12345" is not a 12-digit AWS account id/],
    ['a missing owner', { owner: '' }, /^config\.owner: is missing/],
    ['the same region twice', { dr: { region: 'ap-southeast-1', availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'] } }, /^config\.dr\.region: is the same as primary\.region/],
  ])('%s', (_name, override, message) => {
    const bad = resolveConfig('dev', override as any);
    const fresh = proofApp();
    expect(() => buildPlatform(fresh, bad)).toThrow(message);
    expect(fresh.node.children).toHaveLength(0);
  });

  test('an unknown environment names the choices', () => {
    expect(() => resolveConfig('qa')).toThrow('config.environment: "qa" is not defined. Fix: use one of dev, staging, prod');
  });

  test('environments override the defaults', () => {
    expect(resolveConfig('prod')).toMatchObject({ environmentSuffix: 'prod', removalPolicy: 'retain', primary: { region: 'ap-southeast-1', vpcCidr: '10.20.0.0/16' } });
  });
});
