import { NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PlatformSecrets } from '../src';

// One synth: three shells in the primary region, replicated to the DR region
// (one replica key given, the other region on its AWS managed key).
const REPLICA_KEY = 'arn:aws:kms:us-west-2:111111111111:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const stack = new Stack(app, 'Secrets', { env: { account: '111111111111', region: 'ap-southeast-1' } });
const secrets = new PlatformSecrets(stack, 'PlatformSecrets', {
  removalPolicy: RemovalPolicy.RETAIN,
  secrets: [
    { name: 'keelson/dev/argocd/github-oauth', description: 'Argo CD Dex: GitHub OAuth app (JSON keys clientId, clientSecret)' },
    { name: 'keelson/dev/argocd/slack', description: 'Argo CD Notifications: Slack bot token (JSON key token)' },
    { name: 'keelson/dev/slack-webhook', description: 'Alertmanager and security alerts: Slack incoming-webhook URL (the whole value)' },
  ],
  replicas: [{ region: 'us-west-2', kmsKeyId: REPLICA_KEY }, { region: 'eu-west-1' }],
});
const result = synthesize(app);
const json = result.template('Secrets').toJSON();
const shells = Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret');
const keyId = stack.resolve((secrets.encryptionKey.node.defaultChild as any).logicalId);

describe('PlatformSecrets', () => {
  testProofGates(result);

  test('rotation is acknowledged with its reason', () => {
    const rotation = result.acknowledgements.filter((a) => a.id === 'AwsSolutions-SMG4');
    expect(rotation).toHaveLength(3);
    expect(rotation[0].reason).toMatch(/issued by a third party/);
  });


  test('each secret is a shell: name, description, the platform key, replicas in the other regions, and no value of any kind', () => {
    expect(shells.map((s) => s.Properties.Name)).toEqual(['keelson/dev/argocd/github-oauth', 'keelson/dev/argocd/slack', 'keelson/dev/slack-webhook']);
    for (const s of shells) {
      expect(Object.keys(s.Properties).sort()).toEqual(['Description', 'KmsKeyId', 'Name', 'ReplicaRegions', 'Tags']);
      expect(s.Properties.SecretString).toBeUndefined();
      expect(s.Properties.GenerateSecretString).toBeUndefined();
      expect(s.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(s.Properties.ReplicaRegions).toEqual([{ Region: 'us-west-2', KmsKeyId: REPLICA_KEY }, { Region: 'eu-west-1' }]);
      expect(s.DeletionPolicy).toBe('Retain');
    }
    expect(shells[0].Properties.Description).toMatch(/clientId, clientSecret/);
    expect(json.Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    // Readers need no key grant of their own: the account decrypts through Secrets Manager only.
    const statement = json.Resources[keyId].Properties.KeyPolicy.Statement.find((st: any) => st.Sid === 'DecryptThroughSecretsManagerInThisAccount');
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Condition: { StringEquals: { 'kms:CallerAccount': '111111111111', 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.ap-southeast-1.', { Ref: 'AWS::URLSuffix' }]] } } },
    });
  });
});

describe('PlatformSecrets refuses bad input', () => {
  const build = (props: any) => new PlatformSecrets(new Stack(new App(), 'Bad'), 'S', props);
  test.each([
    [{ secrets: [] }, /invalid secrets: is empty/],
    [{ secrets: [{ name: 'has space', description: 'x' }] }, /invalid secrets\[0\]\.name: "has space" is not a Secrets Manager name/],
    [{ secrets: [{ name: 'a', description: 'x' }, { name: 'a', description: 'y' }] }, /invalid secrets\[1\]\.name: "a" is listed twice/],
    [{ secrets: [{ name: 'a', description: ' ' }] }, /invalid secrets\[0\]\.description: is empty/],
    [{ secrets: [{ name: 'a', description: 'x' }], replicas: [{ region: 'mars-1' }] }, /invalid replicas\[0\]\.region/],
  ])('%j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
