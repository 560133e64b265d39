import { NagPack, NetworkPolicyModel, formatFindings, kubernetesSchemaErrors, proofApp, synthesize } from '@keelson/proof';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { stackWithVpc } from './fixture';
import { templateQueries } from './helm';
import { EksCoreVersions, NamespaceTraffic, PlatformChart, PlatformCluster, PlatformNamespaces, TrafficPeer, TrafficPort } from '../src';

// One synth: a registry with an isolated platform namespace whose chart declares its paths
// (a webhook, a scraped port, an egress to AWS), one opted out, and a workload namespace.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const { stack, vpc } = stackWithVpc(app, 'Traffic');
const platform = new PlatformCluster(stack, 'Platform', { vpc, publicAccessCidrs: ['203.0.113.0/24'] });
const registry = new PlatformNamespaces(stack, 'Namespaces', { cluster: platform.cluster, workloadNamespaces: ['team-a'] });
const chart = new PlatformChart(stack, 'Demo', {
  cluster: platform.cluster, pin: { ...EksCoreVersions.METRICS_SERVER, name: 'demo' }, component: 'demo', namespace: 'demo', namespaces: registry,
});
const controller = { 'app.kubernetes.io/name': 'demo' };
chart.traffic!.allowFromKubernetesApi('webhook', controller, 9443);
chart.traffic!.allowMetricsScraping('controller', controller, [TrafficPort.tcp(8080)]);
const PROMETHEUS = { 'app.kubernetes.io/name': 'prometheus' };
// The scraper registers after the first target and before the second namespace exists.
registry.addMetricsScraper(TrafficPeer.namespace('observability', PROMETHEUS));
registry.register({ name: 'late', component: 'late' });
registry.traffic('late').allowMetricsScraping('exporter', { app: 'exporter' }, [TrafficPort.tcpRange(9100, 9101)]);
chart.traffic!.allowEgress({ name: 'aws-apis', pods: controller, peers: [TrafficPeer.anywhere(), TrafficPeer.podIdentityAgent()], ports: [TrafficPort.tcp(443), TrafficPort.tcp(80)] });
chart.traffic!.allowIngress({ name: 'same-namespace', peers: [TrafficPeer.podsInNamespace()] });
registry.register({ name: 'host-agents', component: 'agents', networkIsolation: false });

const result = synthesize(app);
const { objects, resources } = templateQueries(result.template('Traffic').toJSON());
const policies = (ns: string) => objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns);
const find = (ns: string, name: string) => policies(ns).find((p) => p.metadata.name === name);
const VPC_CIDR = 'RESOLVED-AT-DEPLOY'; // the VPC's block is a Fn::GetAtt in the template

// Evaluate the emitted policies as Kubernetes does.
const model = new NetworkPolicyModel(objects.filter((o) => o.kind === 'NetworkPolicy').map((policy) => ({ cluster: 'c', policy })),
  (_c, ns) => ({ 'kubernetes.io/metadata.name': ns }));
const pod = (namespace: string, labels: Record<string, string> = {}) => ({ cluster: 'c', namespace, labels });

describe('NamespaceTraffic', () => {
  test('synthesizes clean, and every NetworkPolicy passes its Kubernetes schema', () => {
    expect(formatFindings(result.findings)).toBe('');
    expect(policies('demo').length).toBe(7);
    expect(policies('late').length).toBe(4);
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
    expect(kubernetesSchemaErrors([{ ...find('demo', 'default-deny'), spec: { podSelector: {}, policyTypes: ['Sideways'] } }]).length).toBeGreaterThan(0);
  });

  test('each registered platform namespace is denied by default with the baseline allows; workload and opted-out namespaces get none here', () => {
    expect(chart.traffic).toBe(registry.traffic('demo'));
    expect(registry.isolatedNamespaces).toEqual(['demo', 'late']);
    expect(registry.traffic('demo').policyNames).toEqual([...NamespaceTraffic.BASELINE, 'allow-webhook', 'allow-scrape-controller', 'allow-aws-apis', 'allow-same-namespace']);
    expect(find('demo', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find('demo', 'allow-dns').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
    // Pods reach the API server at the kubernetes Service address of either EKS service range (the agent sees it untranslated).
    expect(find('demo', 'allow-kubernetes-api').spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '172.20.0.1/32' } }, { ipBlock: { cidr: '10.100.0.1/32' } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    }]);
    expect(policies('team-a')).toEqual([]);
    expect(policies('host-agents')).toEqual([]);
  });

  test('declared rules become one policy each, with the pods, peers and ports given', () => {
    expect(find('demo', 'allow-webhook').spec).toEqual({
      podSelector: { matchLabels: controller },
      policyTypes: ['Ingress'],
      // The API server calls webhooks from the control plane's network interfaces, in the VPC's block.
      ingress: [{ from: [{ ipBlock: { cidr: VPC_CIDR } }], ports: [{ protocol: 'TCP', port: 9443 }] }],
    });
    const prometheus = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: PROMETHEUS } };
    expect(find('demo', 'allow-scrape-controller').spec).toEqual({
      podSelector: { matchLabels: controller }, policyTypes: ['Ingress'], ingress: [{ from: [prometheus], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
    expect(find('late', 'allow-scrape-exporter').spec.ingress).toEqual([{ from: [prometheus], ports: [{ protocol: 'TCP', port: 9100, endPort: 9101 }] }]);
    expect(find('demo', 'allow-aws-apis').spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '169.254.170.23/32' } }],
      ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 80 }],
    }]);
    expect(find('demo', 'allow-same-namespace').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
  });

  test('rules declared after creation carry the manifest\'s prune label, and the policies wait for the namespace', () => {
    const prune = Object.keys(find('demo', 'default-deny').metadata.labels).filter((k) => k.startsWith('aws.cdk.eks/prune-'));
    expect(prune).toHaveLength(1);
    for (const p of policies('demo')) expect(p.metadata.labels).toMatchObject({ [prune[0]]: '', 'app.kubernetes.io/managed-by': 'keelson' });
    const id = (c: any) => Stack.of(c).resolve((c.node.defaultChild as any).logicalId);
    expect(resources[id(registry.traffic('demo').manifest)].DependsOn).toContain(id(registry.manifests.demo));
  });

  test('as Kubernetes evaluates them: only the declared paths are open', () => {
    const prometheus = pod('observability', { 'app.kubernetes.io/name': 'prometheus' });
    const target = pod('demo', controller);
    expect(model.ingress(target, { ip: '10.0.64.9', pod: prometheus }, 8080, 'tcp').allowed).toBe(true);
    expect(model.ingress(target, { ip: '10.0.64.9', pod: prometheus }, 9443, 'tcp').allowed).toBe(false);
    expect(model.ingress(pod('late', { app: 'exporter' }), { ip: '10.0.64.9', pod: prometheus }, 9101, 'tcp').allowed).toBe(true);
    expect(model.ingress(pod('late', { app: 'exporter' }), { ip: '10.0.64.9', pod: pod('observability', { 'app.kubernetes.io/name': 'grafana' }) }, 9101, 'tcp').allowed).toBe(false);
    expect(model.ingress(target, { ip: '10.0.64.9', pod: pod('team-a') }, 8080, 'tcp').allowed).toBe(false);
    expect(model.ingress(target, { ip: '10.0.64.9', pod: pod('demo', { other: 'x' }) }, 8080, 'tcp').allowed).toBe(true);
    expect(model.egress(target, { ip: '52.94.1.1' }, 443, 'tcp').allowed).toBe(true);
    expect(model.egress(target, { ip: '52.94.1.1' }, 22, 'tcp').allowed).toBe(false);
    expect(model.egress(pod('demo', { other: 'x' }), { ip: '52.94.1.1' }, 443, 'tcp').allowed).toBe(false);
    expect(model.egress(pod('demo', { other: 'x' }), { ip: '172.20.0.1' }, 443, 'tcp').allowed).toBe(true);
    expect(model.egress(pod('demo', { other: 'x' }), { ip: '10.100.0.1' }, 443, 'tcp').allowed).toBe(true);
    // 443 elsewhere in the Service range (another Service) stays closed.
    expect(model.egress(pod('demo', { other: 'x' }), { ip: '172.20.0.2' }, 443, 'tcp').allowed).toBe(false);
  });

  test('bad declarations fail at synth with the field and the fix', () => {
    const traffic = registry.traffic('demo');
    expect(() => traffic.allowIngress({ name: 'webhook', peers: [TrafficPeer.podsInNamespace()] })).toThrow(/invalid allowIngress\(webhook\)\.name: "allow-webhook" is declared twice in namespace demo, differently/);
    // The same declaration again (a second component in the namespace) is kept once.
    traffic.allowFromKubernetesApi('webhook', controller, 9443);
    expect(traffic.policyNames.filter((n) => n === 'allow-webhook')).toHaveLength(1);
    expect(() => traffic.allowEgress({ name: 'open', peers: [] })).toThrow(/invalid allowEgress\(open\)\.peers: is empty.*Fix: name the pods/);
    expect(() => traffic.allowEgress({ name: 'aws', peers: [TrafficPeer.anywhere()] })).toThrow(/invalid allowEgress\(aws\)\.ports: is empty while a peer is an address range/);
    expect(() => traffic.allowEgress({ name: 'bad-port', peers: [TrafficPeer.anywhere()], ports: [TrafficPort.tcp(70000)] })).toThrow(/bad-port\)\.ports\[0\]/);
    expect(() => traffic.allowEgress({ name: 'bad-cidr', peers: [TrafficPeer.cidr('10.0.0.0/33')], ports: [TrafficPort.tcp(1)] })).toThrow(/bad-cidr\)\.peers\[0\]/);
    expect(() => traffic.allowMetricsScraping('none', {}, [])).toThrow(/invalid allowMetricsScraping\(none\)\.ports: is empty/);
    expect(() => traffic.addMetricsScraper(TrafficPeer.anywhere())).toThrow(/invalid addMetricsScraper: the scraper is an address range/);
    expect(() => registry.traffic('team-a')).toThrow(/invalid traffic\(team-a\): "team-a" is a workload namespace/);
    expect(() => registry.traffic('host-agents')).toThrow(/was registered with networkIsolation: false/);
    expect(() => registry.register({ name: 'demo', component: 'demo', networkIsolation: false })).toThrow(/"demo" is registered twice, differently/);
  });

  test('a cluster whose VPC block is unknown: pods still reach the API server; a webhook fails at synth naming kubernetesApiCidrs', () => {
    const traffic = (webhook: boolean) => {
      const imported = new Stack(new App(), 'Imported', { env: { account: '111111111111', region: 'ap-southeast-1' } });
      const cluster = eks.Cluster.fromClusterAttributes(imported, 'Cluster', {
        clusterName: 'core-prod',
        vpc: ec2.Vpc.fromVpcAttributes(imported, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['a'] }),
        kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(imported, 'Kubectl', {
          serviceToken: 'arn:aws:lambda:ap-southeast-1:111111111111:function:kubectl',
          role: iam.Role.fromRoleArn(imported, 'KubectlRole', 'arn:aws:iam::111111111111:role/kubectl'),
        }),
      });
      const t = new NamespaceTraffic(imported, 'Traffic', { cluster, namespace: 'demo' });
      if (webhook) t.allowFromKubernetesApi('webhook', controller, 9443);
      return () => (imported.node.root as App).synth();
    };
    expect(traffic(false)).not.toThrow();
    expect(traffic(true)).toThrow(/invalid kubernetesApiCidrs: the cluster VPC's CIDR block is unknown.*Fix: pass kubernetesApiCidrs/);
  });
});
