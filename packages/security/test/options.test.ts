import { proofApp } from '@keelson/proof';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  FindingPublishingFrequency, GuardDutyDetector, PlatformKey, PlatformTrail, PlatformWebAcl,
  SecurityAlerts, SecurityBaseline, SecurityHub, SecurityHubSeverity, SecurityHubStandard, SlackNotifier,
} from '../src';
import { matchesPattern } from './support/event-pattern';
import { guardDutyFinding, securityHubFinding } from './support/samples';

const env = { account: '111111111111', region: 'ap-southeast-1' };
// One proof app for the variants: its CloudFormation validation reuses each stack's report while
// the template is unchanged. No nag pack: baseline.test.ts runs them on the whole baseline.
const app = proofApp({ nagPacks: [] });
const newStack = (id: string, withEnv = true) => new Stack(app, id, withEnv ? { env } : {});
const resourcesOf = (t: Template, type: string): any[] => Object.values(t.toJSON().Resources).filter((r: any) => r.Type === type);

// Variants, built once; each stack is one standalone use of a construct.
const agnostic = newStack('Agnostic', false);
new SecurityHub(agnostic, 'Hub', { standards: [SecurityHubStandard.NIST_800_53_REV5], enableHub: false });
new GuardDutyDetector(agnostic, 'GuardDuty', {
  s3Protection: false, malwareProtection: false, runtimeMonitoring: false, publishingFrequency: FindingPublishingFrequency.ONE_HOUR,
});

const reuse = newStack('Reuse');
const reused = new GuardDutyDetector(reuse, 'GuardDuty', { existingDetectorId: '12abc34d567e8fa901bc2d34e56789f0' });
const ciKey = new PlatformKey(reuse, 'Key', { purpose: 'ci-artifacts', environmentSuffix: 'staging' });
ciKey.allowCloudWatchLogs('/keelson/ci');

const alertsOnly = newStack('AlertsOnly');
new SecurityAlerts(alertsOnly, 'Alerts', {
  guardDutySeverityAbove: 6,
  securityHubSeverities: SecurityHubSeverity.atOrAbove(SecurityHubSeverity.MEDIUM),
  environmentSuffix: 'prod',
});

const wafOnly = newStack('WafOnly');
new SecurityBaseline(wafOnly, 'Baseline', {
  guardDuty: false,
  securityHub: false,
  alerts: false,
  trail: false,
  webAclOptions: { rateLimit: 10, rateLimitWindow: Duration.minutes(1), commonRuleSetCountOnly: ['SizeRestrictions_BODY'] },
});

const orgTrail = newStack('OrgTrail');
new SecurityBaseline(orgTrail, 'Baseline', { trail: false, securityHub: false });

const trailOnly = newStack('TrailOnly');
new PlatformTrail(trailOnly, 'Trail', {
  cloudWatchLogs: false,
  transitionToInfrequentAccessAfter: Duration.days(60),
  transitionToGlacierAfter: Duration.days(180),
  expireAfter: Duration.days(2557),
  removalPolicy: RemovalPolicy.RETAIN,
});

const SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:team/slack-AbCdEf';
const slackOnly = newStack('SlackOnly');
const teamKey = new kms.Key(slackOnly, 'TeamKey', { enableKeyRotation: true });
new SlackNotifier(slackOnly, 'Slack', {
  topic: new sns.Topic(slackOnly, 'TeamTopic', { masterKey: teamKey }),
  webhookSecret: secretsmanager.Secret.fromSecretCompleteArn(slackOnly, 'Webhook', SECRET_ARN),
  encryptionKey: teamKey,
});

const t = (stack: Stack) => Template.fromStack(stack);

describe('standalone constructs and options', () => {
  test('Security Hub without creating the hub, NIST only; ARNs use the region token in an env-agnostic stack', () => {
    const template = t(agnostic);
    template.resourceCountIs('AWS::SecurityHub::Hub', 0);
    template.resourceCountIs('AWS::SecurityHub::Standard', 1);
    template.hasResourceProperties('AWS::SecurityHub::Standard', {
      StandardsArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:', { Ref: 'AWS::Region' }, '::standards/nist-800-53/v/5.0.0']] },
    });
  });

  test('GuardDuty features can be switched off explicitly and the frequency changed', () => {
    const [detector] = resourcesOf(t(agnostic), 'AWS::GuardDuty::Detector');
    const status = Object.fromEntries(detector.Properties.Features.map((f: any) => [f.Name, f.Status]));
    expect(status).toEqual({ EKS_AUDIT_LOGS: 'ENABLED', RUNTIME_MONITORING: 'DISABLED', S3_DATA_EVENTS: 'DISABLED', EBS_MALWARE_PROTECTION: 'DISABLED' });
    expect(detector.Properties.FindingPublishingFrequency).toBe('ONE_HOUR');
  });

  test('PlatformKey alone: rotation, retained with KMS\'s default window (no removal policy given), alias by convention, logs statement bound to one log group', () => {
    const template = t(reuse);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true, PendingWindowInDays: Match.absent() }) });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ci-artifacts-staging' });
    const [key] = resourcesOf(template, 'AWS::KMS::Key');
    const logs = key.Properties.KeyPolicy.Statement.filter((st: any) => String(st.Sid).startsWith('AllowCloudWatchLogs'));
    expect(logs).toHaveLength(1);
    expect(JSON.stringify(logs[0].Principal)).toContain('logs.ap-southeast-1.');
    expect(JSON.stringify(logs[0].Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn'])).toContain(':logs:ap-southeast-1:111111111111:log-group:/keelson/ci"');
  });

  test('SlackNotifier alone: secret by complete ARN, its own dead-letter queue, one function', () => {
    const template = t(slackOnly);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { WEBHOOK_SECRET_ID: SECRET_ARN } },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'ReadWebhookSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
        ]),
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('an existing detector is reused, not created', () => {
    t(reuse).resourceCountIs('AWS::GuardDuty::Detector', 0);
    expect(reused.detectorId).toBe('12abc34d567e8fa901bc2d34e56789f0');
    expect(reused.detector).toBeUndefined();
  });

  test('alerts alone: thresholds are configurable and the patterns follow them', () => {
    const template = t(alertsOnly);
    const patterns = resourcesOf(template, 'AWS::Events::Rule').map((r) => r.Properties.EventPattern);
    const routed = (e: unknown) => patterns.some((p) => matchesPattern(p, e));
    expect(routed(guardDutyFinding(7))).toBe(true);
    expect(routed(guardDutyFinding(6))).toBe(false);
    expect(routed(securityHubFinding('MEDIUM'))).toBe(true);
    expect(routed(securityHubFinding('LOW'))).toBe(false);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'security-alerts-prod' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/security-alerts-prod' });
  });

  test('WAF alone: minimum rate limit, 1-minute window, count-only overrides; nothing else created', () => {
    const template = t(wafOnly);
    const [acl] = resourcesOf(template, 'AWS::WAFv2::WebACL');
    const rate = acl.Properties.Rules.find((r: any) => r.Statement.RateBasedStatement);
    expect(rate.Statement.RateBasedStatement).toEqual({ Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: 'IP' });
    const common = acl.Properties.Rules.find((r: any) => r.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    for (const type of ['AWS::GuardDuty::Detector', 'AWS::SecurityHub::Hub', 'AWS::SNS::Topic', 'AWS::CloudTrail::Trail', 'AWS::S3::Bucket']) {
      template.resourceCountIs(type, 0);
    }
  });

  test('an organization trail is respected with one prop; alerts then forward only GuardDuty', () => {
    const template = t(orgTrail);
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.guardduty'] }) });
  });

  test('trail alone: custom lifecycle, no CloudWatch Logs, RETAIN reaches buckets and key', () => {
    const template = t(trailOnly);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.hasResourceProperties('AWS::CloudTrail::Trail', { CloudWatchLogsLogGroupArn: Match.absent() });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [Match.objectLike({
          ExpirationInDays: 2557,
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 60 }, { StorageClass: 'GLACIER', TransitionInDays: 180 }],
        })],
      },
    });
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      for (const r of resourcesOf(template, type)) expect(r.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('validation fails at synth with the field and the fix', () => {
  const cases: [string, (s: Stack) => void, string][] = [
    ['email', (s) => new SecurityAlerts(s, 'X', { securityAlertsEmail: 'security-at-example' }),
      'X: invalid securityAlertsEmail: "security-at-example" is not an email address. Fix: give one address such as team@example.com'],
    ['GuardDuty threshold', (s) => new SecurityAlerts(s, 'X', { guardDutySeverityAbove: 10 }),
      'X: invalid guardDutySeverityAbove: 10 is outside 0–9.9. Fix: use a number from 0 to 9.9; 4 forwards medium, high and critical findings'],
    ['empty labels', (s) => new SecurityAlerts(s, 'X', { securityHubSeverities: [] }),
      'X: invalid securityHubSeverities: the list is empty. Fix: list at least one label, or set forwardSecurityHub to false'],
    ['rate limit below WAF minimum', (s) => new PlatformWebAcl(s, 'X', { rateLimit: 9 }),
      'X: invalid rateLimit: 9 is outside 10–2000000000. Fix: use an integer from 10 to 2000000000'],
    ['rate limit above WAF maximum', (s) => new PlatformWebAcl(s, 'X', { rateLimit: 2_000_000_001 }),
      'X: invalid rateLimit: 2000000001 is outside 10–2000000000. Fix: use an integer from 10 to 2000000000'],
    ['rate window', (s) => new PlatformWebAcl(s, 'X', { rateLimitWindow: Duration.seconds(90) }),
      'X: invalid rateLimitWindow (seconds): 90 is not one of 60, 120, 300, 600. Fix: use one of 60, 120, 300, 600'],
    ['IA transition', (s) => new PlatformTrail(s, 'X', { transitionToInfrequentAccessAfter: Duration.days(10) }),
      'X: invalid transitionToInfrequentAccessAfter: 10 days is below the 30 days S3 requires before Standard-IA. Fix: use Duration.days(30) or more'],
    ['Glacier transition', (s) => new PlatformTrail(s, 'X', { transitionToGlacierAfter: Duration.days(30) }),
      'X: invalid transitionToGlacierAfter: 30 days is not after the Standard-IA transition (30 days). Fix: move to Glacier later than to Standard-IA'],
    ['expiry', (s) => new PlatformTrail(s, 'X', { expireAfter: Duration.days(90) }),
      'X: invalid expireAfter: 90 days is not after the Glacier transition (90 days). Fix: expire log files after they reach Glacier'],
    ['duplicate standards', (s) => new SecurityHub(s, 'X', { standards: [SecurityHubStandard.NIST_800_53_REV5, SecurityHubStandard.of('nist-800-53/v/5.0.0')] }),
      'X: invalid standards: "nist-800-53/v/5.0.0" is listed twice. Fix: list each standard once'],
    ['detector id', (s) => new GuardDutyDetector(s, 'X', { existingDetectorId: 'arn:aws:guardduty:x' }),
      'X: invalid existingDetectorId: "arn:aws:guardduty:x" is not a GuardDuty detector id. Fix: give the id printed by `aws guardduty list-detectors` (lowercase letters and digits)'],
    ['key purpose', (s) => new PlatformKey(s, 'X', { purpose: 'Bad Purpose' }),
      'X: invalid purpose: "Bad Purpose" is not a valid key purpose. Fix: use lowercase letters, digits and hyphens, starting with a letter'],
    ['environment suffix', (s) => new SecurityBaseline(s, 'X', { environmentSuffix: 'Prod_1' }),
      'invalid environmentSuffix: "Prod_1" is not a valid suffix'],
  ];
  test.each(cases)('%s', (_name, build, message) => {
    const stack = new Stack(new App(), 'S', { env });
    expect(() => build(stack)).toThrow(message.startsWith('X:') ? `S/${message}` : message);
  });
});

describe('the test event-pattern evaluator follows EventBridge semantics', () => {
  test('exact values, prefix, numeric ranges, nested objects, arrays in events, exists, anything-but, $or', () => {
    const event = { source: 'aws.s3', detail: { size: 42, name: 'logs/2026/a.gz', tags: ['a', 'b'], items: [{ k: 'x' }, { k: 'y' }] } };
    expect(matchesPattern({ source: ['aws.s3', 'aws.ec2'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['aws.ec2'] }, event)).toBe(false);
    expect(matchesPattern({ detail: { name: [{ prefix: 'logs/' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { name: [{ prefix: 'data/' }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { size: [{ numeric: ['>', 0, '<=', 42] }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { size: [{ numeric: ['>', 42] }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { tags: ['b'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { items: { k: ['y'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { items: { k: ['z'] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { missing: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { missing: ['x'] } }, event)).toBe(false);
    expect(matchesPattern({ source: [{ 'anything-but': ['aws.ec2'] }] }, event)).toBe(true);
    expect(matchesPattern({ $or: [{ source: ['aws.ec2'] }, { detail: { size: [42] } }] }, event)).toBe(true);
    expect(matchesPattern({ detail: { size: ['42'] } }, event)).toBe(false);
  });
});
