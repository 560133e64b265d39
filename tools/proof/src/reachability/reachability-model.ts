import * as ipaddr from 'ipaddr.js';
import { AssemblyStack, AssemblyValues, resourceKey } from './assembly-values';
import { cidrContains, NetworkPolicyModel, PolicyPod } from './network-policies';
import { kubernetesObjectsIn, MANIFEST_RESOURCE_TYPE, HELM_RESOURCE_TYPE } from '../kubernetes';

/** Where a flow starts or ends. Clusters are named by their EKS name. */
export type ReachabilityEndpoint =
  /** An address on the internet. */
  | { readonly internet: true }
  /** A host in the private subnets of a cluster's VPC with no security group of the platform (the worst case of a peer VPC). */
  | { readonly vpcHost: string }
  /** A node of a cluster, in every node security-group set it may carry (managed node groups, Karpenter node classes). */
  | { readonly node: string }
  /** A pod of a namespace of a cluster (VPC CNI: it carries its node's security groups). */
  | { readonly pod: { readonly cluster: string; readonly namespace: string; readonly labels?: { [key: string]: string } } }
  /** A load balancer the AWS Load Balancer Controller makes, by the name `loadBalancers()` lists (`ingress/<ns>/<name>`, `helm/<release>/<path>`, `service/<ns>/<name>`, `gateway/<ns>/<name>`). */
  | { readonly loadBalancer: { readonly cluster: string; readonly name: string } };

/** One flow: from, to, TCP (or UDP) port. */
export interface ReachabilityFlow {
  readonly from: ReachabilityEndpoint;
  readonly to: ReachabilityEndpoint;
  readonly port: number;
  /** @default 'tcp' */
  readonly protocol?: 'tcp' | 'udp';
}

/** The answer for a flow: `partly` when some placements of the endpoints connect and others do not. */
export interface ReachabilityVerdict {
  readonly verdict: 'allowed' | 'refused' | 'partly';
  /** For each pair of placements, what connected it or what refused it. */
  readonly reasons: string[];
}

interface Rule { readonly protocol: string; readonly from: number; readonly to: number; readonly cidr?: string; readonly group?: string }
interface Group { readonly key: string; readonly ingress: Rule[]; readonly egress: Rule[] }
interface Subnet {
  readonly key: string;
  readonly vpc: string;
  readonly cidr: string;
  readonly tags: { [k: string]: string };
  readonly routeTable?: string;
  readonly acl?: string;
}
interface Vpc { readonly key: string; readonly region: string; readonly cidr: string }
interface Cluster {
  readonly key: string;
  readonly name: string;
  readonly vpc: string;
  readonly subnets: string[];
  /** The EKS cluster security group. */
  readonly clusterGroup: string;
  /** The security groups of each kind of node (a managed node group's launch template, a Karpenter EC2NodeClass). */
  readonly nodeGroupSets: string[][];
  readonly objects: any[];
  readonly helmValues: { release: string; values: any }[];
}
interface LoadBalancer {
  readonly name: string; readonly cluster: string; readonly internetFacing: boolean; readonly listeners: number[]; readonly groups: string[];
}
/** A concrete network interface an endpoint stands for. */
interface Placement {
  readonly label: string;
  readonly ip: string;
  readonly subnet?: Subnet;
  readonly vpc?: string;
  readonly groups?: string[];
  readonly pod?: PolicyPod;
  readonly loadBalancer?: LoadBalancer;
}
interface AclEntry {
  readonly number: number;
  readonly egress: boolean;
  readonly allow: boolean;
  readonly protocol: string;
  readonly cidr: string;
  readonly from: number;
  readonly to: number;
}

const INTERNET_IP = '203.0.113.10';
const ALL_PORTS: [number, number] = [0, 65535];
const PROTOCOLS: { [n: string]: string } = { '-1': '-1', '6': 'tcp', '17': 'udp', '1': 'icmp', 'tcp': 'tcp', 'udp': 'udp', 'icmp': 'icmp', 'all': '-1' };

/**
 * Which flows the synthesized platform lets through, read from the templates
 * and the Kubernetes objects in them, not from the constructs: VPCs, subnets,
 * route tables and routes (local, internet gateway, VPC peering both ways),
 * network ACLs where they are associated (request direction), security
 * groups with their inline and separate rules and what carries them (the EKS
 * cluster and its cluster security group, managed node group launch templates,
 * Karpenter EC2NodeClasses, ALBs of Ingresses and NLBs of Services/Gateways
 * through the AWS Load Balancer Controller's annotations), and NetworkPolicies.
 *
 * A flow is checked for every placement of its endpoints (each node
 * security-group set, each subnet of the cluster): `allowed` needs all of
 * them to connect, `refused` none.
 */
export class ReachabilityModel {
  /** The model of a synthesized assembly's stacks. */
  public static fromStacks(stacks: AssemblyStack[]): ReachabilityModel {
    return new ReachabilityModel(new AssemblyValues(stacks));
  }

  private readonly groups = new Map<string, Group>();
  private readonly vpcs = new Map<string, Vpc>();
  private readonly subnets = new Map<string, Subnet>();
  private readonly routes = new Map<string, { cidr: string; target: string; kind: 'local' | 'igw' | 'peering' | 'other' }[]>();
  private readonly acls = new Map<string, AclEntry[]>();
  private readonly clusters = new Map<string, Cluster>();
  private readonly lbs: LoadBalancer[] = [];
  private readonly policies: NetworkPolicyModel;

  private constructor(private readonly values: AssemblyValues) {
    this.readNetwork();
    this.readGroups();
    this.readClusters();
    this.readLoadBalancers();
    this.policies = new NetworkPolicyModel(
      [...this.clusters.values()].flatMap((c) => c.objects.filter((o) => o.kind === 'NetworkPolicy').map((policy) => ({ cluster: c.name, policy }))),
      (cluster, namespace) => this.namespaceLabels(cluster, namespace),
    );
  }

  /** The EKS clusters of the assembly, by name. */
  clusterNames(): string[] {
    return [...this.clusters.keys()];
  }

  /** The load balancers the Kubernetes objects ask for, as `<cluster> <name>`. */
  loadBalancers(): string[] {
    return this.lbs.map((lb) => `${lb.cluster} ${lb.name}`);
  }

  /** The security groups of the assembly that nothing carries: no cluster, node, load balancer, endpoint or other resource names them. */
  unattachedGroups(): string[] {
    const used = new Set<string>();
    for (const c of this.clusters.values()) for (const set of c.nodeGroupSets) set.forEach((g) => used.add(g));
    for (const lb of this.lbs) lb.groups.forEach((g) => used.add(g));
    const texts: string[] = [];
    for (const stack of this.values.stacks) {
      for (const [, r] of this.values.resources(stack)) {
        // A rule names its group, and another group as a peer: neither is a user.
        if (['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress', 'AWS::EC2::SecurityGroup'].includes(r.Type)) continue;
        collectStrings(this.values.resolve(stack, r.Properties ?? {}), texts);
      }
    }
    const candidates = this.values.resourcesOfType('AWS::EC2::SecurityGroup').map((g) => g.key).filter((k) => !used.has(k));
    // Keys appear whole (a launch template's list) or inside a manifest's JSON (an annotation): match on the quoted or comma-bounded key.
    return candidates.filter((k) => !texts.some((t) => t === k || new RegExp(`(^|[",\\s])${escapeRegExp(k)}($|[",\\s])`).test(t)));
  }

  /** Check one flow. */
  check(flow: ReachabilityFlow): ReachabilityVerdict {
    const protocol = flow.protocol ?? 'tcp';
    const reasons: string[] = [];
    let allowed = 0;
    let total = 0;
    for (const from of this.place(flow.from, 'from')) {
      for (const to of this.place(flow.to, 'to')) {
        total++;
        const refusal = this.refusal(from, to, flow.port, protocol);
        if (refusal) {reasons.push(`${from.label} -> ${to.label}:${flow.port}: refused: ${refusal}`);} else { allowed++; reasons.push(`${from.label} -> ${to.label}:${flow.port}: allowed`); }
      }
    }
    const verdict = allowed === total ? 'allowed' : allowed === 0 ? 'refused' : 'partly';
    return { verdict, reasons };
  }

  // --- reading the assembly --------------------------------------------------

  private readNetwork(): void {
    const v = this.values;
    for (const { stack, key, resource } of v.resourcesOfType('AWS::EC2::VPC')) {
      this.vpcs.set(key, { key, region: stack.region, cidr: v.resolve(stack, resource.Properties.CidrBlock) });
    }
    const tablesOf = new Map<string, string>();
    for (const { stack, resource } of v.resourcesOfType('AWS::EC2::SubnetRouteTableAssociation')) {
      tablesOf.set(v.resolve(stack, resource.Properties.SubnetId), v.resolve(stack, resource.Properties.RouteTableId));
    }
    const aclsOf = new Map<string, string>();
    for (const { stack, resource } of v.resourcesOfType('AWS::EC2::SubnetNetworkAclAssociation')) {
      aclsOf.set(v.resolve(stack, resource.Properties.SubnetId), v.resolve(stack, resource.Properties.NetworkAclId));
    }
    for (const { stack, key, resource } of v.resourcesOfType('AWS::EC2::Subnet')) {
      const p = v.resolve(stack, resource.Properties);
      const tags = Object.fromEntries((p.Tags ?? []).map((t: any) => [t.Key, t.Value]));
      this.subnets.set(key, { key, vpc: p.VpcId, cidr: p.CidrBlock, tags, routeTable: tablesOf.get(key), acl: aclsOf.get(key) });
    }
    for (const { stack, resource } of v.resourcesOfType('AWS::EC2::Route')) {
      const p = v.resolve(stack, resource.Properties);
      if (!p.DestinationCidrBlock) continue;
      const target = p.GatewayId ?? p.VpcPeeringConnectionId ?? p.NatGatewayId ?? p.TransitGatewayId ?? 'unknown';
      const type = v.resourceOf(String(target))?.resource.Type;
      const kind = p.VpcPeeringConnectionId ? 'peering' : type === 'AWS::EC2::InternetGateway' ? 'igw' : 'other';
      const list = this.routes.get(p.RouteTableId) ?? [];
      list.push({ cidr: p.DestinationCidrBlock, target: String(target), kind });
      this.routes.set(p.RouteTableId, list);
    }
    for (const { stack, resource } of v.resourcesOfType('AWS::EC2::NetworkAclEntry')) {
      const p = v.resolve(stack, resource.Properties);
      const list = this.acls.get(p.NetworkAclId) ?? [];
      list.push({
        number: p.RuleNumber,
        egress: p.Egress === true || p.Egress === 'true',
        allow: p.RuleAction === 'allow',
        protocol: PROTOCOLS[String(p.Protocol)] ?? String(p.Protocol),
        cidr: p.CidrBlock ?? p.Ipv6CidrBlock,
        from: p.PortRange?.From ?? 0,
        to: p.PortRange?.To ?? 65535,
      });
      this.acls.set(p.NetworkAclId, list);
    }
  }

  private readGroups(): void {
    const v = this.values;
    const rule = (r: any, peerKey: string): Rule => ({
      protocol: PROTOCOLS[String(r.IpProtocol)] ?? String(r.IpProtocol),
      from: r.IpProtocol === '-1' || r.FromPort === undefined ? 0 : Number(r.FromPort),
      to: r.IpProtocol === '-1' || r.ToPort === undefined ? 65535 : Number(r.ToPort),
      cidr: r.CidrIp ?? r.CidrIpv6,
      group: r[peerKey],
    });
    for (const { stack, key, resource } of v.resourcesOfType('AWS::EC2::SecurityGroup')) {
      const p = v.resolve(stack, resource.Properties);
      // Without SecurityGroupEgress, EC2 keeps its default rule: all egress.
      const egress = p.SecurityGroupEgress === undefined ? [{ protocol: '-1', from: 0, to: 65535, cidr: '0.0.0.0/0' }] : p.SecurityGroupEgress.map((r: any) => rule(r, 'DestinationSecurityGroupId'));
      this.groups.set(key, { key, ingress: (p.SecurityGroupIngress ?? []).map((r: any) => rule(r, 'SourceSecurityGroupId')), egress });
    }
    for (const [type, list, peerKey] of [['AWS::EC2::SecurityGroupIngress', 'ingress', 'SourceSecurityGroupId'], ['AWS::EC2::SecurityGroupEgress', 'egress', 'DestinationSecurityGroupId']] as const) {
      for (const { stack, resource } of v.resourcesOfType(type)) {
        const p = v.resolve(stack, resource.Properties);
        this.groupOf(p.GroupId)[list].push(rule(p, peerKey));
      }
    }
  }

  /** A group by key; the EKS cluster security group (known only as an attribute) is created on first use with what EKS gives it. */
  private groupOf(key: string): Group {
    let group = this.groups.get(key);
    if (!group) {
      const clusterGroup = key.endsWith('.ClusterSecurityGroupId');
      // EKS's cluster security group admits everything from itself and allows all egress.
      group = { key, ingress: clusterGroup ? [{ protocol: '-1', from: 0, to: 65535, group: key }] : [], egress: clusterGroup ? [{ protocol: '-1', from: 0, to: 65535, cidr: '0.0.0.0/0' }] : [] };
      this.groups.set(key, group);
    }
    return group;
  }

  private readClusters(): void {
    const v = this.values;
    for (const { stack, id, key, resource } of v.resourcesOfType('AWS::EKS::Cluster')) {
      const p = v.resolve(stack, resource.Properties);
      const subnets: string[] = p.ResourcesVpcConfig.SubnetIds;
      const clusterGroup = resourceKey(stack.id, id, 'ClusterSecurityGroupId');
      this.groupOf(clusterGroup);
      const name = p.Name ?? key;
      const nodeGroupSets: string[][] = [];
      for (const ng of v.resourcesOfType('AWS::EKS::Nodegroup')) {
        const np = v.resolve(ng.stack, ng.resource.Properties);
        if (np.ClusterName !== key && np.ClusterName !== name) continue;
        const lt = np.LaunchTemplate?.Id ? v.resourceOf(np.LaunchTemplate.Id) : undefined;
        const ltGroups: string[] | undefined = lt ? v.resolve(lt.stack, lt.resource.Properties.LaunchTemplateData?.SecurityGroupIds) : undefined;
        // A launch template's groups replace the ones EKS attaches (the cluster security group).
        nodeGroupSets.push(ltGroups && ltGroups.length > 0 ? ltGroups : [clusterGroup]);
      }
      const objects: any[] = [];
      const helmValues: { release: string; values: any }[] = [];
      for (const s of v.stacks) {
        for (const [, r] of v.resources(s)) {
          if (r.Type !== MANIFEST_RESOURCE_TYPE && r.Type !== HELM_RESOURCE_TYPE) continue;
          const target = v.resolve(s, r.Properties.ClusterName);
          if (target !== key && target !== name) continue;
          const resolved = v.resolve(s, r.Properties);
          if (r.Type === MANIFEST_RESOURCE_TYPE) objects.push(...kubernetesObjectsIn({ Resources: { M: { Type: r.Type, Properties: resolved } } }));
          else if (typeof resolved.Values === 'string') helmValues.push({ release: resolved.Release, values: JSON.parse(resolved.Values) });
        }
      }
      const vpc = this.subnets.get(subnets[0])!.vpc;
      this.clusters.set(name, { key, name, vpc, subnets, clusterGroup, nodeGroupSets, objects, helmValues });
    }
    for (const c of this.clusters.values()) {
      for (const nodeClass of c.objects.filter((o) => o.kind === 'EC2NodeClass')) {
        const terms: any[] = nodeClass.spec?.securityGroupSelectorTerms ?? [];
        const set = [...this.groups.keys()].filter((g) => terms.some((t) => this.termSelects(t, g, c)));
        c.nodeGroupSets.push(set);
      }
    }
  }

  /** A Karpenter `securityGroupSelectorTerms` entry against a group: by id, or by tags (EKS tags its cluster group `aws:eks:cluster-name`). */
  private termSelects(term: any, group: string, cluster: Cluster): boolean {
    if (term.id) return term.id === group;
    if (!term.tags) return false;
    const tags: { [k: string]: string } = group === cluster.clusterGroup ? { 'aws:eks:cluster-name': cluster.name, [`kubernetes.io/cluster/${cluster.name}`]: 'owned' } : {};
    const found = this.values.resourceOf(group);
    if (found) for (const t of this.values.resolve(found.stack, found.resource.Properties?.Tags ?? [])) tags[t.Key] = t.Value;
    return Object.entries<string>(term.tags).every(([k, val]) => val === '*' ? k in tags : tags[k] === val);
  }

  private readLoadBalancers(): void {
    for (const c of this.clusters.values()) {
      const params = (className: string | undefined) => {
        const cls = c.objects.find((o) => o.kind === 'IngressClass' && o.metadata?.name === className);
        const name = cls?.spec?.parameters?.kind === 'IngressClassParams' ? cls.spec.parameters.name : undefined;
        return c.objects.find((o) => o.kind === 'IngressClassParams' && o.metadata?.name === name)?.spec ?? {};
      };
      const alb = (name: string, className: string | undefined, annotations: { [k: string]: string }) => {
        const a = (k: string) => annotations[`alb.ingress.kubernetes.io/${k}`];
        const scheme = a('scheme') ?? params(className).scheme ?? 'internal';
        const listeners = a('listen-ports') ? (JSON.parse(a('listen-ports')) as any[]).flatMap((l) => Object.values<number>(l)) : [a('certificate-arn') ? 443 : 80];
        this.addLoadBalancer(c, name, scheme === 'internet-facing', listeners, a('security-groups'), a('manage-backend-security-group-rules'), a('inbound-cidrs'));
      };
      for (const o of c.objects) {
        const annotations = o.metadata?.annotations ?? {};
        const cls = o.spec?.ingressClassName ?? annotations['kubernetes.io/ingress.class'];
        if (o.kind === 'Ingress' && cls === 'alb') alb(`ingress/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, cls, annotations);
        const nlb = (name: string, ann: { [k: string]: string }, ports: number[]) => {
          const s = (k: string) => ann[`service.beta.kubernetes.io/aws-load-balancer-${k}`];
          this.addLoadBalancer(c, name, s('scheme') === 'internet-facing', ports, s('security-groups'), s('manage-backend-security-group-rules'), undefined);
        };
        if (o.kind === 'Service' && o.spec?.type === 'LoadBalancer') nlb(`service/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, annotations, (o.spec.ports ?? []).map((p: any) => p.port));
        if (o.kind === 'Gateway' && String(o.apiVersion).startsWith('gateway.networking.k8s.io')) {
          nlb(`gateway/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o.spec?.infrastructure?.annotations ?? {}, (o.spec?.listeners ?? []).map((l: any) => l.port));
        }
      }
      // Ingresses a chart renders from its values (`ingressClassName: alb` with annotations).
      for (const { release, values } of c.helmValues) {
        walk(values, [], (node, path) => {
          if (node.ingressClassName === 'alb' && node.enabled !== false && node.annotations) alb(`helm/${release}/${path.join('.')}`, 'alb', node.annotations);
        });
      }
    }
  }

  private addLoadBalancer(
    c: Cluster, name: string, internetFacing: boolean, listeners: number[],
    groupsAnnotation: string | undefined, manageBackend: string | undefined, inboundCidrs: string | undefined,
  ): void {
    const groups: string[] = [];
    if (groupsAnnotation) {
      groups.push(...groupsAnnotation.split(',').map((g) => g.trim()));
    } else {
      // The controller makes a frontend group admitting the listeners from inbound-cidrs.
      const key = `controller-frontend:${c.name}/${name}`;
      const cidrs = inboundCidrs ? inboundCidrs.split(',').map((x) => x.trim()) : [internetFacing ? '0.0.0.0/0' : this.vpcs.get(c.vpc)!.cidr];
      this.groups.set(key, { key, ingress: cidrs.flatMap((cidr) => listeners.map((p) => ({ protocol: 'tcp', from: p, to: p, cidr }))), egress: [{ protocol: '-1', from: 0, to: 65535, cidr: '0.0.0.0/0' }] });
      groups.push(key);
    }
    if (!groupsAnnotation || manageBackend === 'true') {
      // The controller's shared backend group, admitted by the node ENIs' cluster-tagged group on the target ports
      // (modelled as every TCP port: it can only make a refusal harder to prove).
      const backend = `controller-backend:${c.name}`;
      if (!this.groups.has(backend)) {
        this.groups.set(backend, { key: backend, ingress: [], egress: [{ protocol: 'tcp', from: 0, to: 65535, group: c.clusterGroup }] });
        this.groupOf(c.clusterGroup).ingress.push({ protocol: 'tcp', from: 0, to: 65535, group: backend });
      }
      groups.push(backend);
    }
    this.lbs.push({ name, cluster: c.name, internetFacing, listeners, groups });
  }

  private namespaceLabels(cluster: string, namespace: string): { [key: string]: string } {
    const ns = this.clusters.get(cluster)?.objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === namespace);
    return { ...(ns?.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': namespace };
  }

  // --- placing endpoints -----------------------------------------------------

  private cluster(name: string): Cluster {
    const c = this.clusters.get(name);
    if (!c) throw new Error(`no EKS cluster "${name}" in the assembly; have ${[...this.clusters.keys()].join(', ')}`);
    return c;
  }

  private place(e: ReachabilityEndpoint, side: string): Placement[] {
    if ('internet' in e) return [{ label: 'internet', ip: INTERNET_IP }];
    if ('vpcHost' in e) {
      const c = this.cluster(e.vpcHost);
      return c.subnets.map((s, i) => this.at(`host in ${c.name}'s VPC (subnet ${i})`, this.subnets.get(s)!, 30));
    }
    if ('node' in e || 'pod' in e) {
      const c = this.cluster('node' in e ? e.node : e.pod.cluster);
      if (c.nodeGroupSets.length === 0) throw new Error(`${side}: cluster ${c.name} has no nodes in the assembly`);
      const pod: PolicyPod | undefined = 'pod' in e ? { cluster: c.name, namespace: e.pod.namespace, labels: e.pod.labels ?? {} } : undefined;
      return c.nodeGroupSets.flatMap((groups, g) => c.subnets.map((s, i) => ({
        ...this.at(`${pod ? `pod ${c.name}/${pod.namespace}` : `node of ${c.name}`} (groups ${g}, subnet ${i})`, this.subnets.get(s)!, pod ? 100 : 10),
        groups,
        pod,
      })));
    }
    const c = this.cluster(e.loadBalancer.cluster);
    const lb = this.lbs.find((l) => l.cluster === c.name && l.name === e.loadBalancer.name);
    if (!lb) throw new Error(`no load balancer "${e.loadBalancer.name}" in ${c.name}; have ${this.lbs.filter((l) => l.cluster === c.name).map((l) => l.name).join(', ')}`);
    const role = lb.internetFacing ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb';
    const subnets = [...this.subnets.values()].filter((s) => s.vpc === c.vpc && s.tags[role] === '1');
    return subnets.map((s, i) => ({ ...this.at(`${lb.name} (subnet ${i})`, s, 20), groups: lb.groups, loadBalancer: lb }));
  }

  private at(label: string, subnet: Subnet, offset: number): Placement {
    // The subnet's network address plus `offset`, in base 256.
    const bytes = ipaddr.parseCIDR(subnet.cidr)[0].toByteArray();
    let n = bytes.reduce((acc, b) => acc * 256 + b, 0) + offset;
    const out: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      out.unshift(n % 256);
      n = Math.floor(n / 256);
    }
    const ip = ipaddr.fromByteArray(out).toString();
    return { label, ip, subnet, vpc: subnet.vpc };
  }

  // --- the checks ------------------------------------------------------------

  /** Why `from` cannot open a connection to `to` on `port`, or undefined when it can. */
  private refusal(from: Placement, to: Placement, port: number, protocol: string): string | undefined {
    if (to.loadBalancer && !to.loadBalancer.listeners.includes(port)) return `${to.loadBalancer.name} listens on ${to.loadBalancer.listeners.join(', ')} only`;
    const route = this.routeRefusal(from, to);
    if (route) return route;
    const acl = this.aclRefusal(from.subnet, to.ip, port, protocol, true) ?? this.aclRefusal(to.subnet, from.ip, port, protocol, false);
    if (acl) return acl;
    if (from.groups && !from.groups.some((g) => this.groupOf(g).egress.some((r) => this.ruleMatches(r, to, port, protocol)))) {
      return `no egress rule of ${from.groups.join(', ')} allows ${to.ip} on ${protocol}/${port}`;
    }
    if (to.groups && !to.groups.some((g) => this.groupOf(g).ingress.some((r) => this.ruleMatches(r, from, port, protocol)))) {
      return `no ingress rule of ${to.groups.join(', ')} admits ${from.ip} on ${protocol}/${port}`;
    }
    if (from.pod) {
      const d = this.policies.egress(from.pod, { ip: to.ip, pod: to.pod }, port, protocol);
      if (!d.allowed) return d.reason;
    }
    if (to.pod) {
      const d = this.policies.ingress(to.pod, { ip: from.ip, pod: from.pod }, port, protocol);
      if (!d.allowed) return d.reason;
    }
    return undefined;
  }

  private routeRefusal(from: Placement, to: Placement): string | undefined {
    if (!from.vpc) {
      const publicSubnet = to.subnet && this.bestRoute(to.subnet, INTERNET_IP)?.kind === 'igw';
      if (!to.loadBalancer?.internetFacing || !publicSubnet) return `${to.label} has no public address reachable through an internet gateway`;
      return undefined;
    }
    if (from.vpc === to.vpc) return undefined;
    const out = this.bestRoute(from.subnet!, to.ip);
    if (out?.kind !== 'peering') return `the route table of ${from.subnet!.key} has no peering route to ${to.ip}`;
    const back = this.bestRoute(to.subnet!, from.ip);
    if (back?.kind !== 'peering' || back.target !== out.target) return `the route table of ${to.subnet!.key} has no return route to ${from.ip} through ${out.target}`;
    if (!this.peeringConnects(out.target, from.vpc, to.vpc!)) return `${out.target} does not connect ${from.vpc} and ${to.vpc}`;
    return undefined;
  }

  private bestRoute(subnet: Subnet, ip: string) {
    const vpc = this.vpcs.get(subnet.vpc);
    if (vpc && cidrContains(vpc.cidr, ip)) return { cidr: vpc.cidr, target: 'local', kind: 'local' as const };
    const matching = (this.routes.get(subnet.routeTable ?? '') ?? []).filter((r) => cidrContains(r.cidr, ip));
    return matching.sort((a, b) => Number(b.cidr.split('/')[1]) - Number(a.cidr.split('/')[1]))[0];
  }

  /** A peering connection joins its `VpcId` and its `PeerVpcId` (a VPC of the assembly, or, when read at deploy time, the VPC of `PeerRegion`). */
  private peeringConnects(pcx: string, a: string, b: string): boolean {
    const found = this.values.resourceOf(pcx);
    if (!found || found.resource.Type !== 'AWS::EC2::VPCPeeringConnection') return false;
    const p = this.values.resolve(found.stack, found.resource.Properties);
    const sides = [{ vpc: p.VpcId, region: found.stack.region }, { vpc: p.PeerVpcId, region: p.PeerRegion ?? found.stack.region }];
    const matches = (side: { vpc: string; region: string }, vpc: string) =>
      side.vpc === vpc || (!this.vpcs.has(side.vpc) && this.vpcs.get(vpc)?.region === side.region);
    return (matches(sides[0], a) && matches(sides[1], b)) || (matches(sides[0], b) && matches(sides[1], a));
  }

  private aclRefusal(subnet: Subnet | undefined, peer: string, port: number, protocol: string, egress: boolean): string | undefined {
    if (!subnet?.acl) return undefined;
    const entries = (this.acls.get(subnet.acl) ?? []).filter((e) => e.egress === egress).sort((x, y) => x.number - y.number);
    const first = entries.find((e) => (e.protocol === '-1' || e.protocol === protocol) && cidrContains(e.cidr, peer) && (e.protocol === '-1' || (port >= e.from && port <= e.to)));
    if (first?.allow) return undefined;
    return `network ACL ${subnet.acl} ${egress ? 'egress' : 'ingress'} ${first ? `rule ${first.number} denies` : 'has no rule for'} ${peer} on ${protocol}/${port}`;
  }

  private ruleMatches(rule: Rule, peer: Placement, port: number, protocol: string): boolean {
    if (rule.protocol !== '-1' && rule.protocol !== protocol) return false;
    const [lo, hi] = rule.protocol === '-1' ? ALL_PORTS : [rule.from, rule.to];
    if (port < lo || port > hi) return false;
    if (rule.group) return (peer.groups ?? []).includes(rule.group);
    return rule.cidr !== undefined && cidrContains(rule.cidr, peer.ip);
  }
}

function walk(node: any, path: string[], visit: (node: any, path: string[]) => void): void {
  if (!node || typeof node !== 'object') return;
  if (!Array.isArray(node)) visit(node, path);
  for (const [k, v] of Object.entries(node)) walk(v, [...path, k], visit);
}

function collectStrings(value: any, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, into);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
