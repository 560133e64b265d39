import { kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { App, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { stackWithVpc } from './fixture';
import { templateQueries } from './helm';
import {
  EksCoreVersions, NagNames, PinKind, PlatformChart, PlatformCluster, PlatformNamespaces, PodSecurityLevel, SystemPool,
  WorkloadIdentity, WorkloadRole,
} from '../src';

// One synth: a cluster, its namespace registry, and three charts built on the
// kit: one in a registered namespace (IRSA, values overridden), one creating
// its own namespace (chart-made service account, nested placement), one in
// kube-system with no identity and no placement.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const { stack, vpc } = stackWithVpc(app, 'Kit');
const platform = new PlatformCluster(stack, 'Platform', {
  vpc,
  publicAccessCidrs: ['203.0.113.0/24'],
  access: { developerNamespaces: ['team-a'] },
});
const cluster = platform.cluster;
const registry = new PlatformNamespaces(stack, 'Namespaces', {
  cluster, workloadNamespaces: ['team-a', 'team-b'], developerNamespaces: platform.developerNamespaces,
});
const backupList = registry.backupNamespaces(); // taken before later registrations
const pin = { ...EksCoreVersions.METRICS_SERVER, name: 'demo' };

const role = new WorkloadRole(stack, 'DemoRole', { cluster, namespace: 'demo', serviceAccount: 'demo', identity: WorkloadIdentity.IRSA });
const demo = new PlatformChart(stack, 'Demo', {
  cluster,
  pin,
  component: 'demo',
  namespace: 'demo',
  namespaces: registry,
  podSecurity: PodSecurityLevel.BASELINE,
  serviceAccount: { role },
  values: { replicas: 2, image: { tag: 'v1', pullPolicy: 'IfNotPresent' }, extra: { keep: true } },
  valueOverrides: { replicas: 3, image: { tag: 'v2' }, extra: null, tolerations: [] },
});
registry.addWorkloadRule({ apiGroups: ['demo.example.com'], resources: ['widgets'] });
registry.addWorkloadRule({ apiGroups: ['demo.example.com'], resources: ['reports'], developersReadOnly: true });

const ownRole = new WorkloadRole(stack, 'OwnRole', { cluster, namespace: 'own', serviceAccount: 'own-sa' });
const own = new PlatformChart(stack, 'Own', {
  cluster,
  pin: { ...pin, name: 'own' },
  version: '1.2.3',
  component: 'own',
  namespace: 'own',
  backup: false,
  serviceAccount: { role: ownRole, create: false },
  systemPoolPaths: ['webhook', 'controller.admission'],
  dependsOn: [demo],
});
new PlatformChart(stack, 'Plain', {
  cluster, pin: { ...pin, name: 'plain' }, component: 'plain', namespace: 'kube-system', createNamespace: false, systemPool: false,
});

const result = synthesize(app);
const json = result.template('Kit').toJSON();
const { resources, helm, objects, find } = templateQueries(json);
// The CloudFormation resource under a construct (a chart or manifest wraps its custom resource).
const idOf = (c: any) => stack.resolve((c.node.findAll().find((x: any) => x instanceof CfnResource) as CfnResource).logicalId);
const idOfManifest = idOf;

describe('PlatformChart', () => {
  testProofGates(result);

  test('emits valid Kubernetes objects', () => {
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
  });

  test('installs the catalogue\'s chart, repository and version unless a version is given', () => {
    expect(helm.demo.props).toMatchObject({ Chart: 'demo', Repository: pin.repository, Version: pin.version, Namespace: 'demo' });
    expect(helm.demo.props.CreateNamespace).toBeUndefined(); // the registry made the namespace
    expect(helm.own.props.Version).toBe('1.2.3');
    expect(helm.plain.props.CreateNamespace).toBe(true); // an existing namespace: Helm's default left alone
  });

  test('merges the user\'s values over the component\'s: maps by key, lists replace, null removes', () => {
    expect(helm.demo.values).toEqual({
      replicas: 3,
      image: { tag: 'v2', pullPolicy: 'IfNotPresent' },
      nodeSelector: SystemPool.nodeSelector(),
      tolerations: [],
    });
    expect(PlatformChart.mergeValues({ a: { b: 1, c: [1] } }, { a: { c: [2], d: null } })).toEqual({ a: { b: 1, c: [2] } });
  });

  test('places pods on the system pool at the top and at each extra path, or nowhere', () => {
    const placement = { nodeSelector: { 'node-pool': 'system' }, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }] };
    expect(helm.own.values).toEqual({ ...placement, webhook: placement, controller: { admission: placement } });
    expect(helm.plain.values).toEqual({});
  });

  test('a registered namespace is created by the registry with its Pod Security level and labels', () => {
    const ns = find('Namespace', 'demo');
    expect(ns.metadata.labels).toMatchObject({
      'component': 'demo',
      'app.kubernetes.io/managed-by': 'keelson',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(demo.namespaceManifest).toBe(registry.manifests.demo);
    expect(resources[idOf(demo.chart)].DependsOn)
      .toEqual(expect.arrayContaining([idOfManifest(registry.manifests.demo), idOfManifest(demo.serviceAccountManifest)]));
  });

  test('an unregistered namespace is created by the chart construct, restricted by default', () => {
    expect(find('Namespace', 'own').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(Object.keys(registry.manifests)).not.toContain('own');
  });

  test('the service account is created and annotated under IRSA, or left to the chart', () => {
    const sa = find('ServiceAccount', 'demo', 'demo');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBeDefined();
    expect(sa.metadata.labels['app.kubernetes.io/component']).toBe('demo');
    expect(find('ServiceAccount', 'own-sa', 'own')).toBeUndefined();
    expect(own.serviceAccountManifest).toBeUndefined();
    // The chart that makes its own service account still waits for the role (and its Pod Identity association).
    const roleId = stack.resolve((ownRole.role.node.defaultChild as CfnResource).logicalId);
    expect(resources[idOf(own.chart)].DependsOn).toEqual(expect.arrayContaining([roleId]));
  });

  test('orders the chart after what it depends on', () => {
    expect(resources[idOf(own.chart)].DependsOn).toEqual(expect.arrayContaining([idOf(demo.chart)]));
  });

  test('rejects a malformed version, a managed namespace, a role of another namespace and a non-chart pin', () => {
    // After the synth above: these constructs throw while being built.
    const s = stack;
    const c = platform;
    expect(() => new PlatformChart(s, 'V', { cluster: c.cluster, pin, component: 'x', namespace: 'x', version: '^1.0' }))
      .toThrow(/invalid version: "\^1.0" is not a Helm chart version/);
    // Built by a component, the chart reports the version on the component, under the component's prop name.
    expect(() => new PlatformChart(s, 'W', { cluster: c.cluster, pin, component: 'x', namespace: 'x', version: 'latest', versionField: 'chartVersion' }))
      .toThrow(`${s.node.path}: invalid chartVersion: "latest" is not a Helm chart version. Fix: pin an exact chart version such as 1.2.3 (no ranges, no "latest")`);
    expect(() => new PlatformChart(s, 'K', { cluster: c.cluster, pin, component: 'x', namespace: 'kube-system' }))
      .toThrow(/invalid createNamespace: "kube-system" is a namespace Kubernetes\/EKS manages. Fix: set createNamespace: false/);
    const r = new WorkloadRole(s, 'R', { cluster: c.cluster, namespace: 'other', serviceAccount: 'sa' });
    expect(() => new PlatformChart(s, 'N', { cluster: c.cluster, pin, component: 'x', namespace: 'x', serviceAccount: { role: r } }))
      .toThrow(/invalid serviceAccount.role: the role is bound to a service account in "other"/);
    expect(() => new PlatformChart(s, 'P2', { cluster: c.cluster, pin: EksCoreVersions.VPC_CNI, component: 'x', namespace: 'y' }))
      .toThrow(/invalid pin: vpc-cni is not a Helm chart pin/);
  });
});

describe('PlatformNamespaces (the registry)', () => {
  const roleRules = (ns: string, name: string) => find('Role', name, ns)?.rules as any[];

  test('registered RBAC rules reach every workload namespace\'s Roles, read-only where asked', () => {
    for (const ns of ['team-a', 'team-b']) {
      expect(roleRules(ns, 'read-only')).toEqual(expect.arrayContaining([
        { apiGroups: ['demo.example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['demo.example.com'], resources: ['reports'], verbs: ['get', 'list', 'watch'] },
      ]));
    }
    expect(roleRules('team-a', 'developer')).toEqual(expect.arrayContaining([
      { apiGroups: ['demo.example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['demo.example.com'], resources: ['reports'], verbs: ['get', 'list', 'watch'] },
    ]));
    // No hard-coded groups of later packages.
    expect(JSON.stringify(roleRules('team-a', 'developer'))).not.toMatch(/keda\.sh|external-secrets\.io/);
  });

  test('developers get a Role only in the cluster\'s developer namespaces (one list with the access entry)', () => {
    expect(platform.developerNamespaces).toEqual(['team-a']);
    expect(find('Role', 'developer', 'team-a')).toBeDefined();
    expect(find('Role', 'developer', 'team-b')).toBeUndefined();
    expect(find('RoleBinding', 'read-only', 'team-b')).toBeDefined();
  });

  test('the backup list is read at synth and includes namespaces registered after it was taken', () => {
    expect(Token.isUnresolved(backupList)).toBe(true);
    expect(stack.resolve(backupList)).toEqual(['kube-system', 'team-a', 'team-b', 'demo']);
    expect(registry.namespaceNames).toEqual(['team-a', 'team-b', 'demo']);
    expect(registry.platformNamespaces.map((p) => p.name)).toEqual(['demo']);
  });

  test('registering again returns the same manifest, differently fails; developers edit only workload namespaces', () => {
    expect(registry.register({ name: 'demo', component: 'demo', podSecurity: PodSecurityLevel.BASELINE })).toBe(registry.manifests.demo);
    expect(() => registry.register({ name: 'demo', component: 'other' })).toThrow(/invalid register: "demo" is registered twice, differently/);
    expect(() => registry.register({ name: 'team-a', component: 'x' })).toThrow(/registered twice, differently \(as a workload namespace\)/);
    expect(() => registry.register({ name: 'default', component: 'x' })).toThrow(/"default" is a namespace Kubernetes\/EKS manages/);
    // Developer namespaces outside the workload namespaces (the access entry may name `default`) get no Role here.
    expect(new PlatformNamespaces(stack, 'Other', { cluster, workloadNamespaces: ['a', 'b'], developerNamespaces: ['b', 'default'] }).developerNamespaces).toEqual(['b']);
    expect(() => registry.addWorkloadRule({ apiGroups: [], resources: ['x'] })).toThrow(/invalid addWorkloadRule/);
  });

  // Issue 28 item 7: a namespace developers are given is never left uncreated.
  test('with the default workload namespaces, a developer namespace outside them is created as one more; a platform one still fails', () => {
    const given = new PlatformNamespaces(stack, 'Given', { cluster, developerNamespaces: ['dev', 'team-a', 'default'] });
    expect(given.workloadNamespaces).toEqual(['dev', 'staging', 'production', 'team-a']);
    expect(given.developerNamespaces).toEqual(['dev', 'team-a']);
    expect(Object.keys(given.manifests)).toEqual(['dev', 'staging', 'production', 'team-a']);
    expect(() => given.register({ name: 'team-a', component: 'ops' })).toThrow(
      'Kit/Given: invalid developerNamespaces: "team-a" is a platform namespace, where developers would read the platform\'s Secrets. Fix: list only workload namespaces in access.developerNamespaces');
    // Listed workload namespaces are the whole list: nothing is added to them.
    expect(new PlatformNamespaces(stack, 'Listed', { cluster, workloadNamespaces: ['w'], developerNamespaces: ['w', 'team-a'] }).workloadNamespaces).toEqual(['w']);
  });

  // Issue 29 finding 1: the developer access entry (AmazonEKSEditPolicy) reads Secrets wherever it is scoped.
  test('a developer namespace that is a platform namespace fails synth: developers would read the platform\'s Secrets', () => {
    const leaky = new PlatformNamespaces(stack, 'Leaky', { cluster, workloadNamespaces: ['w'], developerNamespaces: ['w', 'ops'] });
    leaky.register({ name: 'ops', component: 'ops' });
    expect(leaky.node.validate()).toEqual(['Kit/Leaky: invalid developerNamespaces: "ops" is a platform namespace, where developers would read the platform\'s Secrets. Fix: list only workload namespaces in access.developerNamespaces']);
    expect(registry.node.validate()).toEqual([]);
  });
});

describe('NagNames', () => {
  test('flattens Ref, GetAtt and Join as cdk-nag prints them', () => {
    const s = new Stack(new App(), 'N', { env: { account: '111111111111', region: 'ap-southeast-1' } });
    const r = new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(NagNames.of(s, r.roleArn)).toBe(`<${s.resolve((r.node.defaultChild as CfnResource).logicalId)}.Arn>`);
    expect(NagNames.of(s, `${r.roleName}/*`)).toMatch(/^<R.+>\/\*$/);
    expect(NagNames.of(s, 'plain')).toBe('plain');
  });

  test('the catalogue kinds cover what the kit installs', () => {
    expect(EksCoreVersions.all().filter((p) => p.kind === PinKind.HELM_CHART).map((p) => p.name).sort())
      .toEqual(['aws-load-balancer-controller', 'cluster-autoscaler', 'external-dns', 'external-secrets', 'karpenter', 'keda', 'metrics-server']);
  });
});
