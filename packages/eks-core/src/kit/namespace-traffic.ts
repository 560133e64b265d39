import { Cidr, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Lazy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { TrafficPeer, TrafficPeerKind } from './traffic-peer';
import { TrafficPort } from './traffic-port';
import { networkPolicy, renderPeer } from '../private/network-policy';

/** One allow of a {@link NamespaceTraffic}: which of the namespace's pods, to or from whom, on which ports. */
export interface TrafficRule {
  /** Names the NetworkPolicy (`allow-<name>`), so a reader of the cluster sees why the path is open. A DNS label, unique in the namespace. */
  readonly name: string;
  /**
   * Labels of the namespace's pods the rule applies to.
   *
   * @default - every pod of the namespace
   */
  readonly pods?: { [key: string]: string };
  /** The other side: pods, address ranges or the Kubernetes API server. */
  readonly peers: TrafficPeer[];
  /**
   * The ports (on the receiving pod for ingress, on the destination for egress).
   * Required when a peer is an address range or the API server.
   *
   * @default - every port (pod peers only)
   */
  readonly ports?: TrafficPort[];
}

/** Properties of a {@link NamespaceTraffic}. */
export interface NamespaceTrafficProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The namespace. */
  readonly namespace: string;
  /**
   * Address blocks of the Kubernetes API server (see `TrafficPeer.kubernetesApi`),
   * used both as the destination of pods' API calls and as the source of the
   * API server's webhook calls.
   *
   * @default - as a destination, the `kubernetes` Service address of either
   * EKS service range (172.20.0.1/32, 10.100.0.1/32); as a source, the cluster
   * VPC's CIDR block (the control plane's network interfaces)
   */
  readonly kubernetesApiCidrs?: string[];
  /**
   * Labels of the cluster DNS pods in `kube-system` (CoreDNS on EKS carries `k8s-app=kube-dns`).
   *
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly dnsPodLabels?: { [key: string]: string };
}

/**
 * The NetworkPolicies of one platform namespace: `default-deny` (every pod,
 * ingress and egress), the baseline every pod needs (`allow-dns` to CoreDNS
 * on 53 UDP/TCP, `allow-kubernetes-api` on 443), and the allows the
 * components living there declare with `allowIngress` and `allowEgress`.
 * `PlatformNamespaces` makes one for each platform namespace it registers
 * (`PlatformNamespaces.traffic()`, `PlatformChart.traffic`).
 *
 * Kubelet probes need no rule: the VPC CNI's network policy agent always
 * admits traffic from the pod's own node. The policies are in force only
 * where the VPC CNI add-on runs with `enableNetworkPolicy` (`ManagedAddons`
 * turns it on).
 */
export class NamespaceTraffic extends Construct {
  /** The policies every isolated namespace has before any declaration. */
  public static readonly BASELINE = ['default-deny', 'allow-dns', 'allow-kubernetes-api'];

  /** The namespace. */
  public readonly namespace: string;
  /** The manifest holding the namespace's NetworkPolicies (order it after the namespace). */
  public readonly manifest: eks.KubernetesManifest;
  private readonly objects: { [key: string]: any }[];
  private readonly cluster: eks.ICluster;
  private readonly scrapers: TrafficPeer[] = [];
  private readonly signatures: { [name: string]: string } = {};
  private readonly scrapeTargets: { name: string; pods: { [key: string]: string }; ports: { [key: string]: any }[]; from?: any[] }[] = [];
  private readonly givenApiCidrs?: string[];

  constructor(scope: Construct, id: string, props: NamespaceTrafficProps) {
    super(scope, id);
    KeelsonTags.component(this, 'network-policies');
    this.namespace = props.namespace;
    this.cluster = props.cluster;
    this.givenApiCidrs = props.kubernetesApiCidrs;
    (props.kubernetesApiCidrs ?? []).forEach((c, i) => Cidr.check(this, `kubernetesApiCidrs[${i}]`, c));
    const dns = props.dnsPodLabels ?? { 'k8s-app': 'kube-dns' };
    this.objects = [
      // Selects every pod and allows nothing: only the policies below open paths.
      networkPolicy(this.namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      networkPolicy(this.namespace, 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: this.peers([TrafficPeer.namespace('kube-system', dns)], 'Egress'),
          ports: [TrafficPort.udp(53), TrafficPort.tcp(53)].map((p) => p.render(this, 'dns')),
        }],
      }),
      networkPolicy(this.namespace, 'allow-kubernetes-api', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: this.peers([TrafficPeer.kubernetesApi()], 'Egress'), ports: [TrafficPort.tcp(443).render(this, 'kubernetesApi')] }],
      }),
    ];
    // Components declare their allows after this is created (from their own constructs, often other
    // stacks): the array is serialized at synth, so later rules are part of the same manifest.
    this.manifest = new eks.KubernetesManifest(this, 'Policies', { cluster: props.cluster, manifest: this.objects, overwrite: true });
  }

  /** Admit connections into the namespace's pods. */
  public allowIngress(rule: TrafficRule): void {
    this.add('Ingress', rule);
  }

  /** Let the namespace's pods open connections. */
  public allowEgress(rule: TrafficRule): void {
    this.add('Egress', rule);
  }

  /**
   * Admit the Kubernetes API server to an admission webhook or aggregated API
   * served by the pods with `pods` labels on `port` (the pod's port, not the Service's).
   */
  public allowFromKubernetesApi(name: string, pods: { [key: string]: string }, port: number): void {
    this.allowIngress({ name, pods, peers: [TrafficPeer.kubernetesApi()], ports: [TrafficPort.tcp(port)] });
  }

  /**
   * Let the platform's metrics scrapers reach `pods` on their metrics `ports`
   * (`allow-scrape-<name>`). The scrapers are whoever the observability
   * package registers with `PlatformNamespaces.addMetricsScraper()`, before or
   * after this call; with none, no path opens.
   */
  public allowMetricsScraping(name: string, pods: { [key: string]: string }, ports: TrafficPort[]): void {
    const field = `allowMetricsScraping(${name})`;
    PropsCheck.dnsLabel(this, `${field}.name`, name);
    if (ports.length === 0) PropsCheck.fail(this, `${field}.ports`, 'is empty', 'list the metrics ports');
    if (this.scrapeTargets.some((t) => t.name === name)) PropsCheck.fail(this, `${field}.name`, `"${name}" is declared twice in namespace ${this.namespace}`, 'give each scraped workload its own name');
    const target = { name, pods: { ...pods }, ports: ports.map((p, i) => p.render(this, `${field}.ports[${i}]`)) };
    this.scrapeTargets.push(target);
    if (this.scrapers.length > 0) this.openScrape(target, this.scrapers.flatMap((p) => renderPeer(p, this.namespace, () => [])));
  }

  /**
   * Admit a metrics scraper to every target declared with
   * `allowMetricsScraping` (called by `PlatformNamespaces.addMetricsScraper`
   * for every isolated namespace).
   */
  public addMetricsScraper(scraper: TrafficPeer): void {
    if (scraper.podLabels === undefined) PropsCheck.fail(this, 'addMetricsScraper', 'the scraper is an address range', 'name the scraper\'s pods (TrafficPeer.namespace(name, labels))');
    this.scrapers.push(scraper);
    const peers = renderPeer(scraper, this.namespace, () => []);
    for (const target of this.scrapeTargets) {
      if (target.from) target.from.push(...peers);
      else this.openScrape(target, peers);
    }
  }

  /**
   * Let pods call AWS APIs (`allow-aws-apis`): HTTPS anywhere (regional
   * endpoints through a NAT gateway or interface endpoints, STS for IRSA) and
   * the node's Pod Identity agent on 80 for credentials.
   *
   * @param pods labels of the pods that call AWS; every pod of the namespace when empty
   */
  public allowAwsApis(pods: { [key: string]: string } = {}): void {
    this.allowEgress({ name: 'aws-apis', pods, peers: [TrafficPeer.anywhere(), TrafficPeer.podIdentityAgent()], ports: [TrafficPort.tcp(443), TrafficPort.tcp(80)] });
  }

  /** The names of the NetworkPolicies, baseline first, then in declaration order. */
  public get policyNames(): string[] {
    return this.objects.map((o) => o.metadata.name);
  }

  /** The scrape policy of a target, created with its first scraper; later scrapers join its peers (serialized at synth). */
  private openScrape(target: { name: string; pods: { [key: string]: string }; ports: any[]; from?: any[] }, peers: any[]): void {
    target.from = [...peers];
    this.push(networkPolicy(this.namespace, `allow-scrape-${target.name}`, {
      podSelector: Object.keys(target.pods).length > 0 ? { matchLabels: target.pods } : {},
      policyTypes: ['Ingress'],
      ingress: [{ from: target.from, ports: target.ports }],
    }));
  }

  private push(policy: { [key: string]: any }): void {
    if (this.objects.some((o) => o.metadata.name === policy.metadata.name)) {
      PropsCheck.fail(this, policy.metadata.name, `is declared twice in namespace ${this.namespace}`, 'give each rule its own name');
    }
    // The manifest labelled its first objects for pruning when it was created; later ones carry the same labels.
    policy.metadata.labels = { ...this.objects[0].metadata.labels };
    this.objects.push(policy);
  }

  /** The rendered peers; the API server's blocks are read at synth, so a cluster without a known VPC fails only where the API server is a source. */
  private peers(peers: TrafficPeer[], direction: 'Ingress' | 'Egress'): any {
    const render = () => peers.flatMap((p) => renderPeer(p, this.namespace, () => this.apiCidrs(direction)));
    return peers.some((p) => p.kind === TrafficPeerKind.KUBERNETES_API) ? Lazy.any({ produce: render }) : render();
  }

  /**
   * The API server's addresses as the VPC CNI's network policy agent sees them.
   * Egress: pods dial the `kubernetes` Service, and the agent matches the
   * destination before kube-proxy translates it (aws/aws-network-policy-agent#549:
   * a flow to a Service address is denied until the Service range is allowed),
   * so the Service address is the destination; EKS takes the service range
   * from 10.100.0.0/16 or 172.20.0.0/16 when the cluster names none (the EKS
   * API's KubernetesNetworkConfigRequest.serviceIpv4Cidr), hence both.
   * Ingress: the API server calls webhooks from the control plane's
   * cross-account network interfaces in the cluster's subnets, whose
   * addresses rotate (aws/aws-network-policy-agent#281, a maintainer: allow
   * the endpoints behind the `kubernetes` Service or their subnets): the VPC's block.
   */
  private apiCidrs(direction: 'Ingress' | 'Egress'): string[] {
    if (this.givenApiCidrs) return this.givenApiCidrs;
    if (direction === 'Egress') return ['172.20.0.1/32', '10.100.0.1/32'];
    try {
      return [this.cluster.vpc.vpcCidrBlock];
    } catch {
      PropsCheck.fail(this, 'kubernetesApiCidrs', 'the cluster VPC\'s CIDR block is unknown (an imported cluster or VPC), so the API server\'s webhook calls have no source',
        'pass kubernetesApiCidrs (namespaces.kubernetesApiCidrs): the VPC\'s block and the kubernetes Service address');
      return [];
    }
  }

  private add(direction: 'Ingress' | 'Egress', rule: TrafficRule): void {
    const field = `allow${direction}(${rule.name})`;
    PropsCheck.dnsLabel(this, `${field}.name`, rule.name);
    const name = `allow-${rule.name}`;
    // Two components in one namespace (or one built twice) may declare the same path: the same rule is kept once.
    const signature = JSON.stringify({ direction, pods: rule.pods ?? {}, peers: rule.peers, ports: rule.ports ?? [] });
    if (this.signatures[name] === signature) return;
    if (this.objects.some((o) => o.metadata.name === name)) {
      PropsCheck.fail(this, `${field}.name`, `"${name}" is declared twice in namespace ${this.namespace}, differently`, 'give each rule its own name');
    }
    this.signatures[name] = signature;
    if (rule.peers.length === 0) {
      PropsCheck.fail(this, `${field}.peers`, 'is empty, so the rule would open nothing (or, in Kubernetes terms, everything)', 'name the pods, ranges or the API server on the other side');
    }
    const addressed = rule.peers.some((p) => p.podLabels === undefined);
    if (addressed && (rule.ports ?? []).length === 0) {
      PropsCheck.fail(this, `${field}.ports`, 'is empty while a peer is an address range or the API server', 'list the ports the path needs');
    }
    rule.peers.forEach((p, i) => {
      if (p.cidrBlock) Cidr.check(this, `${field}.peers[${i}]`, p.cidrBlock);
      if (p.namespaceName) PropsCheck.dnsLabel(this, `${field}.peers[${i}]`, p.namespaceName);
    });
    const peers = this.peers(rule.peers, direction);
    const ports = (rule.ports ?? []).map((p, i) => p.render(this, `${field}.ports[${i}]`));
    const key = direction === 'Ingress' ? 'from' : 'to';
    const policy = networkPolicy(this.namespace, name, {
      podSelector: rule.pods && Object.keys(rule.pods).length > 0 ? { matchLabels: { ...rule.pods } } : {},
      policyTypes: [direction],
      [direction === 'Ingress' ? 'ingress' : 'egress']: [{ [key]: peers, ...(ports.length > 0 ? { ports } : {}) }],
    });
    this.push(policy);
  }
}
