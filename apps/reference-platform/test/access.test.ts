import { SecretAccessModel, kubernetesObjectsIn, synthesize } from '@keelson/proof';
import { DEFAULT_CONFIG, resolveConfig } from '../src/config';
import { buildPlatform } from '../src/platform';
import { platformApp } from '../src/platform-app';

// The access proof (DESIGN "Whole-platform proofs"): who can obtain the value of a platform secret,
// through EKS access entries and their policies, the RBAC the platform applies, External Secrets
// stores (their conditions and IAM roles) and the IAM roles of service accounts. One synth of the
// whole platform (dev config), as in platform.test.ts; one model per cluster (region).
const app = platformApp();
buildPlatform(app, resolveConfig('dev'));
const result = synthesize(app);
const stacks = result.assembly.stacks;
const clusterRegions = [...new Set(stacks.filter((s) => JSON.stringify(s.template).includes('"AWS::EKS::Cluster"')).map((s) => s.environment.region))].sort();
const models = Object.fromEntries(clusterRegions.map((region) =>
  [region, SecretAccessModel.fromTemplates(stacks.filter((s) => s.environment.region === region).map((s) => s.template))]));

const PERSONAS: Record<string, string> = {
  'admin': DEFAULT_CONFIG.cluster.adminRoleArns![0],
  'developer': DEFAULT_CONFIG.cluster.developerRoleArns![0],
  'read-only': DEFAULT_CONFIG.cluster.readOnlyRoleArns![0],
};

/**
 * Per persona, the namespaces through which it obtains a platform secret; every other namespace
 * of the cluster is expected to give it none. A new persona or namespace is a new row.
 */
const PERSONA_EXPECTED: Record<string, string[]> = {
  // cluster-admin: through every platform namespace (the platform stores serve them all), never a workload namespace.
  'admin': [
    'argo-rollouts', 'argocd', 'cert-manager', 'cloud-map-mcs-system', 'external-dns', 'external-secrets', 'falco', 'gatekeeper-system',
    'istio-ingress', 'istio-system', 'keda', 'kubecost', 'kyverno', 'log-shipper', 'mesh-sample', 'node-exporter', 'observability',
  ],
  'developer': [],
  'read-only': [],
};

/** Service accounts whose own IAM role reads a platform secret; every other role-bound one reads none. */
const SERVICE_ACCOUNTS_EXPECTED = ['external-secrets/external-secrets'];

describe('access: who can obtain a platform secret', () => {
  test('both clusters are modelled and have platform secrets to protect', () => {
    expect(clusterRegions).toEqual(['ap-southeast-1', 'us-west-2']);
    const primary = models['ap-southeast-1'];
    expect(primary.platformSecrets().length).toBeGreaterThanOrEqual(5);
    expect(primary.platformSecrets().every((s) => s.name.startsWith('keelson/dev/') && !s.name.startsWith('keelson/dev/workloads/'))).toBe(true);
  });

  for (const region of ['ap-southeast-1', 'us-west-2']) {
    test(`${region}: each persona obtains platform secrets only through the namespaces of its row`, () => {
      const model = models[region];
      const answers: Record<string, string[]> = {};
      for (const [persona, arn] of Object.entries(PERSONAS)) {
        answers[persona] = model.namespaces.filter((ns) => model.platformSecretsObtainedBy({ principalArn: arn }, [ns]).length > 0);
      }
      const expected = Object.fromEntries(Object.entries(PERSONA_EXPECTED)
        .map(([p, list]) => [p, list.filter((ns) => model.namespaces.includes(ns))]));
      expect(answers).toEqual(expected);
    });

    test(`${region}: only the operator's service account reads platform secrets with its own IAM role`, () => {
      const model = models[region];
      const reading = model.serviceAccountsWithRoles.filter((sa) => model.platformSecretsObtainedBy({ serviceAccount: sa }, []).length > 0);
      expect(reading).toEqual(SERVICE_ACCOUNTS_EXPECTED);
    });
  }

  test('developers: in their namespaces they read Secrets and run pods, but may only use their namespace\'s stores, which read only its prefix', () => {
    const model = models['ap-southeast-1'];
    const developer = { principalArn: PERSONAS.developer };
    expect(model.rights(developer, 'dev')).toEqual({ readSecrets: true, runPods: true, createExternalSecrets: true });
    expect(model.rights(developer, 'production')).toEqual({ readSecrets: false, runPods: false, createExternalSecrets: false });
    expect(model.rights(developer, 'argocd')).toEqual({ readSecrets: false, runPods: false, createExternalSecrets: false });
    const reach = [...new Set(model.pathsOf(developer).map((p) => `${p.secret.service}:${p.secret.name}`))].sort();
    expect(reach).toEqual([
      'secretsmanager:keelson/dev/workloads/dev/*', 'secretsmanager:keelson/dev/workloads/staging/*',
      'ssm:keelson/dev/workloads/dev/*', 'ssm:keelson/dev/workloads/staging/*',
    ]);
    // The read-only persona reads no Secret anywhere.
    expect(model.namespaces.some((ns) => model.rights({ principalArn: PERSONAS['read-only'] }, ns).readSecrets)).toBe(false);
  });

  // Issue 29 finding 1, as it was: ClusterSecretStores without conditions let a developer copy every platform secret into dev.
  test('the model finds the hole when the platform stores lose their conditions', () => {
    const templates = stacks.filter((s) => s.environment.region === 'ap-southeast-1').map((s) => withoutStoreConditions(s.template));
    const open = SecretAccessModel.fromTemplates(templates);
    const leaked = open.platformSecretsObtainedBy({ principalArn: PERSONAS.developer }, ['dev']);
    expect(leaked.length).toBe(open.platformSecrets().length);
    expect(leaked[0].via).toMatch(/^new ExternalSecret in dev through ClusterSecretStore\//);
  });
});

/** A copy of a template whose ClusterSecretStores serve every namespace (today's main before the fix). */
function withoutStoreConditions(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  for (const r of Object.values<any>(copy.Resources ?? {})) {
    if (r.Type !== 'Custom::AWSCDK-EKS-KubernetesResource') continue;
    const objects = kubernetesObjectsIn({ Resources: { x: r } });
    if (!objects.some((o) => o.kind === 'ClusterSecretStore')) continue;
    for (const o of objects) delete o.spec?.conditions;
    r.Properties.Manifest = JSON.stringify(objects);
  }
  return copy;
}
