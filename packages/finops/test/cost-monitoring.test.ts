import * as fs from 'fs';
import * as path from 'path';
import { NodeAutoscaler, VersionCatalogue } from '@keelson/eks-core';
import {
  helmReleasesIn, kubernetesObjectsIn, kubernetesSchemaErrors, NagPack, proofApp, synthesize, templatesByRegion, testProofGates,
} from '@keelson/proof';
import { ZONE, platformFixture } from '@keelson/test-support';
import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import {
  CostAnalytics, CostAndUsageExport, CostEngine, CostMonitoring, CostMonitoringProps, FinOpsVersions, SpotDataFeed, SpotInterruptionDashboard,
} from '../src';

// One synth: the export, its Athena side and the Spot data feed in us-east-1,
// a cluster in ap-southeast-1 (Karpenter) with Kubecost (querying that
// workgroup, behind the ALB with OIDC sign-in and the WAF), OpenCost beside it
// (no Ingress), and the dashboard of Karpenter's interruption signals.
const ACCOUNT = '111111111111';
const WEB_ACL = 'arn:aws:wafv2:ap-southeast-1:111111111111:regional/webacl/platform-dev/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const OIDC = {
  issuer: 'https://login.example.com',
  authorizationEndpoint: 'https://login.example.com/authorize',
  tokenEndpoint: 'https://login.example.com/oauth/token',
  userInfoEndpoint: 'https://login.example.com/userinfo',
};

const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const billing = new Stack(app, 'Billing', { env: { account: ACCOUNT, region: 'us-east-1' }, crossRegionReferences: true });
const cur = new CostAndUsageExport(billing, 'Export', { environmentSuffix: 'dev' });
const analytics = new CostAnalytics(billing, 'Analytics', { environmentSuffix: 'dev', exportBucket: cur.bucket, dataPrefix: cur.dataPrefix, columns: cur.columns });
const { stack, platform, services } = platformFixture(app, { id: 'Cluster', crossRegionReferences: true }, { nodeAutoscaler: NodeAutoscaler.KARPENTER });
const kubecost = new CostMonitoring(stack, 'Kubecost', {
  cluster: platform.cluster,
  clusterName: 'platform-dev',
  querySource: analytics.querySource,
  namespaces: services.namespaces,
  ingress: {
    ...ZONE,
    webAclArn: WEB_ACL,
    loadBalancerController: services.loadBalancerController!,
    externalSecrets: services.externalSecrets!,
    oidc: { ...OIDC, sessionTimeout: Duration.hours(8) },
  },
});
const opencost = new CostMonitoring(stack, 'OpenCost', {
  cluster: platform.cluster,
  clusterName: 'platform-dev',
  engine: CostEngine.OPENCOST,
  querySource: analytics.querySource,
  storageSize: Size.gibibytes(20),
});

const feed = new SpotDataFeed(billing, 'SpotFeed', { environmentSuffix: 'dev' });
const interruptions = new SpotInterruptionDashboard(stack, 'Interruptions', {
  environmentSuffix: 'dev',
  clusterName: 'platform-dev',
  signals: SpotInterruptionDashboard.karpenterSignals(services.karpenter!.interruptionRules),
  queue: services.karpenter!.interruptionQueue,
});

const result = synthesize(app);
const json = result.template('Cluster').toJSON();
const billingJson = result.template('Billing').toJSON();
const resources: Record<string, any> = json.Resources;
const objects = kubernetesObjectsIn(json);
const find = (kind: string, name: string, namespace?: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
const releases = helmReleasesIn(json);

/** The policy documents attached to a role, by the role's logical id. */
function statementsOf(roleLogicalId: string): any[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleLogicalId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
}
const logicalId = (c: CostMonitoring) => stack.getLogicalId(c.role.role.node.defaultChild as any);

describe('proof gates', () => {
  // cfn-lint judges each template in its stack's region: Data Exports exists in us-east-1 only.
  testProofGates(result);

  test('the billing stack deploys to us-east-1, the cluster stack to the cluster\'s region', () => {
    const byRegion = Object.fromEntries([...templatesByRegion(result)].map(([region, files]) => [region, files.map((f) => path.basename(f))]));
    expect(byRegion).toEqual({ 'us-east-1': [expect.stringMatching(/Billing/)], 'ap-southeast-1': [expect.stringMatching(/Cluster/)] });
  });

  test('every Kubernetes object it emits validates against its schema', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
  });

  test('the version catalogue is complete, and VERSIONS.md is the one it generates', () => {
    expect(FinOpsVersions.all().map((p) => `${p.name}@${p.version}`)).toEqual(['kubecost@3.2.4', 'opencost@2.5.28']);
    expect(VersionCatalogue.problems(FinOpsVersions.all())).toEqual([]);
    const table = path.join(__dirname, '..', 'VERSIONS.md');
    const generated = VersionCatalogue.markdown('@keelson/finops pinned versions', FinOpsVersions.all());
    if (process.env.KEELSON_UPDATE_DOCS === '1') fs.writeFileSync(table, generated);
    expect(fs.readFileSync(table, 'utf8')).toBe(generated);
  });
});

describe('Kubecost (the default engine)', () => {
  const release = releases.kubecost;

  test('the pinned kubecost 3.x chart from its own repository, in the kubecost namespace', () => {
    expect(kubecost.engine).toBe(CostEngine.KUBECOST);
    expect(release.props).toMatchObject({ Chart: 'kubecost', Repository: 'https://kubecost.github.io/kubecost', Version: '3.2.4', Namespace: 'kubecost' });
    const ns = find('Namespace', 'kubecost');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    // Registered, and left out of the backups (the bill is re-read from the export).
    expect(services.namespaces!.backupNamespaces()).not.toContain('kubecost');
  });

  test('volumes on eks-core\'s encrypted gp3 class; telemetry, the cluster controller and the chart\'s own ingress off', () => {
    const v = release.values;
    expect(v.global).toMatchObject({ clusterId: 'platform-dev', defaultStorageClass: 'gp3' });
    expect(v.localStore.persistentVolume).toEqual({ enabled: true, size: '32Gi', storageClass: 'gp3' });
    expect(v.aggregator.persistentConfigsStorage.storageClass).toBe('gp3');
    expect(v.aggregator.aggregatorDbStorage.storageClass).toBe('gp3');
    expect(v.telemetry.enabled).toBe(false);
    expect(v.clusterController).toEqual({ enabled: false });
    expect(v.ingress.enabled).toBe(false);
    expect(v.frontend.service.type).toBe('ClusterIP');
  });

  test('every component on the system pool', () => {
    for (const part of ['frontend', 'localStore', 'aggregator', 'cloudCost', 'forecasting', 'finopsagent']) {
      expect(release.values[part].nodeSelector).toEqual({ 'node-pool': 'system' });
    }
  });

  test('the service account is the kit\'s, bound to the workload role by Pod Identity', () => {
    expect(release.values.serviceAccount).toEqual({ create: false, name: 'kubecost' });
    expect(find('ServiceAccount', 'kubecost', 'kubecost')).toBeDefined();
    const associations = Object.values(resources).filter((r) => r.Type === 'AWS::EKS::PodIdentityAssociation').map((r) => r.Properties);
    expect(associations).toEqual(expect.arrayContaining([expect.objectContaining({ Namespace: 'kubecost', ServiceAccount: 'kubecost' })]));
  });

  test('Athena over the export\'s workgroup and table, authorized by the workload identity (no key anywhere)', () => {
    expect(release.values.cloudCost.enabled).toBe(true);
    const integration = JSON.parse(release.values.cloudCost.cloudIntegrationJSON);
    expect(integration.aws.athena).toHaveLength(1);
    expect(integration.aws.athena[0]).toMatchObject({
      region: 'us-east-1',
      database: 'keelson_cost_dev',
      table: 'cur2',
      workgroup: 'keelson-cost-dev',
      account: ACCOUNT,
      authorizer: { authorizerType: 'AWSServiceAccount' },
    });
    expect(integration.aws.athena[0].bucket).toMatch(/^s3:\/\//);
    expect(JSON.stringify(release.raw)).not.toMatch(/AWSAccessKey|"secret"/);
  });

  test('the role may query that workgroup, read that table and those buckets, and read prices: nothing else', () => {
    const statements = statementsOf(logicalId(kubecost));
    const actions = statements.flatMap((s) => [].concat(s.Action)).sort();
    expect(actions).toEqual([
      'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetWorkGroup', 'athena:StartQueryExecution', 'athena:StopQueryExecution',
      'glue:BatchGetPartition', 'glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable',
      'kms:Decrypt', 'kms:GenerateDataKey', 'pricing:GetProducts',
      's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:GetObject', 's3:ListBucket', 's3:ListMultipartUploadParts', 's3:PutObject',
    ]);
    const byAction = (a: string) => statements.filter((s) => [].concat(s.Action).includes(a as never));
    expect(byAction('athena:StartQueryExecution')[0].Resource).toBe('arn:aws:athena:us-east-1:111111111111:workgroup/keelson-cost-dev');
    expect(byAction('glue:GetTable')[0].Resource).toEqual([
      'arn:aws:glue:us-east-1:111111111111:catalog',
      'arn:aws:glue:us-east-1:111111111111:database/keelson_cost_dev',
      'arn:aws:glue:us-east-1:111111111111:table/keelson_cost_dev/cur2',
    ]);
    expect(byAction('pricing:GetProducts')[0].Resource).toBe('*');
    expect(JSON.stringify(byAction('s3:PutObject')[0].Resource)).toMatch(/\/results\/\*"/);
    // Everything else is scoped to a named resource.
    for (const s of statements) if (!byAction('pricing:GetProducts').includes(s)) expect(JSON.stringify(s.Resource)).not.toBe('"*"');
  });

  test('the Ingress: class alb, ACM certificate for the host, TLS policy, the WAF, and OIDC sign-in before any request reaches the UI', () => {
    const ingress = find('Ingress', 'cost-monitoring', 'kubecost');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.spec.rules).toEqual([{
      host: 'cost.platform-dev.platform.example.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kubecost-frontend', port: { number: 9090 } } } }] },
    }]);
    const a = ingress.metadata.annotations;
    expect(a['alb.ingress.kubernetes.io/certificate-arn']).toBe('RESOLVED-AT-DEPLOY');
    expect(a['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    expect(a['alb.ingress.kubernetes.io/ssl-policy']).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(a['alb.ingress.kubernetes.io/wafv2-acl-arn']).toBe(WEB_ACL);
    expect(a['alb.ingress.kubernetes.io/auth-type']).toBe('oidc');
    expect(a['alb.ingress.kubernetes.io/auth-on-unauthenticated-request']).toBe('authenticate');
    expect(a['alb.ingress.kubernetes.io/auth-scope']).toBe('openid email');
    expect(a['alb.ingress.kubernetes.io/auth-session-timeout']).toBe('28800');
    expect(JSON.parse(a['alb.ingress.kubernetes.io/auth-idp-oidc'])).toEqual({ ...OIDC, secretName: 'cost-monitoring-oidc' });
    const certs = Object.values(resources).filter((r) => r.Type === 'AWS::CertificateManager::Certificate').map((r) => r.Properties.DomainName);
    expect(certs).toContain('cost.platform-dev.platform.example.com');
    expect(kubecost.url).toBe('https://cost.platform-dev.platform.example.com');
  });

  test('the OIDC client comes from Secrets Manager through an ExternalSecret; the controller may get that one Secret', () => {
    const es = find('ExternalSecret', 'cost-monitoring-oidc', 'kubecost');
    expect(es.spec.data).toEqual([
      { secretKey: 'clientID', remoteRef: { key: 'keelson/dev/cost-monitoring/oidc', property: 'clientId' } },
      { secretKey: 'clientSecret', remoteRef: { key: 'keelson/dev/cost-monitoring/oidc', property: 'clientSecret' } },
    ]);
    const role = find('Role', 'cost-monitoring-oidc-reader', 'kubecost');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['cost-monitoring-oidc'], verbs: ['get'] }]);
    const binding = find('RoleBinding', 'cost-monitoring-oidc-reader', 'kubecost');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'aws-load-balancer-controller', namespace: 'kube-system' }]);
  });

  test('the Ingress is applied after the chart, the OIDC secret and the load balancer controller', () => {
    const ingressId = stack.getLogicalId(kubecost.ingress!.node.defaultChild as any);
    const deps: string[] = resources[ingressId].DependsOn;
    expect(deps).toContain(stack.getLogicalId(kubecost.platformChart.chart.node.defaultChild as any));
    expect(deps).toContain(stack.getLogicalId(kubecost.oidcSecret!.node.defaultChild as any));
  });
});

describe('OpenCost (engine: CostEngine.OPENCOST)', () => {
  const release = releases.opencost;

  test('the pinned opencost chart, its collector data source (no Prometheus), a gp3 volume and the Athena integration', () => {
    expect(opencost.namespace).toBe('opencost');
    expect(release.props).toMatchObject({ Chart: 'opencost', Repository: 'https://opencost.github.io/opencost-helm-chart', Version: '2.5.28', Namespace: 'opencost' });
    const v = release.values;
    expect(v.serviceAccount).toEqual({ create: false, name: 'opencost' });
    expect(v.opencost.exporter.collectorDataSource.enabled).toBe(true);
    expect(v.opencost.prometheus.internal.enabled).toBe(false);
    expect(v.opencost.exporter.persistence).toEqual({ enabled: true, storageClass: 'gp3', size: '20Gi', accessMode: 'ReadWriteOnce' });
    expect(v.opencost.cloudCost.enabled).toBe(true);
    expect(JSON.parse(v.opencost.cloudIntegrationJSON).aws.athena[0].workgroup).toBe('keelson-cost-dev');
    expect(v.nodeSelector).toEqual({ 'node-pool': 'system' });
  });

  test('no Ingress without ingress: the UI stays inside the cluster', () => {
    expect(opencost.ingress).toBeUndefined();
    expect(find('Ingress', 'cost-monitoring', 'opencost')).toBeUndefined();
    expect(statementsOf(logicalId(opencost)).length).toBe(statementsOf(logicalId(kubecost)).length);
  });
});

describe('bad input fails at synth, naming the field and the fix', () => {
  const fixture = platformFixture(new App(), { id: 'Bad', crossRegionReferences: true }, { nodeAutoscaler: NodeAutoscaler.KARPENTER });
  const base = (): CostMonitoringProps => ({ cluster: fixture.platform.cluster, clusterName: 'platform-dev' });
  const ingress = () => ({
    ...ZONE, loadBalancerController: fixture.services.loadBalancerController!, externalSecrets: fixture.services.externalSecrets!, oidc: OIDC,
  });
  let n = 0;
  const make = (props: Partial<CostMonitoringProps>) => () => new CostMonitoring(fixture.stack, `C${n++}`, { ...base(), ...props });

  test.each([
    ['an unknown engine', { engine: 'GRAFANA' as any }, /invalid engine: "GRAFANA" is not a cost engine\. Fix: use CostEngine\.KUBECOST or CostEngine\.OPENCOST/],
    ['a chart range', { chartVersion: '^3.2' }, /invalid chartVersion: .*Fix: pin an exact chart version/],
    ['a StorageClass name that is not one', { storageClass: 'GP3 Encrypted' }, /invalid storageClass: .*Fix: use a lowercase DNS subdomain name/],
    ['an Ingress without sign-in', { ingress: { ...ingress(), oidc: undefined as any } }, /invalid ingress\.oidc: is missing; cost data must not be reachable without signing in\. Fix:/],
    ['a plain-http OIDC endpoint', { ingress: { ...ingress(), oidc: { ...OIDC, tokenEndpoint: 'http://login.example.com/token' } } }, /invalid ingress\.oidc\.tokenEndpoint: "http:\/\/login\.example\.com\/token" is not an https URL\. Fix:/],
    ['a host outside the zone', { ingress: { ...ingress(), hostname: 'cost.example.org' } }, /invalid ingress\.hostname: .*Fix: use a name ending in \.platform\.example\.com/],
    ['a session longer than the ALB allows', { ingress: { ...ingress(), oidc: { ...OIDC, sessionTimeout: Duration.days(8) } } }, /invalid ingress\.oidc\.sessionTimeout \(seconds\): 691200 is outside 1–604800/],
  ])('%s', (_name, props, message) => {
    expect(make(props as Partial<CostMonitoringProps>)).toThrow(message);
  });
});

describe('spot telemetry', () => {
  const billingResources: Record<string, any> = billingJson.Resources;
  const ofType = (all: Record<string, any>, type: string) => Object.entries(all).filter(([, r]) => r.Type === type);

  test('the feed bucket: ACLs enabled (bucket owner preferred) for the feed\'s delivery account, otherwise hardened', () => {
    const id = billing.getLogicalId(feed.bucket.node.defaultChild as any);
    const props = billingResources[id].Properties;
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(props.LifecycleConfiguration.Rules[0]).toMatchObject({ Id: 'expire-feed', ExpirationInDays: 90, Status: 'Enabled' });
    expect(props.LoggingConfiguration.LogFilePrefix).toBe('spot-datafeed-bucket/');
  });

  test('the subscription: CreateSpotDatafeedSubscription on this bucket and prefix, deleted with the stack', () => {
    const [[, sub]] = ofType(billingResources, 'Custom::AWS').filter(([, r]) => JSON.stringify(r.Properties.Create ?? '').includes('CreateSpotDatafeedSubscription'));
    const create = JSON.parse(flat(sub.Properties.Create));
    expect(create).toMatchObject({ service: 'EC2', action: 'CreateSpotDatafeedSubscription', parameters: { Prefix: 'spot-datafeed' } });
    expect(create.parameters.Bucket).toBe('RESOLVED-AT-DEPLOY');
    expect(JSON.parse(flat(sub.Properties.Delete))).toMatchObject({ service: 'EC2', action: 'DeleteSpotDatafeedSubscription' });
    expect(sub.DependsOn.some((d: string) => d.startsWith('SpotFeedBucket'))).toBe(true);
  });

  test('the subscriber may make the two feed calls and read and write this one bucket\'s ACL', () => {
    const policy = ofType(billingResources, 'AWS::IAM::Policy').map(([, r]) => r.Properties)
      .find((p) => JSON.stringify(p.PolicyDocument).includes('CreateSpotDatafeedSubscription'))!;
    expect(policy.PolicyDocument.Statement).toEqual([
      { Action: ['ec2:CreateSpotDatafeedSubscription', 'ec2:DeleteSpotDatafeedSubscription'], Effect: 'Allow', Resource: '*' },
      { Action: ['s3:GetBucketAcl', 's3:PutBucketAcl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [billing.getLogicalId(feed.bucket.node.defaultChild as any), 'Arn'] } },
    ]);
  });

  test('the dashboard sums what each of Karpenter\'s four interruption rules matched, and the queue\'s backlog', () => {
    const [[, dash]] = ofType(resources, 'AWS::CloudWatch::Dashboard');
    expect(dash.Properties.DashboardName).toBe('spot-interruptions-platform-dev-dev');
    const body = flat(dash.Properties.DashboardBody);
    for (const label of ['EC2 Spot Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation', 'EC2 Instance State-change Notification', 'AWS Health Event']) {
      expect(body).toContain(`"label":"${label}"`);
    }
    expect(body.match(/"AWS\/Events","MatchedEvents","RuleName"/g)).toHaveLength(8); // per period and last 24 hours, four rules each
    expect(body).toContain('"AWS/SQS","ApproximateAgeOfOldestMessage","QueueName"');
    expect(interruptions.dashboard).toBeDefined();
  });

  test('bad input is rejected naming the field and the fix', () => {
    const s = new Stack(new App(), 'S');
    expect(() => new SpotDataFeed(s, 'F', { prefix: '/feed/' })).toThrow(/invalid prefix: "\/feed\/" is not a key prefix\. Fix:/);
    expect(() => new SpotInterruptionDashboard(s, 'D', { clusterName: 'c', signals: [] })).toThrow(/invalid signals: is empty.*Fix: pass the interruption rules/);
  });
});

/** A template string value, with deploy-time values replaced. */
function flat(value: any): string {
  if (typeof value === 'string') return value;
  const [sep, parts] = value['Fn::Join'];
  return (parts as any[]).map((p) => (typeof p === 'string' ? p : 'RESOLVED-AT-DEPLOY')).join(sep);
}
