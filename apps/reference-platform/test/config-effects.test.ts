import { ReplicaBackupBucket } from '@keelson/dr';
import { formatFindings, kubernetesObjectsIn, proofApp, synthesize } from '@keelson/proof';
import { buildPlatform } from '../src/platform';
import { standInConfig } from './support/stand-in-identity';

/**
 * Settings that used to do nothing (issue 28 item 7), shown in the assembly:
 * staging (with the stand-in identities, since staging refuses the examples)
 * where developers are given a namespace no default creates, and backups are off.
 * One synth, through the proof harness (CloudFormation validation on; the nag
 * packs run over the dev platform in platform.test.ts).
 */
const app = proofApp({ nagPacks: [] });
const platform = buildPlatform(app, standInConfig('staging', { cluster: { developerNamespaces: ['dev', 'team-a'] }, backups: { enabled: false } }));
const result = synthesize(app);
const templates = result.assembly.stacks.map((s) => ({ name: s.stackName, template: s.template as any }));
const objects = templates.flatMap((t) => kubernetesObjectsIn(t.template).map((o) => ({ stack: t.name, object: o })));

test('synthesizes with CloudFormation validation clean', () => {
  expect(formatFindings(result.findings)).toBe('');
  expect(platform.dr).toBeDefined();
});

describe('backups.enabled: false', () => {
  test('creates no backup stack, no Velero and no DR replica bucket in either region', () => {
    expect(templates.map((t) => t.name).filter((n) => n.includes('backup'))).toEqual([]);
    expect(platform.primaryBackup).toBeUndefined();
    expect(platform.dr!.backup).toBeUndefined();
    expect(app.node.findAll().filter((c) => c instanceof ReplicaBackupBucket)).toEqual([]);
    const replicated = templates.flatMap((t) => Object.entries<any>(t.template.Resources)
      .filter(([id, r]) => /Replica|Velero/.test(id) || r.Properties?.ReplicationConfiguration).map(([id]) => `${t.name}/${id}`));
    expect(replicated).toEqual([]);
    // The Kubernetes side: no Velero release or schedule anywhere.
    expect(objects.filter(({ object }) => /velero/i.test(`${object.apiVersion} ${object.metadata?.namespace}`))).toEqual([]);
  });
});

describe('cluster.developerNamespaces: [dev, team-a]', () => {
  /** The kinds and names of the objects inside `namespace`, per stack: what a workload namespace gets. */
  const inside = (namespace: string) => objects
    .filter(({ object }) => object.metadata?.namespace === namespace)
    .map(({ stack, object }) => `${stack.replace(/^keelson-staging-/, '')} ${object.kind}/${object.metadata.name}`).sort();
  /** Objects that list namespaces (policy matches, bindings), by whether the list names `namespace`. */
  const listing = (namespace: string) => objects
    .filter(({ object }) => JSON.stringify(object.spec ?? {}).includes(`"${namespace}"`))
    .map(({ stack, object }) => `${stack.replace(/^keelson-staging-/, '')} ${object.kind}/${object.metadata.name}`).sort();

  test('team-a is created in both clusters, with its developer Role', () => {
    const namespaces = objects.filter(({ object }) => object.kind === 'Namespace' && object.metadata.name === 'team-a').map(({ stack }) => stack);
    expect(namespaces.sort()).toEqual(['keelson-staging-dr-platform', 'keelson-staging-primary-platform']);
    expect(inside('team-a')).toEqual(expect.arrayContaining([
      'primary-platform ResourceQuota/compute', 'primary-platform LimitRange/container-defaults',
      'primary-platform Role/developer', 'primary-platform Role/read-only',
    ]));
    // Developers edit only where they were given: staging keeps its read-only Role alone.
    expect(inside('staging')).not.toContain('primary-platform Role/developer');
  });

  test('team-a gets every object the other workload namespaces get (quotas, RBAC, NetworkPolicies, policies), no more, no fewer', () => {
    const withoutDeveloperRole = (list: string[]) => list.filter((o) => !/Role(Binding)?\/developer$/.test(o));
    expect(inside('team-a').length).toBeGreaterThan(10);
    expect(withoutDeveloperRole(inside('team-a'))).toEqual(withoutDeveloperRole(inside('staging')));
    expect(inside('team-a').filter((o) => o.includes('NetworkPolicy/')).length).toBeGreaterThan(0);
    // Every policy that names the workload namespaces (Kyverno, Gatekeeper, the mesh) names team-a too.
    expect(listing('production').length).toBeGreaterThan(0);
    expect(listing('production').filter((o) => !listing('team-a').includes(o))).toEqual([]);
  });
});
