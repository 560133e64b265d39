import { MeshVersions } from '@keelson/mesh';
import { kubernetesObjectsIn, kubernetesSchemaErrors, synthesize } from '@keelson/proof';
import { ConfigError, resolveConfig, validateConfig } from '../src/config';
import { MESH_SAMPLE } from '../src/mesh-sample';
import { buildPlatform } from '../src/platform';
import { platformApp } from '../src/platform-app';

// One synth of the whole platform (dev config, where mesh.sampleApplication is on).
const config = resolveConfig('dev');
const app = platformApp();
const platform = buildPlatform(app, config);
const result = synthesize(app);
const template = (id: string): any => result.template(id).toJSON();
const ROLES = [['primary', 'platform-dev', config.dr.vpcCidr], ['dr', 'platform-dr-dev', config.primary.vpcCidr]] as const;
const NS = MESH_SAMPLE.namespace;
const objectsOf = (role: string) => kubernetesObjectsIn(template(`keelson-dev-${role}-mesh`));
const sampleObjects = (role: string) => objectsOf(role).filter((o) => o.metadata?.namespace === NS);
const find = (role: string, kind: string, name: string) => objectsOf(role).find((o) => o.kind === kind && o.metadata?.name === name);

describe('the mesh sample in both clusters (mesh.sampleApplication)', () => {
  test('the switch is on in dev and off in the defaults, staging and prod', () => {
    expect(config.mesh.sampleApplication).toBe(true);
    expect(['staging', 'prod'].map((e) => resolveConfig(e).mesh.sampleApplication)).toEqual([false, false]);
  });

  test.each(ROLES)('%s: the gateway\'s NLB is internal and carries the network\'s NLB group (imported from the cluster stack)', (role) => {
    const gateway = find(role, 'Gateway', 'ingress');
    expect(gateway.metadata.namespace).toBe('istio-ingress');
    expect(gateway.spec.infrastructure.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-security-groups': expect.any(String),
    });
    expect(gateway.spec.listeners.map((l: any) => `${l.protocol}/${l.port} ${l.hostname}`))
      .toEqual([`HTTPS/443 mesh-sample.${role === 'primary' ? 'platform-dev' : 'platform-dr-dev'}.${config.gitops.domainName}`]);
    // The annotation's value is the NLB group's id, exported by the cluster stack.
    const clusterStack = template(`keelson-dev-${role}-platform`);
    const nlb = Object.entries<any>(clusterStack.Resources).filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroup' && /^Internal NLB/.test(r.Properties.GroupDescription));
    expect(nlb).toHaveLength(1);
    const exported = Object.values<any>(clusterStack.Outputs).find((o) => JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [nlb[0][0], 'GroupId'] }));
    const manifest = Object.values<any>(template(`keelson-dev-${role}-mesh`).Resources)
      .find((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && JSON.stringify(r.Properties.Manifest).includes('"kind\\":\\"Gateway\\"'));
    expect(JSON.stringify(manifest.Properties.Manifest)).toContain(JSON.stringify({ 'Fn::ImportValue': exported.Export.Name }));
  });

  test.each(ROLES)('%s: frontend, backend and database run podinfo by digest, probed on /healthz and /readyz, as a numeric non-root user', (role) => {
    const deployments = sampleObjects(role).filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['backend', 'database', 'frontend']);
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      expect(c.image).toBe(MeshVersions.PODINFO_IMAGE);
      expect(c.image).toMatch(/^ghcr\.io\/stefanprodan\/podinfo:6\.15\.0@sha256:[0-9a-f]{64}$/);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 9898 });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 9898 });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    }
    expect(sampleObjects(role).filter((o) => o.kind === 'Service').map((s) => `${s.metadata.name} ${s.spec.ports[0].port}->${s.spec.ports[0].targetPort}`).sort())
      .toEqual(['backend 80->9898', 'database 80->9898', 'frontend 80->9898']);
  });

  test.each(ROLES)('%s: AuthorizationPolicies allow gateway -> frontend -> backend -> database only, under an allow-nothing default', (role) => {
    const policies = Object.fromEntries(sampleObjects(role).filter((o) => o.kind === 'AuthorizationPolicy').map((o) => [o.metadata.name, o.spec]));
    const allow = (name: string, principal: string) => ({ selector: { matchLabels: { app: name } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: [principal] } }] }] });
    expect(policies).toEqual({
      'allow-nothing': {},
      'frontend-callers': allow('frontend', 'cluster.local/ns/istio-ingress/sa/ingress-istio'),
      'backend-callers': allow('backend', `cluster.local/ns/${NS}/sa/frontend`),
      'database-callers': allow('database', `cluster.local/ns/${NS}/sa/backend`),
    });
  });

  test.each(ROLES)('%s: NetworkPolicies admit the namespace, the gateway to frontend on 9898 and HBONE, and the peer VPC on HBONE and 9898', (role, _cluster, peer) => {
    const policies = Object.fromEntries(sampleObjects(role).filter((o) => o.kind === 'NetworkPolicy').map((o) => [o.metadata.name, o.spec]));
    const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
    expect(policies['allow-gateway']).toEqual({
      podSelector: { matchLabels: { app: 'frontend' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } } }], ports: tcp(9898, 15008) }],
    });
    expect(policies['allow-cluster-set']).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ ipBlock: { cidr: peer } }], ports: tcp(15008, 9898) }],
      egress: [{ to: [{ ipBlock: { cidr: peer } }], ports: tcp(15008, 9898) }],
    });
    expect(Object.keys(policies).sort()).toEqual(['allow-cluster-set', 'allow-egress', 'allow-gateway', 'allow-same-namespace', 'default-deny-ingress']);
  });

  test.each(ROLES)('%s: backend alone is exported through Cloud Map; the sidecars originate Istio mTLS to the namespace\'s hosts, imported ones included', (role) => {
    expect(sampleObjects(role).filter((o) => o.kind === 'ServiceExport').map((o) => o.metadata.name)).toEqual(['backend']);
    const dnsNamespaces = Object.values<any>(template(`keelson-dev-${role}-mesh`).Resources).filter((r) => r.Type === 'AWS::ServiceDiscovery::PrivateDnsNamespace');
    expect(dnsNamespaces.map((n) => n.Properties.Name)).toEqual([...config.mesh.serviceDiscovery.exportedNamespaces, NS]);
    expect(find(role, 'DestinationRule', 'sample-mtls').spec).toEqual({ host: `*.${NS}.svc.cluster.local`, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
  });

  test('the DR frontend\'s identity is the one the primary backend admits (one trust domain, one root)', () => {
    const drFrontend = find('dr', 'Deployment', 'frontend').spec.template.spec.serviceAccountName;
    expect(find('primary', 'AuthorizationPolicy', 'backend-callers').spec.rules[0].from[0].source.principals).toEqual([`cluster.local/ns/${NS}/sa/${drFrontend}`]);
    expect(platform.dr).toBeDefined();
  });

  test('every object the sample adds passes its schema', () => {
    const objects = ROLES.flatMap(([role]) => objectsOf(role).filter((o) => o.metadata?.namespace === NS || o.kind === 'Gateway'));
    expect(objects.length).toBeGreaterThan(20);
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
  });
});

describe('the switch off, and refused where it would do nothing', () => {
  test('mesh.sampleApplication: false builds no gateway, no sample and no NLB group', () => {
    const off = buildPlatform(platformApp(), resolveConfig('dev', { mesh: { sampleApplication: false } }));
    for (const stack of [off.primaryLayers.mesh!, off.dr!.layers.mesh!]) {
      expect(stack.node.tryFindChild('MeshSample')).toBeUndefined();
      expect(stack.node.tryFindChild('MeshSampleGateway')).toBeUndefined();
    }
    const groups = (s: any) => s.node.findAll().filter((c: any) => c.node.id === 'Nlb');
    expect(groups(off.primaryCluster)).toEqual([]);
    expect(groups(off.dr!.cluster)).toEqual([]);
  });

  test.each([
    [{ mesh: { enabled: false, sampleApplication: true } }, 'config.mesh.sampleApplication: is true, but mesh.enabled is false: there is no mesh to run it in. Fix: set mesh.enabled to true, or mesh.sampleApplication to false'],
    // GitOps and the cost UI need the controller too, and would name the field first.
    [{ services: { loadBalancerController: false }, gitops: { enabled: false }, finops: { costEngine: 'none' } },
      'config.services.loadBalancerController: is off, but mesh.sampleApplication needs it (its gateway is reached through an NLB the controller provisions). Fix: turn services.loadBalancerController on, or set mesh.sampleApplication to false'],
  ])('refused: %j', (override, message) => {
    let error: unknown;
    try {
      validateConfig(resolveConfig('dev', override as any));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });
});
