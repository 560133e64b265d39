import { kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ENV, stackWithVpc } from './fixture';
import { templateQueries } from './helm';
import { EksCoreVersions, ExternalDnsPolicy, PlatformCluster, PlatformServices } from '../src';

// One synth: a PlatformCluster whose services are external-dns alone (with the
// namespace registry), writing to one hosted zone of the platform domain.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const { stack, vpc } = stackWithVpc(app, 'Dns');
const platform = new PlatformCluster(stack, 'Platform', { vpc, publicAccessCidrs: ['203.0.113.0/24'] });
const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0000000000000000TEST', zoneName: 'platform.example.com' });
const off = { enabled: false };
const services = new PlatformServices(stack, 'Services', {
  platform,
  clusterAutoscaler: off,
  loadBalancerController: off,
  externalSecrets: off,
  metricsServer: off,
  keda: off,
  containerInsights: off,
  externalDns: { hostedZones: [zone] },
});
const result = synthesize(app);
const json = result.template('Dns').toJSON();
const { helm, objects, ofType, find } = templateQueries(json);
const dns = services.externalDns!;
const roleId = stack.resolve((dns.role.role.node.defaultChild as CfnResource).logicalId);
const statements: any[] = ofType('AWS::IAM::Policy')
  .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
  .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
const ZONE_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/Z0000000000000000TEST']] };

describe('proof gates', () => {
  testProofGates(result);

  test('every emitted Kubernetes object passes its schema', () => {
    expect(objects.length).toBeGreaterThan(3);
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
  });
});

describe('external-dns', () => {
  test('its role changes records in the configured hosted zone only, under the platform domain, of the types it writes, without DELETE (upsert-only)', () => {
    const change = statements.find((s) => s.Action === 'route53:ChangeResourceRecordSets');
    expect(change.Resource).toEqual(ZONE_ARN);
    expect(change.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME', 'TXT'],
        'route53:ChangeResourceRecordSetsActions': ['CREATE', 'UPSERT'],
      },
      'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['platform.example.com', '*.platform.example.com'] },
    });
    const reads = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('route53:ListResourceRecordSets'));
    expect(reads).toMatchObject({ Action: ['route53:ListResourceRecordSets', 'route53:ListTagsForResources'], Resource: ZONE_ARN });
    // The only wildcard: ListHostedZones, which has no resource type; acknowledged with that reason.
    const wildcard = statements.filter((s) => [].concat(s.Resource).some((r: any) => r === '*'));
    expect(wildcard).toEqual([{ Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' }]);
    expect(statements).toHaveLength(3);
    const ack = result.acknowledgements.find((a) => a.id === 'AwsSolutions-IAM5[Resource::*]' && a.constructPath.startsWith(dns.role.node.path));
    expect(ack!.reason).toMatch(/ListHostedZones has no resource type/);
  });

  test('the role is bound to external-dns/external-dns through Pod Identity', () => {
    const [, assoc] = ofType('AWS::EKS::PodIdentityAssociation').find(([, r]) => r.Properties.RoleArn['Fn::GetAtt'][0] === roleId)!;
    expect(assoc.Properties).toMatchObject({ Namespace: 'external-dns', ServiceAccount: 'external-dns' });
  });

  test('chart values: pinned chart, aws provider, domain filter = the platform domain, TXT owner id = the cluster, upsert-only, ingress + service sources, the zone id filter', () => {
    const release = helm['external-dns'];
    expect(release.props).toMatchObject({
      Chart: 'external-dns',
      Version: EksCoreVersions.EXTERNAL_DNS.version,
      Repository: 'https://kubernetes-sigs.github.io/external-dns',
      Namespace: 'external-dns',
    });
    expect(release.values).toMatchObject({
      provider: { name: 'aws' },
      serviceAccount: { create: false, name: 'external-dns' },
      sources: ['ingress', 'service'],
      policy: 'upsert-only',
      registry: 'txt',
      domainFilters: ['platform.example.com'],
      extraArgs: ['--zone-id-filter=Z0000000000000000TEST'],
      env: [{ name: 'AWS_DEFAULT_REGION', value: ENV.region }],
    });
    // The owner id is the cluster's name (a token resolved at deploy), one per cluster.
    expect(stack.resolve(dns.txtOwnerId)).toEqual(stack.resolve(platform.clusterName));
    expect(release.raw).toBeDefined();
    // Runs on the system pool, in a restricted namespace of the registry that Velero skips.
    expect(release.values.tolerations).toBeDefined();
    const ns = find('Namespace', 'external-dns');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(services.namespaces!.backupNamespaces()).not.toContain('external-dns');
  });
});

describe('external-dns options and refusals', () => {
  /** PlatformServices with external-dns only, in a fresh app; `dnsProps` gets the stack for its zones. */
  function servicesWith(id: string, dnsProps: (st: Stack) => any): PlatformServices {
    const { stack: st, vpc: v } = stackWithVpc(new App(), id);
    const p = new PlatformCluster(st, 'P', { vpc: v, publicAccessCidrs: ['203.0.113.0/24'] });
    const o = { enabled: false };
    return new PlatformServices(st, 'Svc', {
      platform: p,
      clusterAutoscaler: o,
      loadBalancerController: o,
      externalSecrets: o,
      metricsServer: o,
      keda: o,
      containerInsights: o,
      namespaces: o,
      externalDns: dnsProps(st),
    });
  }
  const z = (st: Stack) => route53.HostedZone.fromHostedZoneAttributes(st, 'Zone', { hostedZoneId: 'Z0000000000000000TEST', zoneName: 'platform.example.com' });

  test('sync policy grants DELETE; a given owner id and sources reach the chart', () => {
    const svc = servicesWith('X', (st) => ({ hostedZones: [z(st)], policy: ExternalDnsPolicy.SYNC, txtOwnerId: 'platform-dr', sources: ['ingress', 'service', 'istio-gateway'] }));
    expect(svc.externalDns!.platformChart.values).toMatchObject({ policy: 'sync', txtOwnerId: 'platform-dr', sources: ['ingress', 'service', 'istio-gateway'] });
    const role = svc.externalDns!.role.role;
    const doc = Stack.of(role).resolve((role.node.tryFindChild('DefaultPolicy')!.node.defaultChild as any).policyDocument);
    expect(doc.Statement[0].Condition['ForAllValues:StringEquals']['route53:ChangeResourceRecordSetsActions']).toEqual(['CREATE', 'UPSERT', 'DELETE']);
  });

  test('without hosted zones nothing is installed; enabled: true without zones is refused', () => {
    expect(servicesWith('N', () => undefined).externalDns).toBeUndefined();
    expect(() => servicesWith('E', () => ({ enabled: true }))).toThrow(/invalid externalDns.hostedZones: is empty while externalDns.enabled is true.*Fix: give the platform domain's hosted zone/);
  });

  test('enabled: false switches it off even with zones', () => {
    expect(servicesWith('Y', (st) => ({ enabled: false, hostedZones: [z(st)] })).externalDns).toBeUndefined();
  });

  test.each([
    [{ domainFilters: ['*.example.com'] }, /invalid domainFilters\[0\]: "\*\.example\.com" is not a lower-case domain name/],
    [{ txtOwnerId: 'has space' }, /invalid txtOwnerId: "has space" is not a usable owner id/],
    [{ sources: ['pods-everywhere'] }, /invalid sources\[0\]: "pods-everywhere" is not an external-dns source/],
  ])('bad input %j is refused with its field and fix', (extra, message) => {
    expect(() => servicesWith('W', (st) => ({ hostedZones: [z(st)], ...extra }))).toThrow(message);
  });
});
