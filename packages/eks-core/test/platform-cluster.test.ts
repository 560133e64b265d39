import { KeelsonTags } from '@keelson/conventions';
import { kubernetesObjectsIn, kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { stackWithVpc } from './fixture';
import { EksCoreVersions, KubeProxyMode, ManagedAddons, PlatformCluster, PlatformKubernetesVersion, WorkloadIdentity, WorkloadRole } from '../src';

// smol-toml is an ES module; Node 20.19+ lets CommonJS (jest) require it, and tsc type-checks tests as CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('smol-toml') as { parse: (toml: string) => Record<string, any> };

// One synth for the whole file: a VPC and a PlatformCluster with every persona,
// a customer managed EBS key, IRSA for the EBS CSI driver, IPVS kube-proxy, and
// one extra Pod Identity workload role.
const ADMIN = 'arn:aws:iam::111111111111:role/platform-admins';
const DEVELOPER = 'arn:aws:iam::111111111111:role/developers';
const READER = 'arn:aws:iam::111111111111:role/auditors';

const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const { stack, vpc } = stackWithVpc(app);
const ebsKey = new kms.Key(stack, 'EbsKey', { enableKeyRotation: true });
const platform = new PlatformCluster(stack, 'Platform', {
  vpc,
  publicAccessCidrs: ['203.0.113.0/24'],
  access: {
    adminRoleArns: [ADMIN],
    developerRoleArns: [DEVELOPER],
    developerNamespaces: ['team-a', 'team-b'],
    readOnlyRoleArns: [READER],
  },
  addons: {
    ebsCsi: { identity: WorkloadIdentity.IRSA, kmsKey: ebsKey },
    kubeProxy: { mode: KubeProxyMode.IPVS },
  },
});
const podRole = new WorkloadRole(stack, 'ReportsRole', {
  cluster: platform.cluster,
  namespace: 'team-a',
  serviceAccount: 'reports',
  statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports-bucket/daily.csv'] })],
});
KeelsonTags.apply(stack, { environment: 'test', project: 'keelson', owner: 'platform-team' });
const result = synthesize(app);
const template = result.template('Test');
const json = template.toJSON();
const resources: Record<string, any> = json.Resources;

function ofType(type: string): [string, any][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}
/** Construct paths of the CloudFormation resources of a type, by logical id. */
function pathsOf(type: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    if (c instanceof CfnResource && c.cfnResourceType === type) out[stack.resolve(c.logicalId)] = c.node.path;
  }
  return out;
}
function logicalIdOf(pathPart: string, type: string): string {
  const hit = Object.entries(pathsOf(type)).find(([, p]) => p.includes(pathPart));
  if (!hit) throw new Error(`no ${type} under ${pathPart}`);
  return hit[0];
}
const clusterProps = ofType('AWS::EKS::Cluster')[0][1].Properties;

describe('proof gates', () => {
  testProofGates(result, { minimumReasonLength: 60 });

  test('stays well inside CloudFormation limits', () => {
    expect(Object.keys(resources).length).toBeLessThan(500);
    expect(JSON.stringify(json).length).toBeLessThan(1024 * 1024);
  });

  test('one kubectl provider: exactly 3 Lambda functions (kubectl handler, its provider framework, the CfnJson provider for IRSA)', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions).toHaveLength(3);
    const paths = Object.values(pathsOf('AWS::Lambda::Function')).sort();
    expect(paths).toEqual([
      'Test/AWSCDKCfnUtilsProviderCustomResourceProvider/Handler',
      'Test/Platform/Cluster/KubectlProvider/Handler/Resource',
      'Test/Platform/Cluster/KubectlProvider/Provider/framework-onEvent/Resource',
    ]);
    // Every manifest goes through that one provider.
    const manifests = ofType('Custom::AWSCDK-EKS-KubernetesResource');
    expect(manifests.length).toBeGreaterThan(0);
    const frameworkId = logicalIdOf('KubectlProvider/Provider/framework-onEvent', 'AWS::Lambda::Function');
    for (const [, m] of manifests) {
      expect(m.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [frameworkId, 'Arn'] });
    }
  });
});

describe('cluster', () => {
  test('defaults to Kubernetes 1.36 with the kubectl v36 layer on the kubectl handler', () => {
    expect(clusterProps.Version).toBe('1.36');
    const layerId = logicalIdOf('Platform/KubectlLayer', 'AWS::Lambda::LayerVersion');
    expect(resources[layerId].Properties.Description).toMatch(/kubectl 1\.36/);
    const handler = resources[logicalIdOf('KubectlProvider/Handler', 'AWS::Lambda::Function')];
    expect(handler.Properties.Layers).toContainEqual({ Ref: layerId });
  });

  test('is named platform-<environmentSuffix> by default', () => {
    expect(clusterProps.Name).toBe('platform-dev');
    expect(platform.clusterName).toBe('platform-dev');
  });

  test('has no Auto Mode: compute, block storage and load balancing are off and no default capacity exists', () => {
    expect(clusterProps.ComputeConfig).toEqual({ Enabled: false });
    expect(clusterProps.StorageConfig).toEqual({ BlockStorage: { Enabled: false } });
    expect(clusterProps.KubernetesNetworkConfig.ElasticLoadBalancing).toEqual({ Enabled: false });
    expect(platform.cluster.defaultNodegroup).toBeUndefined();
    expect(ofType('AWS::AutoScaling::AutoScalingGroup')).toHaveLength(0);
    // Only our four node groups.
    expect(ofType('AWS::EKS::Nodegroup').map(([, r]) => r.Properties.NodegroupName).sort())
      .toEqual(['app-on-demand', 'app-spot', 'gpu', 'system']);
  });

  test('authenticates through access entries (API mode)', () => {
    expect(clusterProps.AccessConfig.AuthenticationMode).toBe('API');
  });

  test('endpoint is public and private, the public side limited to the allow-list', () => {
    expect(clusterProps.ResourcesVpcConfig.EndpointPublicAccess).toBe(true);
    expect(clusterProps.ResourcesVpcConfig.EndpointPrivateAccess).toBe(true);
    expect(clusterProps.ResourcesVpcConfig.PublicAccessCidrs).toEqual(['203.0.113.0/24']);
  });

  test('control plane ENIs are in the private subnets only', () => {
    const privateIds = vpc.privateSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as any) }));
    expect(clusterProps.ResourcesVpcConfig.SubnetIds).toEqual(privateIds);
  });

  test('envelope-encrypts secrets with a rotating KMS key, retained by default with KMS\'s default pending window', () => {
    const keyId = logicalIdOf('Platform/SecretsKey', 'AWS::KMS::Key');
    expect(clusterProps.EncryptionConfig).toEqual([{ Provider: { KeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } }, Resources: ['secrets'] }]);
    expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
    expect(resources[keyId].Properties.PendingWindowInDays).toBeUndefined();
    expect(resources[keyId].DeletionPolicy).toBe('Retain');
  });

  test('logs every control-plane log type', () => {
    expect(clusterProps.Logging.ClusterLogging.EnabledTypes.map((t: any) => t.Type).sort())
      .toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  });

  test('creates the control-plane log group first, KMS-encrypted, 7-day retention', () => {
    const groupId = logicalIdOf('Platform/ControlPlaneLogs', 'AWS::Logs::LogGroup');
    const keyId = logicalIdOf('Platform/LogKey', 'AWS::KMS::Key');
    const group = resources[groupId];
    expect(group.Properties.LogGroupName).toBe('/aws/eks/platform-dev/cluster');
    expect(group.Properties.RetentionInDays).toBe(7);
    expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(group.DeletionPolicy).toBe('Retain');
    const clusterId = ofType('AWS::EKS::Cluster')[0][0];
    expect(resources[clusterId].DependsOn).toContain(groupId);
  });

  test('log key policy lets CloudWatch Logs use the key only for the cluster log group', () => {
    const keyId = logicalIdOf('Platform/LogKey', 'AWS::KMS::Key');
    const statements = resources[keyId].Properties.KeyPolicy.Statement;
    const logsStatement = statements.find((s: any) => s.Sid === 'AllowCloudWatchLogsawseksplatformdevcluster');
    expect(logsStatement.Principal).toEqual({ Service: { 'Fn::Join': ['', ['logs.ap-southeast-1.', { Ref: 'AWS::URLSuffix' }]] } });
    expect(logsStatement.Condition).toEqual({
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-southeast-1:111111111111:log-group:/aws/eks/platform-dev/cluster']],
        },
      },
    });
    expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
  });

  test('has an IAM OIDC provider for IRSA, native (no custom resource)', () => {
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
    expect(platform.openIdConnectProvider).toBe(platform.cluster.openIdConnectProvider);
    expect(platform.kubectlProvider).toBe(platform.cluster.kubectlProvider);
    expect(platform.kubectlRole).toBeDefined();
  });
});

describe('access entries', () => {
  const entries = ofType('AWS::EKS::AccessEntry').map(([, r]) => r.Properties);
  const entryFor = (arn: string) => entries.find((e) => e.PrincipalArn === arn);

  test('admins get AmazonEKSClusterAdminPolicy at cluster scope', () => {
    expect(entryFor(ADMIN).AccessPolicies).toEqual([{
      AccessScope: { Type: 'cluster' },
      PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] },
    }]);
  });

  test('developers get AmazonEKSEditPolicy scoped to their namespaces', () => {
    expect(entryFor(DEVELOPER).AccessPolicies).toEqual([{
      AccessScope: { Type: 'namespace', Namespaces: ['team-a', 'team-b'] },
      PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSEditPolicy']] },
    }]);
  });

  test('read-only roles get AmazonEKSViewPolicy at cluster scope', () => {
    expect(entryFor(READER).AccessPolicies).toEqual([{
      AccessScope: { Type: 'cluster' },
      PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy']] },
    }]);
  });

  test('the three personas plus the kubectl handler role, nothing else', () => {
    expect(entries).toHaveLength(4);
    const handlerRoleId = logicalIdOf('KubectlProvider/Handler/ServiceRole', 'AWS::IAM::Role');
    expect(entries.map((e) => e.PrincipalArn)).toContainEqual({ 'Fn::GetAtt': [handlerRoleId, 'Arn'] });
  });
});

describe('WorkloadRole', () => {
  test('IRSA: trusts the OIDC provider with StringEquals on :sub and :aud through CfnJson', () => {
    const roleId = logicalIdOf('Addons/EbsCsiRole/Role', 'AWS::IAM::Role');
    const providerId = ofType('AWS::IAM::OIDCProvider')[0][0];
    const jsonId = logicalIdOf('Addons/EbsCsiRole/IrsaConditions', 'Custom::AWSCDKCfnJson');
    expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: { Ref: providerId } },
      Condition: { StringEquals: { 'Fn::GetAtt': [jsonId, 'Value'] } },
    }]);
    const value = resources[jsonId].Properties.Value['Fn::Join'][1].join('');
    expect(value).toContain(':sub":"system:serviceaccount:kube-system:ebs-csi-controller-sa"');
    expect(value).toContain(':aud":"sts.amazonaws.com"');
  });

  // Issue 29 finding 11: the trust had no session-tag conditions, so any association in the account could assume the role.
  test('Pod Identity: trusts pods.eks.amazonaws.com for AssumeRole + TagSession only for this cluster, namespace and service account, and creates the association', () => {
    const roleId = stack.getLogicalId(podRole.role.node.defaultChild as any);
    expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Condition: {
        StringEquals: {
          'aws:RequestTag/eks-cluster-arn': { 'Fn::GetAtt': [ofType('AWS::EKS::Cluster')[0][0], 'Arn'] },
          'aws:RequestTag/kubernetes-namespace': 'team-a',
          'aws:RequestTag/kubernetes-service-account': 'reports',
        },
      },
    }]);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { Ref: ofType('AWS::EKS::Cluster')[0][0] },
      Namespace: 'team-a',
      ServiceAccount: 'reports',
      RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::reports-bucket/daily.csv' }] },
    });
  });
});

interface NodeGroupView { name: string; props: any; launchTemplate: any; toml: any }
function nodeGroups(): NodeGroupView[] {
  return ofType('AWS::EKS::Nodegroup').map(([, r]) => {
    const ltId = r.Properties.LaunchTemplate.Id.Ref;
    const lt = resources[ltId].Properties.LaunchTemplateData;
    return { name: r.Properties.NodegroupName, props: r.Properties, launchTemplate: lt, toml: parse(decodeUserData(lt.UserData)) };
  });
}
/** `Fn::Base64` of a string or an `Fn::Join`, tokens replaced by placeholders. */
function decodeUserData(userData: any): string {
  const inner = userData['Fn::Base64'];
  if (inner === undefined) return Buffer.from(userData, 'base64').toString('utf8');
  if (typeof inner === 'string') return inner;
  const [sep, parts] = inner['Fn::Join'];
  return parts.map((p: any) => (typeof p === 'string' ? p : 'TOKEN')).join(sep);
}
const k8sEffect: Record<string, string> = { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' };

describe('node pools', () => {
  const groups = nodeGroups();
  const byName = (n: string) => groups.find((g) => g.name === n)!;

  test('all Bottlerocket: x86_64 for system and app, NVIDIA for gpu', () => {
    expect(byName('system').props.AmiType).toBe('BOTTLEROCKET_x86_64');
    expect(byName('app-on-demand').props.AmiType).toBe('BOTTLEROCKET_x86_64');
    expect(byName('app-spot').props.AmiType).toBe('BOTTLEROCKET_x86_64');
    expect(byName('gpu').props.AmiType).toBe('BOTTLEROCKET_x86_64_NVIDIA');
  });

  test('launch templates carry no image id, require IMDSv2 with hop limit 1, and encrypt gp3 volumes', () => {
    for (const g of groups) {
      expect(g.launchTemplate.ImageId).toBeUndefined();
      expect(g.launchTemplate.MetadataOptions).toEqual({ HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
      // No node groups given: the launch template names no group, so EKS attaches its cluster security group.
      expect(g.launchTemplate.SecurityGroupIds).toBeUndefined();
      const devices = g.launchTemplate.BlockDeviceMappings;
      expect(devices.map((d: any) => d.DeviceName)).toEqual(['/dev/xvda', '/dev/xvdb']);
      for (const d of devices) expect(d.Ebs).toMatchObject({ VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true });
      expect(g.props.LaunchTemplate.Version).toEqual({ 'Fn::GetAtt': [g.props.LaunchTemplate.Id.Ref, 'LatestVersionNumber'] });
      expect(g.props.DiskSize).toBeUndefined();
    }
    expect(byName('system').launchTemplate.BlockDeviceMappings[1].Ebs.VolumeSize).toBe(50);
    expect(byName('gpu').launchTemplate.BlockDeviceMappings[1].Ebs.VolumeSize).toBe(100);
  });

  test('launch templates tag the instances, volumes and network interfaces they start with the tag set and Component', () => {
    for (const g of groups) {
      const specs = g.launchTemplate.TagSpecifications;
      expect(specs.map((spec: any) => spec.ResourceType)).toEqual(['instance', 'volume', 'network-interface']);
      for (const spec of specs) {
        expect(spec.Tags).toEqual([
          { Key: 'Component', Value: 'eks-node-pool' }, { Key: 'Environment', Value: 'test' }, { Key: 'ManagedBy', Value: 'keelson' },
          { Key: 'Owner', Value: 'platform-team' }, { Key: 'Project', Value: 'keelson' }, { Key: 'Purpose', Value: 'eks-platform' },
        ]);
      }
    }
  });

  test('system is on-demand, tainted CriticalAddonsOnly and labelled node-pool=system', () => {
    const sys = byName('system').props;
    expect(sys.CapacityType).toBe('ON_DEMAND');
    expect(sys.Labels).toEqual({ 'node-pool': 'system' });
    expect(sys.Taints).toEqual([{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }]);
    expect(sys.ScalingConfig).toEqual({ MinSize: 2, DesiredSize: 2, MaxSize: 4 });
  });

  test('app splits into on-demand and a diversified spot group, 50/50 by default', () => {
    const od = byName('app-on-demand').props;
    const spot = byName('app-spot').props;
    expect(od.CapacityType).toBe('ON_DEMAND');
    expect(spot.CapacityType).toBe('SPOT');
    expect(spot.InstanceTypes.length).toBeGreaterThanOrEqual(2);
    expect(od.ScalingConfig).toEqual({ MinSize: 1, DesiredSize: 2, MaxSize: 5 });
    expect(spot.ScalingConfig).toEqual({ MinSize: 1, DesiredSize: 2, MaxSize: 5 });
  });

  test('gpu is tainted nvidia.com/gpu, scales from zero and can burst', () => {
    const gpu = byName('gpu').props;
    expect(gpu.Taints).toEqual([{ Key: 'nvidia.com/gpu', Value: 'true', Effect: 'NO_SCHEDULE' }]);
    expect(gpu.ScalingConfig).toEqual({ MinSize: 0, DesiredSize: 0, MaxSize: 2 });
    expect(gpu.InstanceTypes).toEqual(['g5.xlarge']);
  });

  test('every group carries the Cluster Autoscaler discovery tags', () => {
    for (const g of groups) {
      expect(g.props.Tags).toMatchObject({ 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/platform-dev': 'owned' });
    }
  });

  test('the rendered Bottlerocket TOML labels and taints equal the node group Labels and Taints', () => {
    for (const g of groups) {
      const k8s = g.toml.settings.kubernetes;
      expect(k8s['cluster-name']).toBe('platform-dev');
      expect(k8s['max-pods']).toBe(110);
      expect(k8s['kube-reserved']).toEqual({ 'cpu': '90m', 'memory': '1465Mi', 'ephemeral-storage': '1Gi' });
      expect(k8s['node-labels']).toEqual(g.props.Labels);
      const expectedTaints: Record<string, string[]> = {};
      for (const t of g.props.Taints ?? []) {
        (expectedTaints[t.Key] ??= []).push(`${t.Value}:${k8sEffect[t.Effect]}`);
      }
      expect(k8s['node-taints'] ?? {}).toEqual(expectedTaints);
    }
    expect(byName('gpu').toml.settings.kubernetes['node-taints']).toEqual({ 'nvidia.com/gpu': ['true:NoSchedule'] });
    expect(byName('gpu').toml.settings['kubelet-device-plugins'].nvidia['pass-device-specs']).toBe(true);
  });

  test('node groups wait for the VPC CNI add-on (prefix delegation before pods land)', () => {
    const cniId = logicalIdOf('Addons/VpcCni', 'AWS::EKS::Addon');
    for (const [, r] of ofType('AWS::EKS::Nodegroup')) expect(r.DependsOn).toContain(cniId);
  });
});

describe('managed add-ons', () => {
  test('no removal policy given: every managed add-on, key and log group is retained', () => {
    const stateful = ofType('AWS::EKS::Addon').concat(ofType('AWS::KMS::Key'), ofType('AWS::Logs::LogGroup'));
    expect(ofType('AWS::EKS::Addon').length).toBeGreaterThanOrEqual(4);
    expect(stateful.filter(([, r]) => r.DeletionPolicy !== 'Retain').map(([id]) => id)).toEqual([]);
  });

  const addon = (name: string) => ofType('AWS::EKS::Addon').map(([id, r]) => ({ id, ...r })).find((r) => r.Properties.AddonName === name)!;

  test('five add-ons, each pinned and taking over the bootstrap install', () => {
    const versions = Object.fromEntries(ofType('AWS::EKS::Addon').map(([, r]) => [r.Properties.AddonName, r.Properties.AddonVersion]));
    expect(versions).toEqual({
      'vpc-cni': EksCoreVersions.VPC_CNI.version,
      'coredns': EksCoreVersions.COREDNS.version,
      'kube-proxy': EksCoreVersions.KUBE_PROXY_1_36.version,
      'aws-ebs-csi-driver': EksCoreVersions.EBS_CSI_DRIVER.version,
      'eks-pod-identity-agent': EksCoreVersions.POD_IDENTITY_AGENT.version,
    });
    for (const [, r] of ofType('AWS::EKS::Addon')) {
      expect(r.Properties.AddonVersion).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(r.Properties.ResolveConflicts).toBe('OVERWRITE');
    }
  });

  test('VPC CNI turns on prefix delegation and network policy enforcement', () => {
    expect(JSON.parse(addon('vpc-cni').Properties.ConfigurationValues)).toEqual({
      env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
      enableNetworkPolicy: 'true',
    });
  });

  test('CoreDNS runs on the system pool, tolerating its taint, after the pool exists', () => {
    const coredns = addon('coredns');
    expect(JSON.parse(coredns.Properties.ConfigurationValues)).toEqual({
      nodeSelector: { 'node-pool': 'system' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(coredns.DependsOn).toContain(logicalIdOf('Platform/system/Nodegroup', 'AWS::EKS::Nodegroup'));
  });

  test('kube-proxy in IPVS mode when asked', () => {
    expect(JSON.parse(addon('kube-proxy').Properties.ConfigurationValues)).toEqual({ mode: 'ipvs' });
  });

  test('EBS CSI driver uses its IRSA role, with the managed driver policy and grants on the EBS key', () => {
    const ebs = addon('aws-ebs-csi-driver');
    const roleId = logicalIdOf('Addons/EbsCsiRole/Role', 'AWS::IAM::Role');
    expect(ebs.Properties.ServiceAccountRoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(resources[roleId].Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']] },
    ]);
    const ebsKeyArn = { 'Fn::GetAtt': [stack.getLogicalId(ebsKey.node.defaultChild as any), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'EbsKeyGrants', Resource: ebsKeyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
          Match.objectLike({ Sid: 'EbsKeyUse', Resource: ebsKeyArn }),
        ]),
      },
    });
    expect(JSON.parse(ebs.Properties.ConfigurationValues).controller.nodeSelector).toEqual({ 'node-pool': 'system' });
  });
});

describe('Kubernetes objects', () => {
  const objects = kubernetesObjectsIn(json);

  test('a gp3, encrypted, default StorageClass using the EBS key', () => {
    const sc = objects.find((o) => o.kind === 'StorageClass');
    expect(sc).toMatchObject({
      apiVersion: 'storage.k8s.io/v1',
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: 'RESOLVED-AT-DEPLOY' },
    });
    // Packages that claim volumes name the class through this constant.
    expect(sc.metadata.name).toBe(ManagedAddons.DEFAULT_STORAGE_CLASS);
    const manifestId = logicalIdOf('DefaultStorageClass', 'Custom::AWSCDK-EKS-KubernetesResource');
    expect(resources[manifestId].DependsOn).toContain(logicalIdOf('Addons/EbsCsi', 'AWS::EKS::Addon'));
  });

  test('every emitted object passes its Kubernetes schema', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
  });

  test('the schema check rejects a broken object', () => {
    const broken = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'broken' }, provisioner: 42, allowVolumeExpansion: 'yes' };
    expect(kubernetesSchemaErrors([broken]).length).toBeGreaterThan(0);
  });
});

describe('Kubernetes version policy', () => {
  test('the default stays within N-1 of the newest version aws-cdk-lib knows', () => {
    const minors = Object.keys(eks.KubernetesVersion)
      .map((k) => /^V1_(\d+)$/.exec(k))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    expect(minors.length).toBeGreaterThan(5);
    const newest = Math.max(...minors);
    expect(PlatformKubernetesVersion.DEFAULT.minor).toBeGreaterThanOrEqual(newest - 1);
    expect(PlatformKubernetesVersion.DEFAULT.hasKubectlLayer).toBe(true);
    expect(EksCoreVersions.addonVersion('kube-proxy', PlatformKubernetesVersion.DEFAULT.version)).toBeDefined();
  });

  test('of() a version Keelson ships a layer for returns that version, layer included', () => {
    expect(PlatformKubernetesVersion.of('1.36')).toBe(PlatformKubernetesVersion.V1_36);
    expect(PlatformKubernetesVersion.of('1.35')).toBe(PlatformKubernetesVersion.V1_35);
    expect(PlatformKubernetesVersion.of('1.34').hasKubectlLayer).toBe(false);
  });
});
