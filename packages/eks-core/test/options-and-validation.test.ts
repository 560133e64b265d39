import { proofApp } from '@keelson/proof';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { stackWithVpc } from './fixture';
import {
  EndpointAccessMode, NodePool, NodePoolTemplate, PlatformCluster, PlatformClusterProps,
  PlatformKubernetesVersion, WorkloadRole,
} from '../src';
import { renderNodeUserData } from '../src/private/user-data';
import { checkPublicAccessCidrs } from '../src/private/validation';

// Second (and only other) synth: a private-only cluster with options flipped. Through the
// proof harness, so CloudFormation validation reuses the stack's report while the template is
// unchanged; no nag pack (platform-cluster.test.ts runs them on the default cluster).
const app = proofApp({ nagPacks: [] });
const { stack, vpc } = stackWithVpc(app, 'Options');
const platform = new PlatformCluster(stack, 'Platform', {
  vpc,
  environmentSuffix: 'prod',
  clusterName: 'core-prod',
  endpointAccess: EndpointAccessMode.PRIVATE,
  logRetention: logs.RetentionDays.ONE_MONTH,
  nodePools: {
    system: { minSize: 3, desiredSize: 3, maxSize: 6, imdsHopLimit: 2 },
    app: { spotPercentage: 0, minSize: 2, desiredSize: 3, maxSize: 8 },
    gpu: { enabled: false },
  },
  addons: {
    coreDns: { version: 'v1.14.2-eksbuild.1' },
    kubeProxy: { enabled: false },
    ebsCsi: { defaultStorageClass: false },
  },
});
const template = Template.fromStack(stack);
const resources: Record<string, any> = template.toJSON().Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('options', () => {
  test('private-only endpoint, custom name and log retention', () => {
    const cluster = ofType('AWS::EKS::Cluster')[0][1].Properties;
    expect(cluster.Name).toBe('core-prod');
    expect(cluster.ResourcesVpcConfig.EndpointPublicAccess).toBe(false);
    expect(cluster.ResourcesVpcConfig.EndpointPrivateAccess).toBe(true);
    expect(cluster.ResourcesVpcConfig.PublicAccessCidrs).toBeUndefined();
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/core-prod/cluster', RetentionInDays: 30 });
  });

  test('the kubectl handler runs inside the VPC so it reaches the private endpoint', () => {
    const handler = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.Description === 'onEvent handler for EKS kubectl resource provider')!;
    expect(handler[1].Properties.VpcConfig.SubnetIds).toHaveLength(3);
  });

  test('one kubectl provider and no IRSA CfnJson: exactly 2 Lambda functions', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
  });

  test('spotPercentage 0 leaves only on-demand app capacity; gpu can be switched off', () => {
    const names = ofType('AWS::EKS::Nodegroup').map(([, r]) => r.Properties.NodegroupName).sort();
    expect(names).toEqual(['app-on-demand', 'system']);
    template.hasResourceProperties('AWS::EKS::Nodegroup', { NodegroupName: 'app-on-demand', ScalingConfig: { MinSize: 2, DesiredSize: 3, MaxSize: 8 } });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { NodegroupName: 'system', ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 6 } });
    expect(Object.keys(platform.nodePools).sort()).toEqual(['app-on-demand', 'system']);
  });

  test('system pool hop limit is configurable', () => {
    const ltId = ofType('AWS::EKS::Nodegroup').find(([, r]) => r.Properties.NodegroupName === 'system')![1].Properties.LaunchTemplate.Id.Ref;
    expect(resources[ltId].Properties.LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit).toBe(2);
  });

  test('add-ons can be re-versioned and switched off; EBS CSI defaults to Pod Identity', () => {
    const versions = Object.fromEntries(ofType('AWS::EKS::Addon').map(([, r]) => [r.Properties.AddonName, r.Properties.AddonVersion]));
    expect(versions.coredns).toBe('v1.14.2-eksbuild.1');
    expect(versions['kube-proxy']).toBeUndefined();
    const ebs = ofType('AWS::EKS::Addon').find(([, r]) => r.Properties.AddonName === 'aws-ebs-csi-driver')![1];
    expect(ebs.Properties.ServiceAccountRoleArn).toBeUndefined();
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'ebs-csi-controller-sa' });
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });

  test('resources are tagged with their component', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', { Tags: { Component: 'eks-node-pool' } });
    template.hasResourceProperties('AWS::KMS::Key', { Tags: [{ Key: 'Component', Value: 'eks-cluster' }] });
  });
});

describe('validation fails at synth with a clear message', () => {
  // Each case builds (never synthesizes) a cluster in a fresh stack.
  function build(props: Partial<PlatformClusterProps>): void {
    const a = new App();
    const s = new Stack(a, 'V', { env: { account: '111111111111', region: 'ap-southeast-1' } });
    const v = new ec2.Vpc(s, 'Vpc', { availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'], natGateways: 1 });
    new PlatformCluster(s, 'Platform', { vpc: v, publicAccessCidrs: ['203.0.113.0/24'], ...props });
  }

  test('an empty public CIDR allow-list while the public endpoint is on', () => {
    expect(() => build({ publicAccessCidrs: [] })).toThrow(
      'V/Platform: invalid publicAccessCidrs: the public endpoint is on but its CIDR allow-list is empty. Fix: list the CIDR blocks allowed to reach the API server');
    expect(() => build({ publicAccessCidrs: undefined })).toThrow(/publicAccessCidrs: the public endpoint is on but its CIDR allow-list is empty/);
  });

  test('0.0.0.0/0 is accepted when written explicitly', () => {
    expect(() => build({ publicAccessCidrs: ['0.0.0.0/0'] })).not.toThrow();
  });

  test('a malformed CIDR, too many CIDRs, or CIDRs with a private-only endpoint', () => {
    expect(() => build({ publicAccessCidrs: ['10.0.0.300/24'] })).toThrow('invalid publicAccessCidrs: "10.0.0.300/24" is not an IPv4 CIDR block');
    expect(() => build({ publicAccessCidrs: Array.from({ length: 41 }, (_, i) => `198.51.100.${i}/32`) })).toThrow('41 CIDR blocks exceed the EKS limit of 40');
    expect(() => build({ endpointAccess: EndpointAccessMode.PRIVATE })).toThrow('invalid publicAccessCidrs: an allow-list was given but the public endpoint is off');
  });

  test('a version without a kubectl layer', () => {
    expect(() => build({ version: PlatformKubernetesVersion.of('1.34') })).toThrow(
      "V/Platform: invalid version: Kubernetes 1.34 has no kubectl layer, so manifests and Helm charts cannot be applied. Fix: use PlatformKubernetesVersion.DEFAULT, or pass the matching layer: PlatformKubernetesVersion.of('1.34', new KubectlV34Layer(this, 'KubectlLayer')) from @aws-cdk/lambda-layer-kubectl-v34");
    expect(PlatformKubernetesVersion.of('1.35')).toBe(PlatformKubernetesVersion.V1_35);
    expect(() => build({ version: PlatformKubernetesVersion.of('one.thirty') })).toThrow('invalid version: "one.thirty" is not a Kubernetes version');
  });

  test('a custom version with its own layer but no pinned add-on build', () => {
    const layerOnly = (s: Stack) => lambda.LayerVersion.fromLayerVersionArn(s, 'L', 'arn:aws:lambda:ap-southeast-1:111111111111:layer:kubectl-v34:1');
    const a = new App();
    const s = new Stack(a, 'K', { env: { account: '111111111111', region: 'ap-southeast-1' } });
    const v = new ec2.Vpc(s, 'Vpc', { availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'], natGateways: 1 });
    expect(() => new PlatformCluster(s, 'Platform', { vpc: v, publicAccessCidrs: ['203.0.113.0/24'], version: PlatformKubernetesVersion.of('1.34', layerOnly(s)) }))
      .toThrow('K/Platform/Addons: invalid addons.podIdentityAgent.version: Keelson pins no eks-pod-identity-agent build for Kubernetes 1.34');
  });

  test('a GPU pool with a non-GPU instance family lists the allowed families', () => {
    expect(() => build({ nodePools: { gpu: { instanceTypes: ['m7i.xlarge'] } } })).toThrow(
      /V\/Platform\/gpu: invalid instanceTypes: "m7i.xlarge" is not a GPU instance type \(family "m7i"\)\. Fix: use a GPU family: g4dn, g5, g6, g6e, .*p5.*g5g/);
  });

  test('a spot group with one instance type', () => {
    expect(() => build({ nodePools: { app: { spotInstanceTypes: ['m7i.xlarge'] } } })).toThrow(
      'V/Platform/app-spot: invalid instanceTypes: a spot node group with 1 instance type(s) has no capacity diversity and is interrupted all at once. Fix: list at least 2 instance types');
  });

  test('desired above max, per pool and for the app totals', () => {
    expect(() => build({ nodePools: { system: { desiredSize: 5, maxSize: 4 } } })).toThrow(
      'V/Platform/system: invalid minSize/desiredSize/maxSize: min 2, desired 5, max 4 are out of order. Fix: set 0 <= minSize <= desiredSize <= maxSize');
    expect(() => build({ nodePools: { app: { desiredSize: 12, maxSize: 10 } } })).toThrow(
      'V/Platform: invalid nodePools.app (minSize/desiredSize/maxSize): min 2, desired 12, max 10 are out of order');
    expect(() => build({ nodePools: { gpu: { maxSize: 0 } } })).toThrow('V/Platform/gpu: invalid maxSize: 0 is outside 1–1000');
  });

  test('a spot percentage outside 0–100', () => {
    expect(() => build({ nodePools: { app: { spotPercentage: 120 } } })).toThrow('invalid nodePools.app.spotPercentage: 120 is outside 0–100');
  });

  test('mixed architectures and malformed instance types', () => {
    expect(() => build({ nodePools: { system: { instanceTypes: ['m7i.large', 'm7g.large'] } } })).toThrow('[m7i.large, m7g.large] mix x86_64 and arm64 (Graviton) types');
    expect(() => build({ nodePools: { system: { instanceTypes: ['large'] } } })).toThrow('"large" is not an EC2 instance type');
  });

  test('a bad IMDS hop limit', () => {
    expect(() => build({ nodePools: { system: { imdsHopLimit: 3 } } })).toThrow('V/Platform/system: invalid imdsHopLimit: 3 is outside 1–2');
  });

  test('a bad cluster name or environment suffix', () => {
    expect(() => build({ clusterName: 'bad name!' })).toThrow('invalid clusterName: "bad name!" is not a valid EKS cluster name');
    expect(() => build({ environmentSuffix: 'Prod' })).toThrow('invalid environmentSuffix: "Prod" is not a valid suffix');
  });

  test('a persona ARN that is not an IAM role, or developers without namespaces', () => {
    expect(() => build({ access: { adminRoleArns: ['arn:aws:iam::111111111111:user/alice'] } })).toThrow(
      'invalid access.adminRoleArns: "arn:aws:iam::111111111111:user/alice" is not an IAM role ARN');
    expect(() => build({ access: { developerRoleArns: ['arn:aws:iam::111111111111:role/dev'], developerNamespaces: [] } })).toThrow(
      'invalid access.developerNamespaces: developer roles are given but no namespace to scope them to');
  });

  test('an add-on version that is not an eksbuild version', () => {
    expect(() => build({ addons: { vpcCni: { version: 'latest' } } })).toThrow(
      'V/Platform/Addons: invalid addons.VpcCni.version: "latest" is not an EKS add-on version');
  });

  test('a WorkloadRole with a service account that is not a Kubernetes name', () => {
    expect(() => new WorkloadRole(stack, 'BadRole', { cluster: platform.cluster, namespace: 'Team_A', serviceAccount: 'x' }))
      .toThrow('Options/BadRole: invalid namespace: "Team_A" is not a Kubernetes name');
  });

  test('a NodePool used directly checks its inputs the same way', () => {
    expect(() => new NodePool(stack, 'DirectGpu', {
      cluster: platform.cluster,
      clusterName: 'core-prod',
      nodegroupName: 'x',
      template: NodePoolTemplate.GPU,
      instanceTypes: ['c7i.large'],
      minSize: 0,
      desiredSize: 0,
      maxSize: 1,
    })).toThrow('Options/DirectGpu: invalid instanceTypes: "c7i.large" is not a GPU instance type');
  });
});

describe('private helpers', () => {
  test('the renderer refuses an unknown placeholder', () => {
    expect(() => renderNodeUserData('x = "{{nope}}"', { clusterName: 'c', maxPods: 110, kubeReservedCpu: '1', kubeReservedMemory: '1', labels: {}, taints: [] }))
      .toThrow('user data template has an unknown placeholder {{nope}}');
  });

  test('the renderer escapes quotes and groups taints by key', () => {
    const out = renderNodeUserData('{{nodeLabels}}\n{{nodeTaints}}', {
      clusterName: 'c',
      maxPods: 110,
      kubeReservedCpu: '1',
      kubeReservedMemory: '1',
      labels: { 'a"b': 'c' },
      taints: [{ key: 'k', value: 'v1', effect: 'NoSchedule' }, { key: 'k', value: 'v2', effect: 'NoExecute' }],
    });
    expect(out).toBe('"a\\"b" = "c"\n"k" = ["v1:NoSchedule", "v2:NoExecute"]');
  });

  test('CIDR checks (the shared parser in conventions)', () => {
    expect(() => checkPublicAccessCidrs(stack, true, ['10.0.0.0/8'])).not.toThrow();
    expect(() => checkPublicAccessCidrs(stack, true, ['10.0.0/8'])).toThrow('"10.0.0/8" is not an IPv4 CIDR block');
    expect(() => checkPublicAccessCidrs(stack, true, ['2001:db8::/32'])).toThrow('"2001:db8::/32" is an IPv6 block where an IPv4 block is needed');
    expect(() => checkPublicAccessCidrs(stack, false, undefined)).not.toThrow();
  });
});
