import { proofApp } from '@keelson/proof';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { HardenedBucket, KeelsonTags, KeyPolicies, PropsCheck, ResourceNaming, StatefulRemoval } from '../src';

describe('ResourceNaming', () => {
  const stack = new Stack(new App(), 'Naming');

  test('appends the suffix', () => {
    expect(ResourceNaming.of(stack, 'prod').name('platform-vpc')).toBe('platform-vpc-prod');
  });

  test('defaults the suffix to dev', () => {
    expect(ResourceNaming.of(stack).name('flow-logs')).toBe('flow-logs-dev');
  });

  test('shortens the resource part, never the suffix', () => {
    const name = ResourceNaming.of(stack, 'staging').name('a'.repeat(40), 32);
    expect(name).toHaveLength(32);
    expect(name.endsWith('-staging')).toBe(true);
  });

  test.each(['Prod', '1dev', 'dev_1', 'dev-', '', 'x'.repeat(17)])('rejects suffix %p, naming the field', (bad) => {
    expect(() => ResourceNaming.of(stack, bad)).toThrow(/Naming: invalid environmentSuffix: .* Fix: use 1–16 lowercase/);
  });
});

describe('PropsCheck', () => {
  const stack = new Stack(new App(), 'Checks');

  test('inRange names the field and the allowed range', () => {
    expect(() => PropsCheck.inRange(stack, 'azCount', 7, 2, 6)).toThrow('Checks: invalid azCount: 7 is outside 2–6. Fix: use an integer from 2 to 6');
    expect(() => PropsCheck.inRange(stack, 'azCount', 3, 2, 6)).not.toThrow();
  });

  test('dnsLabel and region name the field, the value and the fix; tokens pass', () => {
    expect(() => PropsCheck.dnsLabel(stack, 'namespace', 'My_Ns')).toThrow('Checks: invalid namespace: "My_Ns" is not a Kubernetes name. Fix: use at most 63');
    expect(() => PropsCheck.dnsLabel(stack, 'namespace', 'a'.repeat(64))).toThrow(/is not a Kubernetes name/);
    expect(() => PropsCheck.dnsLabel(stack, 'namespace', 'team-a')).not.toThrow();
    expect(() => PropsCheck.region(stack, 'region', 'Singapore')).toThrow('Checks: invalid region: "Singapore" is not an AWS region. Fix: name a region such as ap-southeast-1');
    expect(() => PropsCheck.region(stack, 'region', 'us-gov-west-1')).not.toThrow();
    expect(() => PropsCheck.region(stack, 'region', stack.region)).not.toThrow();
  });

  test('scalingOrder rejects desired > max and negative min', () => {
    expect(() => PropsCheck.scalingOrder(stack, 'nodePools.app', 1, 5, 3)).toThrow(/nodePools.app: min 1, desired 5, max 3 are out of order/);
    expect(() => PropsCheck.scalingOrder(stack, 'nodePools.gpu', -1, 0, 3)).toThrow(/out of order/);
    expect(() => PropsCheck.scalingOrder(stack, 'nodePools.gpu', 0, 0, 3)).not.toThrow();
  });
});

// One synth for both stacks, through the proof harness: its CloudFormation validation
// reuses each stack's report while the template is unchanged. No nag pack: these stacks
// show tags, removal and key policies, not a hardened deployment.
const synthApp = proofApp({ nagPacks: [] });
const taggedStack = new Stack(synthApp, 'Tagged');
new s3.Bucket(taggedStack, 'Bucket', { ...StatefulRemoval.of(RemovalPolicy.DESTROY).bucket });
KeelsonTags.apply(taggedStack, { environment: 'dev', project: 'keelson', owner: 'platform-team' });
KeelsonTags.component(taggedStack, 'conventions-test');
const keysStack = new Stack(synthApp, 'Keys', { env: { account: '111111111111', region: 'ap-southeast-1' } });
const key = new kms.Key(keysStack, 'Key');
KeyPolicies.allowCloudWatchLogs(key, '/aws/eks/platform-dev/cluster');
KeyPolicies.allowCloudWatchLogs(kms.Key.fromKeyArn(keysStack, 'Imported', 'arn:aws:kms:ap-southeast-1:111111111111:key/abc'), '/x');

describe('KeelsonTags and StatefulRemoval on a synthesized bucket', () => {
  const template = Template.fromStack(taggedStack);

  test('every tag key lands on the resource', () => {
    const bucket = Object.values(template.findResources('AWS::S3::Bucket'))[0];
    const keys = (bucket.Properties.Tags as { Key: string }[]).map((t) => t.Key);
    expect(keys).toEqual(expect.arrayContaining(KeelsonTags.REQUIRED_KEYS));
    expect(bucket.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'ManagedBy', Value: 'keelson' }]));
  });

  test('DESTROY deletes the bucket and empties it first', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  test('RETAIN keeps buckets and keys, with no auto-delete and KMS\'s default pending window', () => {
    const retain = StatefulRemoval.of(RemovalPolicy.RETAIN);
    expect(retain.bucket).toEqual({ removalPolicy: RemovalPolicy.RETAIN, autoDeleteObjects: false });
    expect(retain.key).toEqual({ removalPolicy: RemovalPolicy.RETAIN, pendingWindow: undefined });
  });

  test('no policy given means RETAIN, as in aws-cdk-lib', () => {
    expect(StatefulRemoval.of().policy).toBe(RemovalPolicy.RETAIN);
    expect(StatefulRemoval.of().destroys).toBe(false);
    expect(StatefulRemoval.of().bucket.autoDeleteObjects).toBe(false);
    expect(StatefulRemoval.of().key.pendingWindow).toBeUndefined();
  });

  test('a HardenedBucket refuses Object Lock with DESTROY (locked versions cannot be emptied) and applies it otherwise', () => {
    const s = new Stack(new App(), 'Lock', { env: { account: '111111111111', region: 'ap-southeast-1' } });
    const governance = s3.ObjectLockRetention.governance(Duration.days(30));
    expect(() => new HardenedBucket(s, 'Scratch', { removalPolicy: RemovalPolicy.DESTROY, objectLockDefaultRetention: governance }))
      .toThrow(/^Lock\/Scratch: invalid objectLockDefaultRetention: is set with removalPolicy DESTROY: .* Fix: use RETAIN/);
    const locked = new HardenedBucket(s, 'Locked', { objectLockDefaultRetention: governance });
    const props = (locked.bucket.node.defaultChild as s3.CfnBucket);
    expect(props.objectLockEnabled).toBe(true);
    expect(Stack.of(s).resolve(props.objectLockConfiguration)).toEqual({ objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'GOVERNANCE', days: 30 } } });
  });

  test('only an explicit DESTROY shortens the key window', () => {
    expect(StatefulRemoval.of(RemovalPolicy.DESTROY).key.pendingWindow!.toDays()).toBe(Duration.days(7).toDays());
  });
});

describe('KeyPolicies.allowCloudWatchLogs', () => {
  const statements = Object.values(Template.fromStack(keysStack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;

  test('admits only the regional Logs service, only for the one log group', () => {
    const statement = statements.find((s: any) => s.Sid === 'AllowCloudWatchLogsawseksplatformdevcluster');
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
    });
    expect(JSON.stringify(statement.Principal.Service)).toContain('"logs.ap-southeast-1.",{"Ref":"AWS::URLSuffix"}');
    const arn = JSON.stringify(statement.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']);
    expect(arn).toContain(':logs:ap-southeast-1:111111111111:log-group:/aws/eks/platform-dev/cluster');
  });

  test('leaves an imported key alone', () => {
    expect(statements).toHaveLength(2);
  });
});
