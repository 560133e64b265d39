import { AssemblyValues, NetworkPolicyModel, cidrContains, selectorMatches } from '../src';

describe('AssemblyValues: intrinsics across the stacks of one assembly', () => {
  const producer = {
    id: 'Producer',
    region: 'ap-southeast-1',
    template: {
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: {} },
        Pcx: { Type: 'AWS::EC2::VPCPeeringConnection', Properties: {} },
        Writer: { Type: 'Custom::CrossRegionExportWriter', Properties: { WriterProps: { exports: { '/cdk/exports/Consumer/pcx': { Ref: 'Pcx' } } } } },
      },
      Outputs: { VpcCidr: { Value: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, Export: { Name: 'Producer:VpcCidr' } } },
    },
  };
  const consumer = {
    id: 'Consumer',
    region: 'us-west-2',
    availabilityZones: ['us-west-2a', 'us-west-2b'],
    template: { Resources: { Reader: { Type: 'Custom::CrossRegionExportReader', Properties: {} } } },
  };
  const values = new AssemblyValues([producer, consumer]);

  test.each([
    ['a security group\'s Ref and GroupId are one key', producer, [{ Ref: 'Sg' }, { 'Fn::GetAtt': ['Sg', 'GroupId'] }], ['Producer/Sg', 'Producer/Sg']],
    ['Fn::ImportValue follows the export to its value', consumer, { 'Fn::ImportValue': 'Producer:VpcCidr' }, '10.0.0.0/16'],
    ['a cross-region export reader follows the writer', consumer, { 'Fn::GetAtt': ['Reader', '/cdk/exports/Consumer/pcx'] }, 'Producer/Pcx'],
    ['Fn::Select of Fn::GetAZs', consumer, { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }, 'us-west-2b'],
    ['Fn::Join and pseudo parameters', consumer, { 'Fn::Join': ['-', [{ Ref: 'AWS::Region' }, 'x']] }, 'us-west-2-x'],
    ['AWS::NoValue drops the property', producer, { A: 1, B: { Ref: 'AWS::NoValue' } }, { A: 1 }],
  ])('%s', (_name, stack, value, expected) => {
    expect(values.resolve(stack, value)).toEqual(expected);
  });
});

describe('NetworkPolicyModel: Kubernetes semantics', () => {
  const policy = (namespace: string, name: string, spec: any) => ({ cluster: 'c', policy: { kind: 'NetworkPolicy', metadata: { namespace, name }, spec } });
  const model = new NetworkPolicyModel([
    policy('prod', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('prod', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.9.0/24'] } }, { namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['probe'] }] } }], ports: [{ port: 8000, endPort: 8010 }] }],
    }),
  ], (_c, ns) => ({ 'kubernetes.io/metadata.name': ns, ...(ns === 'ops' ? { team: 'ops' } : {}) }));
  const web = { cluster: 'c', namespace: 'prod', labels: { app: 'web' } };

  test.each([
    ['an unselected namespace admits everything', { ...web, namespace: 'dev' }, { ip: '192.0.2.1' }, 80, true],
    ['default-deny refuses what no rule admits', { ...web, labels: {} }, { ip: '10.0.1.1' }, 8000, false],
    ['ipBlock within the port range', web, { ip: '10.0.1.1' }, 8005, true],
    ['ipBlock outside the port range', web, { ip: '10.0.1.1' }, 8011, false],
    ['ipBlock except', web, { ip: '10.0.9.9' }, 8000, false],
    ['namespaceSelector with podSelector expressions', web, { ip: '10.9.0.1', pod: { cluster: 'c', namespace: 'ops', labels: { role: 'probe' } } }, 8000, true],
    ['a pod of another namespace without the label', web, { ip: '10.9.0.1', pod: { cluster: 'c', namespace: 'dev', labels: { role: 'probe' } } }, 8000, false],
    ['a pod of another cluster is matched by ipBlock only', web, { ip: '10.9.0.1', pod: { cluster: 'other', namespace: 'ops', labels: { role: 'probe' } } }, 8000, false],
  ])('%s', (_name, pod, peer, port, allowed) => {
    expect(model.ingress(pod, peer, port as number, 'tcp').allowed).toBe(allowed);
  });

  test('egress is isolated by default-deny; selectors and CIDRs', () => {
    expect(model.egress(web, { ip: '10.0.1.1' }, 443, 'tcp')).toMatchObject({ allowed: false, reason: expect.stringContaining('selected by default-deny') });
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, {})).toBe(true);
    expect(cidrContains('10.1.0.0/16', '10.1.255.1')).toBe(true);
    expect(cidrContains('10.1.0.0/16', '10.2.0.1')).toBe(false);
    expect(cidrContains('parameter:x', '10.2.0.1')).toBe(false);
  });
});
