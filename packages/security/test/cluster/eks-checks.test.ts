import { synthesize } from '@keelson/proof';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { EksKubernetesVersion, KeelsonEksChecks } from '../../src';

// One app, as a user would have it (no Keelson construct): a compliant stack, one
// stack per rule that breaks exactly that rule, and one whose non-Bottlerocket node
// group is a named, acknowledged exception. The pack runs once over all of them.
const ENV = { account: '111111111111', region: 'ap-southeast-1' };
const app = new App();
Validations.of(app).addPlugins(new KeelsonEksChecks());

interface Shape {
  cluster?: Record<string, any>;
  launchTemplate?: Record<string, any> | null;
  nodeGroup?: Record<string, any>;
  addon?: Record<string, any>;
  awsAuth?: boolean;
}
const GOOD_CLUSTER = {
  name: 'c',
  version: '1.36',
  roleArn: 'arn:aws:iam::111111111111:role/eks',
  resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'], endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
  encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:ap-southeast-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }],
  logging: { clusterLogging: { enabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((type) => ({ type })) } },
  accessConfig: { authenticationMode: 'API' },
};
const GOOD_LT = { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 }, networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: false }] };

function clusterStack(id: string, shape: Shape = {}): Stack {
  const stack = new Stack(app, id, { env: ENV });
  const cluster = new eks.CfnCluster(stack, 'Cluster', { ...GOOD_CLUSTER, ...shape.cluster } as eks.CfnClusterProps);
  const lt = shape.launchTemplate === null ? undefined : new ec2.CfnLaunchTemplate(stack, 'NodeTemplate', { launchTemplateData: { ...GOOD_LT, ...shape.launchTemplate } });
  new eks.CfnNodegroup(stack, 'Nodes', {
    clusterName: cluster.ref,
    nodeRole: 'arn:aws:iam::111111111111:role/node',
    subnets: ['subnet-1'],
    amiType: 'BOTTLEROCKET_x86_64',
    ...(lt ? { launchTemplate: { id: lt.ref, version: lt.attrLatestVersionNumber } } : {}),
    ...shape.nodeGroup,
  });
  new eks.CfnAddon(stack, 'CoreDns', { clusterName: cluster.ref, addonName: 'coredns', addonVersion: 'v1.14.3-eksbuild.16', ...shape.addon });
  if (shape.awsAuth) {
    new CfnResource(stack, 'AwsAuth', {
      type: 'Custom::AWSCDK-EKS-KubernetesResource',
      properties: { ServiceToken: 'arn:aws:lambda:ap-southeast-1:111111111111:function:kubectl', Manifest: JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: {} }]) },
    });
  }
  return stack;
}

clusterStack('Compliant');
const cases: [string, string, Shape][] = [
  ['Keelson-EKS1', 'the endpoint is public to 0.0.0.0/0', { cluster: { resourcesVpcConfig: { ...GOOD_CLUSTER.resourcesVpcConfig, publicAccessCidrs: ['0.0.0.0/0'] } } }],
  ['Keelson-EKS2', 'no EncryptionConfig with a KMS key for secrets', { cluster: { encryptionConfig: undefined } }],
  ['Keelson-EKS3', 'log types not enabled: authenticator, controllerManager, scheduler', { cluster: { logging: { clusterLogging: { enabledTypes: [{ type: 'api' }, { type: 'audit' }] } } } }],
  ['Keelson-EKS4', 'HttpTokens is optional; HttpPutResponseHopLimit is 2', { launchTemplate: { metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2 } } }],
  ['Keelson-EKS5', 'a network interface associates a public IP address', { launchTemplate: { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: true }] } }],
  ['Keelson-EKS6', 'AmiType is AL2023_x86_64_STANDARD', { nodeGroup: { amiType: 'AL2023_x86_64_STANDARD' } }],
  ['Keelson-EKS7', 'Version 1.33 is not 1.35 or 1.36', { cluster: { version: '1.33' } }],
  ['Keelson-EKS8', 'add-on coredns has no AddonVersion', { addon: { addonVersion: undefined } }],
  ['Keelson-EKS9', 'AuthenticationMode is API_AND_CONFIG_MAP', { cluster: { accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } } }],
];
cases.forEach(([rule, , shape]) => clusterStack(`Breaks-${rule}`, shape));
clusterStack('NoLaunchTemplate', { launchTemplate: null });
clusterStack('AwsAuthConfigMap', { awsAuth: true });
const exception = clusterStack('AcknowledgedException', { nodeGroup: { amiType: 'AL2023_x86_64_NVIDIA' } });
Validations.of(exception.node.findChild('Nodes')).acknowledge({ id: 'Keelson-EKS::Keelson-EKS6', reason: 'GPU driver needs AL2023 NVIDIA until the Bottlerocket NVIDIA variant supports this instance type' });

const result = synthesize(app);
// aws-cdk-lib's built-in CloudFormation validation runs too; only the pack's findings matter here.
const findingsIn = (stack: string) => result.findings.filter((f) => f.plugin === 'Keelson-EKS' && f.constructPaths.some((p) => p.startsWith(`${stack}/`)));

describe('Keelson EKS checks (validation plugin on a plain app)', () => {
  test('the compliant stack has no finding', () => {
    expect(findingsIn('Compliant')).toEqual([]);
  });

  test.each(cases.map(([rule, problem]) => [rule, problem]))('%s fires on its non-compliant stack, naming the problem and the fix', (rule, problem) => {
    const found = findingsIn(`Breaks-${rule}`);
    expect(found.map((f) => f.rule)).toEqual([rule]);
    expect(found[0].description).toContain(problem);
    expect(found[0].plugin).toBe('Keelson-EKS');
  });

  test('a node group without a launch template in the stack fails the IMDS rule', () => {
    expect(findingsIn('NoLaunchTemplate').map((f) => [f.rule, f.constructPaths])).toEqual([['Keelson-EKS4', ['NoLaunchTemplate/Nodes']]]);
  });

  test('an aws-auth ConfigMap applied through the kubectl provider fails the access-entries rule', () => {
    expect(findingsIn('AwsAuthConfigMap').map((f) => [f.rule, f.constructPaths])).toEqual([['Keelson-EKS9', ['AwsAuthConfigMap/AwsAuth']]]);
  });

  test('an acknowledged exception is not a finding', () => {
    expect(findingsIn('AcknowledgedException')).toEqual([]);
  });

  test('each rule names its fix; the version rule follows the newest Kubernetes eks-core knows', () => {
    for (const check of KeelsonEksChecks.defaultChecks()) expect(check.fix.length).toBeGreaterThan(20);
    expect(new EksKubernetesVersion().supported).toEqual(['1.35', '1.36']);
    expect(new EksKubernetesVersion('1.40').supported).toEqual(['1.39', '1.40']);
    expect(new KeelsonEksChecks().ruleIds!).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `Keelson-EKS${n}`));
  });
});
