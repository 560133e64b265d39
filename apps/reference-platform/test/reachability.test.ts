import { ReachabilityEndpoint, ReachabilityModel, synthesize } from '@keelson/proof';
import { Falco } from '@keelson/security';
import { resolveConfig } from '../src/config';
import { PREDICTIVE_SAMPLE } from '../src/observability';
import { buildPlatform } from '../src/platform';
import { platformApp } from '../src/platform-app';

// One synth of the whole platform (dev config), read back as templates and Kubernetes objects.
const config = resolveConfig('dev');
const app = platformApp();
const platform = buildPlatform(app, config);
const result = synthesize(app);
const stacks = result.assembly.stacks.map((s) => ({ id: s.id, region: s.environment.region, account: s.environment.account, template: s.template }));
const model = ReachabilityModel.fromStacks(stacks);

const PRIMARY = 'platform-dev';
const DR = 'platform-dr-dev';
const INTERNET: ReachabilityEndpoint = { internet: true };
const pod = (cluster: string, namespace: string, labels?: Record<string, string>): ReachabilityEndpoint => ({ pod: { cluster, namespace, labels } });
const node = (cluster: string): ReachabilityEndpoint => ({ node: cluster });
const peerVpcOf = (cluster: string): ReachabilityEndpoint => ({ vpcHost: cluster });
const ARGO_CD = { loadBalancer: { cluster: PRIMARY, name: 'helm/argocd/server.ingress' } };
const EXPORTED = config.mesh.serviceDiscovery.exportedNamespaces[0];
const HBONE = 15008;
// The mesh sample (mesh.sampleApplication, on in dev): podinfo on 9898 behind the internal gateway.
const SAMPLE = 'mesh-sample';
const PODINFO = 9898;
const sample = (cluster: string, name: string) => pod(cluster, SAMPLE, { app: name });
const GATEWAY = { loadBalancer: { cluster: PRIMARY, name: 'gateway/istio-ingress/ingress' } };
const KUBELET = 10250;
const FALCO = pod(PRIMARY, Falco.NAMESPACE, Falco.FALCO_POD_LABELS);
const SIDEKICK = pod(PRIMARY, Falco.NAMESPACE, Falco.SIDEKICK_POD_LABELS);
const PROMETHEUS = pod(PRIMARY, 'observability', { 'app.kubernetes.io/name': 'prometheus' });
const ALERTMANAGER = pod(PRIMARY, 'observability', { 'app.kubernetes.io/name': 'alertmanager' });
const PREDICTIVE = pod(PRIMARY, PREDICTIVE_SAMPLE.namespace, { 'app.kubernetes.io/name': PREDICTIVE_SAMPLE.name });

/** The flows a platform owner asks about. A new flow is a new row. */
const FLOWS: [string, ReachabilityEndpoint, ReachabilityEndpoint, number, 'allowed' | 'refused'][] = [
  // The internet reaches the ALB's 443 (and 80, which only redirects), nothing else.
  ['the internet reaches Argo CD\'s ALB on 443', INTERNET, ARGO_CD, 443, 'allowed'],
  ['the internet reaches Argo CD\'s ALB on 80 (a redirect to 443)', INTERNET, ARGO_CD, 80, 'allowed'],
  ['the internet does not reach the ALB on another port', INTERNET, ARGO_CD, 8443, 'refused'],
  ['the internet does not reach a primary node\'s kubelet', INTERNET, node(PRIMARY), KUBELET, 'refused'],
  ['the internet does not reach a primary node on 443', INTERNET, node(PRIMARY), 443, 'refused'],
  ['the internet does not reach a DR node on 443', INTERNET, node(DR), 443, 'refused'],
  ['the internet does not reach a production pod', INTERNET, pod(PRIMARY, 'production'), 8080, 'refused'],
  ['Argo CD\'s ALB reaches the nodes on a target port', ARGO_CD, node(PRIMARY), 8080, 'allowed'],
  // Across the peering: the exported namespace both ways on the mesh's port, nothing else.
  ['a DR pod reaches an exported service\'s pod in the primary on HBONE', pod(DR, EXPORTED), pod(PRIMARY, EXPORTED), HBONE, 'allowed'],
  ['a primary pod reaches an exported service\'s pod in DR on HBONE', pod(PRIMARY, EXPORTED), pod(DR, EXPORTED), HBONE, 'allowed'],
  ['a DR pod does not reach a primary pod on another port', pod(DR, EXPORTED), pod(PRIMARY, EXPORTED), 8080, 'refused'],
  ['a DR pod outside the exported namespaces does not reach the primary', pod(DR, 'staging'), pod(PRIMARY, EXPORTED), HBONE, 'refused'],
  ['the DR VPC does not reach a primary node\'s kubelet', peerVpcOf(DR), node(PRIMARY), KUBELET, 'refused'],
  ['the primary VPC does not reach a DR node\'s kubelet', peerVpcOf(PRIMARY), node(DR), KUBELET, 'refused'],
  ['a DR node does not reach a primary node\'s kubelet', node(DR), node(PRIMARY), KUBELET, 'refused'],
  ['the DR VPC reaches primary nodes on HBONE', peerVpcOf(DR), node(PRIMARY), HBONE, 'allowed'],
  ['the DR VPC does not reach primary nodes on SSH', peerVpcOf(DR), node(PRIMARY), 22, 'refused'],
  // The mesh sample: the DR frontend calls the exported primary backend (sidecars, on its port); nothing else gets in.
  ['the DR frontend reaches the primary backend on its port', sample(DR, 'frontend'), sample(PRIMARY, 'backend'), PODINFO, 'allowed'],
  ['the primary frontend reaches the DR backend on its port', sample(PRIMARY, 'frontend'), sample(DR, 'backend'), PODINFO, 'allowed'],
  ['a pod outside the sample does not reach its database', pod(PRIMARY, 'production'), sample(PRIMARY, 'database'), PODINFO, 'refused'],
  ['a pod outside the sample does not reach its database on HBONE', pod(PRIMARY, 'production'), sample(PRIMARY, 'database'), HBONE, 'refused'],
  ['a DR pod outside the exported namespaces does not reach the primary backend', pod(DR, 'staging'), sample(PRIMARY, 'backend'), PODINFO, 'refused'],
  // The peering admits the peer VPC by address, so another exported namespace's pod gets through the network;
  // the backend's AuthorizationPolicy (the DR frontend's principal only) refuses it (mesh-sample.test.ts).
  ['a DR pod of another exported namespace reaches the primary backend\'s port (the mesh refuses it)', pod(DR, EXPORTED), sample(PRIMARY, 'backend'), PODINFO, 'allowed'],
  ['the gateway reaches frontend', pod(PRIMARY, 'istio-ingress'), sample(PRIMARY, 'frontend'), PODINFO, 'allowed'],
  ['the gateway does not reach database', pod(PRIMARY, 'istio-ingress'), sample(PRIMARY, 'database'), PODINFO, 'refused'],
  ['the internet does not reach the sample gateway\'s internal NLB', INTERNET, GATEWAY, 443, 'refused'],
  ['a DR pod reaches the primary sample gateway\'s NLB on 443 (the NLB group admits the peer VPC)', pod(DR, SAMPLE), GATEWAY, 443, 'allowed'],
  ['the sample gateway\'s NLB reaches the nodes on a target port', GATEWAY, node(PRIMARY), 443, 'allowed'],
  // Inside a cluster: namespaces are walls.
  ['a dev pod does not reach staging', pod(PRIMARY, 'dev'), pod(PRIMARY, 'staging'), 8080, 'refused'],
  ['a staging pod does not reach production', pod(PRIMARY, 'staging'), pod(PRIMARY, 'production'), 8080, 'refused'],
  ['a dev pod reaches another dev pod', pod(PRIMARY, 'dev'), pod(PRIMARY, 'dev'), 8080, 'allowed'],
  ['a node reaches another node\'s kubelet in its cluster', node(PRIMARY), node(PRIMARY), KUBELET, 'allowed'],
  // Platform namespaces deny by default: only what a component declared gets in.
  ['a dev pod does not reach Falcosidekick\'s unauthenticated input', pod(PRIMARY, 'dev'), SIDEKICK, Falco.SIDEKICK_PORT, 'refused'],
  ['Falco reaches Falcosidekick\'s input', FALCO, SIDEKICK, Falco.SIDEKICK_PORT, 'allowed'],
  ['Falco does not reach Falcosidekick on another port', FALCO, SIDEKICK, 8080, 'refused'],
  ['a dev pod does not reach Alertmanager', pod(PRIMARY, 'dev'), ALERTMANAGER, 9093, 'refused'],
  ['a dev pod does not reach Prometheus', pod(PRIMARY, 'dev'), PROMETHEUS, 9090, 'refused'],
  ['Prometheus reaches Alertmanager', PROMETHEUS, ALERTMANAGER, 9093, 'allowed'],
  ['a dev pod does not reach the External Secrets webhook', pod(PRIMARY, 'dev'), pod(PRIMARY, 'external-secrets'), 10250, 'refused'],
  // The scrape rule is port-limited: Prometheus reaches a workload's metrics port, not its other ports.
  ['Prometheus reaches the sample workload\'s metrics port', PROMETHEUS, PREDICTIVE, PREDICTIVE_SAMPLE.metricsPort, 'allowed'],
  ['Prometheus does not reach the sample workload\'s application port', PROMETHEUS, PREDICTIVE, 9898, 'refused'],
  ['another observability pod does not reach a workload\'s metrics port', pod(PRIMARY, 'observability', { 'app.kubernetes.io/name': 'grafana' }), PREDICTIVE, PREDICTIVE_SAMPLE.metricsPort, 'refused'],
];

describe('reachability of the synthesized platform', () => {
  test.each(FLOWS)('%s', (_name, from, to, port, expected) => {
    const answer = model.check({ from, to, port });
    expect({ verdict: answer.verdict, reasons: answer.verdict === expected ? [] : answer.reasons }).toEqual({ verdict: expected, reasons: [] });
  });

  test('the model sees both clusters, their ALB Ingresses, and every security group has a user', () => {
    expect(model.clusterNames().sort()).toEqual([DR, PRIMARY].sort());
    expect(model.loadBalancers()).toEqual(expect.arrayContaining([
      `${PRIMARY} helm/argocd/server.ingress`, `${DR} helm/argocd/server.ingress`, `${PRIMARY} gateway/istio-ingress/ingress`, `${DR} gateway/istio-ingress/ingress`,
    ]));
    expect(model.unattachedGroups()).toEqual([]);
  });

  test('not vacuous: without the peering group\'s rules in a copy of the assembly, the DR -> primary row is refused by the security groups', () => {
    const copy = stacks.map((s) => ({ ...s, template: JSON.parse(JSON.stringify(s.template)) }));
    const primaryPlatform = copy.find((s) => s.id === platform.primaryPlatform.artifactId)!;
    const peering = Object.entries<any>(primaryPlatform.template.Resources).filter(([id, r]) => r.Type === 'AWS::EC2::SecurityGroup' && /Peering/.test(id));
    expect(peering).toHaveLength(1);
    delete peering[0][1].Properties.SecurityGroupIngress;
    const answer = ReachabilityModel.fromStacks(copy).check({ from: pod(DR, EXPORTED), to: pod(PRIMARY, EXPORTED), port: HBONE });
    expect(answer.verdict).toBe('refused');
    expect(answer.reasons.every((r) => /refused: no ingress rule of .* admits 10\.1\.\d+\.\d+ on tcp\/15008/.test(r))).toBe(true);
  });
});
