import * as fs from 'fs';
import { join } from 'path';
import { cfnLint, cfnLintRunsHere, formatCfnLint, kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { CfnResource, Duration, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { stackWithVpc } from './fixture';
import { PLACEHOLDER, templateQueries } from './helm';
import {
  AwsLoadBalancerController, ClusterAccessGroups, EksCoreVersions, NamespaceTraffic, PlatformCluster,
  PlatformServices, PredictiveScaler, SecretStoreKind, SqsQueueScaler,
} from '../src';

// One synth: a PlatformCluster with developer/read-only personas, every
// platform service at its defaults, an ESO KMS key, one ExternalSecret, a
// predictive ScaledObject and an SQS queue-depth scaler.
const DEVELOPER = 'arn:aws:iam::111111111111:role/developers';
const READER = 'arn:aws:iam::111111111111:role/auditors';

const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const { stack, vpc } = stackWithVpc(app, 'Services');
const platform = new PlatformCluster(stack, 'Platform', {
  vpc,
  publicAccessCidrs: ['203.0.113.0/24'],
  access: { developerRoleArns: [DEVELOPER], developerNamespaces: ['dev', 'staging'], readOnlyRoleArns: [READER] },
});
const secretsKey = new kms.Key(stack, 'AppSecretsKey', { enableKeyRotation: true });
const services = new PlatformServices(stack, 'Services', {
  platform,
  externalSecrets: { kmsKey: secretsKey },
  namespaces: { platformNamespaces: [{ name: 'tools', component: 'tools' }] },
});
services.externalSecrets!.addExternalSecret('Db', {
  namespace: 'tools',
  name: 'db-credentials',
  remoteRef: 'keelson/dev/db',
  secretKeys: [{ secretKey: 'username', property: 'username' }, { secretKey: 'password', property: 'password' }],
});
services.externalSecrets!.addExternalSecret('Flags', {
  namespace: 'tools',
  name: 'flags',
  remoteRef: '/keelson/dev/flags',
  store: SecretStoreKind.PARAMETER_STORE,
  secretKeys: [{ secretKey: 'flags' }],
  refreshInterval: Duration.minutes(5),
  secretLabels: { 'app.kubernetes.io/part-of': 'argocd' },
});
// A sample Ingress for a service that streams server-sent events, with both recommended annotation sets.
new eks.KubernetesManifest(stack, 'StreamingIngress', {
  cluster: platform.cluster,
  manifest: [{
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'events',
      namespace: 'dev',
      annotations: {
        ...AwsLoadBalancerController.recommendedIngressAnnotations(),
        ...AwsLoadBalancerController.streamingIngressAnnotations(Duration.minutes(15)),
      },
    },
    spec: {
      ingressClassName: AwsLoadBalancerController.INGRESS_CLASS,
      rules: [{ host: 'events.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'events', port: { number: 80 } } } }] } }],
    },
  }],
});
const predictive = new PredictiveScaler(stack, 'WebScaler', {
  keda: services.keda!,
  namespace: 'dev',
  scaleTargetName: 'web',
  prometheusAddress: 'http://prometheus-server.observability.svc:9090',
  metricQuery: 'http_requests_total{service="web"}',
  targetPerReplica: 50,
  minReplicas: 2,
  maxReplicas: 20,
});
const queue = new sqs.Queue(stack, 'Jobs', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'test fixture: the work queue of the scaler test needs no dead-letter queue' });
new SqsQueueScaler(stack, 'WorkerScaler', { keda: services.keda!, queue, namespace: 'dev', scaleTargetName: 'worker', messagesPerReplica: 10 });

const result = synthesize(app);
const template = result.template('Services');
const json = template.toJSON();
const { resources, helm, objects, ofType, find } = templateQueries(json);
/** Logical id of the CloudFormation resource at a construct path. */
function idAt(path: string): string {
  const c = stack.node.findAll().find((x) => x instanceof CfnResource && x.node.path === path) as CfnResource | undefined;
  if (!c) throw new Error(`nothing at ${path}`);
  return stack.resolve(c.logicalId);
}
/** The inline policy statements of a role (by the role's construct path). */
function statementsOf(rolePath: string): any[] {
  const roleId = idAt(`${rolePath}/Resource`);
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}
// IngressClassParams (elbv2.k8s.aws) has no model in kubernetes-models; it is asserted field by field below.
const UNMODELLED = ['IngressClassParams'];

describe('proof gates', () => {
  testProofGates(result, { minimumReasonLength: 60 });

  test('ALB access logs go to a HardenedBucket (SSE-S3, versioned, TLS-only, owner-enforced, 90-day expiry) that only Elastic Load Balancing may write to, under the cluster prefix', () => {
    const alb = services.loadBalancerController!;
    const bucketId = stack.resolve((alb.accessLogsBucket!.node.defaultChild as CfnResource).logicalId);
    // The bucket is the HardenedBucket's default child: its logical id is the one the hand-written bucket had.
    expect(alb.accessLogsBucket!.node.path).toBe('Services/Services/LoadBalancerController/AccessLogs/Default');
    expect(bucketId).toMatch(/^ServicesLoadBalancerControllerAccessLogs[0-9A-F]{8}$/);
    const bucket = resources[bucketId].Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.LifecycleConfiguration.Rules).toEqual([{
      Id: 'expire',
      Status: 'Enabled',
      ExpirationInDays: 90,
      NoncurrentVersionExpiration: { NoncurrentDays: 7 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    }]);
    expect(resources[bucketId].DeletionPolicy).toBe('Retain');
    expect(ofType('Custom::S3AutoDeleteObjects')).toEqual([]);
    // Container Insights' add-on defaulted its own removal: it now follows the one switch (RETAIN).
    const insights = ofType('AWS::EKS::Addon').find(([, r]) => r.Properties.AddonName === 'amazon-cloudwatch-observability')!;
    expect(insights[1].DeletionPolicy).toBe('Retain');

    const policy = ofType('AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket.Ref === bucketId)![1].Properties.PolicyDocument.Statement;
    const delivery = policy.find((st: any) => st.Sid === 'ElbAccessLogDelivery');
    // ap-southeast-1 predates the log-delivery service principal: its regional ELB account writes the logs.
    expect(delivery).toEqual({
      Sid: 'ElbAccessLogDelivery',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::114774131450:root']] } },
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/alb/${platform.clusterName}/AWSLogs/111111111111/*`]] },
    });
    const deny = policy.find((st: any) => st.Effect === 'Deny');
    expect(deny).toMatchObject({ Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    // TLS-only deny and ELB delivery (removal RETAIN by default: no auto-delete provider's grant): nothing else may write.
    expect(policy.map((st: any) => st.Sid ?? st.Effect)).toEqual(['Deny', 'ElbAccessLogDelivery']);
    expect(policy.filter((st: any) => st.Effect === 'Allow' && [].concat(st.Action).includes('s3:PutObject' as never)).map((st: any) => st.Sid)).toEqual(['ElbAccessLogDelivery']);

    // The ALB log bucket's own server access logs go to the HardenedBucket's access-log bucket (SSE-S3), which only S3 log delivery writes, for this source bucket only.
    const serverLogsId = idAt('Services/Services/LoadBalancerController/AccessLogs/AccessLogs/Resource');
    expect(bucket.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: serverLogsId }, LogFilePrefix: 'alb-access-logs-bucket/' });
    expect(resources[serverLogsId].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
    const serverLogsPolicy = ofType('AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket.Ref === serverLogsId)![1].Properties.PolicyDocument.Statement;
    expect(serverLogsPolicy.find((st: any) => st.Sid === 'S3ServerAccessLogs')).toMatchObject({
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });

    // The IngressClassParams is applied after the bucket (ELB test-writes to it when the attribute is set).
    const ingressClass = alb.ingressClass.node.findAll().find((c) => c instanceof CfnResource) as CfnResource;
    expect(json.Resources[stack.resolve(ingressClass.logicalId)].DependsOn).toEqual(expect.arrayContaining([bucketId]));
  });

  test('the ALB log bucket is acknowledged only for what ELB imposes: SSE-S3 and no replica; access logging is on, not acknowledged', () => {
    const bucketPath = services.loadBalancerController!.accessLogsBucket!.node.path;
    const onBucket = result.acknowledgements.filter((a) => a.constructPath === bucketPath).map((a) => a.id).sort();
    expect(onBucket).toEqual(['NIST.800.53.R5-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3DefaultEncryptionKMS']);
    expect(result.acknowledgements.find((a) => a.constructPath === bucketPath && a.id === 'NIST.800.53.R5-S3DefaultEncryptionKMS')!.reason).toMatch(/only to buckets encrypted with SSE-S3/);
  });

  test('load balancers carry the platform\'s tags (defaultTags, read at synth from the controller\'s own tags)', () => {
    expect(helm['aws-load-balancer-controller'].values.defaultTags).toEqual({ Component: 'aws-load-balancer-controller' });
  });

  (cfnLintRunsHere() ? test : test.skip)('cfn-lint finds no error', () => {
    expect(formatCfnLint(cfnLint(result.templatePaths).errors)).toBe('');
  });

  test('every emitted Kubernetes object and custom resource passes its schema', () => {
    const modelled = objects.filter((o) => !UNMODELLED.includes(o.kind));
    expect(modelled.length).toBeGreaterThan(30);
    expect(kubernetesSchemaErrors(modelled)).toEqual([]);
    // Only IngressClassParams is left out.
    expect(objects.filter((o) => UNMODELLED.includes(o.kind)).map((o) => o.metadata.name)).toEqual(['alb-tls']);
  });

  test('a broken ScaledObject and a broken ExternalSecret fail the schema check', () => {
    const scaled = JSON.parse(JSON.stringify(find('ScaledObject', 'web-predictive', 'dev')));
    delete scaled.spec.scaleTargetRef;
    scaled.spec.minReplicaCount = 'two';
    const secret = JSON.parse(JSON.stringify(find('ExternalSecret', 'db-credentials', 'tools')));
    secret.spec.data[0].remoteRef = { property: 'username' }; // no key
    const errors = kubernetesSchemaErrors([scaled, secret]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/ScaledObject dev\/web-predictive: .*(scaleTargetRef|minReplicaCount)/);
    expect(errors[1]).toMatch(/ExternalSecret tools\/db-credentials: .*key/);
  });

  test('one kubectl provider for every chart and manifest: 3 Lambda functions (kubectl handler and its framework, the CfnJson provider of the workload stores\' IRSA trust; no S3 auto-delete provider, buckets are retained by default)', () => {
    expect(ofType('AWS::Lambda::Function').map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort())
      .toEqual(['AWSCDKCfnUtilsProviderCustomResourceProviderHandler', 'PlatformClusterKubectlProviderHandler', 'PlatformClusterKubectlProviderframeworkonEvent']);
    const framework = idAt('Services/Platform/Cluster/KubectlProvider/Provider/framework-onEvent/Resource');
    const custom = [...ofType('Custom::AWSCDK-EKS-HelmChart'), ...ofType('Custom::AWSCDK-EKS-KubernetesResource')];
    expect(custom.length).toBeGreaterThan(10);
    for (const [, r] of custom) expect(r.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [framework, 'Arn'] });
  });

  test('stays well inside CloudFormation limits', () => {
    expect(Object.keys(resources).length).toBeLessThan(500);
    expect(JSON.stringify(json).length).toBeLessThan(1024 * 1024);
  });
});

describe('Helm charts', () => {
  test('five pinned charts, each from its upstream repository', () => {
    const pin = (h: { props: any }) => [h.props.Chart, h.props.Repository, h.props.Version, h.props.Namespace];
    const pins = Object.fromEntries(Object.entries(helm).map(([release, h]) => [release, pin(h)]));
    expect(pins).toEqual({
      'cluster-autoscaler': ['cluster-autoscaler', 'https://kubernetes.github.io/autoscaler', EksCoreVersions.CLUSTER_AUTOSCALER.version, 'kube-system'],
      'aws-load-balancer-controller': ['aws-load-balancer-controller', 'https://aws.github.io/eks-charts', EksCoreVersions.AWS_LOAD_BALANCER_CONTROLLER.version, 'kube-system'],
      'external-secrets': ['external-secrets', 'https://charts.external-secrets.io', EksCoreVersions.EXTERNAL_SECRETS.version, 'external-secrets'],
      'metrics-server': ['metrics-server', 'https://kubernetes-sigs.github.io/metrics-server', EksCoreVersions.METRICS_SERVER.version, 'kube-system'],
      'keda': ['keda', 'https://kedacore.github.io/charts', EksCoreVersions.KEDA.version, 'keda'],
    });
  });

  test('every controller runs on the system pool, tolerating CriticalAddonsOnly', () => {
    for (const [release, h] of Object.entries(helm)) {
      expect([release, h.values.nodeSelector]).toEqual([release, { 'node-pool': 'system' }]);
      expect([release, h.values.tolerations]).toEqual([release, [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]]);
    }
    expect(helm['external-secrets'].values.webhook.nodeSelector).toEqual({ 'node-pool': 'system' });
    expect(helm['external-secrets'].values.certController.tolerations).toHaveLength(1);
  });

  test('charts with admission webhooks wait, so their custom resources apply after them', () => {
    expect(['aws-load-balancer-controller', 'external-secrets', 'keda'].map((r) => helm[r].props.Wait)).toEqual([true, true, true]);
  });

  test('controllers wait for the system node pool', () => {
    const systemPool = stack.resolve((platform.nodePools.system.nodegroup.node.defaultChild as CfnResource).logicalId);
    for (const release of Object.keys(helm)) {
      const [, r] = Object.entries(resources).find(([, x]) => x.Type === 'Custom::AWSCDK-EKS-HelmChart' && x.Properties.Release === release)!;
      expect([release, r.DependsOn]).toEqual([release, expect.arrayContaining([systemPool])]);
    }
  });
});

describe('Cluster Autoscaler', () => {
  const values = helm['cluster-autoscaler'].values;
  const rolePath = 'Services/Services/ClusterAutoscaler/Role/Role';

  test('discovers ASGs by the enabled + cluster tags, least-waste expander, image matching Kubernetes 1.36', () => {
    expect(values.autoDiscovery).toEqual({ clusterName: 'platform-dev', tags: ['k8s.io/cluster-autoscaler/enabled', 'k8s.io/cluster-autoscaler/platform-dev'] });
    expect(services.clusterAutoscaler!.autoDiscovery).toBe('asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/platform-dev');
    expect(values.extraArgs.expander).toBe('least-waste');
    expect(values.image.tag).toBe('v1.36.1');
    expect(values.awsRegion).toBe('ap-southeast-1');
    expect(values.cloudProvider).toBe('aws');
    expect(values.rbac.serviceAccount).toEqual({ create: false, name: 'cluster-autoscaler' });
  });

  test('may describe everything but change only ASGs tagged owned by this cluster', () => {
    const statements = statementsOf(rolePath);
    const describe = statements.find((s) => s.Sid === 'Describe');
    expect(describe.Resource).toBe('*');
    expect(describe.Action).toEqual(expect.arrayContaining(['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeInstanceTypes', 'eks:DescribeNodegroup']));
    expect(describe.Action.every((a: string) => /^(autoscaling|ec2|eks):(Describe|Get)/.test(a))).toBe(true);
    const scale = statements.find((s) => s.Sid === 'ScaleOwnedGroups');
    expect(scale.Action).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    expect(scale.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/platform-dev': 'owned' } });
    expect(statements).toHaveLength(2);
  });

  test('its service account is created by Keelson and bound by Pod Identity', () => {
    expect(find('ServiceAccount', 'cluster-autoscaler', 'kube-system')).toBeDefined();
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'kube-system', ServiceAccount: 'cluster-autoscaler', RoleArn: { 'Fn::GetAtt': [idAt(`${rolePath}/Resource`), 'Arn'] },
    });
  });
});

describe('AWS Load Balancer Controller', () => {
  const values = helm['aws-load-balancer-controller'].values;
  const rolePath = 'Services/Services/LoadBalancerController/Role/Role';

  test('WAFv2 and Shield on, vpcId/region/clusterName explicit, chart-made IngressClass off', () => {
    expect(values.enableWafv2).toBe(true);
    expect(values.enableShield).toBe(true);
    expect(values.region).toBe('ap-southeast-1');
    expect(values.clusterName).toBe('platform-dev');
    expect(values.vpcId).toBe(PLACEHOLDER);
    expect(helm['aws-load-balancer-controller'].raw['Fn::Join'][1]).toContainEqual({ Ref: stack.resolve((vpc.node.defaultChild as CfnResource).logicalId) });
    expect(values.serviceAccount).toEqual({ create: false, name: 'aws-load-balancer-controller' });
    expect(values.createIngressClassResource).toBe(false);
    expect(values.replicaCount).toBe(2);
    expect(values.defaultSSLPolicy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
  });

  test('carries the upstream iam_policy.json statements, partition-neutral', () => {
    const upstream = JSON.parse(fs.readFileSync(join(__dirname, '..', 'policies', 'aws-load-balancer-controller.json'), 'utf8'));
    const statements = statementsOf(rolePath);
    expect(statements).toHaveLength(upstream.Statement.length);
    const actions = statements.flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['wafv2:AssociateWebACL', 'shield:CreateProtection', 'elasticloadbalancing:CreateLoadBalancer', 'ec2:CreateSecurityGroup']));
    expect(JSON.stringify(statements)).not.toContain('arn:aws:');
    const create = statements.find((s) => [].concat(s.Action).includes('elasticloadbalancing:CreateLoadBalancer' as never));
    expect(create.Condition).toEqual({ Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } });
  });

  test('alb IngressClass (default) with IngressClassParams carrying the TLS 1.3 policy', () => {
    const params = find('IngressClassParams', 'alb-tls')!;
    expect(params.apiVersion).toBe('elbv2.k8s.aws/v1beta1');
    expect(params.spec).toEqual({
      scheme: 'internet-facing',
      ipAddressType: 'ipv4',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      loadBalancerAttributes: [
        { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
        { key: 'deletion_protection.enabled', value: 'false' },
        { key: 'access_logs.s3.enabled', value: 'true' },
        { key: 'access_logs.s3.bucket', value: PLACEHOLDER },
        { key: 'access_logs.s3.prefix', value: `alb/${platform.clusterName}` },
      ],
    });
    const cls = find('IngressClass', 'alb')!;
    expect(cls.spec).toEqual({ controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb-tls' } });
    expect(cls.metadata.annotations['ingressclass.kubernetes.io/is-default-class']).toBe('true');
  });

  test('recommended Ingress annotations: TLS 1.3 policy, HTTPS redirect, IP targets', () => {
    expect(AwsLoadBalancerController.recommendedIngressAnnotations()).toEqual({
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
    });
    expect(AwsLoadBalancerController.recommendedIngressAnnotations('arn:aws:acm:ap-southeast-1:111111111111:certificate/abc')['alb.ingress.kubernetes.io/certificate-arn'])
      .toBe('arn:aws:acm:ap-southeast-1:111111111111:certificate/abc');
  });

  test('streaming annotations on a sample Ingress: ALB idle timeout, client keep-alive and draining sized for long-lived responses', () => {
    const ingress = find('Ingress', 'events', 'dev')!;
    expect(ingress.metadata.annotations).toEqual({
      ...AwsLoadBalancerController.recommendedIngressAnnotations(),
      'alb.ingress.kubernetes.io/load-balancer-attributes': 'idle_timeout.timeout_seconds=900,client_keep_alive.seconds=900',
      'alb.ingress.kubernetes.io/target-group-attributes': 'deregistration_delay.timeout_seconds=300',
    });
    expect(kubernetesSchemaErrors([ingress])).toEqual([]);
    // The default is an hour; draining is capped at five minutes; short timeouts keep a one-minute keep-alive.
    expect(AwsLoadBalancerController.streamingIngressAnnotations()['alb.ingress.kubernetes.io/load-balancer-attributes'])
      .toBe('idle_timeout.timeout_seconds=3600,client_keep_alive.seconds=3600');
    expect(AwsLoadBalancerController.streamingIngressAnnotations(Duration.seconds(30))).toEqual({
      'alb.ingress.kubernetes.io/load-balancer-attributes': 'idle_timeout.timeout_seconds=30,client_keep_alive.seconds=60',
      'alb.ingress.kubernetes.io/target-group-attributes': 'deregistration_delay.timeout_seconds=30',
    });
    expect(() => AwsLoadBalancerController.streamingIngressAnnotations(Duration.hours(2)))
      .toThrow(/invalid idleTimeout: 7200 s is outside the ALB idle timeout range. Fix: use 1 to 4000 seconds/);
  });
});

describe('External Secrets', () => {
  const rolePath = 'Services/Services/ExternalSecrets/Role/Role';

  test('role reads only secrets and parameters under keelson/dev/, decrypting only through those services', () => {
    const statements = statementsOf(rolePath);
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual(['DecryptThroughSecretsManagerAndSsm', 'ReadParametersUnderPrefix', 'ReadSecretsUnderPrefix']);
    expect(bySid.ReadSecretsUnderPrefix.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:ap-southeast-1:111111111111:secret:keelson/dev/*']] });
    expect(bySid.ReadParametersUnderPrefix.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:ap-southeast-1:111111111111:parameter/keelson/dev/*']] });
    expect(bySid.DecryptThroughSecretsManagerAndSsm.Action).toBe('kms:Decrypt');
    expect(bySid.DecryptThroughSecretsManagerAndSsm.Resource).toEqual({ 'Fn::GetAtt': [idAt('Services/AppSecretsKey/Resource'), 'Arn'] });
    expect(bySid.DecryptThroughSecretsManagerAndSsm.Condition.StringEquals['kms:ViaService']).toHaveLength(2);
  });

  test('ClusterSecretStores for Secrets Manager and Parameter Store (external-secrets.io/v1), region set', () => {
    const sm = find('ClusterSecretStore', 'aws-secrets-manager')!;
    const ps = find('ClusterSecretStore', 'aws-parameter-store')!;
    expect(sm.apiVersion).toBe('external-secrets.io/v1');
    expect(sm.spec.provider.aws).toEqual({ service: 'SecretsManager', region: 'ap-southeast-1' });
    expect(ps.spec.provider.aws).toEqual({ service: 'ParameterStore', region: 'ap-southeast-1' });
  });

  // Issue 29 finding 1: the ClusterSecretStores had no conditions, so any namespace could use them.
  test('the ClusterSecretStores serve the platform namespaces only, never a workload namespace', () => {
    for (const name of ['aws-secrets-manager', 'aws-parameter-store']) {
      expect(find('ClusterSecretStore', name)!.spec.conditions).toEqual([{ namespaces: ['external-secrets', 'keda', 'tools'] }]);
    }
  });

  test('each workload namespace gets its own SecretStores, authenticated as its own IRSA service account', () => {
    for (const ns of ['dev', 'staging', 'production']) {
      for (const [name, service] of [['aws-secrets-manager', 'SecretsManager'], ['aws-parameter-store', 'ParameterStore']]) {
        expect(find('SecretStore', name, ns)!.spec.provider.aws).toEqual({
          service, region: 'ap-southeast-1', auth: { jwt: { serviceAccountRef: { name: 'workload-secrets' } } },
        });
      }
      const sa = find('ServiceAccount', 'workload-secrets', ns)!;
      expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(PLACEHOLDER);
      const manifest = resources[idAt(`Services/Services/ExternalSecrets/WorkloadStores-${ns}/Resource/Default`)].Properties.Manifest;
      expect(JSON.stringify(manifest)).toContain(JSON.stringify({ 'Fn::GetAtt': [idAt(`Services/Services/ExternalSecrets/Workload-${ns}/Role/Resource`), 'Arn'] }));
    }
  });

  test('a workload role reads only keelson/dev/workloads/<namespace>/ and trusts only that namespace\'s service account', () => {
    const statements = statementsOf('Services/Services/ExternalSecrets/Workload-staging/Role');
    const bySid = Object.fromEntries(statements.map((st) => [st.Sid, st]));
    expect(bySid.ReadNamespaceSecrets.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:ap-southeast-1:111111111111:secret:keelson/dev/workloads/staging/*']] });
    expect(bySid.ReadNamespaceParameters.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:ap-southeast-1:111111111111:parameter/keelson/dev/workloads/staging/*']] });
    expect(services.externalSecrets!.workloadPathPrefix('staging')).toBe('keelson/dev/workloads/staging/');
    const conditions = Object.values(resources).find((r: any) => r.Type === 'Custom::AWSCDKCfnJson'
      && JSON.stringify(r.Properties.Value).includes('system:serviceaccount:staging:workload-secrets'));
    expect(conditions).toBeDefined();
  });

  test('platform secrets never land in a workload namespace, nor under the workloads prefix', () => {
    const eso = services.externalSecrets!;
    expect(() => eso.addExternalSecret('Leak', { namespace: 'dev', name: 'leak', remoteRef: 'keelson/dev/argocd/token', secretKeys: [{ secretKey: 'token' }] }))
      .toThrow(/invalid addExternalSecret\(Leak\)\.namespace: "dev" is a workload namespace.*Fix: .*keelson\/dev\/workloads\/dev\//);
    expect(() => eso.addExternalSecret('Borrow', { namespace: 'tools', name: 'borrow', remoteRef: 'keelson/dev/workloads/dev/db', secretKeys: [{ secretKey: 'db' }] }))
      .toThrow(/invalid addExternalSecret\(Borrow\)\.remoteRef: .* belongs to workload namespaces/);
  });

  test('addExternalSecret writes an ExternalSecret for the namespace', () => {
    expect(find('ExternalSecret', 'db-credentials', 'tools')!.spec).toEqual({
      refreshInterval: '3600s',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
      target: { name: 'db-credentials', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'username', remoteRef: { key: 'keelson/dev/db', property: 'username' } },
        { secretKey: 'password', remoteRef: { key: 'keelson/dev/db', property: 'password' } },
      ],
    });
    expect(find('ExternalSecret', 'flags', 'tools')!.spec.secretStoreRef.name).toBe('aws-parameter-store');
    expect(find('ExternalSecret', 'flags', 'tools')!.spec.data[0].remoteRef).toEqual({ key: '/keelson/dev/flags' });
    expect(find('ExternalSecret', 'flags', 'tools')!.spec.refreshInterval).toBe('300s');
    // secretLabels: a template that only adds labels, merged over the fetched keys.
    expect(find('ExternalSecret', 'flags', 'tools')!.spec.target).toEqual({
      name: 'flags',
      creationPolicy: 'Owner',
      template: { engineVersion: 'v2', mergePolicy: 'Merge', metadata: { labels: { 'app.kubernetes.io/part-of': 'argocd' } } },
    });
  });

  test('the namespace comes from PlatformNamespaces, the service account from Keelson, the chart does not create one', () => {
    expect(helm['external-secrets'].values.serviceAccount).toEqual({ create: false, name: 'external-secrets' });
    expect(helm['external-secrets'].values.installCRDs).toBe(true);
    expect(find('ServiceAccount', 'external-secrets', 'external-secrets')).toBeDefined();
    expect(objects.filter((o) => o.kind === 'Namespace' && o.metadata.name === 'external-secrets')).toHaveLength(1);
  });
});

describe('metrics-server', () => {
  test('two replicas with a PodDisruptionBudget', () => {
    const v = helm['metrics-server'].values;
    expect(v.replicas).toBe(2);
    expect(v.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });
});

describe('KEDA', () => {
  test('chart in the keda namespace (created by PlatformNamespaces), Pod Identity for the operator', () => {
    expect(helm.keda.props.CreateNamespace).toBeFalsy();
    expect(helm.keda.values.podIdentity).toEqual({ aws: { irsa: { enabled: false } } });
    expect(helm.keda.values.prometheus).toEqual({ operator: { enabled: true, port: 8080 } });
    expect(find('Namespace', 'keda')!.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'keda', ServiceAccount: 'keda-operator' });
  });

  test('predictive ScaledObject: current rate and predict_linear trend combined by scalingModifiers', () => {
    const so = find('ScaledObject', 'web-predictive', 'dev')!;
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([2, 20]);
    expect(so.spec.advanced.scalingModifiers).toEqual({ formula: 'max(current, trend)', target: '50', activationTarget: '1', metricType: 'AverageValue' });
    const [current, trend] = so.spec.triggers;
    expect(current).toEqual({
      type: 'prometheus',
      name: 'current',
      metadata: { serverAddress: 'http://prometheus-server.observability.svc:9090', query: 'sum(rate(http_requests_total{service="web"}[120s]))', threshold: '50' },
    });
    expect(trend.type).toBe('prometheus');
    expect(trend.name).toBe('trend');
    expect(trend.metadata.query).toBe('clamp_min(predict_linear(sum(rate(http_requests_total{service="web"}[120s]))[1800s:60s], 600), 0)');
    expect(predictive.trendQuery).toBe(trend.metadata.query);
  });

  test('SQS scaler: aws-sqs-queue trigger on the operator identity, which may only read that queue\'s attributes', () => {
    const so = find('ScaledObject', 'worker-queue', 'dev')!;
    expect(so.spec.triggers[0].type).toBe('aws-sqs-queue');
    expect(so.spec.triggers[0].metadata).toEqual({ queueURL: PLACEHOLDER, queueLength: '10', awsRegion: 'ap-southeast-1' });
    expect(so.spec.triggers[0].authenticationRef).toEqual({ name: 'worker-sqs' });
    expect(find('TriggerAuthentication', 'worker-sqs', 'dev')!.spec).toEqual({ podIdentity: { provider: 'aws', identityOwner: 'keda' } });
    const statements = statementsOf('Services/Services/Keda/OperatorRole/Role');
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'sqs:GetQueueAttributes', Resource: { 'Fn::GetAtt': [idAt('Services/Jobs/Resource'), 'Arn'] } }]);
  });
});

describe('namespaces and RBAC', () => {
  const namespaces = objects.filter((o) => o.kind === 'Namespace');

  test('dev/staging/production restricted; external-secrets/keda registered by their services, restricted; nothing of later packages; kube-system untouched', () => {
    const enforce = Object.fromEntries(namespaces.map((n) => [n.metadata.name, n.metadata.labels['pod-security.kubernetes.io/enforce']]));
    expect(enforce).toEqual({
      'dev': 'restricted',
      'staging': 'restricted',
      'production': 'restricted',
      'external-secrets': 'restricted',
      'keda': 'restricted',
      'tools': 'restricted',
    });
    for (const n of namespaces) {
      expect(n.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
      expect(n.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
      expect(Object.keys(n.metadata.labels)).toEqual(expect.arrayContaining(['env', 'owner', 'component']));
    }
    expect(find('Namespace', 'production')!.metadata.labels).toMatchObject({ env: 'production', owner: 'platform-team', component: 'workloads' });
    expect(find('Namespace', 'keda')!.metadata.labels).toMatchObject({ env: 'dev', component: 'keda' });
    expect(services.namespaces!.platformNamespaces.map((p) => [p.name, p.backup])).toEqual([['tools', undefined], ['keda', false], ['external-secrets', false]]);
    expect(stack.resolve(services.namespaces!.backupNamespaces())).toEqual(['kube-system', 'dev', 'staging', 'production', 'tools']);
    expect(objects.some((o) => o.metadata?.name === 'kube-system' || (o.kind === 'Namespace' && o.metadata.name.startsWith('kube-')))).toBe(false);
  });

  test('developer Roles only in the access entry\'s developer namespaces; read-only everywhere; KEDA and ESO add their groups', () => {
    expect(find('Role', 'developer', 'production')).toBeUndefined();
    expect(find('RoleBinding', 'developer', 'production')).toBeUndefined();
    expect(find('RoleBinding', 'read-only', 'production')).toBeDefined();
    for (const ns of ['dev', 'staging']) {
      expect(find('RoleBinding', 'developer', ns)!.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: ClusterAccessGroups.DEVELOPERS }]);
      expect(find('RoleBinding', 'read-only', ns)!.subjects[0].name).toBe(ClusterAccessGroups.READ_ONLY);
      const dev = find('Role', 'developer', ns)!;
      const ro = find('Role', 'read-only', ns)!;
      // Neither persona can read Secrets; read-only never writes.
      for (const rule of [...dev.rules, ...ro.rules]) expect(rule.resources).not.toContain('secrets');
      for (const rule of ro.rules) expect(rule.verbs).toEqual(['get', 'list', 'watch']);
      expect(dev.rules.find((r: any) => r.apiGroups.includes('apps')).verbs).toContain('create');
      expect(dev.rules.find((r: any) => r.apiGroups.includes('keda.sh')).verbs).toContain('create');
      expect(dev.rules.find((r: any) => r.apiGroups.includes('external-secrets.io')).resources).toEqual(['externalsecrets']);
      expect(ro.rules.find((r: any) => r.apiGroups.includes('keda.sh')).resources).toEqual(['scaledobjects', 'scaledjobs', 'triggerauthentications']);
    }
  });

  test('access entries carry the groups RBAC binds to', () => {
    const entries = ofType('AWS::EKS::AccessEntry').map(([, r]) => r.Properties);
    expect(entries.find((e) => e.PrincipalArn === DEVELOPER).KubernetesGroups).toEqual(['keelson-developers']);
    expect(entries.find((e) => e.PrincipalArn === READER).KubernetesGroups).toEqual(['keelson-read-only']);
  });

  test('ResourceQuota and LimitRange in each workload namespace only', () => {
    expect(objects.filter((o) => o.kind === 'ResourceQuota').map((o) => o.metadata.namespace)).toEqual(['dev', 'staging', 'production']);
    expect(objects.filter((o) => o.kind === 'LimitRange').map((o) => o.metadata.namespace)).toEqual(['dev', 'staging', 'production']);
    expect(find('ResourceQuota', 'compute', 'dev')!.spec.hard).toMatchObject({ 'requests.cpu': '20', 'pods': '200' });
    expect(find('LimitRange', 'container-defaults', 'dev')!.spec.limits[0].default).toEqual({ cpu: '500m', memory: '512Mi' });
  });
});

describe('Container Insights', () => {
  test('amazon-cloudwatch-observability add-on, pinned, enhanced observability, with its Pod Identity role', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability', AddonVersion: EksCoreVersions.CLOUDWATCH_OBSERVABILITY.version });
    const addon = ofType('AWS::EKS::Addon').find(([, r]) => r.Properties.AddonName === 'amazon-cloudwatch-observability')![1];
    expect(JSON.parse(addon.Properties.ConfigurationValues).agent.config.logs.metrics_collected.kubernetes.enhanced_container_insights).toBe(true);
    const roleId = idAt('Services/Services/ContainerInsights/Role/Role/Resource');
    expect(JSON.stringify(resources[roleId].Properties.ManagedPolicyArns)).toContain('CloudWatchAgentServerPolicy');
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'amazon-cloudwatch', ServiceAccount: 'cloudwatch-agent', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });
});

describe('platform namespaces deny by default and open only what their controllers need', () => {
  const policy = (ns: string, name: string) => find('NetworkPolicy', name, ns);
  const names = (ns: string) => objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns).map((o) => o.metadata.name);
  // The API server as the source of webhook calls: the control plane's network interfaces, in the VPC's block.
  const api = [{ ipBlock: { cidr: PLACEHOLDER } }];

  test('every registered platform namespace has the baseline; workload namespaces get none from eks-core', () => {
    expect(services.namespaces!.isolatedNamespaces.sort()).toEqual(['external-secrets', 'keda', 'tools']);
    for (const ns of services.namespaces!.isolatedNamespaces) expect(names(ns).slice(0, 3)).toEqual(NamespaceTraffic.BASELINE);
    expect(names('dev')).toEqual([]);
  });

  test('External Secrets: AWS APIs out, the API server in on the webhook\'s 10250 only', () => {
    expect(names('external-secrets')).toEqual([...NamespaceTraffic.BASELINE, 'allow-aws-apis', 'allow-webhook']);
    expect(policy('external-secrets', 'allow-webhook').spec.ingress).toEqual([{ from: api, ports: [{ protocol: 'TCP', port: 10250 }] }]);
    expect(policy('external-secrets', 'allow-aws-apis').spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 80 }],
    }]);
  });

  test('KEDA: the API server in on the webhooks\' 9443 and the metrics API\'s 6443, its own pods among themselves', () => {
    expect(names('keda')).toEqual([...NamespaceTraffic.BASELINE, 'allow-aws-apis', 'allow-from-kubernetes-api', 'allow-from-namespace', 'allow-to-namespace']);
    expect(policy('keda', 'allow-from-kubernetes-api').spec.ingress).toEqual([{ from: api, ports: [{ protocol: 'TCP', port: 9443 }, { protocol: 'TCP', port: 6443 }] }]);
    expect(policy('keda', 'allow-from-namespace').spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
  });
});
