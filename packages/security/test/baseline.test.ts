import { NagPack, proofApp, synthesize, SynthResult, testProofGates } from '@keelson/proof';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SecurityBaseline, SecurityHubStandard } from '../src';
import { matchesPattern } from './support/event-pattern';
import { guardDutyFinding, securityHubFinding } from './support/samples';
import { SLACK_HANDLER_SOURCE } from '../src/private/slack-handler';

// The fake webhook exists only in this file's variables; it must never reach a template.
const FAKE_WEBHOOK = 'https://hooks.slack.com/services/T000/B000/FAKE-SECRET-VALUE';
const SECRET_NAME = 'keelson/security/slack-webhook';

let result: SynthResult;
let template: Template;
let json: any;
let baseline: SecurityBaseline;

beforeAll(() => {
  const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
  const stack = new Stack(app, 'Security', { env: { account: '111111111111', region: 'ap-southeast-1' } });
  baseline = new SecurityBaseline(stack, 'Baseline', {
    environmentSuffix: 'dev',
    securityHubOptions: {
      standards: [
        SecurityHubStandard.AWS_FOUNDATIONAL_SECURITY_BEST_PRACTICES,
        SecurityHubStandard.CIS_AWS_FOUNDATIONS_V3,
        SecurityHubStandard.NIST_800_53_REV5,
      ],
    },
    alertsOptions: {
      securityAlertsEmail: 'security@example.com',
      slackWebhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'SlackWebhook', SECRET_NAME),
    },
  });
  baseline.platformWebAcl!.associate(stack, 'AlbAssociation',
    'arn:aws:elasticloadbalancing:ap-southeast-1:111111111111:loadbalancer/app/platform/0123456789abcdef');
  result = synthesize(app);
  template = result.template('Security');
  json = template.toJSON();
});

const resourcesOf = (type: string): [string, any][] =>
  Object.entries(json.Resources).filter(([, r]: [string, any]) => r.Type === type) as [string, any][];

describe('proof gates', () => {
  testProofGates(() => result);

  test('every acknowledgement names a rule of the two packs', () => {
    expect(result.acknowledgements.length).toBeGreaterThan(0);
    for (const ack of result.acknowledgements) {
      expect(ack.id).toMatch(/^(AwsSolutions|NIST\.800\.53\.R5)-/);
    }
  });
});

describe('GuardDuty', () => {
  test('one detector with Features (not DataSources): EKS audit logs, Runtime Monitoring with EKS add-on management, S3, malware', () => {
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    const [, detector] = resourcesOf('AWS::GuardDuty::Detector')[0];
    expect(detector.Properties.DataSources).toBeUndefined();
    expect(detector.Properties.Enable).toBe(true);
    expect(detector.Properties.FindingPublishingFrequency).toBe('FIFTEEN_MINUTES');
    const features = Object.fromEntries(detector.Properties.Features.map((f: any) => [f.Name, f]));
    expect(Object.keys(features).sort()).toEqual(['EBS_MALWARE_PROTECTION', 'EKS_AUDIT_LOGS', 'RUNTIME_MONITORING', 'S3_DATA_EVENTS']);
    for (const f of Object.values(features) as any[]) expect(f.Status).toBe('ENABLED');
    expect(features.RUNTIME_MONITORING.AdditionalConfiguration).toEqual([{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }]);
    expect(JSON.stringify(json)).not.toContain('EKS_RUNTIME_MONITORING');
    expect(baseline.detectorId).toBeDefined();
  });
});

describe('Security Hub', () => {
  test('hub with consolidated control findings and no default standards', () => {
    template.hasResourceProperties('AWS::SecurityHub::Hub', {
      ControlFindingGenerator: 'SECURITY_CONTROL',
      EnableDefaultStandards: false,
    });
  });

  test('standards ARNs are built from the stack partition token and the stack region, and depend on the hub', () => {
    const [hubId] = resourcesOf('AWS::SecurityHub::Hub')[0];
    const standards = resourcesOf('AWS::SecurityHub::Standard');
    expect(standards).toHaveLength(3);
    const arns = standards.map(([, s]) => {
      expect(s.DependsOn).toContain(hubId);
      const join = s.Properties.StandardsArn['Fn::Join'];
      expect(join[1]).toEqual(expect.arrayContaining([{ Ref: 'AWS::Partition' }]));
      return join[1].map((part: any) => (typeof part === 'string' ? part : part.Ref === 'AWS::Partition' ? '${Partition}' : part.Ref === 'AWS::Region' ? '${Region}' : '?')).join('');
    });
    // This stack has an explicit env, so Stack.region resolves to its region (the env-agnostic case is in options.test.ts).
    expect(arns.sort()).toEqual([
      'arn:${Partition}:securityhub:ap-southeast-1::standards/aws-foundational-security-best-practices/v/1.0.0',
      'arn:${Partition}:securityhub:ap-southeast-1::standards/cis-aws-foundations-benchmark/v/3.0.0',
      'arn:${Partition}:securityhub:ap-southeast-1::standards/nist-800-53/v/5.0.0',
    ]);
  });
});

describe('finding routing', () => {
  const patterns = (): Record<string, any>[] => resourcesOf('AWS::Events::Rule').map(([, r]) => r.Properties.EventPattern);
  const routed = (event: unknown) => patterns().some((p) => matchesPattern(p, event));

  test('two rules, GuardDuty with a numeric > 4 filter and Security Hub on HIGH/CRITICAL labels', () => {
    expect(patterns()).toEqual(expect.arrayContaining([
      { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], 'detail': { severity: [{ numeric: ['>', 4] }] } },
      { 'source': ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Imported'], 'detail': { findings: { Severity: { Label: ['HIGH', 'CRITICAL'] } } } },
    ]));
  });

  test('the synthesized patterns route a severity-7 GuardDuty finding and not a severity-2 one', () => {
    expect(routed(guardDutyFinding(7))).toBe(true);
    expect(routed(guardDutyFinding(8.9))).toBe(true);
    expect(routed(guardDutyFinding(4))).toBe(false);
    expect(routed(guardDutyFinding(2))).toBe(false);
  });

  test('the synthesized patterns route a HIGH Security Hub finding and not a LOW one', () => {
    expect(routed(securityHubFinding('HIGH'))).toBe(true);
    expect(routed(securityHubFinding('CRITICAL'))).toBe(true);
    expect(routed(securityHubFinding('LOW'))).toBe(false);
    expect(routed(securityHubFinding('MEDIUM'))).toBe(false);
    expect(routed({ ...securityHubFinding('HIGH'), 'detail-type': 'Security Hub Findings - Custom Action' })).toBe(false);
  });

  test('both rules target the topic with the dead-letter queue', () => {
    const [topicId] = resourcesOf('AWS::SNS::Topic')[0];
    const [queueId] = resourcesOf('AWS::SQS::Queue').find(([id]) => id.includes('AlertsDeadLetterQueue'))!;
    for (const [, rule] of resourcesOf('AWS::Events::Rule')) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({
        Arn: { Ref: topicId },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 185 }),
      })]);
    }
  });

  test('the topic is encrypted with a rotating customer key that lets EventBridge use it, and enforces TLS', () => {
    const [, topic] = resourcesOf('AWS::SNS::Topic')[0];
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(json.Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    const statements = json.Resources[keyId].Properties.KeyPolicy.Statement;
    const forEvents = statements.filter((st: any) => JSON.stringify(st.Principal).includes('events.amazonaws.com'));
    expect(forEvents).toEqual([expect.objectContaining({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]);
    // Other services: CloudWatch Logs for the forwarder's own log group, CloudWatch alarms of
    // this account (the delivery-failure topic), SNS for the alerts topic's dead letters only.
    const services = statements.flatMap((st: any) => (st.Principal.Service ? [JSON.stringify(st.Principal.Service)] : []));
    expect(services.filter((p: string) => !p.includes('events.amazonaws.com') && !p.includes('logs.'))).toEqual(['"cloudwatch.amazonaws.com"', '"sns.amazonaws.com"']);
    const alarms = statements.find((st: any) => st.Sid === 'CloudWatchAlarmsPublishDeliveryFailures');
    expect(alarms.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
    const sns = statements.find((st: any) => JSON.stringify(st.Principal.Service) === '"sns.amazonaws.com"');
    expect(sns.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:ap-southeast-1:111111111111:security-alerts-dev']] } } });
    expect(resourcesOf('AWS::SNS::Topic')[0][1].Properties.TopicName).toBe('security-alerts-dev');
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('the dead-letter queue is KMS-encrypted and TLS-only', () => {
    const [queueId, queue] = resourcesOf('AWS::SQS::Queue').find(([id]) => id.includes('AlertsDeadLetterQueue'))!;
    expect(queue.Properties.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('removalPolicy reaches the dead-letter queue, which the Slack forwarder shares (RETAIN by default)', () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    expect(queues).toHaveLength(1);
    for (const [, queue] of queues) expect([queue.DeletionPolicy, queue.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
  });

  test('by default nothing is deleted with the stack: buckets, keys, log groups and queues are retained, no bucket is auto-emptied', () => {
    const stateful = Object.entries<any>(json.Resources)
      .filter(([, r]) => ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue'].includes(r.Type));
    expect(stateful.length).toBeGreaterThan(5);
    expect(stateful.filter(([, r]) => r.DeletionPolicy !== 'Retain').map(([id]) => id)).toEqual([]);
    expect(resourcesOf('Custom::S3AutoDeleteObjects')).toEqual([]);
    expect(resourcesOf('AWS::KMS::Key').map(([, k]) => k.Properties.PendingWindowInDays)).toEqual(resourcesOf('AWS::KMS::Key').map(() => undefined));
  });

  test('the dead-letter queue is alarmed (any visible message) into a topic only the alert email subscribes to', () => {
    const [queueId] = resourcesOf('AWS::SQS::Queue')[0];
    const alarms = resourcesOf('AWS::CloudWatch::Alarm').filter(([, a]) => JSON.stringify(a.Properties.Dimensions).includes(queueId));
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0][1].Properties;
    expect(alarm).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    const failureTopic = alarm.AlarmActions[0].Ref;
    expect(failureTopic).toBe(resourcesOf('AWS::SNS::Topic').find(([id]) => id.includes('DeliveryFailureTopic'))![0]);
    const subscribers = resourcesOf('AWS::SNS::Subscription').filter(([, s]) => s.Properties.TopicArn.Ref === failureTopic).map(([, s]) => s.Properties);
    expect(subscribers).toEqual([expect.objectContaining({ Protocol: 'email', Endpoint: 'security@example.com' })]);
    expect(json.Resources[failureTopic].Properties.KmsMasterKeyId).toBeDefined();
  });

  test('email subscription', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security@example.com' });
  });
});

describe('Slack', () => {
  test('the fake webhook appears nowhere in the synthesized template; only the secret name does', () => {
    const text = JSON.stringify(json);
    expect(text).not.toContain(FAKE_WEBHOOK);
    expect(text).not.toContain('FAKE-SECRET-VALUE');
    // The handler names Slack's host (it posts nowhere else), never a webhook path.
    expect(text).not.toMatch(/hooks\.slack\.com\/services/);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { WEBHOOK_SECRET_ID: SECRET_NAME } },
      Code: { ZipFile: Match.stringLikeRegexp('GetSecretValueCommand') },
    });
  });

  test('one forwarder function (no bucket auto-delete provider: buckets are retained by default), subscribed to the alerts topic', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions).toHaveLength(1);
    expect(functions.filter(([, f]) => f.Properties.Code.ZipFile)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', DeadLetterConfig: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
  });

  test('the Slack subscription has a redrive policy to the alarmed dead-letter queue', () => {
    const [queueId] = resourcesOf('AWS::SQS::Queue')[0];
    const [, sub] = resourcesOf('AWS::SNS::Subscription').find(([, s]) => s.Properties.Protocol === 'lambda')!;
    expect(sub.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
  });

  test('the forwarder may only GetSecretValue on that one secret', () => {
    const secretStatements = [...resourcesOf('AWS::IAM::ManagedPolicy'), ...resourcesOf('AWS::IAM::Policy')]
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s).includes('secretsmanager') || JSON.stringify(s).includes(':secret:'));
    expect(secretStatements).toHaveLength(1);
    const [statement] = secretStatements;
    expect(statement.Action).toBe('secretsmanager:GetSecretValue');
    expect(JSON.stringify(statement.Resource)).toContain(`:secret:${SECRET_NAME}-??????`);
  });

  /** The handler with a stand-in Secrets Manager (answering `secrets` in turn), fetch (answering `statuses` in turn) and clock. */
  function slackHandler(secrets: string[], statuses: number[] = []) {
    const secretIds: string[] = [];
    const posts: { url: string; body: any }[] = [];
    const clock = { now: 1_000_000 };
    class GetSecretValueCommand { constructor(public readonly input: { SecretId: string }) {} }
    class SecretsManagerClient {
      async send(command: GetSecretValueCommand) {
        secretIds.push(command.input.SecretId);
        return { SecretString: secrets[Math.min(secretIds.length, secrets.length) - 1] };
      }
    }
    const fakeRequire = (name: string) => {
      if (name !== '@aws-sdk/client-secrets-manager') throw new Error(`unexpected require ${name}`);
      return { SecretsManagerClient, GetSecretValueCommand };
    };
    const fakeFetch = async (url: string, init: { body: string }) => {
      posts.push({ url, body: JSON.parse(init.body) });
      const status = statuses[posts.length - 1] ?? 200;
      return { ok: status < 300, status };
    };
    const env = resourcesOf('AWS::Lambda::Function')[0][1].Properties.Environment.Variables;
    const module = { exports: {} as any };
    const FakeDate = { now: () => clock.now };
    new Function('require', 'exports', 'process', 'fetch', 'Date', SLACK_HANDLER_SOURCE)(fakeRequire, module.exports, { env }, fakeFetch, FakeDate);
    const send = (message: unknown) => module.exports.handler({ Records: [{ Sns: { Message: typeof message === 'string' ? message : JSON.stringify(message) } }] });
    return { send, secretIds, posts, clock };
  }

  test('at run time the handler reads the webhook from Secrets Manager and posts to it', async () => {
    const { send, secretIds, posts } = slackHandler([FAKE_WEBHOOK]);
    await send(guardDutyFinding(7));
    expect(secretIds).toEqual([SECRET_NAME]);
    expect(posts).toHaveLength(1);
    expect(posts[0].url).toBe(FAKE_WEBHOOK);
    expect(posts[0].body.text).toContain('GuardDuty severity 7 Execution:Runtime/NewBinaryExecuted');
  });

  test.each([
    ['another host', 'https://hooks.slack.example/services/T000/B000/X'],
    ['a host that only starts like Slack\'s', 'https://hooks.slack.com.attacker.example/services/X'],
    ['plain HTTP', 'http://hooks.slack.com/services/T000/B000/X'],
    ['credentials in the URL', 'https://user:pass@hooks.slack.com/services/X'],
    ['not a URL', 'hooks.slack.com/services/X'],
  ])('a webhook secret with %s is refused and nothing is posted', async (_what, url) => {
    const { send, posts } = slackHandler([url]);
    await expect(send(guardDutyFinding(7))).rejects.toThrow('the Slack webhook secret does not hold an https://hooks.slack.com/ URL');
    expect(posts).toEqual([]);
  });

  test('finding text is escaped for Slack: no injected mentions or links', async () => {
    const { send, posts } = slackHandler([JSON.stringify({ webhookUrl: FAKE_WEBHOOK })]);
    const finding = securityHubFinding('HIGH') as any;
    finding.detail.findings[0].Title = '<!channel> click <https://evil.example|here> & more';
    await send(finding);
    expect(posts[0].body.text).toContain('&lt;!channel&gt; click &lt;https://evil.example|here&gt; &amp; more');
    expect(posts[0].body.text).not.toMatch(/<|>/);
    await send('<!here> not JSON');
    expect(posts[1].body.text).toBe('&lt;!here&gt; not JSON');
  });

  test('a rotated webhook is re-read: on a 4xx answer at once, otherwise after the cache expires', async () => {
    const ROTATED = 'https://hooks.slack.com/services/T000/B000/ROTATED';
    const { send, secretIds, posts, clock } = slackHandler([FAKE_WEBHOOK, ROTATED], [200, 200, 403, 200]);
    await send(guardDutyFinding(7));
    await send(guardDutyFinding(7));
    // Cached: one read for two posts.
    expect(secretIds).toHaveLength(1);
    // Slack refuses the old URL (revoked): the secret is read again and the post retried on the new one.
    await send(guardDutyFinding(7));
    expect(secretIds).toHaveLength(2);
    expect(posts.map((p) => p.url)).toEqual([FAKE_WEBHOOK, FAKE_WEBHOOK, FAKE_WEBHOOK, ROTATED]);
    // The cache expires after five minutes.
    clock.now += 5 * 60 * 1000 + 1;
    await send(guardDutyFinding(7));
    expect(secretIds).toHaveLength(3);
  });

  test('a failure that persists after the re-read fails the invocation (Lambda retries, then the dead-letter queue)', async () => {
    const { send, secretIds } = slackHandler([FAKE_WEBHOOK], [404, 404]);
    await expect(send(guardDutyFinding(7))).rejects.toThrow('Slack answered HTTP 404');
    expect(secretIds).toHaveLength(2);
    const server = slackHandler([FAKE_WEBHOOK], [500]);
    await expect(server.send(guardDutyFinding(7))).rejects.toThrow('Slack answered HTTP 500');
    expect(server.secretIds).toHaveLength(1);
  });
});

describe('CloudTrail', () => {
  test('multi-region trail with log-file validation, KMS and CloudWatch Logs', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: Match.anyValue(),
      CloudWatchLogsLogGroupArn: Match.anyValue(),
      TrailName: 'platform-trail-dev',
    });
  });

  test('trail bucket: KMS, versioned, public access blocked, access-logged, lifecycle tiers', () => {
    const [, trail] = resourcesOf('AWS::CloudTrail::Trail')[0];
    const bucketId = trail.Properties.S3BucketName.Ref;
    const bucket = json.Resources[bucketId].Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    const logsBucketId = bucket.LoggingConfiguration.DestinationBucketName.Ref;
    expect(logsBucketId).not.toBe(bucketId);
    expect(bucket.LifecycleConfiguration.Rules[0]).toEqual(expect.objectContaining({
      ExpirationInDays: 365,
      Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }, { StorageClass: 'GLACIER', TransitionInDays: 90 }],
    }));
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsBucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' })]) },
    });
    for (const id of [bucketId, logsBucketId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  test('the CloudTrail key policy is bound to the trail by aws:SourceArn and encryption context', () => {
    const [, trail] = resourcesOf('AWS::CloudTrail::Trail')[0];
    const keyId = trail.Properties.KMSKeyId['Fn::GetAtt'][0];
    const statements = json.Resources[keyId].Properties.KeyPolicy.Statement;
    const encrypt = statements.find((s: any) => s.Sid === 'AllowCloudTrailEncrypt');
    expect(encrypt.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(JSON.stringify(encrypt.Condition.StringEquals['aws:SourceArn'])).toContain(':trail/platform-trail-dev');
    expect(encrypt.Condition.StringLike['kms:EncryptionContext:aws:cloudtrail:arn']).toBeDefined();
    const logs = statements.find((s: any) => String(s.Sid).startsWith('AllowCloudWatchLogs'));
    expect(JSON.stringify(logs.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn'])).toContain('log-group:/keelson/cloudtrail/platform-trail-dev');
  });
});

describe('WAF', () => {
  test('regional web ACL with the three managed rule groups and a rate limit, metrics on', () => {
    const [, acl] = resourcesOf('AWS::WAFv2::WebACL')[0];
    expect(acl.Properties.Scope).toBe('REGIONAL');
    expect(acl.Properties.VisibilityConfig.CloudWatchMetricsEnabled).toBe(true);
    const groups = acl.Properties.Rules
      .filter((r: any) => r.Statement.ManagedRuleGroupStatement)
      .map((r: any) => r.Statement.ManagedRuleGroupStatement.Name);
    expect(groups.sort()).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    const rate = acl.Properties.Rules.find((r: any) => r.Statement.RateBasedStatement);
    expect(rate.Statement.RateBasedStatement).toEqual({ Limit: 2000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' });
    expect(rate.Action).toEqual({ Block: {} });
    for (const rule of acl.Properties.Rules) {
      expect(rule.VisibilityConfig).toEqual(expect.objectContaining({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true }));
    }
  });

  test('logging to an encrypted aws-waf-logs- log group', () => {
    const [, logging] = resourcesOf('AWS::WAFv2::LoggingConfiguration')[0];
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).toContain(':log-group:aws-waf-logs-platform-dev');
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'), KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
  });

  test('associate() attaches the web ACL to an ALB', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.stringLikeRegexp('loadbalancer/app/platform'),
      WebACLArn: { 'Fn::GetAtt': [resourcesOf('AWS::WAFv2::WebACL')[0][0], 'Arn'] },
    });
  });
});

describe('KMS and conventions', () => {
  test('every key rotates and has an alias named alias/<purpose>-<suffix>', () => {
    const keys = resourcesOf('AWS::KMS::Key');
    expect(keys).toHaveLength(3);
    for (const [, key] of keys) expect(key.Properties.EnableKeyRotation).toBe(true);
    const aliases = resourcesOf('AWS::KMS::Alias').map(([, a]) => a.Properties.AliasName).sort();
    expect(aliases).toEqual(['alias/cloudtrail-dev', 'alias/security-alerts-dev', 'alias/waf-logs-dev']);
  });

  test('every log group is KMS-encrypted with a retention, and its key lets only that log group use it', () => {
    const groups = resourcesOf('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(3);
    for (const [, group] of groups) {
      expect(group.Properties.KmsKeyId).toBeDefined();
      expect(group.Properties.RetentionInDays).toBe(365);
      const keyId = group.Properties.KmsKeyId['Fn::GetAtt'][0];
      const logs = json.Resources[keyId].Properties.KeyPolicy.Statement.filter((s: any) => String(s.Sid).startsWith('AllowCloudWatchLogs'));
      expect(JSON.stringify(logs)).toContain(`log-group:${group.Properties.LogGroupName}`);
    }
  });

  test('components are tagged and the template has headroom', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Tags: [{ Key: 'Component', Value: 'waf' }] });
    template.hasResourceProperties('AWS::Lambda::Function', { Tags: Match.arrayWith([{ Key: 'Component', Value: 'slack-notifier' }]) });
    template.hasResourceProperties('AWS::SNS::Topic', { Tags: Match.arrayWith([{ Key: 'Component', Value: 'security-alerts' }]) });
    template.hasResourceProperties('AWS::CloudTrail::Trail', { Tags: Match.arrayWith([{ Key: 'Component', Value: 'cloudtrail' }]) });
    const count = Object.keys(json.Resources).length;
    expect(count).toBeLessThan(100);
  });
});
