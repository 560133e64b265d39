import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { ExternalSecretsOperator, PlatformNamespaces, WorkloadIdentity } from '@keelson/eks-core';
import { DEPLOY_TIME_PLACEHOLDER, kubernetesSchemaErrors, NagPack, NetworkPolicyModel, proofApp, synthesize, testProofGates } from '@keelson/proof';
import Ajv from 'ajv';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Falco, FalcoPriority, SecurityVersions } from '../../src';
import { FALCO_ASFF_HANDLER_SOURCE } from '../../src/private/falco-asff-handler';
import { clusterObjects, importedCluster } from '../support/cluster';

// The fake webhook is planted in the environment and the app context, where a
// careless construct could pick it up; it must never reach a template.
const FAKE_WEBHOOK = 'https://hooks.slack.example/services/T000/B000/FAKE-FALCO-SECRET';
process.env.SLACK_WEBHOOK_URL = FAKE_WEBHOOK;
const ENV = { account: '111111111111', region: 'ap-southeast-1' };
// The reference app's feature flag (SNS-to-SQS key statements name the topic) is on, as in apps.
const app = proofApp({
  nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5],
  context: { 'slackWebhookUrl': FAKE_WEBHOOK, '@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption': true },
});
const stack = new Stack(app, 'Falco', { env: ENV });
const cluster = importedCluster(stack);
const namespaces = new PlatformNamespaces(stack, 'Namespaces', { cluster, environmentSuffix: 'test', workloadNamespaces: ['dev', 'staging', 'production', 'payments'] });
// The imported cluster has no OpenID Connect provider for the workload namespaces' IRSA stores; Falco needs none.
const externalSecrets = new ExternalSecretsOperator(stack, 'ExternalSecrets', { cluster, namespaces, environmentSuffix: 'test', workloadStores: false });
const ALERT_EMAIL_TOPIC = 'arn:aws:sns:ap-southeast-1:111111111111:security-alert-failures-test';
const falco = new Falco(stack, 'Falco', {
  environmentSuffix: 'test',
  namespaces,
  externalSecrets,
  slackWebhookSecretName: 'keelson/test/slack-webhook',
  alertPriority: FalcoPriority.ERROR,
  alarmTopic: sns.Topic.fromTopicArn(stack, 'AlertEmail', ALERT_EMAIL_TOPIC),
});
const result = synthesize(app);
const templatePath = path.join(result.assembly.directory, 'Falco.template.json');
const text = fs.readFileSync(templatePath, 'utf8');
const template = JSON.parse(text);
const { releases, find, objects } = clusterObjects(template);
const ofType = (type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);

describe('Falco and Falcosidekick', () => {
  testProofGates(result);

  test('every emitted Kubernetes object validates against its schema', () => {
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
  });

  test('Falco: pinned chart, modern eBPF driver, on every node, events as JSON to Falcosidekick, in a registered privileged namespace', () => {
    const f = releases.falco;
    expect(f.props).toMatchObject({ Chart: 'falco', Version: SecurityVersions.FALCO.version, Repository: 'https://falcosecurity.github.io/charts', Namespace: 'falco' });
    expect(f.values.driver).toEqual({ kind: 'modern_ebpf' });
    expect(f.values.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(f.values.nodeSelector).toBeUndefined();
    expect(f.values.falcosidekick).toEqual({ enabled: false });
    expect(f.values.falco).toEqual({
      json_output: true, json_include_output_property: true, http_output: { enabled: true, url: 'http://falcosidekick.falco.svc.cluster.local:2801/' },
    });
    expect(find('Namespace', 'falco').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(namespaces.backupNamespaces).toBeDefined();
  });

  test('the shipped rules file is loaded, after the registry\'s workload namespaces (payments included)', () => {
    const rules: string = releases.falco.values.customRules['keelson-rules.yaml'];
    const shipped = fs.readFileSync(path.join(__dirname, '..', '..', 'policies', 'falco', 'keelson-rules.yaml'), 'utf8');
    expect(rules.endsWith(shipped)).toBe(true);
    expect(rules).toMatch(/^- list: keelson_workload_namespaces\n {2}items: \[dev, staging, production, payments\]$/m);
    expect(shipped.match(/^- rule: /gm)).toHaveLength(4);
    expect(shipped).toContain('condition: spawned_process and keelson_workload and proc.name in (shell_binaries)');
  });

  test('Falcosidekick: pinned, Slack from the ExternalSecret, CloudWatch Logs and SNS (Security Hub), Pod Identity', () => {
    const s = releases.falcosidekick;
    expect(s.props).toMatchObject({ Chart: 'falcosidekick', Version: '0.14.0', Namespace: 'falco' });
    expect(s.values.config).toEqual({
      existingSecret: 'falcosidekick-slack',
      slack: { minimumpriority: 'error', outputformat: 'all' },
      aws: {
        useirsa: false,
        region: 'ap-southeast-1',
        cloudwatchlogs: { loggroup: '/keelson/test/falco', minimumpriority: 'notice' },
        sns: { topicarn: DEPLOY_TIME_PLACEHOLDER, rawjson: true, minimumpriority: 'error' },
      },
    });
    expect(JSON.stringify(s.props.Values)).toMatch(/\{"Ref":"FalcoSecurityHubTopic[0-9A-F]+"\}/);
    expect(ofType('AWS::EKS::PodIdentityAssociation').map(([, r]) => r.Properties.ServiceAccount)).toContain('falcosidekick');
    expect(falco.sidekickRole.identity).toBe(WorkloadIdentity.POD_IDENTITY);
  });

  test('the Slack webhook arrives through an ExternalSecret; the planted value reaches no template', () => {
    expect(find('ExternalSecret', 'falcosidekick-slack', 'falco').spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
      target: { name: 'falcosidekick-slack', creationPolicy: 'Owner' },
      data: [{ secretKey: 'SLACK_WEBHOOKURL', remoteRef: { key: 'keelson/test/slack-webhook' } }],
    });
    for (const t of result.templatePaths.map((p) => fs.readFileSync(p, 'utf8'))) {
      expect(t).not.toContain('FAKE-FALCO-SECRET');
      expect(t).not.toContain('hooks.slack');
    }
  });

  test('Falcosidekick\'s role writes one log group and publishes to one topic, nothing else', () => {
    const [, policy] = ofType('AWS::IAM::Policy').find(([, r]) => JSON.stringify(r.Properties.Roles).includes('FalcoSidekickRole'))!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => [s.Sid, s.Action])).toEqual([
      ['WriteFalcoEventsLogGroup', ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']],
      ['PublishFindingsTopic', 'sns:Publish'],
      ['EncryptForTopic', ['kms:GenerateDataKey', 'kms:Decrypt']],
    ]);
    expect(statements[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FalcoEvents/), 'Arn'] });
    expect(statements[1].Resource).toEqual({ Ref: expect.stringMatching(/^FalcoSecurityHubTopic/) });
    const [, group] = ofType('AWS::Logs::LogGroup').find(([, r]) => r.Properties.LogGroupName === '/keelson/test/falco')!;
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(group.Properties.RetentionInDays).toBe(365);
  });

  test('the Security Hub path: encrypted TLS-only topic, importer behind a queue, allowed only BatchImportFindings on the default product', () => {
    const [, topic] = ofType('AWS::SNS::Topic')[0];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    expect(ofType('AWS::SNS::Subscription').map(([, r]) => r.Properties.Protocol)).toEqual(['sqs']);
    const [, fn] = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.Handler === 'index.handler')!;
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Environment.Variables.CLUSTER_NAME).toBe('platform-test');
    const [, policy] = ofType('AWS::IAM::ManagedPolicy').find(([, r]) => r.Properties.Description === 'Keelson Falco findings importer permissions')!;
    const importStatement = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'ImportFindings');
    expect(importStatement.Action).toBe('securityhub:BatchImportFindings');
    expect(JSON.stringify(importStatement.Resource)).toContain(':product/');
  });
});

describe('a Falco event storm is queued, batched and bounded (SNS → SQS → importer)', () => {
  const id = (construct: any) => stack.getLogicalId(construct.node.defaultChild);
  const importer = falco.findingsImporter!;

  test('the topic delivers raw to the queue; what SNS cannot deliver goes to the dead-letter queue', () => {
    const [, sub] = ofType('AWS::SNS::Subscription')[0];
    expect(sub.Properties).toMatchObject({
      Protocol: 'sqs',
      RawMessageDelivery: true,
      Endpoint: { 'Fn::GetAtt': [id(importer.queue), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id(importer.deadLetterQueue), 'Arn'] } },
    });
  });

  test('the queue: encrypted, visibility six times the function timeout, 5 receives before the dead-letter queue', () => {
    const queue = template.Resources[id(importer.queue)].Properties;
    const fn = template.Resources[id(importer.function)].Properties;
    expect(queue.KmsMasterKeyId).toBeDefined();
    expect(queue.VisibilityTimeout).toBe(6 * fn.Timeout);
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [id(importer.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 });
    expect(fn.DeadLetterConfig).toBeUndefined();
  });

  test('the event source: batches of 100 (one BatchImportFindings call), 5 s window, at most 2 concurrent, partial batch responses', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    expect(mappings[0][1].Properties).toMatchObject({
      FunctionName: { Ref: id(importer.function) },
      EventSourceArn: { 'Fn::GetAtt': [id(importer.queue), 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('the importer may consume its own queue only', () => {
    const [, policy] = ofType('AWS::IAM::ManagedPolicy').find(([, r]) => r.Properties.Description === 'Keelson Falco findings importer permissions')!;
    const consume = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'ConsumeEvents');
    expect(consume.Resource).toEqual({ 'Fn::GetAtt': [id(importer.queue), 'Arn'] });
    expect(policy.Properties.PolicyDocument.Statement.map((s: any) => s.Action).flat()).not.toContain('sqs:SendMessage');
  });

  test('the dead-letter queue is alarmed (any visible message) into the alert email topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, a]) => JSON.stringify(a.Properties.Dimensions).includes(id(importer.deadLetterQueue)));
    expect(alarms).toHaveLength(1);
    expect(alarms[0][1].Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [ALERT_EMAIL_TOPIC],
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('Falco event → ASFF finding', () => {
  // A Falco event as Falcosidekick publishes it with rawjson (Falco's JSON output).
  const event = {
    uuid: '3b7b2a6e-6f0a-4b8e-9d1f-0c1d2e3f4a5b',
    output: '12:00:00.000000000: Warning Shell started in a workload container (user=root command=sh -c id parent=runc namespace=payments pod=api-7d9c container=api image=registry.example.com/payments/api:1.4.2)',
    priority: 'Warning',
    rule: 'Keelson shell in a workload container',
    time: '2026-11-30T12:00:00.000000000Z',
    source: 'syscall',
    hostname: 'ip-10-40-1-23.ap-southeast-1.compute.internal',
    tags: ['keelson', 'container', 'shell', 'mitre_execution', 'T1059'],
    output_fields: {
      'container.id': '0123456789ab',
      'container.name': 'api',
      'container.image.repository': 'registry.example.com/payments/api',
      'k8s.ns.name': 'payments',
      'k8s.pod.name': 'api-7d9c',
      'proc.cmdline': 'sh -c id',
    },
  };
  const env = {
    CLUSTER_NAME: 'platform-test',
    CLUSTER_ARN: 'arn:aws:eks:ap-southeast-1:111111111111:cluster/platform-test',
    PRODUCT_ARN: 'arn:aws:securityhub:ap-southeast-1:111111111111:product/111111111111/default',
    ACCOUNT_ID: '111111111111',
    REGION: 'ap-southeast-1',
    PARTITION: 'aws',
  };
  const imported: any[] = [];
  const calls: number[] = [];
  const logged: string[] = [];
  const sandbox: any = {
    exports: {},
    process: { env },
    console: { error: (m: string) => logged.push(m) },
    require: (name: string) => {
      if (name !== '@aws-sdk/client-securityhub') throw new Error(`unexpected require ${name}`);
      return {
        SecurityHubClient: class {
          async send(command: any) {
            calls.push(command.input.Findings.length);
            if (command.input.Findings.some((f: any) => f.Id.includes('throttle'))) throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
            const refused = command.input.Findings.filter((f: any) => f.Id.includes('refuse'));
            imported.push(...command.input.Findings);
            return { FailedCount: refused.length, FailedFindings: refused.map((f: any) => ({ Id: f.Id, ErrorCode: 'InvalidInput' })) };
          }
        },
        BatchImportFindingsCommand: class { constructor(public input: any) {} },
      };
    },
  };
  vm.runInNewContext(FALCO_ASFF_HANDLER_SOURCE, sandbox);
  const finding = sandbox.exports.toFinding(event, env);

  // Required top-level ASFF attributes and their constraints (Security Hub user guide,
  // "Required top-level ASFF attributes"; AwsSecurityFinding in the API reference).
  const asff = {
    type: 'object',
    required: ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'Types', 'CreatedAt', 'UpdatedAt', 'Severity', 'Title', 'Description', 'Resources'],
    properties: {
      SchemaVersion: { const: '2018-10-08' },
      Id: { type: 'string', minLength: 1, maxLength: 512 },
      ProductArn: { type: 'string', pattern: '^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\\d{12}:product/\\d{12}/default$' },
      GeneratorId: { type: 'string', minLength: 1, maxLength: 512 },
      AwsAccountId: { type: 'string', pattern: '^\\d{12}$' },
      Types: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', pattern: '^(Software and Configuration Checks|TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)(/[^/]+){0,2}$' } },
      CreatedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' },
      UpdatedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' },
      Severity: { type: 'object', required: ['Label'], properties: { Label: { enum: ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] } } },
      Title: { type: 'string', minLength: 1, maxLength: 256 },
      Description: { type: 'string', minLength: 1, maxLength: 1024 },
      Resources: { type: 'array', minItems: 1, maxItems: 32, items: { type: 'object', required: ['Type', 'Id'], properties: { Type: { type: 'string' }, Id: { type: 'string', maxLength: 512 } } } },
      ProductFields: { type: 'object', maxProperties: 50, additionalProperties: { type: 'string', maxLength: 4096 } },
    },
  };

  test('maps a sample Falco event to a valid ASFF finding', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    expect(ajv.validate(asff, finding) ? [] : ajv.errors).toEqual([]);
    expect(finding).toMatchObject({
      Id: 'falco/platform-test/3b7b2a6e-6f0a-4b8e-9d1f-0c1d2e3f4a5b',
      GeneratorId: 'falco/Keelson shell in a workload container',
      Severity: { Label: 'MEDIUM', Original: 'Warning' },
      Title: 'Keelson shell in a workload container',
      CreatedAt: '2026-11-30T12:00:00.000Z',
      Resources: [
        { Type: 'AwsEksCluster', Id: env.CLUSTER_ARN },
        { Type: 'Container', Id: 'k8s://platform-test/payments/api-7d9c/0123456789ab', Details: { Container: { Name: 'api', ImageName: 'registry.example.com/payments/api' } } },
      ],
      ProductFields: { 'falco/rule': 'Keelson shell in a workload container', 'falco/priority': 'Warning', 'kubernetes/namespace': 'payments', 'kubernetes/pod': 'api-7d9c' },
    });
    expect(finding.Description).toBe(event.output);
  });

  test('priorities map to ASFF severities; overlong text is clipped to ASFF limits', () => {
    const label = (priority: string) => sandbox.exports.toFinding({ ...event, priority }, env).Severity.Label;
    expect(['Emergency', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'].map(label)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'INFORMATIONAL']);
    const long = sandbox.exports.toFinding({ ...event, output: 'x'.repeat(5000), rule: 'r'.repeat(400) }, env);
    expect([long.Description.length, long.Title.length]).toEqual([1024, 256]);
    const ajv = new Ajv({ strict: false });
    expect(ajv.validate(asff, long)).toBe(true);
  });

  const sqsRecord = (messageId: string, body: unknown) => ({ messageId, body: typeof body === 'string' ? body : JSON.stringify(body) });

  test('the handler imports every SQS message of a batch and reports none failed', async () => {
    imported.length = 0;
    const records = { Records: [sqsRecord('m1', event), sqsRecord('m2', { ...event, uuid: 'second', priority: 'Critical' })] };
    await expect(sandbox.exports.handler(records)).resolves.toEqual({ batchItemFailures: [] });
    expect(imported.map((f) => [f.Id, f.Severity.Label])).toEqual([
      ['falco/platform-test/3b7b2a6e-6f0a-4b8e-9d1f-0c1d2e3f4a5b', 'MEDIUM'], ['falco/platform-test/second', 'CRITICAL'],
    ]);
  });

  test('partial batch response: only refused findings, failed calls and non-Falco messages go back to the queue', async () => {
    logged.length = 0;
    const records = { Records: [sqsRecord('ok', event), sqsRecord('refused', { ...event, uuid: 'refuse-me' }), sqsRecord('garbage', '{not json')] };
    await expect(sandbox.exports.handler(records)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'garbage' }, { itemIdentifier: 'refused' }] });
    expect(logged.join('\n')).toMatch(/Security Hub refused 1 finding\(s\): .*refuse-me.*InvalidInput/);
    expect(logged.join('\n')).toMatch(/message garbage is not a Falco event/);
  });

  test('a storm is imported 100 findings per call; a throttled call fails only its own messages', async () => {
    calls.length = 0;
    const storm = Array.from({ length: 250 }, (_, i) => sqsRecord(`m${i}`, { ...event, uuid: i === 150 ? 'throttle-me' : `e${i}` }));
    const out = await sandbox.exports.handler({ Records: storm });
    expect(calls).toEqual([100, 100, 50]);
    // The second call (messages 100–199) was throttled: those are retried, the rest are done.
    expect(out.batchItemFailures.map((f: any) => f.itemIdentifier)).toEqual(Array.from({ length: 100 }, (_, i) => `m${100 + i}`));
  });
});

describe('Falco bad input fails at synth', () => {
  test('Slack without the External Secrets Operator', () => {
    const s = new Stack(new App(), 'Bad', { env: ENV });
    const ns = new PlatformNamespaces(s, 'Namespaces', { cluster: importedCluster(s) });
    expect(() => new Falco(s, 'F', { namespaces: ns, slackWebhookSecretName: 'keelson/dev/slack' })).toThrow(/F: invalid externalSecrets: is missing while slackWebhookSecretName is set/);
    expect(() => new Falco(s, 'G', { namespaces: ns, chartVersion: 'latest' })).toThrow(/G: invalid chartVersion/);
  });
});

describe('Falco\'s namespace is isolated: only Falco reaches Falcosidekick\'s unauthenticated input', () => {
  const policies = objects.filter((o: any) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'falco');
  const model = new NetworkPolicyModel(objects.filter((o: any) => o.kind === 'NetworkPolicy').map((policy: any) => ({ cluster: 'c', policy })),
    (_c, ns) => ({ 'kubernetes.io/metadata.name': ns }));
  const pod = (namespace: string, labels: Record<string, string> = {}) => ({ cluster: 'c', namespace, labels });
  const sidekick = pod('falco', Falco.SIDEKICK_POD_LABELS);
  const falcoPod = pod('falco', Falco.FALCO_POD_LABELS);

  test('default-deny with the baseline, and the declared paths, each port-limited', () => {
    expect(policies.map((p: any) => p.metadata.name)).toEqual([
      'default-deny', 'allow-dns', 'allow-kubernetes-api', 'allow-sidekick-from-falco', 'allow-falco-to-sidekick', 'allow-https', 'allow-pod-identity',
    ]);
    expect(policies.find((p: any) => p.metadata.name === 'allow-sidekick-from-falco').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falcosidekick', 'app.kubernetes.io/instance': 'falcosidekick' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } } }], ports: [{ protocol: 'TCP', port: 2801 }] }],
    });
  });

  test('as Kubernetes evaluates them: Falco -> 2801 allowed; a workload pod, or Falco on another port, refused', () => {
    expect(model.ingress(sidekick, { ip: '10.40.8.1', pod: falcoPod }, 2801, 'tcp').allowed).toBe(true);
    expect(model.egress(falcoPod, { ip: '10.40.8.2', pod: sidekick }, 2801, 'tcp').allowed).toBe(true);
    expect(model.ingress(sidekick, { ip: '10.40.8.3', pod: pod('dev') }, 2801, 'tcp').allowed).toBe(false);
    expect(model.ingress(sidekick, { ip: '10.40.8.1', pod: falcoPod }, 2802, 'tcp').allowed).toBe(false);
    expect(model.ingress(sidekick, { ip: '10.40.8.4', pod: pod('falco', { other: 'pod' }) }, 2801, 'tcp').allowed).toBe(false);
    // The sidekick's Pod Identity credentials, and HTTPS out (AWS, Slack).
    expect(model.egress(sidekick, { ip: '169.254.170.23' }, 80, 'tcp').allowed).toBe(true);
    expect(model.egress(sidekick, { ip: '52.94.1.1' }, 443, 'tcp').allowed).toBe(true);
    expect(model.egress(sidekick, { ip: '52.94.1.1' }, 80, 'tcp').allowed).toBe(false);
  });
});
