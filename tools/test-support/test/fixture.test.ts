import { NodeAutoscaler } from '@keelson/eks-core';
import { NagPack, formatFindings, proofApp, synthesize } from '@keelson/proof';
import { ENV, STAND_IN_VPC_RULES, clusterFixture, platformFixture } from '../src';

// One synth: the plain fixture, one in another region with Karpenter, and a cluster without services.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const plain = platformFixture(app, { id: 'Plain' });
const west = platformFixture(app, { id: 'West', region: 'us-west-2', crossRegionReferences: true }, { nodeAutoscaler: NodeAutoscaler.KARPENTER });
const bare = clusterFixture(app, { id: 'Bare' });
const result = synthesize(app);
const resourcesOf = (id: string) => Object.values<any>(result.template(id).toJSON().Resources);

test('the fixtures pass cdk-nag and CloudFormation validation with only the stand-in VPC\'s rules acknowledged', () => {
  expect(formatFindings(result.findings)).toBe('');
  const onVpcs = result.acknowledgements.filter((a) => /^(Plain|West|Bare)\/Vpc$/.test(a.constructPath));
  expect(new Set(onVpcs.map((a) => a.id))).toEqual(new Set(STAND_IN_VPC_RULES));
  expect(onVpcs).toHaveLength(3 * STAND_IN_VPC_RULES.length);
});

test('the region, the zones and the services follow the options', () => {
  expect(plain.stack.region).toBe(ENV.region);
  expect(west.stack.region).toBe('us-west-2');
  expect(resourcesOf('West').filter((r) => r.Type === 'AWS::EC2::Subnet').map((r) => r.Properties.AvailabilityZone))
    .toEqual(expect.arrayContaining(['us-west-2a', 'us-west-2b', 'us-west-2c']));
  expect(west.services.karpenter).toBeDefined();
  expect(plain.services.karpenter).toBeUndefined();
  expect(resourcesOf('Bare').some((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart')).toBe(false);
  expect(bare.platform.cluster).toBeDefined();
});
