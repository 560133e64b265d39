import { RegoCase, evaluateRegoCases } from '@keelson/proof';
import {
  ContainerProbes, ContainerResources, GatekeeperPolicy, NamespaceNetworkPolicy, NoDefaultServiceAccount, RequiredLabels, RestrictedContainers,
} from '../../src';

// Each shipped ConstraintTemplate, evaluated with the harness's Rego v1 engine
// against one compliant workload (which every policy admits) and objects that
// break it, with the parameters Keelson's constraints pass.

const container = (over: Record<string, any> = {}) => ({
  name: 'app',
  image: 'registry.example.com/app@sha256:0000000000000000000000000000000000000000000000000000000000000000',
  ports: [{ containerPort: 8080 }],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  ...over,
});
const podSpec = (over: Record<string, any> = {}) => ({ serviceAccountName: 'app', containers: [container()], ...over });
const labels = { env: 'production', owner: 'payments-team', component: 'api' };
const deployment = (spec: Record<string, any> = podSpec(), meta: Record<string, any> = { labels }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'production', ...meta },
  spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api', ...labels } }, spec } },
});
const pod = (spec: Record<string, any> = podSpec(), meta: Record<string, any> = { labels }) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-1', namespace: 'production', ...meta }, spec });
const cronJob = (spec: Record<string, any>) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'report', namespace: 'production', labels },
  spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec } } } },
});
const GOOD = [deployment(), pod()];
const withPolicy = { namespace: { production: { 'networking.k8s.io/v1': { NetworkPolicy: { 'default-deny': { metadata: { name: 'default-deny' } } } } } } };

// Every case is evaluated by one engine (building it costs ~20 s; evaluating, milliseconds).
const cases: { [name: string]: { policy: GatekeeperPolicy; bad: object[]; inventory?: object } } = {};
function decide(name: string, policy: GatekeeperPolicy, bad: object[], inventory: object = withPolicy): () => string[][] {
  cases[name] = { policy, bad, inventory };
  return () => results[name];
}
let results: { [name: string]: string[][] } = {};
beforeAll(() => {
  const names = Object.keys(cases);
  const regoCases: RegoCase[] = names.map((n) => ({
    policy: { name: cases[n].policy.templateName, source: cases[n].policy.rego },
    objects: [...GOOD, ...cases[n].bad],
    parameters: cases[n].policy.parameters() ?? {},
    inventory: cases[n].inventory,
  }));
  const decisions = evaluateRegoCases(regoCases);
  results = Object.fromEntries(names.map((n, i) => [n, decisions[i].map((d) => [...d.messages].sort())]));
});

const sc = container().securityContext;
const { livenessProbe: _l, ...noLiveness } = container();
const { readinessProbe: _r, livenessProbe: _l2, ...noProbes } = container();
const { serviceAccountName: _s, ...noAccount } = podSpec();
const labelsOf = decide('labels', new RequiredLabels(), [
  deployment(podSpec(), { labels: { env: 'production' } }),
  pod(podSpec(), { labels: { ...labels, owner: ' ' } }),
]);
const restrictedOf = decide('restricted', new RestrictedContainers(), [
  deployment(podSpec({ containers: [container({ securityContext: { ...sc, privileged: true, allowPrivilegeEscalation: true } })] })),
  pod(podSpec({ containers: [container({ securityContext: { ...sc, runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'Unconfined' } } })] })),
  pod(podSpec({ containers: [container({ securityContext: { ...sc, capabilities: { add: ['NET_ADMIN', 'NET_BIND_SERVICE'] } } })] })),
  pod(podSpec({ hostNetwork: true, volumes: [{ name: 'root', hostPath: { path: '/' } }], containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] })),
  cronJob(podSpec({ initContainers: [container({ name: 'init', securityContext: {} })] })),
  // Pod-level runAsNonRoot and seccomp profile count for every container.
  pod(podSpec({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } })],
  })),
]);
const resourcesOf = decide('resources', new ContainerResources(), [
  deployment(podSpec({ containers: [container({ resources: {} })] })),
  pod(podSpec({ initContainers: [container({ name: 'init', resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } } })] })),
]);
const probesOf = decide('probes', new ContainerProbes(), [
  deployment(podSpec({ containers: [noLiveness] })),
  pod(podSpec({ containers: [container(), { ...noProbes, name: 'sidecar' }] })),
]);
const accountOf = decide('account', new NoDefaultServiceAccount(), [deployment(noAccount), cronJob(podSpec({ serviceAccountName: 'default' }))]);
const networkOf = decide('network', new NamespaceNetworkPolicy(), [{ ...pod(), metadata: { ...pod().metadata, namespace: 'staging' } }]);
const noNetworkOf = decide('no-network', new NamespaceNetworkPolicy(), [], {});

describe('Gatekeeper policies (Rego v1, evaluated against good and bad objects)', () => {
  test('every policy admits the compliant Deployment and Pod', () => {
    for (const [name, r] of Object.entries(results).filter(([n]) => n !== 'no-network')) expect(`${name}: ${JSON.stringify(r.slice(0, 2))}`).toBe(`${name}: [[],[]]`);
  });

  test('RequiredLabels: env, owner and component, none empty', () => {
    const [, , missing, empty] = labelsOf();
    expect(missing).toEqual(['Deployment api lacks the required labels ["component", "owner"]']);
    expect(empty).toEqual(['Pod api-1 has an empty "owner" label']);
  });

  test('RestrictedContainers: what Pod Security restricted forbids', () => {
    const [, , privileged, root, caps, host, cron, podLevel] = restrictedOf();
    expect(privileged).toEqual(['container app is privileged', 'container app must set securityContext.allowPrivilegeEscalation to false']);
    expect(root).toEqual(['container app must run as non-root (runAsNonRoot: true)', 'container app needs a RuntimeDefault or Localhost seccomp profile', 'container app runs as user 0']);
    expect(caps).toEqual(['container app adds capability NET_ADMIN (only NET_BIND_SERVICE is allowed)', 'container app must drop ALL capabilities']);
    expect(host).toEqual(['container app uses host port 80', 'the pod shares the host\'s hostNetwork namespace', 'volume root is a hostPath volume']);
    expect(cron).toEqual([
      'container init must drop ALL capabilities', 'container init must run as non-root (runAsNonRoot: true)',
      'container init must set securityContext.allowPrivilegeEscalation to false', 'container init needs a RuntimeDefault or Localhost seccomp profile',
    ]);
    expect(podLevel).toEqual([]);
  });

  test('ContainerResources: CPU and memory requests and limits on containers and init containers', () => {
    const [, , none, partial] = resourcesOf();
    expect(none).toEqual(['container app has no limits cpu', 'container app has no limits memory', 'container app has no requests cpu', 'container app has no requests memory']);
    expect(partial).toEqual(['container init has no limits cpu']);
  });

  test('ContainerProbes: liveness and readiness on every container', () => {
    const [, , one, both] = probesOf();
    expect(one).toEqual(['container app has no livenessProbe']);
    expect(both).toEqual(['container sidecar has no livenessProbe', 'container sidecar has no readinessProbe']);
  });

  test('NoDefaultServiceAccount: unset or `default` is refused', () => {
    const [, , missing, explicit] = accountOf();
    expect(missing).toEqual(['Deployment api runs as the default service account: set serviceAccountName to a dedicated one']);
    expect(explicit).toEqual(['CronJob report runs as the default service account: set serviceAccountName to a dedicated one']);
  });

  test('NamespaceNetworkPolicy: a workload needs a NetworkPolicy in its namespace (replicated data)', () => {
    expect(networkOf()[2]).toEqual(['namespace staging has no NetworkPolicy: Pod api-1 would run unrestricted']);
    expect(noNetworkOf()).toEqual([
      ['namespace production has no NetworkPolicy: Deployment api would run unrestricted'],
      ['namespace production has no NetworkPolicy: Pod api-1 would run unrestricted'],
    ]);
    expect(new NamespaceNetworkPolicy().syncKinds()).toEqual([{ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' }]);
  });
});
