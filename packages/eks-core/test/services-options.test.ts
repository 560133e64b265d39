import { kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { stackWithVpc } from './fixture';
import { PLACEHOLDER, templateQueries } from './helm';
import {
  AutoscalerExpander, AwsLoadBalancerController, EksCoreVersions, ClusterAutoscaler, ContainerInsights, ExternalSecret, ExternalSecretsOperator,
  Karpenter, MetricsServer, NamespaceTraffic, NodeAutoscaler, PlatformCluster, PlatformNamespaces, PlatformServices, PodSecurityLevel,
  PredictiveScaler, SqsQueueScaler, WorkloadIdentity,
} from '../src';

// One synth: Karpenter instead of Cluster Autoscaler, IRSA everywhere it is
// offered, metrics-server off, custom namespaces/quotas/prefix, an internal
// ALB scheme, and a standalone Cluster Autoscaler with the priority expander.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const { stack, vpc } = stackWithVpc(app, 'Karpenter');
// The network's groups, as @keelson/network's PlatformSecurityGroups would pass them.
const controlPlaneGroup = new ec2.SecurityGroup(stack, 'ControlPlaneGroup', { vpc, allowAllOutbound: false, description: 'control plane' });
const nodeGroups = ['NodesGroup', 'PeeringGroup'].map((id) => new ec2.SecurityGroup(stack, id, { vpc, allowAllOutbound: false, description: id }));
const albGroup = new ec2.SecurityGroup(stack, 'AlbGroup', { vpc, allowAllOutbound: false, description: 'ALB' });
// Karpenter provisions app and gpu capacity, so only the system pool stays a managed node group.
const platform = new PlatformCluster(stack, 'Platform', {
  vpc,
  securityGroup: controlPlaneGroup,
  nodeSecurityGroups: nodeGroups,
  environmentSuffix: 'prod',
  clusterName: 'core-prod',
  publicAccessCidrs: ['203.0.113.0/24'],
  nodePools: { app: { enabled: false }, gpu: { enabled: false } },
});
const services = new PlatformServices(stack, 'Services', {
  platform,
  environmentSuffix: 'prod',
  nodeAutoscaler: NodeAutoscaler.KARPENTER,
  karpenter: { appCpuLimit: 500, gpuCpuLimit: 64 },
  loadBalancerController: { identity: WorkloadIdentity.IRSA, scheme: 'internal', replicas: 3, albSecurityGroups: [albGroup] },
  externalSecrets: { identity: WorkloadIdentity.IRSA, pathPrefix: 'apps/prod/' },
  keda: { identity: WorkloadIdentity.IRSA },
  containerInsights: { identity: WorkloadIdentity.IRSA },
  metricsServer: { enabled: false },
  namespaces: {
    workloadNamespaces: ['team-a'],
    owner: 'payments',
    quota: { requestsCpu: '8', pods: 50 },
    limits: { defaultMemory: '1Gi' },
    platformNamespaces: [
      { name: 'external-secrets', component: 'external-secrets' },
      { name: 'keda', component: 'keda' },
      { name: 'karpenter', component: 'karpenter' },
      { name: 'observability', component: 'observability', podSecurity: PodSecurityLevel.PRIVILEGED },
    ],
  },
});
const ca = new ClusterAutoscaler(stack, 'StandaloneAutoscaler', {
  cluster: platform.cluster, clusterName: 'core-prod', expander: AutoscalerExpander.PRIORITY, identity: WorkloadIdentity.IRSA,
});
// A component in another stack (as an in-cluster layer stack would be) declares its ExternalSecret in its own scope.
const consumer = new Stack(app, 'Consumer', { env: stack.env });
const consumerSecret = new ExternalSecret(consumer, 'AppDb', {
  operator: services.externalSecrets!, namespace: 'observability', name: 'app-db', remoteRef: 'apps/prod/app-db', secretKeys: [{ secretKey: 'password', property: 'password' }],
});
const result = synthesize(app);
const template = result.template('Karpenter');
const json = template.toJSON();
const { resources, helm, objects, ofType, find } = templateQueries(json);
function idOf(c: any): string {
  return stack.resolve((c.node.defaultChild as CfnResource).logicalId);
}
function statementsOfRole(roleId: string): any[] {
  return ofType('AWS::IAM::Policy').filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}
const karpenter = services.karpenter!;

describe('proof gates', () => {
  testProofGates(result);
  test('every Kubernetes object, Karpenter EC2NodeClass/NodePools included, passes its schema', () => {
    const modelled = objects.filter((o) => o.kind !== 'IngressClassParams');
    expect(modelled.filter((o) => o.apiVersion.startsWith('karpenter')).length).toBe(6);
    expect(kubernetesSchemaErrors(modelled)).toEqual([]);
  });
  test('IRSA adds only the shared CfnJson provider: 3 Lambda functions (kubectl handler, its framework, CfnJson; no auto-delete provider: buckets are retained by default)', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(3);
  });
});

describe('Karpenter', () => {
  test('its namespace denies by default and lets the controller reach AWS (EC2, SSM, pricing, the interruption queue) on 443 and Pod Identity on 80', () => {
    const names = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'karpenter').map((o) => o.metadata.name);
    expect(names).toEqual([...NamespaceTraffic.BASELINE, 'allow-aws-apis']);
    expect(find('NetworkPolicy', 'allow-aws-apis', 'karpenter').spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 80 }]);
  });

  test('replaces Cluster Autoscaler in PlatformServices; chart pinned from ECR Public with the interruption queue', () => {
    expect(services.clusterAutoscaler).toBeUndefined();
    const k = helm.karpenter;
    expect([k.props.Chart, k.props.Repository, k.props.Version, k.props.Namespace]).toEqual(['karpenter', 'oci://public.ecr.aws/karpenter/karpenter', EksCoreVersions.KARPENTER.version, 'karpenter']);
    expect(k.values.settings).toEqual({ clusterName: 'core-prod', interruptionQueue: PLACEHOLDER });
    expect(k.values.serviceAccount).toEqual({ create: false, name: 'karpenter' });
    expect(k.values.nodeSelector).toEqual({ 'node-pool': 'system' });
    expect(find('ServiceAccount', 'karpenter', 'karpenter')).toBeDefined();
    expect(find('Namespace', 'karpenter')!.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('with nodePools.app and gpu off, the only managed node group is system (Karpenter provisions the rest)', () => {
    expect(ofType('AWS::EKS::Nodegroup').map(([, r]) => r.Properties.NodegroupName)).toEqual(['system']);
  });

  test('interruption queue: SSE, TLS only, 5-minute retention', () => {
    const q = resources[idOf(karpenter.interruptionQueue)].Properties;
    expect(q.SqsManagedSseEnabled).toBe(true);
    expect(q.MessageRetentionPeriod).toBe(300);
    expect(q.QueueName).toBe('karpenter-interruption-prod');
    const policy = ofType('AWS::SQS::QueuePolicy').find(([, p]) => p.Properties.Queues[0].Ref === idOf(karpenter.interruptionQueue))![1];
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.find((s: any) => s.Effect === 'Deny').Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    expect(statements.find((s: any) => s.Effect === 'Allow').Principal).toEqual({ Service: 'events.amazonaws.com' });
  });

  test('EventBridge rules for spot interruption, rebalance, state change and AWS Health, all to the queue', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules.map((r) => [r.EventPattern.source[0], r.EventPattern['detail-type'][0]]).sort()).toEqual([
      ['aws.ec2', 'EC2 Instance Rebalance Recommendation'],
      ['aws.ec2', 'EC2 Instance State-change Notification'],
      ['aws.ec2', 'EC2 Spot Instance Interruption Warning'],
      ['aws.health', 'AWS Health Event'],
    ]);
    for (const r of rules) expect(r.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [idOf(karpenter.interruptionQueue), 'Arn'] });
  });

  test('node role with its access entry of type EC2_LINUX', () => {
    const role = resources[idOf(karpenter.nodeRole)].Properties;
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('ec2.');
    expect(role.ManagedPolicyArns.map((a: any) => JSON.stringify(a).match(/policy\/(\w+)/)![1]).sort())
      .toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore']);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { Type: 'EC2_LINUX', PrincipalArn: { 'Fn::GetAtt': [idOf(karpenter.nodeRole), 'Arn'] } });
  });

  test('controller role: writes only on resources tagged owned by this cluster, PassRole only for the node role', () => {
    const statements = statementsOfRole(idOf(karpenter.controllerRole.role));
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.AllowScopedEC2InstanceActionsWithTags.Condition.StringEquals['aws:RequestTag/kubernetes.io/cluster/core-prod']).toBe('owned');
    expect(bySid.AllowScopedDeletion.Condition.StringEquals).toEqual({ 'aws:ResourceTag/kubernetes.io/cluster/core-prod': 'owned' });
    expect(bySid.AllowPassingInstanceRole.Resource).toEqual({ 'Fn::GetAtt': [idOf(karpenter.nodeRole), 'Arn'] });
    expect(bySid.AllowInterruptionQueueActions.Resource).toEqual({ 'Fn::GetAtt': [idOf(karpenter.interruptionQueue), 'Arn'] });
    expect(bySid.AllowRegionalReadActions.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': 'ap-southeast-1' } });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'karpenter', ServiceAccount: 'karpenter' });
  });

  test('Bottlerocket EC2NodeClasses, one per pool: alias, discovery-tag selectors, IMDSv2, encrypted volumes of the pool\'s size, platform tags', () => {
    const volume = (pool: string) => find('EC2NodeClass', `bottlerocket-${pool}`)!.spec.blockDeviceMappings[1].ebs.volumeSize;
    expect([volume('system'), volume('app'), volume('gpu')]).toEqual(['50Gi', '100Gi', '100Gi']);
    expect(find('EC2NodeClass', 'bottlerocket-app')!.spec.tags).toEqual({
      'Component': 'karpenter', 'keelson:cluster': 'core-prod', 'karpenter.sh/discovery': 'core-prod', 'keelson:node-pool': 'app',
    });
    const nc = find('EC2NodeClass', 'bottlerocket-app')!;
    expect(nc.apiVersion).toBe('karpenter.k8s.aws/v1');
    expect(nc.spec.amiSelectorTerms).toEqual([{ alias: 'bottlerocket@latest' }]);
    expect(nc.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'core-prod' } }]);
    // The given node groups by id, with the EKS cluster group: the same groups as the managed node groups.
    expect(nc.spec.securityGroupSelectorTerms).toEqual([{ id: PLACEHOLDER }, { id: PLACEHOLDER }, { id: PLACEHOLDER }]);
    const nodeClassManifest = JSON.stringify(Object.values<any>(resources).find((r) => JSON.stringify(r.Properties?.Manifest ?? '').includes('securityGroupSelectorTerms')));
    for (const [id, attribute] of [[idOf(platform.cluster), 'ClusterSecurityGroupId'], ...nodeGroups.map((g) => [idOf(g), 'GroupId'])]) {
      expect(nodeClassManifest).toContain(`{"Fn::GetAtt":["${id}","${attribute}"]}`);
    }
    expect(nc.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(nc.spec.blockDeviceMappings.every((b: any) => b.ebs.encrypted === true)).toBe(true);
    // The private subnets carry the discovery tag.
    for (const s of vpc.privateSubnets) {
      expect(resources[idOf(s)].Properties.Tags).toContainEqual({ Key: 'karpenter.sh/discovery', Value: 'core-prod' });
    }
  });

  test('system/app/gpu NodePools (karpenter.sh/v1): spot + on-demand for app and gpu, taints as the managed pools', () => {
    const pools = Object.fromEntries(objects.filter((o) => o.kind === 'NodePool').map((p) => [p.metadata.name, p]));
    expect(Object.keys(pools).sort()).toEqual(['app', 'gpu', 'system']);
    const capacity = (p: any) => p.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type').values;
    expect(capacity(pools.system)).toEqual(['on-demand']);
    expect(capacity(pools.app)).toEqual(['spot', 'on-demand']);
    expect(capacity(pools.gpu)).toEqual(['spot', 'on-demand']);
    expect(pools.system.spec.template.spec.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
    expect(pools.gpu.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    expect([pools.app.spec.limits.cpu, pools.gpu.spec.limits.cpu]).toEqual(['500', '64']);
    for (const p of Object.values(pools) as any[]) {
      expect(p.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: `bottlerocket-${p.metadata.name}` });
    }
    // Families and the system ceiling come from the same pool definitions as the managed node groups.
    const families = (p: any) => p.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.k8s.aws/instance-family').values;
    expect(families(pools.system)).toEqual(['m7i']);
    expect(families(pools.app)).toEqual(['m7i', 'm6i', 'm6a', 'm5']);
    expect(families(pools.gpu)).toEqual(['g5']);
    expect(pools.system.spec.limits.cpu).toBe('8'); // 4 nodes x m7i.large (2 vCPU)
  });
});

describe('IRSA and options', () => {
  test('IRSA service accounts carry the role annotation; the chart still does not create them', () => {
    const sa = find('ServiceAccount', 'aws-load-balancer-controller', 'kube-system')!;
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(PLACEHOLDER);
    expect(helm['aws-load-balancer-controller'].values.serviceAccount.create).toBe(false);
    expect(find('ServiceAccount', 'external-secrets', 'external-secrets')!.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(PLACEHOLDER);
  });

  test('IRSA ClusterSecretStores authenticate through the operator service account; prefix apps/prod/', () => {
    expect(find('ClusterSecretStore', 'aws-secrets-manager')!.spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } });
    const statements = statementsOfRole(idOf(services.externalSecrets!.role.role));
    expect(JSON.stringify(statements)).toContain(':secret:apps/prod/*');
    expect(statements.some((s) => s.Sid === 'DecryptThroughSecretsManagerAndSsm')).toBe(false);
  });

  test('KEDA and Container Insights under IRSA', () => {
    expect(helm.keda.values.podIdentity.aws.irsa).toEqual({ enabled: true, roleArn: PLACEHOLDER });
    const addon = ofType('AWS::EKS::Addon').find(([, r]) => r.Properties.AddonName === 'amazon-cloudwatch-observability')![1];
    expect(addon.Properties.ServiceAccountRoleArn).toEqual({ 'Fn::GetAtt': [idOf(services.containerInsights!.role.role), 'Arn'] });
  });

  test('security groups: the cluster takes the control-plane group; launch templates the cluster group and the node groups', () => {
    const [[, cluster]] = ofType('AWS::EKS::Cluster');
    expect(cluster.Properties.ResourcesVpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [idOf(controlPlaneGroup), 'GroupId'] }]);
    // aws-eks-v2 creates no control-plane group of its own when given one.
    expect(ofType('AWS::EC2::SecurityGroup').map(([id]) => id).sort()).toEqual([idOf(albGroup), idOf(controlPlaneGroup), ...nodeGroups.map(idOf)].sort());
    const templates = ofType('AWS::EC2::LaunchTemplate');
    expect(templates.length).toBe(1);
    for (const [, lt] of templates) {
      expect(lt.Properties.LaunchTemplateData.SecurityGroupIds).toEqual([
        { 'Fn::GetAtt': [idOf(platform.cluster), 'ClusterSecurityGroupId'] },
        ...nodeGroups.map((g) => ({ 'Fn::GetAtt': [idOf(g), 'GroupId'] })),
      ]);
    }
  });

  test('ingressAnnotations(): the recommended annotations plus the ALB groups with controller-managed backend rules', () => {
    const lbc = services.loadBalancerController!;
    const annotations = stack.resolve(lbc.ingressAnnotations('arn:aws:acm:ap-southeast-1:111111111111:certificate/abc'));
    expect(annotations).toMatchObject({
      'alb.ingress.kubernetes.io/security-groups': { 'Fn::GetAtt': [idOf(albGroup), 'GroupId'] },
      'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:ap-southeast-1:111111111111:certificate/abc',
    });
    expect(AwsLoadBalancerController.securityGroupAnnotations([])).toEqual({});
  });

  test('internal scheme and replicas for the load balancer controller; metrics-server off', () => {
    expect(find('IngressClassParams', 'alb-tls')!.spec.scheme).toBe('internal');
    expect(helm['aws-load-balancer-controller'].values.replicaCount).toBe(3);
    expect(helm['metrics-server']).toBeUndefined();
    expect(services.metricsServer).toBeUndefined();
  });

  test('custom namespaces, owner, quota and limits; privileged only where asked', () => {
    expect(objects.filter((o) => o.kind === 'Namespace').map((n) => n.metadata.name)).toEqual(['team-a', 'external-secrets', 'keda', 'karpenter', 'observability']);
    expect(find('Namespace', 'team-a')!.metadata.labels).toMatchObject({ env: 'team-a', owner: 'payments' });
    expect(find('Namespace', 'keda')!.metadata.labels.env).toBe('prod');
    expect(find('Namespace', 'observability')!.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(find('ResourceQuota', 'compute', 'team-a')!.spec.hard).toMatchObject({ 'requests.cpu': '8', 'pods': '50', 'limits.cpu': '40' });
    expect(find('LimitRange', 'container-defaults', 'team-a')!.spec.limits[0].default).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  test('standalone Cluster Autoscaler with the priority expander', () => {
    expect(helm['cluster-autoscaler'].values.extraArgs.expander).toBe('priority');
    expect(ca.expander).toBe(AutoscalerExpander.PRIORITY);
    expect(['least-waste', 'priority', 'random', 'most-pods', 'price'])
      .toEqual([
        AutoscalerExpander.LEAST_WASTE, AutoscalerExpander.PRIORITY, AutoscalerExpander.RANDOM,
        AutoscalerExpander.MOST_PODS, AutoscalerExpander.PRICE,
      ].map((e) => e.name));
  });
});

// Validation: constructed after the synth above, so they never reach a template.
describe('ExternalSecret in another stack', () => {
  test('lands in the consumer\'s stack, through the cluster stack\'s kubectl provider, after its ClusterSecretStores', () => {
    const consumerJson = result.template('Consumer').toJSON();
    const [manifest] = Object.values<any>(consumerJson.Resources).filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource');
    const [secret] = JSON.parse(manifest.Properties.Manifest);
    expect(secret).toMatchObject({ kind: 'ExternalSecret', metadata: { name: 'app-db', namespace: 'observability' } });
    expect(secret.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
    expect(JSON.stringify(manifest.Properties.ServiceToken)).toMatch(/"Fn::ImportValue":"Karpenter:ExportsOutput/);
    expect(consumer.dependencies.map((d) => d.stackName)).toEqual(['Karpenter']);
    expect(ofType('Custom::AWSCDK-EKS-KubernetesResource').some(([, r]) => JSON.stringify(r.Properties.Manifest).includes('app-db'))).toBe(false);
    expect(consumerSecret.node.dependencies).toContain(services.externalSecrets!.stores);
  });

  test('is checked like addExternalSecret, naming its own id', () => {
    expect(() => new ExternalSecret(consumer, 'Outside', { operator: services.externalSecrets!, namespace: 'observability', name: 'x', remoteRef: 'other/db', secretKeys: [{ secretKey: 'a' }] }))
      .toThrow(/Consumer: invalid Outside\.remoteRef: "other\/db" is outside the path prefix apps\/prod\//);
  });

  test('in another stack too, a platform secret bound for a workload namespace is refused', () => {
    expect(() => new ExternalSecret(consumer, 'IntoTeam', { operator: services.externalSecrets!, namespace: 'team-a', name: 'x', remoteRef: 'apps/prod/db', secretKeys: [{ secretKey: 'a' }] }))
      .toThrow(/Consumer: invalid IntoTeam\.namespace: "team-a" is a workload namespace, where developers could read a platform secret/);
  });
});

describe('validation', () => {
  const cluster = platform.cluster;
  const keda = services.keda!;
  const eso = services.externalSecrets!;
  const queue = new sqs.Queue(stack, 'ValidationQueue');
  let n = 0;
  const id = () => `Bad${n++}`;
  const scaler = { keda, namespace: 'team-a', scaleTargetName: 'web', prometheusAddress: 'http://prometheus:9090', metricQuery: 'http_requests_total', targetPerReplica: 10 };

  test.each([
    ['min above max', { minReplicas: 5, maxReplicas: 2 }, /invalid minReplicas\/maxReplicas: minReplicas 5 is above maxReplicas 2\. Fix: set minReplicas <= maxReplicas/],
    ['max 0', { maxReplicas: 0 }, /invalid maxReplicas: 0 is outside 1–1000/],
    ['target 0', { targetPerReplica: 0 }, /invalid targetPerReplica: 0 is not positive\. Fix:/],
    ['activation negative', { activationTarget: -1 }, /invalid activationTarget: -1 is negative/],
    ['bad address', { prometheusAddress: 'prometheus:9090' }, /invalid prometheusAddress: "prometheus:9090" is not an http\(s\) URL/],
    ['look-ahead 30s', { lookAhead: Duration.seconds(30) }, /invalid lookAhead: 30s is outside 1–60 minutes/],
    ['trend window short', { trendWindow: Duration.minutes(3) }, /invalid trendWindow: 180s is shorter than two rate windows \(240s\)/],
    ['formula without triggers', { formula: 'max(a, b)' }, /invalid formula: "max\(a, b\)" uses neither trigger/],
    ['bad kind', { scaleTargetKind: 'Pod' }, /invalid scaleTargetKind: "Pod" cannot be scaled.*Fix: use one of Deployment, StatefulSet, Rollout/],
    ['bad namespace', { namespace: 'Team_A' }, /invalid namespace: "Team_A" is not a Kubernetes name/],
  ])('PredictiveScaler rejects %s', (_name, overrides, message) => {
    expect(() => new PredictiveScaler(stack, id(), { ...scaler, ...overrides } as any)).toThrow(message);
  });

  test('SqsQueueScaler rejects 0 messages per replica and min above max', () => {
    expect(() => new SqsQueueScaler(stack, id(), { keda, queue, namespace: 'team-a', scaleTargetName: 'w', messagesPerReplica: 0 }))
      .toThrow(/invalid messagesPerReplica: 0 is outside 1–100000/);
    expect(() => new SqsQueueScaler(stack, id(), { keda, queue, namespace: 'team-a', scaleTargetName: 'w', minReplicas: 3, maxReplicas: 1 }))
      .toThrow(/minReplicas 3 is above maxReplicas 1/);
  });

  test('ExternalSecrets rejects a bad prefix, a remote outside the prefix, no keys, a bad name', () => {
    expect(() => new ExternalSecretsOperator(stack, id(), { cluster, pathPrefix: '/apps' }))
      .toThrow(/invalid pathPrefix: "\/apps" is not a path prefix\. Fix: write it like keelson\/prod\//);
    expect(() => eso.addExternalSecret('Outside', { namespace: 'team-a', name: 'x', remoteRef: 'other/db', secretKeys: [{ secretKey: 'a' }] }))
      .toThrow(/invalid addExternalSecret\(Outside\)\.remoteRef: "other\/db" is outside the path prefix apps\/prod\/.*Fix: store it under apps\/prod\//);
    expect(() => eso.addExternalSecret('NoKeys', { namespace: 'team-a', name: 'x', remoteRef: 'apps/prod/db', secretKeys: [] }))
      .toThrow(/invalid addExternalSecret\(NoKeys\)\.secretKeys: no keys are listed/);
    expect(() => eso.addExternalSecret('BadName', { namespace: 'team-a', name: 'X_Y', remoteRef: 'apps/prod/db', secretKeys: [{ secretKey: 'a' }] }))
      .toThrow(/invalid addExternalSecret\(BadName\)\.name: "X_Y" is not a Kubernetes name/);
  });

  test('chart versions must be exact; scheme must be a scheme; add-on versions must be EKS builds', () => {
    expect(() => new MetricsServer(stack, id(), { cluster, chartVersion: 'latest' }))
      .toThrow(/invalid chartVersion: "latest" is not a Helm chart version\. Fix: pin an exact chart version/);
    expect(() => new AwsLoadBalancerController(stack, id(), { cluster, clusterName: 'core-prod', scheme: 'public' }))
      .toThrow(/invalid scheme: "public" is not a load balancer scheme\. Fix: use 'internet-facing' or 'internal'/);
    expect(() => new ContainerInsights(stack, id(), { cluster, version: '4.5.0' }))
      .toThrow(/invalid version: "4\.5\.0" is not an EKS add-on version/);
  });

  /** A cluster imported with its VPC and kubectl provider: enough to build an AwsLoadBalancerController on, outside the synthesized stack. */
  const importedCluster = (scope: Stack) => eks.Cluster.fromClusterAttributes(scope, 'Imported', {
    clusterName: 'core-prod',
    vpc: ec2.Vpc.fromVpcAttributes(scope, 'ImportedVpc', { vpcId: 'vpc-1', availabilityZones: ['a'] }),
    kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(scope, 'Kubectl', {
      serviceToken: 'arn:aws:lambda:ap-southeast-1:111111111111:function:kubectl',
      role: iam.Role.fromRoleArn(scope, 'KubectlRole', 'arn:aws:iam::111111111111:role/kubectl'),
    }),
  });

  test('a new ALB log bucket needs the stack\'s region (its delivery principal depends on it); a given bucket or no logs do not', () => {
    const agnostic = new Stack(app, 'RegionAgnostic');
    const imported = importedCluster(agnostic);
    expect(() => new AwsLoadBalancerController(agnostic, id(), { cluster: imported, clusterName: 'core-prod' })).toThrow(
      /RegionAgnostic\/Bad\d+: invalid accessLogs: the stack has no explicit region, and the principal that delivers ALB access logs .* depends on it\. Fix: give the stack env\.region, pass accessLogsBucket with its own delivery policy, or set accessLogs: false/);
    expect(() => new AwsLoadBalancerController(agnostic, id(), { cluster: imported, clusterName: 'core-prod', accessLogs: false })).not.toThrow();
    const bucket = s3.Bucket.fromBucketName(agnostic, 'Given', 'alb-logs');
    expect(new AwsLoadBalancerController(agnostic, id(), { cluster: imported, clusterName: 'core-prod', accessLogsBucket: bucket }).accessLogsBucket).toBe(bucket);
  });

  test('workload stores on an imported cluster without an OpenID Connect provider fail, naming workloadStores; off, they are not built', () => {
    const scope = new Stack(app, 'NoOidc', { env: { account: '111111111111', region: 'ap-southeast-1' } });
    const imported = importedCluster(scope);
    const registry = new PlatformNamespaces(scope, 'Registry', { cluster: imported, workloadNamespaces: ['dev'] });
    expect(() => new ExternalSecretsOperator(scope, 'Eso', { cluster: imported, namespaces: registry }))
      .toThrow(/NoOidc\/Eso: invalid workloadStores: .*no OpenID Connect provider\. Fix: import the cluster with its openIdConnectProvider, or set workloadStores: false/);
    expect(Object.keys(new ExternalSecretsOperator(scope, 'EsoOff', { cluster: imported, namespaces: registry, workloadStores: false }).workloadRoles)).toEqual([]);
  });

  test('in a region opened after August 2022 (Middle East (UAE)) the log delivery service principal writes ALB access logs', () => {
    const uae = new Stack(app, 'Uae', { env: { account: '111111111111', region: 'me-central-1' } });
    const alb = new AwsLoadBalancerController(uae, 'Alb', { cluster: importedCluster(uae), clusterName: 'core-prod' });
    const statements = uae.resolve((alb.accessLogsBucket as s3.Bucket).policy!.document.toJSON()).Statement;
    expect(statements.find((st: any) => st.Sid === 'ElbAccessLogDelivery')).toMatchObject({
      Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^AlbAccessLogs/), 'Arn'] }, '/alb/core-prod/AWSLogs/111111111111/*']] },
    });
  });

  test('namespaces: kube-system, duplicates and bad names are rejected', () => {
    expect(() => new PlatformNamespaces(stack, id(), { cluster, workloadNamespaces: ['kube-system'] }))
      .toThrow(/invalid workloadNamespaces: "kube-system" is a namespace Kubernetes\/EKS manages/);
    expect(() => new PlatformNamespaces(stack, id(), { cluster, workloadNamespaces: ['dev'], platformNamespaces: [{ name: 'dev', component: 'x' }] }))
      .toThrow(/invalid platformNamespaces: "dev" is listed twice/);
    expect(() => new PlatformNamespaces(stack, id(), { cluster, workloadNamespaces: ['Dev'] }))
      .toThrow(/invalid workloadNamespaces: "Dev" is not a Kubernetes name/);
  });

  test('Karpenter beside managed app/gpu node groups warns, naming the groups; with them off it does not', () => {
    const warnings = (scope: PlatformServices) => scope.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    const withManagedPools = new PlatformCluster(stack, id(), {
      vpc, environmentSuffix: 'prod', clusterName: 'core-migrating', publicAccessCidrs: ['203.0.113.0/24'],
    });
    expect(warnings(new PlatformServices(stack, id(), { platform: withManagedPools, nodeAutoscaler: NodeAutoscaler.KARPENTER }))).toEqual([
      expect.stringMatching(/^Karpenter provisions the app and gpu pools, but the cluster also has the managed node groups app-on-demand, app-spot, gpu: .*Set nodePools\.app\.enabled/),
    ]);
    // Without a Karpenter gpu pool the managed gpu group is not doubled.
    const withoutKarpenterGpu = new PlatformServices(stack, id(), {
      platform: withManagedPools, nodeAutoscaler: NodeAutoscaler.KARPENTER, karpenter: { gpuCpuLimit: 0 },
    });
    expect(warnings(withoutKarpenterGpu))
      .toEqual([expect.stringMatching(/managed node groups app-on-demand, app-spot: /)]);
    expect(warnings(services)).toEqual([]);
    expect(Object.keys(platform.nodePools)).toEqual(['system']);
  });

  test('Karpenter: one instance family, or Cluster Autoscaler switched on beside it, is rejected', () => {
    expect(() => new Karpenter(stack, id(), { cluster, clusterName: 'core-prod', appInstanceFamilies: ['m7i'] }))
      .toThrow(/invalid appInstanceFamilies: 1 instance family cannot keep spot capacity available\. Fix: list at least two/);
    expect(() => new PlatformServices(stack, id(), { platform, nodeAutoscaler: NodeAutoscaler.KARPENTER, clusterAutoscaler: { enabled: true } }))
      .toThrow(/invalid clusterAutoscaler\.enabled: Cluster Autoscaler and Karpenter would both scale nodes/);
  });
});
