import * as crypto from 'crypto';
import * as vm from 'vm';
import { NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CaUsageMode, MeshRootCa, MeshSubordinateCa } from '../src';
import { SIGNER_HANDLER_SOURCE } from '../src/private/signer-handler';

// One synth: the root and the primary subordinate in ap-southeast-1, the DR
// subordinate in us-west-2 (signed across regions); DESTROY chosen in the primary stack, the default (RETAIN) in DR.
const PRIMARY = { account: '111111111111', region: 'ap-southeast-1' };
const DR = { account: '111111111111', region: 'us-west-2' };
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const primary = new Stack(app, 'Pki', { env: PRIMARY, crossRegionReferences: true });
const dr = new Stack(app, 'DrPki', { env: DR, crossRegionReferences: true });
const root = new MeshRootCa(primary, 'Root', { removalPolicy: RemovalPolicy.DESTROY });
const primarySub = new MeshSubordinateCa(primary, 'Subordinate', { root, removalPolicy: RemovalPolicy.DESTROY });
const drSub = new MeshSubordinateCa(dr, 'Subordinate', { root });
const result = synthesize(app);
const p = result.template('Pki');
const d = result.template('DrPki');
const byType = (t: Template, type: string) => Object.entries(t.findResources(type));

describe('proof gates', () => {
  testProofGates(result);
});

describe('the hierarchy', () => {
  test('the primary region holds one root and one subordinate, both general-purpose, RSA 2048', () => {
    const cas = byType(p, 'AWS::ACMPCA::CertificateAuthority').map(([, r]) => r.Properties);
    expect(cas.map((c) => c.Type).sort()).toEqual(['ROOT', 'SUBORDINATE']);
    for (const c of cas) {
      expect(c).toMatchObject({ KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', UsageMode: 'GENERAL_PURPOSE' });
    }
    expect(byType(d, 'AWS::ACMPCA::CertificateAuthority').map(([, r]) => r.Properties.Type)).toEqual(['SUBORDINATE']);
  });

  test('the root signs itself with the root template and is activated without a chain', () => {
    const rootId = primary.getLogicalId(root.certificateAuthority);
    const certs = byType(p, 'AWS::ACMPCA::Certificate').map(([, r]) => r.Properties);
    const self = certs.find((c) => JSON.stringify(c.TemplateArn).includes('RootCACertificate/V1'));
    expect(self).toMatchObject({
      CertificateAuthorityArn: { 'Fn::GetAtt': [rootId, 'Arn'] },
      CertificateSigningRequest: { 'Fn::GetAtt': [rootId, 'CertificateSigningRequest'] },
      Validity: { Type: 'DAYS', Value: 3650 },
    });
    const activations = byType(p, 'AWS::ACMPCA::CertificateAuthorityActivation').map(([, r]) => r.Properties);
    expect(activations).toHaveLength(2);
    expect(activations.find((a) => a.CertificateAuthorityArn['Fn::GetAtt'][0] === rootId)!.CertificateChain).toBeUndefined();
  });

  test('the primary subordinate is signed in-region by the root (PathLen1: it signs each cluster\'s Istio intermediate) and chained to the root', () => {
    const rootId = primary.getLogicalId(root.certificateAuthority);
    const subId = primary.getLogicalId(primarySub.certificateAuthority);
    const signed = byType(p, 'AWS::ACMPCA::Certificate').find(([, r]) => JSON.stringify(r.Properties.TemplateArn).includes('SubordinateCACertificate_PathLen1/V1'))!;
    expect(signed[1].Properties).toMatchObject({
      CertificateAuthorityArn: { 'Fn::GetAtt': [rootId, 'Arn'] },
      CertificateSigningRequest: { 'Fn::GetAtt': [subId, 'CertificateSigningRequest'] },
      Validity: { Type: 'DAYS', Value: 1825 },
    });
    // Ordered after the root's activation.
    expect(signed[1].DependsOn).toEqual(expect.arrayContaining([primary.getLogicalId(root.activation)]));
    const activation = byType(p, 'AWS::ACMPCA::CertificateAuthorityActivation').find(([, r]) => r.Properties.CertificateAuthorityArn['Fn::GetAtt'][0] === subId)![1];
    expect(activation.Properties).toMatchObject({
      Certificate: { 'Fn::GetAtt': [signed[0], 'Certificate'] },
      CertificateChain: { 'Fn::GetAtt': [primary.getLogicalId(root.certificate), 'Certificate'] },
      Status: 'ACTIVE',
    });
    expect(primarySub.crossRegionSigner).toBeUndefined();
  });

  test('the DR subordinate is signed across regions: a custom resource calls the root in the primary region, and the DR activation chains to the root', () => {
    expect(byType(d, 'AWS::ACMPCA::Certificate')).toHaveLength(0);
    const signers = byType(d, 'Custom::KeelsonCrossRegionCaSigner');
    expect(signers).toHaveLength(1);
    const props = signers[0][1].Properties;
    expect(props.RootRegion).toBe('ap-southeast-1');
    // No CSR travels in the event: the handler reads the subordinate's own.
    expect(props.Csr).toBeUndefined();
    expect(props.SubordinateCaArn).toEqual({ 'Fn::GetAtt': [dr.getLogicalId(drSub.certificateAuthority), 'Arn'] });
    expect(JSON.stringify(props.TemplateArn)).toContain('SubordinateCACertificate_PathLen1/V1');
    expect(props).toMatchObject({ SigningAlgorithm: 'SHA256WITHRSA', ValidityDays: 1825, WaitSeconds: 300 });
    // The root's ARN and certificate reach the DR stack through CDK's cross-region references (SSM in us-west-2).
    expect(JSON.stringify(props.RootCaArn)).toContain('Fn::GetAtt');
    expect(JSON.stringify(props.RootCaArn)).toContain('ExportsReader');
    const activation = byType(d, 'AWS::ACMPCA::CertificateAuthorityActivation')[0][1].Properties;
    expect(activation.Certificate).toEqual({ 'Fn::GetAtt': [signers[0][0], 'Certificate'] });
    expect(JSON.stringify(activation.CertificateChain)).toContain('ExportsReader');
  });

  test('the signer\'s role may issue on the root only with the subordinate template, and read only the subordinate it serves', () => {
    const policies = byType(d, 'AWS::IAM::Policy').map(([, r]) => r.Properties.PolicyDocument.Statement).flat();
    const pca = policies.filter((s: any) => JSON.stringify(s.Action).includes('acm-pca'));
    expect(pca.map((s: any) => s.Sid).sort()).toEqual(['IssueOnlyTheSubordinateTemplate', 'ReadIssuedCertificates', 'ReadTheServedSubordinate']);
    const issue = pca.find((s: any) => s.Sid === 'IssueOnlyTheSubordinateTemplate');
    expect(issue.Action).toBe('acm-pca:IssueCertificate');
    expect(JSON.stringify(issue.Resource)).toContain('ExportsReader');
    expect(JSON.stringify(issue.Resource)).not.toContain('*');
    expect(issue.Condition).toEqual({ StringEquals: { 'acm-pca:TemplateArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/SubordinateCACertificate_PathLen1/V1']] } } });
    const read = pca.find((s: any) => s.Sid === 'ReadIssuedCertificates');
    expect(read.Action).toBe('acm-pca:GetCertificate');
    expect(read.Resource).toEqual(issue.Resource);
    const own = pca.find((s: any) => s.Sid === 'ReadTheServedSubordinate');
    expect(own.Action).toEqual(['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificateAuthorityCsr']);
    expect(own.Resource).toEqual({ 'Fn::GetAtt': [dr.getLogicalId(drSub.certificateAuthority), 'Arn'] });
    // What it signs is fixed in its environment, not taken from the event.
    const fn = byType(d, 'AWS::Lambda::Function').find(([id]) => id.includes('CrossRegionSignerHandler'))![1];
    expect(fn.Properties.Environment.Variables).toMatchObject({
      SUBORDINATE_CA_ARN: own.Resource,
      SUBORDINATE_REGION: 'us-west-2',
      ROOT_REGION: 'ap-southeast-1',
      TEMPLATE_ARN: issue.Condition.StringEquals['acm-pca:TemplateArn'],
      VALIDITY_DAYS: '1825',
      SIGNING_ALGORITHM: 'SHA256WITHRSA',
    });
    // Its logs are encrypted with the DR CA bucket's key, kept a year, and removed with the stack.
    const logs = byType(d, 'AWS::Logs::LogGroup');
    expect(logs).toHaveLength(1);
    expect(logs[0][1].Properties.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^SubordinateCrlBucketKey/);
    expect(logs[0][1].Properties.RetentionInDays).toBe(365);
    expect(logs[0][1].DeletionPolicy).toBe('Retain');
  });
});

describe('revocation, audit bucket and removal', () => {
  test('general-purpose CAs publish a CRL, without a distribution point, to their own KMS-encrypted bucket', () => {
    for (const t of [p, d]) {
      for (const [, ca] of byType(t, 'AWS::ACMPCA::CertificateAuthority')) {
        const crl = ca.Properties.RevocationConfiguration.CrlConfiguration;
        expect(crl).toMatchObject({ Enabled: true, ExpirationInDays: 7, S3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL', CrlDistributionPointExtensionConfiguration: { OmitExtension: true } });
        const bucketId = crl.S3BucketName.Ref;
        const bucket = t.toJSON().Resources[bucketId];
        expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
        expect(ca.DependsOn).toEqual(expect.arrayContaining([expect.stringContaining('CrlBucket')]));
      }
    }
  });

  test('the bucket policy and the key policy admit acm-pca.amazonaws.com for this account\'s CAs of this region only', () => {
    const statements = byType(d, 'AWS::S3::BucketPolicy').flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
    const pca = statements.find((s: any) => s.Sid === 'PrivateCaWritesCrls');
    expect(pca.Action).toEqual(['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketAcl', 's3:GetBucketLocation']);
    expect(pca.Principal).toEqual({ Service: 'acm-pca.amazonaws.com' });
    expect(pca.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111111111111' });
    expect(JSON.stringify(pca.Condition.ArnLike)).toContain(':acm-pca:us-west-2:111111111111:certificate-authority/*');
    const keyStatements = byType(d, 'AWS::KMS::Key').flatMap(([, r]) => r.Properties.KeyPolicy.Statement);
    const kms = keyStatements.find((s: any) => s.Sid === 'PrivateCaEncryptsCrls');
    expect(kms.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(kms.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111111111111' });
  });

  test('removal follows the one setting: RETAIN by default (DR, nothing given), DESTROY only where chosen (primary)', () => {
    for (const [, ca] of byType(p, 'AWS::ACMPCA::CertificateAuthority')) expect(ca.DeletionPolicy).toBe('Delete');
    for (const [, ca] of byType(d, 'AWS::ACMPCA::CertificateAuthority')) expect(ca.DeletionPolicy).toBe('Retain');
    for (const [, b] of byType(d, 'AWS::S3::Bucket')) expect(b.DeletionPolicy).toBe('Retain');
    for (const [, k] of byType(d, 'AWS::KMS::Key')) expect([k.DeletionPolicy, k.Properties.PendingWindowInDays]).toEqual(['Retain', undefined]);
    expect(d.findResources('Custom::S3AutoDeleteObjects')).toEqual({});
    expect(p.findResources('Custom::S3AutoDeleteObjects')).not.toEqual({});
  });
});

describe('bad input fails at synth', () => {
  const fresh = () => {
    const a = new App();
    const s = new Stack(a, 'S', { env: PRIMARY });
    return { s, root: new MeshRootCa(s, 'Root') };
  };
  test('a short-lived subordinate that could sign CAs', () => {
    const { s, root: r } = fresh();
    expect(() => new MeshSubordinateCa(s, 'Sub', { root: r, usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE, pathLength: 1 }))
      .toThrow(/invalid pathLength: 1 lets a SHORT_LIVED_CERTIFICATE CA sign CAs.*Fix: set pathLength: 0/);
  });
  test('a short-lived subordinate issues leaf certificates only and has no CRL', () => {
    const { s, root: r } = fresh();
    const sub = new MeshSubordinateCa(s, 'Sub', { root: r, usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE });
    expect(sub.certificateAuthority.usageMode).toBe('SHORT_LIVED_CERTIFICATE');
    expect(sub.certificateAuthority.revocationConfiguration).toBeUndefined();
    expect(sub.certificateAuthority.node.scope).toBe(sub);
  });
  test('a validity that is not whole days, and a common name too long', () => {
    const { s, root: r } = fresh();
    expect(() => new MeshSubordinateCa(s, 'A', { root: r, validity: Duration.hours(36) })).toThrow(/invalid validity: .*whole number of days/);
    expect(() => new MeshRootCa(s, 'B', { commonName: 'x'.repeat(65) })).toThrow(/invalid commonName: .*65 characters/);
  });
});

describe('the signer handler (run with a stand-in ACM PCA client)', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  type Call = { command: string; input: any; region: string };
  const ENV = {
    ROOT_CA_ARN: 'arn:aws:acm-pca:ap-southeast-1:111111111111:certificate-authority/root',
    ROOT_REGION: 'ap-southeast-1',
    SUBORDINATE_CA_ARN: 'arn:aws:acm-pca:us-west-2:111111111111:certificate-authority/sub',
    SUBORDINATE_REGION: 'us-west-2',
    SIGNING_ALGORITHM: 'SHA256WITHRSA',
    TEMPLATE_ARN: 'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen1/V1',
    VALIDITY_DAYS: '1825',
    WAIT_SECONDS: '5',
    POLL_MILLISECONDS: '1',
  };
  const pending = { CertificateAuthority: { Type: 'SUBORDINATE', Status: 'PENDING_CERTIFICATE' } };
  // The subordinate is pending and its CSR is 'OWN-CSR' unless `behaviour` answers otherwise.
  const withSubordinate = (behaviour: (name: string, calls: Call[]) => any) => (name: string, calls: Call[]) => {
    const answer = behaviour(name, calls);
    if (answer !== undefined) return answer;
    if (name === 'DescribeCertificateAuthorityCommand') return pending;
    if (name === 'GetCertificateAuthorityCsrCommand') return { Csr: 'OWN-CSR' };
    return undefined;
  };
  type Outcome = { result?: any; error?: any; calls: Call[] };
  function run(event: any, behaviour: (name: string, calls: Call[]) => any, env: Record<string, string> = ENV): Promise<Outcome> {
    const calls: Call[] = [];
    class Command { constructor(public input: any) {} }
    const sdk = {
      ACMPCAClient: class {
        constructor(private cfg: any) {}
        async send(c: any) {
          const name = c.constructor.name;
          calls.push({ command: name, input: c.input, region: this.cfg.region });
          return withSubordinate(behaviour)(name, calls);
        }
      },
      IssueCertificateCommand: class IssueCertificateCommand extends Command {},
      GetCertificateCommand: class GetCertificateCommand extends Command {},
      DescribeCertificateAuthorityCommand: class DescribeCertificateAuthorityCommand extends Command {},
      GetCertificateAuthorityCsrCommand: class GetCertificateAuthorityCsrCommand extends Command {},
    };
    const module = { exports: {} as any };
    vm.runInNewContext(SIGNER_HANDLER_SOURCE, {
      require: (m: string) => (m === '@aws-sdk/client-acm-pca' ? sdk : crypto),
      exports: module.exports,
      module,
      Buffer,
      setTimeout,
      process: { env },
    });
    return module.exports.handler(event).then((out: any) => ({ result: out, calls }), (error: any) => ({ error, calls }));
  }
  // What the custom resource sends; the handler reads none of it.
  const props = {
    RootCaArn: ENV.ROOT_CA_ARN,
    RootRegion: ENV.ROOT_REGION,
    SubordinateCaArn: ENV.SUBORDINATE_CA_ARN,
    SigningAlgorithm: 'SHA256WITHRSA',
    TemplateArn: ENV.TEMPLATE_ARN,
    ValidityDays: '1825',
    WaitSeconds: '5',
    PollMilliseconds: '1',
  };
  const event = { RequestType: 'Create', StackId: 'stack', LogicalResourceId: 'Signer', ResourceProperties: props };
  const inProgress = Object.assign(new Error('in progress'), { name: 'RequestInProgressException' });

  test('reads the pending subordinate\'s own CSR in its region, issues in the root\'s region, waits through RequestInProgressException, returns the certificate alone', async () => {
    const { result: out, calls } = await run(event, (name, c) => {
      if (name === 'IssueCertificateCommand') return { CertificateArn: 'arn:cert/1' };
      if (name !== 'GetCertificateCommand') return undefined;
      if (c.filter((x) => x.command === 'GetCertificateCommand').length < 3) throw inProgress;
      return { Certificate: PEM, CertificateChain: 'ROOT-PEM' };
    });
    expect(calls.map((c) => `${c.command} ${c.region}`)).toEqual([
      'DescribeCertificateAuthorityCommand us-west-2', 'GetCertificateAuthorityCsrCommand us-west-2',
      'IssueCertificateCommand ap-southeast-1', 'GetCertificateCommand ap-southeast-1', 'GetCertificateCommand ap-southeast-1', 'GetCertificateCommand ap-southeast-1',
    ]);
    expect(calls[0].input).toEqual({ CertificateAuthorityArn: ENV.SUBORDINATE_CA_ARN });
    expect(calls[1].input).toEqual({ CertificateAuthorityArn: ENV.SUBORDINATE_CA_ARN });
    const issue = calls[2].input;
    expect(issue).toMatchObject({ CertificateAuthorityArn: ENV.ROOT_CA_ARN, SigningAlgorithm: 'SHA256WITHRSA', TemplateArn: ENV.TEMPLATE_ARN, Validity: { Type: 'DAYS', Value: 1825 } });
    expect(Buffer.from(issue.Csr).toString()).toBe('OWN-CSR');
    expect(issue.IdempotencyToken).toMatch(/^[0-9a-f]{36}$/);
    expect(out).toEqual({ PhysicalResourceId: 'arn:cert/1', Data: { Certificate: `${PEM}\n` } });
  });

  const issue = (name: string) => (name === 'IssueCertificateCommand' ? { CertificateArn: 'a' } : name === 'GetCertificateCommand' ? { Certificate: PEM } : undefined);
  const issued = (calls: Call[]) => calls.find((c) => c.command === 'IssueCertificateCommand')?.input;

  test('the same request gets the same idempotency token; another CSR another one', async () => {
    const a = await run(event, issue);
    const b = await run(event, issue);
    const c = await run(event, (name) => (name === 'GetCertificateAuthorityCsrCommand' ? { Csr: 'OTHER' } : issue(name)));
    expect(issued(a.calls).IdempotencyToken).toBe(issued(b.calls).IdempotencyToken);
    expect(issued(c.calls).IdempotencyToken).not.toBe(issued(a.calls).IdempotencyToken);
  });

  test('no signing oracle: a CSR, template, CA or validity in the event is ignored', async () => {
    const forged = {
      ...event,
      ResourceProperties: {
        ...props,
        Csr: 'ATTACKER-CSR',
        TemplateArn: 'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen3/V1',
        SubordinateCaArn: 'arn:aws:acm-pca:us-west-2:111111111111:certificate-authority/other',
        RootCaArn: 'arn:other',
        ValidityDays: '36500',
      },
    };
    const { calls } = await run(forged, issue);
    expect(calls.filter((c) => c.command !== 'IssueCertificateCommand' && c.command !== 'GetCertificateCommand').map((c) => c.input.CertificateAuthorityArn))
      .toEqual([ENV.SUBORDINATE_CA_ARN, ENV.SUBORDINATE_CA_ARN]);
    const input = issued(calls);
    expect(Buffer.from(input.Csr).toString()).toBe('OWN-CSR');
    expect(input).toMatchObject({ CertificateAuthorityArn: ENV.ROOT_CA_ARN, TemplateArn: ENV.TEMPLATE_ARN, Validity: { Type: 'DAYS', Value: 1825 } });
  });

  test('refuses to sign for a subordinate that is not waiting for its certificate, or a CA that is not a subordinate', async () => {
    const active = await run(event, (name) => (name === 'DescribeCertificateAuthorityCommand' ? { CertificateAuthority: { Type: 'SUBORDINATE', Status: 'ACTIVE' } } : issue(name)));
    expect(String(active.error)).toMatch(/certificate-authority\/sub is ACTIVE, not PENDING_CERTIFICATE/);
    expect(issued(active.calls)).toBeUndefined();
    const rootCa = await run(event, (name) => (name === 'DescribeCertificateAuthorityCommand' ? { CertificateAuthority: { Type: 'ROOT', Status: 'PENDING_CERTIFICATE' } } : issue(name)));
    expect(String(rootCa.error)).toMatch(/is a ROOT CA, not a subordinate/);
    expect(rootCa.calls.map((c) => c.command)).toEqual(['DescribeCertificateAuthorityCommand']);
  });

  test('an update of an already active subordinate returns the certificate issued before and issues nothing', async () => {
    const update = { ...event, RequestType: 'Update', PhysicalResourceId: 'arn:cert/old' };
    const { result: out, calls } = await run(update, (name) => (name === 'DescribeCertificateAuthorityCommand' ? { CertificateAuthority: { Type: 'SUBORDINATE', Status: 'ACTIVE' } } : issue(name)));
    expect(calls.map((c) => c.command)).toEqual(['DescribeCertificateAuthorityCommand', 'GetCertificateCommand']);
    expect(calls[1].input).toEqual({ CertificateAuthorityArn: ENV.ROOT_CA_ARN, CertificateArn: 'arn:cert/old' });
    expect(out).toEqual({ PhysicalResourceId: 'arn:cert/old', Data: { Certificate: `${PEM}\n` } });
  });

  test('a certificate too large for the 4 kB response fails with the reason; other errors and timeouts fail too', async () => {
    const big = await run(event, (name) => (name === 'IssueCertificateCommand' ? { CertificateArn: 'a' } : name === 'GetCertificateCommand' ? { Certificate: 'x'.repeat(3600) } : undefined));
    expect(String(big.error)).toMatch(/more than the 3500 a custom resource response can carry/);
    const denied = await run(event, () => { throw Object.assign(new Error('no'), { name: 'AccessDeniedException' }); });
    expect(denied.error.name).toBe('AccessDeniedException');
    const slow = await run(event, (name) => {
      if (name === 'IssueCertificateCommand') return { CertificateArn: 'a' };
      if (name === 'GetCertificateCommand') throw inProgress;
      return undefined;
    }, { ...ENV, WAIT_SECONDS: '0' });
    expect(String(slow.error)).toMatch(/still being issued after 0 s/);
  });

  test('delete keeps the physical id and calls nothing', async () => {
    const { result: out, calls } = await run({ ...event, RequestType: 'Delete', PhysicalResourceId: 'arn:cert/1' }, () => ({}));
    expect(out).toEqual({ PhysicalResourceId: 'arn:cert/1' });
    expect(calls).toHaveLength(0);
  });
});
