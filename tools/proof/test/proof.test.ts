import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  cfnLint, cfnLintAsync, cfnLintAvailability, cfnLintRunsHere, evaluateCel, evaluateRego, evaluateRegoCases, kubernetesObjectsIn,
  kubernetesSchemaErrors, NagPack, proofApp, synthesize, validateKubernetesObjects,
} from '../src';

describe('synthesize with cdk-nag and CloudFormation validation', () => {
  const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
  const stack = new Stack(app, 'Bad');
  // Deliberately bad: unencrypted in transit, no DLQ, and an out-of-range property.
  const queue = new sqs.CfnQueue(stack, 'Queue', { visibilityTimeout: 999_999 });
  new s3.CfnBucket(stack, 'Bucket');
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'harness test: the DLQ rule is acknowledged on purpose' });
  const result = synthesize(app);
  const rules = result.findings.map((f) => `${f.plugin}:${f.rule}`);

  test('returns AwsSolutions findings with their construct paths', () => {
    expect(rules).toContain('AwsSolutions:AwsSolutions-SQS4');
    const sqs4 = result.findings.find((f) => f.rule === 'AwsSolutions-SQS4')!;
    expect(sqs4.constructPaths).toEqual(['Bad/Queue']);
    expect(sqs4.description).toMatch(/SSL/);
  });

  test('returns NIST 800-53 rev 5 findings', () => {
    expect(rules).toContain('NIST.800.53.R5:NIST.800.53.R5-S3BucketVersioningEnabled');
  });

  test('returns aws-cdk-lib CloudFormation validation errors (validateAgainstDefaultRules on)', () => {
    const cfn = result.findings.filter((f) => f.plugin === 'CloudFormation Validate');
    expect(cfn.map((f) => f.description).join('\n')).toMatch(/VisibilityTimeout: 999999 is greater than the maximum of 43200/);
  });

  test('leaves acknowledged rules out of the findings and lists them with their reason', () => {
    expect(rules).not.toContain('AwsSolutions:AwsSolutions-SQS3');
    expect(result.acknowledgements).toEqual([
      { constructPath: 'Bad/Queue', id: 'AwsSolutions-SQS3', reason: 'harness test: the DLQ rule is acknowledged on purpose' },
    ]);
  });

  test('finds nothing on a clean stack', () => {
    const cleanApp = proofApp();
    const cleanStack = new Stack(cleanApp, 'Clean');
    const secure = { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED };
    const dlq = new sqs.Queue(cleanStack, 'Dlq', secure);
    new sqs.Queue(cleanStack, 'Queue', { ...secure, deadLetterQueue: { maxReceiveCount: 3, queue: dlq } });
    const clean = synthesize(cleanApp);
    expect(clean.findings).toEqual([]);
    clean.template('Clean').resourceCountIs('AWS::SQS::Queue', 2);
  });
});

test('under CI a missing cfn-lint fails the gate instead of skipping it', () => {
  // A fresh process whose PATH has only node on it: no cfn-lint.
  const probe = (env: Record<string, string>) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e',
    "const p = require('./src'); console.log(JSON.stringify({ runsHere: p.cfnLintRunsHere(), result: p.cfnLint(['t.json']) }))"],
  { cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { PATH: path.dirname(process.execPath), ...env } });
  const ci = probe({ CI: 'true' });
  expect(ci.status).not.toBe(0);
  expect(ci.stderr).toMatch(/CI requires cfn-lint: cfn-lint is not installed on this machine: install the pinned version with `eval "\$\(bash \.ci\/python-tools\)"`/);
  const local = JSON.parse(probe({}).stdout);
  expect(local).toEqual({ runsHere: false, result: expect.objectContaining({ ran: false, skipReason: expect.stringMatching(/not installed/) }) });
});

const lint = cfnLintAvailability();
if (!lint.available) console.warn(`SKIPPING cfn-lint tests: ${lint.reason}`);
(cfnLintRunsHere() ? describe : describe.skip)('cfnLint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proof-cfnlint-'));
  const write = (name: string, body: object) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(body));
    return file;
  };

  test('reports an error for a property CloudFormation does not have', () => {
    const bad = write('bad.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { NotAProperty: 1 } } } });
    const result = cfnLint([bad]);
    expect(result.ran).toBe(true);
    expect(result.errors.map((e) => e.rule)).toContain('E3002');
  });

  test('the async form lints in parallel with the same findings', async () => {
    const bad = write('bad-async.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { NotAProperty: 1 } } } });
    const good = write('good-async.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } } });
    const [badResult, goodResult] = await Promise.all([cfnLintAsync([bad]), cfnLintAsync([good])]);
    expect(badResult.errors.map((e) => e.rule)).toContain('E3002');
    expect(goodResult.errors).toEqual([]);
  });

  test('with a cache, lints only templates it has not seen, and reports the same findings', async () => {
    const cacheDir = path.join(dir, 'cache');
    const bad = write('bad-cached.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { NotAProperty: 1 } } } });
    const good = write('good-cached.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } } });
    const first = await cfnLintAsync([bad, good], { cacheDir });
    expect(first.cached).toBe(0);
    expect(first.errors.map((e) => `${path.basename(e.file)} ${e.rule}`)).toContain('bad-cached.json E3002');

    const second = await cfnLintAsync([bad, good], { cacheDir });
    expect(second.cached).toBe(2);
    expect(second.findings).toEqual(first.findings);

    // A changed template is a new key: linted again, and its new finding reported.
    write('good-cached.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { Bogus: true } } } });
    const third = await cfnLintAsync([bad, good], { cacheDir });
    expect(third.cached).toBe(1);
    expect(third.errors.map((e) => path.basename(e.file)).sort()).toEqual(['bad-cached.json', 'good-cached.json']);
  });

  test('reports no error for a valid template', () => {
    const good = write('good.json', { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } } } });
    expect(cfnLint([good]).errors).toEqual([]);
  });
});

describe('Kubernetes schema validation', () => {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } };
  const brokenDeployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 'three' } };
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'web', namespace: 'dev' },
    spec: { scaleTargetRef: { name: 'web' }, triggers: [{ type: 'cpu', metadata: { value: '60' } }] },
  };
  const brokenScaledObject = { ...scaledObject, spec: { triggers: [] } };
  const results = validateKubernetesObjects([namespace, brokenDeployment, scaledObject, brokenScaledObject, { apiVersion: 'example.com/v1', kind: 'Widget' }]);

  test('accepts valid core and custom resources, naming the schema used', () => {
    expect(results[0]).toMatchObject({ valid: true, schema: 'kubernetes-models/v1' });
    expect(results[2]).toMatchObject({ valid: true, schema: '@kubernetes-models/keda/keda.sh/v1alpha1' });
  });

  test('rejects a broken object with the failing paths', () => {
    expect(results[1].valid).toBe(false);
    expect(results[1].errors.join('\n')).toMatch(/\/spec\/replicas must be integer/);
    expect(results[1].errors.join('\n')).toMatch(/required property selector/);
    expect(results[3].valid).toBe(false);
    expect(results[3].errors.join('\n')).toMatch(/scaleTargetRef/);
  });

  test('reports kinds it has no schema for instead of passing them', () => {
    expect(results[4]).toMatchObject({ valid: false, schema: null, errors: ['no schema known for example.com/v1 Widget'] });
    expect(kubernetesSchemaErrors([namespace])).toEqual([]);
  });

  test('checks custom resources kubernetes-models lacks against Keelson\'s schemas, rejecting unknown fields', () => {
    const params = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'IngressClassParams', metadata: { name: 'alb' }, spec: { scheme: 'internet-facing', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } };
    const typo = { ...params, spec: { scheme: 'public', sslpolicy: 'x' } };
    const snapshots = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'ebs' }, driver: 'ebs.csi.aws.com', deletionPolicy: 'Delete' };
    const [good, bad, snapshotClass] = validateKubernetesObjects([params, typo, snapshots]);
    expect(good).toMatchObject({ valid: true, schema: 'keelson:schemas/elbv2.k8s.aws/v1beta1/IngressClassParams.json' });
    expect(bad.valid).toBe(false);
    expect(bad.errors.join('\n')).toMatch(/additionalProperty":"sslpolicy"/);
    expect(bad.errors.join('\n')).toMatch(/\/spec\/scheme must be equal to one of the allowed values/);
    expect(snapshotClass).toMatchObject({ valid: true, schema: 'keelson:schemas/snapshot.storage.k8s.io/v1/VolumeSnapshotClass.json' });
  });

  test('checks every Gatekeeper constraint kind against the one constraint schema', () => {
    const constraint = {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'AnyGeneratedKind',
      metadata: { name: 'c-deny' },
      spec: { enforcementAction: 'deny', match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], namespaces: ['prod'] }, parameters: { x: 1 } },
    };
    const wrong = { ...constraint, spec: { enforcementAction: 'block', match: { namespace: ['prod'] } } };
    const [good, bad] = validateKubernetesObjects([constraint, wrong]);
    expect(good).toMatchObject({ valid: true, schema: 'keelson:schemas/constraints.gatekeeper.sh/v1beta1/_any-kind.json' });
    expect(bad.errors.join('\n')).toMatch(/enforcementAction must be equal to one of the allowed values/);
    expect(bad.errors.join('\n')).toMatch(/additionalProperty":"namespace"/);
  });

  test('extracts manifests from kubectl-provider resources, tokens included', () => {
    const template = {
      Resources: {
        Manifest: {
          Type: 'Custom::AWSCDK-EKS-KubernetesResource',
          Properties: { Manifest: { 'Fn::Join': ['', ['[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"', { Ref: 'Name' }, '"}}]']] } },
        },
        Other: { Type: 'AWS::SQS::Queue' },
      },
    };
    expect(kubernetesObjectsIn(template)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'RESOLVED-AT-DEPLOY' } }]);
  });
});

describe('Rego v1 evaluation (aws-cdk-lib bundled engine)', () => {
  const requiredLabels = {
    name: 'k8srequiredlabels',
    source: [
      'package k8srequiredlabels',
      '',
      'import rego.v1',
      '',
      'violation contains {"msg": msg} if {',
      '\tprovided := {label | some label, _ in input.review.object.metadata.labels}',
      '\trequired := {label | some label in input.parameters.labels}',
      '\tmissing := required - provided',
      '\tcount(missing) > 0',
      '\tmsg := sprintf("missing required labels: %v", [missing])',
      '}',
    ].join('\n'),
  };
  const good = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { owner: 'team', env: 'dev' } } };
  const bad = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b', labels: { env: 'dev' } } };

  test('admits a good object and rejects a bad one with the policy message', () => {
    expect(evaluateRego(requiredLabels, [good, bad], { labels: ['owner', 'env'] })).toEqual([
      { index: 0, messages: [] },
      { index: 1, messages: ['missing required labels: {"owner"}'] },
    ]);
  });

  test('gives a policy Gatekeeper\'s replicated data as data.inventory', () => {
    const referential = {
      name: 'needsconfigmap',
      source: [
        'package needsconfigmap',
        '',
        'violation contains {"msg": "no settings ConfigMap"} if {',
        '\tns := input.review.object.metadata.namespace',
        '\tnot data.inventory.namespace[ns].v1.ConfigMap.settings',
        '}',
      ].join('\n'),
    };
    const pod = (ns: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns } });
    const inventory = { namespace: { a: { v1: { ConfigMap: { settings: { metadata: { name: 'settings' } } } } } } };
    // Several cases, one engine: with the data, without it, and another policy beside it.
    const [withData, withoutData, labels] = evaluateRegoCases([
      { policy: referential, objects: [pod('a'), pod('b')], inventory },
      { policy: referential, objects: [pod('a')] },
      { policy: requiredLabels, objects: [bad], parameters: { labels: ['owner'] } },
    ]);
    expect(withData.map((d) => d.messages)).toEqual([[], ['no settings ConfigMap']]);
    expect(withoutData.map((d) => d.messages)).toEqual([['no settings ConfigMap']]);
    expect(labels.map((d) => d.messages)).toEqual([['missing required labels: {"owner"}']]);
  });

  test('refuses a policy that is not Rego v1', () => {
    const v0 = { name: 'old', source: 'package old\nviolation[{"msg": msg}] { msg := "x" }' };
    expect(() => evaluateRego(v0, [good])).toThrow(/not Rego v1/);
  });
});

describe('CEL evaluation (cel-js, in a child process)', () => {
  test('evaluates on JSON variables, with stubbed functions, and reports errors as results', () => {
    const stub = { signature: 'verified(string): int', results: { 'good:1': 1 }, otherwise: 0 };
    expect(evaluateCel([
      { expression: 'images.all(i, verified(i) > 0)', variables: { images: ['good:1'] }, functions: [stub] },
      { expression: 'images.all(i, verified(i) > 0)', variables: { images: ['good:1', 'bad:1'] }, functions: [stub] },
      { expression: 'object.spec.replicas + 1', variables: { object: { spec: { replicas: 2 } } } },
      { expression: 'object.spec.' },
    ])).toEqual([{ value: true }, { value: false }, { value: 3 }, { error: expect.stringMatching(/Unexpected|Expected/) }]);
  });
});
