import { NagPack, proofApp, synthesize } from '@keelson/proof';
import { CfnResource, Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { HardenedBucket, HardenedBucketEncryption, InheritedTags, KeelsonTags, LibraryFunctions } from '../src';

// One synth, with cdk-nag (AwsSolutions + NIST 800-53 r5) and CloudFormation validation on.
const ENV = { account: '111111111111', region: 'ap-southeast-1' };
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });

// HardenedBucket: the default (own key), a given key with its own lifecycle, SSE-S3 + RETAIN,
// a replicating bucket, and one that gives no reason for not replicating.
const buckets = new Stack(app, 'Buckets', { env: ENV });
const plain = new HardenedBucket(buckets, 'Data', { notReplicatedReason: 'test data, recreated from source on every deployment' });
const givenKey = new kms.Key(buckets, 'GivenKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
const keyed = new HardenedBucket(buckets, 'Keyed', {
  encryptionKey: givenKey,
  lifecycleRules: [{ id: 'tier', transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) }], expiration: Duration.days(365) }],
  accessLogsPrefix: 'keyed/',
  accessLogsExpiration: Duration.days(365),
  notReplicatedReason: 'test data, recreated from source on every deployment',
});
const sse = new HardenedBucket(buckets, 'Alb', {
  encryption: HardenedBucketEncryption.S3_MANAGED,
  removalPolicy: RemovalPolicy.RETAIN,
  notReplicatedReason: 'load balancer access logs stay in the region of the load balancer',
});
Validations.of(sse.bucket).acknowledge({ id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'ALB access logs deliver only to SSE-S3 buckets' });
// A destination of a service that delivers through bucket ACLs (the EC2 Spot data feed).
const aclFeed = new HardenedBucket(buckets, 'AclFeed', {
  encryption: HardenedBucketEncryption.S3_MANAGED,
  aclDeliveryReason: 'the EC2 Spot data feed grants its delivery account access through the bucket ACL',
  notReplicatedReason: 'spot price records are re-delivered hourly and kept for analysis only',
});
Validations.of(aclFeed.bucket).acknowledge({ id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'the Spot data feed documents no SSE-KMS delivery' });
const destination = s3.Bucket.fromBucketName(buckets, 'Destination', 'replica-bucket');
const replicated = new HardenedBucket(buckets, 'Replicated', {
  replicationRules: [{ destination, priority: 1, deleteMarkerReplication: false }],
});
const unanswered = new HardenedBucket(buckets, 'Unanswered');
// DESTROY chosen explicitly: the only way a HardenedBucket is emptied and deleted.
const scratch = new HardenedBucket(buckets, 'Scratch', { removalPolicy: RemovalPolicy.DESTROY, notReplicatedReason: 'scratch data of a short-lived development platform' });
const bucketsTemplate = () => result.template('Buckets').toJSON();

// LibraryFunctions: the AwsCustomResource singleton, acknowledged in one stack and not in the other.
function reader(scope: Construct): cr.AwsCustomResource {
  return new cr.AwsCustomResource(scope, 'Reader', {
    onUpdate: { service: 'SSM', action: 'getParameter', parameters: { Name: '/x' }, physicalResourceId: cr.PhysicalResourceId.of('x') },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [Stack.of(scope).formatArn({ service: 'ssm', resource: 'parameter', resourceName: 'x' })] }),
    installLatestAwsSdk: false,
  });
}
const functionProps = {
  createdBy: 'the test reader is aws-cdk-lib\'s AwsCustomResource singleton',
  inlinePolicies: 'ssm:GetParameter on one parameter',
  outsideVpcReason: 'it calls only the regional SSM API',
};
const acknowledged = new Stack(app, 'Acknowledged', { env: ENV });
const acknowledgedReader = reader(acknowledged);
Validations.of(acknowledgedReader).acknowledge({ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'the test reader\'s policy: ssm:GetParameter on one parameter' });
LibraryFunctions.acknowledge(acknowledged.node.findChild('AWS679f53fac002430cb0da5b7982bd2287'), functionProps);
const bare = new Stack(app, 'Bare', { env: ENV });
reader(bare);
// Two uses of one stack's singleton, each acknowledged through acknowledgeAwsCustomResource.
const shared2 = new Stack(app, 'SharedFunction', { env: ENV });
const tooEarly = () => LibraryFunctions.acknowledgeAwsCustomResource(shared2, functionProps);
const earlyError = (() => {
  try {
    tooEarly();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
})();
for (const [id, what] of [['A', 'reader A reads /a'], ['B', 'reader B reads /b']]) {
  const use = new Construct(shared2, id);
  reader(use);
  LibraryFunctions.acknowledgeAwsCustomResource(use, {
    createdBy: what, inlinePolicies: `${id}'s one parameter`, outsideVpcReason: `${id} calls SSM only`, wildcardReason: id === 'A' ? 'A lists *' : undefined,
  });
}

// KeelsonTags: the raw CfnResources of aws-cdk-lib's CustomResourceProvider (auto-delete),
// raw resources with tags of their own, filters, and InheritedTags on a launch template.
const tagged = new Stack(app, 'Tagged', { env: ENV });
new s3.Bucket(tagged, 'Emptied', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY, enforceSSL: true });
new CfnResource(tagged, 'RawRole', {
  type: 'AWS::IAM::Role',
  properties: {
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Tags: [{ Key: 'Declared', Value: 'kept' }],
  },
});
new CfnResource(tagged, 'RawParameter', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'v', Tags: { Declared: 'kept' } } });
const pool = new Construct(tagged, 'Pool');
KeelsonTags.component(pool, 'eks-node-pool');
const instanceTags = new InheritedTags(pool, 'InstanceTags');
new ec2.CfnLaunchTemplate(pool, 'LaunchTemplate', {
  launchTemplateData: { tagSpecifications: instanceTags.launchTemplateTagSpecifications(['instance', 'volume', 'network-interface']) },
});
new CfnResource(pool, 'Consumer', { type: 'Custom::Consumer', properties: { ServiceToken: 'arn:aws:lambda:ap-southeast-1:111111111111:function:x', DefaultTags: instanceTags.asMap() } });
const untaggedStack = new Stack(app, 'Untagged', { env: ENV });
const untaggedInstanceTags = new InheritedTags(untaggedStack, 'InstanceTags');
new ec2.CfnLaunchTemplate(untaggedStack, 'LaunchTemplate', {
  launchTemplateData: { tagSpecifications: untaggedInstanceTags.launchTemplateTagSpecifications(['instance']) },
});
KeelsonTags.apply(tagged, { environment: 'dev', project: 'keelson', owner: 'platform-team' });
KeelsonTags.apply(tagged, { environment: 'dev', project: 'keelson', owner: 'platform-team' }); // twice: one aspect
KeelsonTags.component(tagged, 'conventions-test');
Tags.of(tagged).add('CostCenter', '42', { excludeResourceTypes: ['AWS::Lambda::Function'] });

// Resources CDK adds after aspects ran: the cross-region reference providers.
const producer = new Stack(app, 'Producer', { env: { ...ENV, region: 'us-west-2' }, crossRegionReferences: true });
const shared = new s3.Bucket(producer, 'Shared', { enforceSSL: true });
const consumer = new Stack(app, 'Consumer', { env: ENV, crossRegionReferences: true });
new CfnResource(consumer, 'Reads', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: shared.bucketArn } });
for (const stack of [producer, consumer]) {
  KeelsonTags.apply(stack, { environment: 'dr', project: 'keelson', owner: 'platform-team' });
  KeelsonTags.component(stack, 'cross-region');
}

const result = synthesize(app);
const idOf = (b: s3.IBucket) => buckets.getLogicalId(b.node.defaultChild as s3.CfnBucket);
const byType = (template: any, type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
const tagMap = (tags: { Key: string; Value: string }[]) => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

describe('HardenedBucket', () => {
  test('keeps the logical id of an s3.Bucket of the same id (the bucket is the default child)', () => {
    const probe = new s3.Bucket(new Stack(undefined, 'Probe'), 'Data');
    expect(idOf(plain.bucket)).toBe(Stack.of(probe).getLogicalId(probe.node.defaultChild as s3.CfnBucket));
    expect(plain.node.defaultChild).toBe(plain.bucket);
  });

  test('the bucket: SSE-KMS under its own rotating key with a Bucket Key, versioned, public access blocked, ACLs disabled', () => {
    const t = bucketsTemplate();
    const props = t.Resources[idOf(plain.bucket)].Properties;
    const keyId = buckets.getLogicalId(plain.encryptionKey!.node.defaultChild as kms.CfnKey);
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    }]);
    expect(t.Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    // Retained by default, with KMS's default pending window.
    expect(t.Resources[keyId].Properties.PendingWindowInDays).toBeUndefined();
    expect(t.Resources[keyId].DeletionPolicy).toBe('Retain');
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(props.LifecycleConfiguration.Rules).toEqual([{ Id: 'versions-and-uploads', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }]);
  });

  test('aclDeliveryReason enables ACLs (bucket owner preferred) and nothing else: public access blocked, TLS-only, versioned, logged', () => {
    const t = bucketsTemplate();
    const props = t.Resources[idOf(aclFeed.bucket)].Properties;
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(props.LoggingConfiguration.LogFilePrefix).toBe('bucket/');
    expect(aclFeed.aclDeliveryReason).toMatch(/Spot data feed/);
    // Its access-log bucket keeps ACLs disabled.
    expect(t.Resources[buckets.getLogicalId(aclFeed.accessLogsBucket.node.defaultChild as s3.CfnBucket)].Properties.OwnershipControls)
      .toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(plain.aclDeliveryReason).toBeUndefined();
  });

  test('server access logs go to its own SSE-S3, versioned, expiring log bucket, written by S3 logging for this bucket only', () => {
    const t = bucketsTemplate();
    const bucketId = idOf(plain.bucket);
    const logsId = buckets.getLogicalId(plain.accessLogsBucket.node.defaultChild as s3.CfnBucket);
    expect(t.Resources[bucketId].Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'bucket/' });
    const logs = t.Resources[logsId].Properties;
    expect(logs.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(logs.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logs.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(logs.AccessControl).toBeUndefined();
    expect(logs.LifecycleConfiguration.Rules).toEqual([{ Id: 'expire', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }]);
    const policy = byType(t, 'AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket.Ref === logsId)![1].Properties.PolicyDocument.Statement;
    expect(policy).toContainEqual({
      Sid: 'S3ServerAccessLogs',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logsId, 'Arn'] }, '/bucket/*']] },
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
  });

  test('default props: both buckets and the key are retained (DeletionPolicy and UpdateReplacePolicy Retain) and nothing auto-deletes their objects', () => {
    const t = bucketsTemplate();
    for (const b of [plain.bucket, plain.accessLogsBucket]) {
      const id = buckets.getLogicalId(b.node.defaultChild as s3.CfnBucket);
      expect(t.Resources[id].DeletionPolicy).toBe('Retain');
      expect(t.Resources[id].UpdateReplacePolicy).toBe('Retain');
      expect(t.Resources[id].Properties.Tags ?? []).not.toContainEqual(expect.objectContaining({ Key: 'aws-cdk:auto-delete-objects' }));
      const autoDeletes = byType(t, 'Custom::S3AutoDeleteObjects').filter(([, r]) => r.Properties.BucketName.Ref === id);
      expect(autoDeletes).toEqual([]);
    }
  });

  test('explicit DESTROY: both buckets are emptied and deleted, the key waits the shortest window', () => {
    const t = bucketsTemplate();
    for (const b of [scratch.bucket, scratch.accessLogsBucket]) {
      const id = buckets.getLogicalId(b.node.defaultChild as s3.CfnBucket);
      expect(t.Resources[id].DeletionPolicy).toBe('Delete');
      expect(t.Resources[id].Properties.Tags).toContainEqual({ Key: 'aws-cdk:auto-delete-objects', Value: 'true' });
      expect(byType(t, 'Custom::S3AutoDeleteObjects').filter(([, r]) => r.Properties.BucketName.Ref === id)).toHaveLength(1);
    }
    const key = t.Resources[buckets.getLogicalId(scratch.encryptionKey!.node.defaultChild as kms.CfnKey)];
    expect(key.DeletionPolicy).toBe('Delete');
    expect(key.Properties.PendingWindowInDays).toBe(7);
  });

  test('both buckets refuse plain HTTP', () => {
    const t = bucketsTemplate();
    for (const b of [plain.bucket, plain.accessLogsBucket]) {
      const id = buckets.getLogicalId(b.node.defaultChild as s3.CfnBucket);
      const statements = byType(t, 'AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket.Ref === id)![1].Properties.PolicyDocument.Statement;
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  test('a given key, lifecycle, prefix and log expiry are used as given, and no key is created', () => {
    const t = bucketsTemplate();
    const props = t.Resources[buckets.getLogicalId(keyed.bucket.node.defaultChild as s3.CfnBucket)].Properties;
    expect(keyed.encryptionKey).toBe(givenKey);
    expect(keyed.node.tryFindChild('Key')).toBeUndefined();
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID).toEqual({ 'Fn::GetAtt': [buckets.getLogicalId(givenKey.node.defaultChild as kms.CfnKey), 'Arn'] });
    expect(props.LifecycleConfiguration.Rules).toEqual([{ Id: 'tier', Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }], ExpirationInDays: 365, Status: 'Enabled' }]);
    expect(props.LoggingConfiguration.LogFilePrefix).toBe('keyed/');
    expect(t.Resources[idOf(keyed.accessLogsBucket)].Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(365);
  });

  test('SSE-S3 creates no key; RETAIN keeps both buckets and empties neither', () => {
    const t = bucketsTemplate();
    expect(sse.encryptionKey).toBeUndefined();
    const props = t.Resources[buckets.getLogicalId(sse.bucket.node.defaultChild as s3.CfnBucket)];
    expect(props.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    for (const b of [sse.bucket, sse.accessLogsBucket]) {
      const r = t.Resources[buckets.getLogicalId(b.node.defaultChild as s3.CfnBucket)];
      expect(r.DeletionPolicy).toBe('Retain');
      expect(r.Properties.Tags ?? []).not.toContainEqual({ Key: 'aws-cdk:auto-delete-objects', Value: 'true' });
    }
  });

  test('replication rules reach the bucket', () => {
    const props = bucketsTemplate().Resources[buckets.getLogicalId(replicated.bucket.node.defaultChild as s3.CfnBucket)].Properties;
    expect(props.ReplicationConfiguration.Rules).toEqual([expect.objectContaining({ Destination: { Bucket: expect.anything() }, Priority: 1, Status: 'Enabled' })]);
  });

  test('cdk-nag: the only bucket findings are the replication of the bucket that gives no reason; the log buckets\' are acknowledged inside', () => {
    // (The role aws-cdk-lib creates for replicationRules has findings of its own, IAM5 on object ARNs: the caller's.)
    const findings = result.findings.filter((f) => /^(AwsSolutions-S\d|NIST\.800\.53\.R5-S3)/.test(f.rule));
    expect(findings.flatMap((f) => f.constructPaths.filter((p) => p.startsWith('Buckets/')).map((p) => `${f.rule} ${p}`))).toEqual([
      'NIST.800.53.R5-S3BucketReplicationEnabled Buckets/Unanswered/Default/Resource',
    ]);
    const logAcks = result.acknowledgements.filter((a) => a.constructPath === 'Buckets/Data/AccessLogs').map((a) => a.id).sort();
    expect(logAcks).toEqual(['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3DefaultEncryptionKMS']);
    expect(result.acknowledgements.filter((a) => a.constructPath.startsWith('Buckets/Replicated') && a.id === 'NIST.800.53.R5-S3BucketReplicationEnabled').map((a) => a.constructPath))
      .toEqual(['Buckets/Replicated/AccessLogs']);
    expect(unanswered.bucket).toBeDefined();
  });

  test.each([
    [{ encryption: HardenedBucketEncryption.S3_MANAGED, encryptionKey: 'key' }, /Bad: invalid encryptionKey: is set but encryption is S3_MANAGED\. Fix: drop encryptionKey/],
    [{ accessLogsExpiration: Duration.hours(6) }, /Bad: invalid accessLogsExpiration: 6 hours is shorter than the one day .* Fix: keep access logs for at least Duration\.days\(1\)/],
    [{ accessLogsPrefix: '/logs/' }, /Bad: invalid accessLogsPrefix: "\/logs\/" starts with "\/".* Fix: drop the leading slash/],
    [{ notReplicatedReason: 'n/a' }, /Bad: invalid notReplicatedReason: "n\/a" is not a reason\. Fix: say why/],
    [{ encryption: HardenedBucketEncryption.S3_MANAGED, aclDeliveryReason: 'needs ACLs' }, /Bad: invalid aclDeliveryReason: is too short .* Fix: name the service/],
    [{ aclDeliveryReason: 'the EC2 Spot data feed delivers through the bucket ACL' }, /Bad: invalid encryption: is KMS, but aclDeliveryReason is set.* Fix: set encryption: HardenedBucketEncryption\.S3_MANAGED/],
  ])('rejects %p, naming the field and the fix', (props: { [key: string]: unknown }, message) => {
    const stack = new Stack();
    const resolved = { ...props, encryptionKey: props.encryptionKey ? new kms.Key(stack, 'K') : undefined };
    expect(() => new HardenedBucket(stack, 'Bad', resolved)).toThrow(message);
  });
});

describe('LibraryFunctions', () => {
  const rule = (id: string) => id.replace(/\[.*$/, '');

  test('acknowledges exactly the rules an aws-cdk-lib custom resource function raises', () => {
    const bareRules = new Set(result.findings.filter((f) => f.constructPaths.some((p) => p.startsWith('Bare/'))).map((f) => rule(f.rule)));
    // AwsSolutions-L1 is the one rule that depends on the function: AwsCustomResource runs aws-cdk-lib's
    // newest Node.js runtime, which passes it; the kubectl provider's Python handler does not (eks-core's tests).
    const helperRules = new Set(LibraryFunctions.acknowledgements(functionProps).map((a) => rule(a.id)).filter((r) => r !== 'AwsSolutions-L1'));
    expect([...bareRules].sort()).toEqual([...helperRules].sort());
    expect(result.findings.filter((f) => f.constructPaths.some((p) => p.startsWith('Acknowledged/')))).toEqual([]);
  });

  test('acknowledgeAwsCustomResource: each use on itself, the shared function once with every use\'s reasons', () => {
    expect(result.findings.filter((f) => f.constructPaths.some((p) => p.startsWith('SharedFunction/')))).toEqual([]);
    const onFunction = result.acknowledgements.filter((a) => a.constructPath === 'SharedFunction/AWS679f53fac002430cb0da5b7982bd2287');
    expect(onFunction.map((a) => a.id).sort()).toEqual(LibraryFunctions.acknowledgements(functionProps).map((a) => a.id).sort());
    expect(onFunction.find((a) => a.id === 'NIST.800.53.R5-LambdaInsideVPC')!.reason).toBe('reader A reads /a; reader B reads /b; A calls SSM only; B calls SSM only');
    expect(result.acknowledgements.filter((a) => a.constructPath === 'SharedFunction/A').map((a) => a.id)).toEqual(['AwsSolutions-IAM5[Resource::*]', 'NIST.800.53.R5-IAMNoInlinePolicy']);
    expect(result.acknowledgements.filter((a) => a.constructPath === 'SharedFunction/B').map((a) => a.id)).toEqual(['NIST.800.53.R5-IAMNoInlinePolicy']);
    expect(earlyError).toMatch(/SharedFunction: acknowledgeAwsCustomResource needs the AwsCustomResource to exist first/);
  });

  test('every reason starts with what the functions are; the VPC rule only when given', () => {
    const acks = LibraryFunctions.acknowledgements(functionProps);
    expect(acks.map((a) => a.id)).toEqual([
      LibraryFunctions.BASIC_EXECUTION_ROLE_RULE, 'AwsSolutions-L1', 'NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ',
      'NIST.800.53.R5-IAMNoInlinePolicy', 'NIST.800.53.R5-LambdaInsideVPC',
    ]);
    for (const a of acks) expect(a.reason.startsWith(`${functionProps.createdBy}; `)).toBe(true);
    expect(acks.find((a) => a.id === 'NIST.800.53.R5-IAMNoInlinePolicy')!.reason).toMatch(/ssm:GetParameter on one parameter$/);
    expect(LibraryFunctions.acknowledgements({ createdBy: 'x', inlinePolicies: 'y' }).map((a) => a.id)).not.toContain('NIST.800.53.R5-LambdaInsideVPC');
  });
});

describe('KeelsonTags reaches what Tags.of alone does not', () => {
  const t = () => result.template('Tagged').toJSON();

  test('the role and handler of aws-cdk-lib\'s CustomResourceProvider (S3 auto-delete) carry the whole tag set', () => {
    const raw = [...byType(t(), 'AWS::IAM::Role'), ...byType(t(), 'AWS::Lambda::Function')].filter(([id]) => id.startsWith('CustomS3AutoDeleteObjects'));
    expect(raw.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['CustomS3AutoDeleteObjectsCustomResourceProviderHandler', 'CustomS3AutoDeleteObjectsCustomResourceProviderRole']);
    for (const [, r] of raw) {
      expect(Object.keys(tagMap(r.Properties.Tags))).toEqual(expect.arrayContaining(KeelsonTags.REQUIRED_KEYS));
      expect(tagMap(r.Properties.Tags)).toMatchObject({ Component: 'conventions-test', ManagedBy: 'keelson', Environment: 'dev' });
    }
  });

  test('tags a raw resource declares are kept; SSM parameters get the map shape', () => {
    const role = t().Resources[tagged.getLogicalId(tagged.node.findChild('RawRole') as CfnResource)];
    expect(tagMap(role.Properties.Tags)).toMatchObject({ Declared: 'kept', Owner: 'platform-team', CostCenter: '42' });
    const parameter = t().Resources[tagged.getLogicalId(tagged.node.findChild('RawParameter') as CfnResource)];
    expect(parameter.Properties.Tags).toMatchObject({ Declared: 'kept', Project: 'keelson', Component: 'conventions-test' });
  });

  test('so do the cross-region reference providers CDK adds after aspects have run', () => {
    const late = [...Object.entries<any>(result.template('Producer').toJSON().Resources), ...Object.entries<any>(result.template('Consumer').toJSON().Resources)]
      .filter(([id, r]) => id.startsWith('CustomCrossRegionExport') && ['AWS::IAM::Role', 'AWS::Lambda::Function'].includes(r.Type));
    expect(late.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'CustomCrossRegionExportReaderCustomResourceProviderHandler', 'CustomCrossRegionExportReaderCustomResourceProviderRole',
      'CustomCrossRegionExportWriterCustomResourceProviderHandler', 'CustomCrossRegionExportWriterCustomResourceProviderRole',
    ]);
    for (const [, r] of late) {
      expect(tagMap(r.Properties.Tags)).toEqual({ Component: 'cross-region', Environment: 'dr', ManagedBy: 'keelson', Owner: 'platform-team', Project: 'keelson', Purpose: 'eks-platform' });
    }
  });

  test('Tags.of filters apply by resource type, as on any L1', () => {
    for (const [, fn] of byType(t(), 'AWS::Lambda::Function')) expect(tagMap(fn.Properties.Tags).CostCenter).toBeUndefined();
    for (const [, role] of byType(t(), 'AWS::IAM::Role')) expect(tagMap(role.Properties.Tags).CostCenter).toBe('42');
  });
});

describe('InheritedTags', () => {
  test('a launch template\'s TagSpecifications carry the tags applied at its place, innermost Component included', () => {
    const [, lt] = byType(result.template('Tagged').toJSON(), 'AWS::EC2::LaunchTemplate')[0];
    const specs = lt.Properties.LaunchTemplateData.TagSpecifications;
    expect(specs.map((s: any) => s.ResourceType)).toEqual(['instance', 'volume', 'network-interface']);
    const expected = [
      { Key: 'Component', Value: 'eks-node-pool' }, { Key: 'CostCenter', Value: '42' }, { Key: 'Environment', Value: 'dev' },
      { Key: 'ManagedBy', Value: 'keelson' }, { Key: 'Owner', Value: 'platform-team' }, { Key: 'Project', Value: 'keelson' },
      { Key: 'Purpose', Value: 'eks-platform' },
    ];
    for (const spec of specs) expect(spec.Tags).toEqual(expected);
  });

  test('asMap gives the same tags as a map', () => {
    const [, consumerResource] = byType(result.template('Tagged').toJSON(), 'Custom::Consumer')[0];
    expect(consumerResource.Properties.DefaultTags).toEqual({
      Component: 'eks-node-pool', CostCenter: '42', Environment: 'dev', ManagedBy: 'keelson', Owner: 'platform-team', Project: 'keelson', Purpose: 'eks-platform',
    });
  });

  test('no tags, no TagSpecifications', () => {
    const [, lt] = byType(result.template('Untagged').toJSON(), 'AWS::EC2::LaunchTemplate')[0];
    expect(lt.Properties.LaunchTemplateData.TagSpecifications).toBeUndefined();
  });
});
