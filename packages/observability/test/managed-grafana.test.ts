import { NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { ENV } from '@keelson/test-support';
import { Stack } from 'aws-cdk-lib';
import { ManagedGrafana } from '../src';

// One synth: a workspace reading one AMP workspace and CloudWatch, in a stack of its own (it needs no cluster).
const WORKSPACE = 'arn:aws:aps:ap-southeast-1:111111111111:workspace/ws-0123abcd-4567-89ef-0123-456789abcdef';
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const stack = new Stack(app, 'ManagedGrafana', { env: ENV });
new ManagedGrafana(stack, 'Grafana', { environmentSuffix: 'prod', prometheusWorkspaceArns: [WORKSPACE] });
const result = synthesize(app);
const resources: Record<string, any> = result.template('ManagedGrafana').toJSON().Resources;
const ofType = (t: string) => Object.values(resources).filter((r) => r.Type === t);

describe('ManagedGrafana (Amazon Managed Grafana)', () => {
  testProofGates(result);

  test('a workspace in this account, IAM Identity Center sign-in, customer-managed permissions, Prometheus and CloudWatch sources', () => {
    const [ws] = ofType('AWS::Grafana::Workspace');
    expect(ws.Properties).toMatchObject({
      Name: 'grafana-prod',
      AccountAccessType: 'CURRENT_ACCOUNT',
      AuthenticationProviders: ['AWS_SSO'],
      PermissionType: 'CUSTOMER_MANAGED',
      DataSources: ['PROMETHEUS', 'CLOUDWATCH'],
      RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^GrafanaRole/), 'Arn'] },
    });
    // Untagged: cfn-lint's schema of the type has no Tags (see the construct).
    expect(ws.Properties.Tags).toBeUndefined();
  });

  test('only the Grafana service, for this account\'s workspaces, assumes the role', () => {
    const [role] = ofType('AWS::IAM::Role');
    const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.Principal).toEqual({ Service: 'grafana.amazonaws.com' });
    expect(trust.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111111111111' });
    expect(JSON.stringify(trust.Condition.ArnLike)).toContain(':grafana:ap-southeast-1:111111111111:/workspaces/*');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('the role queries the given AMP workspace only, reads CloudWatch, and reads logs of this account and region only', () => {
    const statements = ofType('AWS::IAM::Policy')[0].Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['QueryPrometheus', 'ReadMetrics', 'ReadLogs']);
    expect(statements[0]).toMatchObject({ Action: ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata'], Resource: WORKSPACE });
    expect(statements[1].Action.every((a: string) => /^(cloudwatch:(Describe|List|Get)|ec2:Describe|tag:GetResources)/.test(a))).toBe(true);
    expect(JSON.stringify(statements[2].Resource)).toContain(':logs:ap-southeast-1:111111111111:log-group:*');
    expect(JSON.stringify(statements)).not.toMatch(/"(aps|cloudwatch|logs):(Put|Create|Delete|RemoteWrite)/);
  });

  test('bad input fails at synth with the field and the fix', () => {
    expect(() => new ManagedGrafana(stack, 'NoSource', { cloudWatch: false }))
      .toThrow(/invalid cloudWatch: the workspace would have no data source\. Fix: keep cloudWatch on or give prometheusWorkspaceArns/);
    expect(() => new ManagedGrafana(stack, 'BadArn', { prometheusWorkspaceArns: ['arn:aws:s3:::b'] }))
      .toThrow(/invalid prometheusWorkspaceArns\[0\]: "arn:aws:s3:::b" is not an Amazon Managed Service for Prometheus workspace ARN/);
  });
});
