import * as ipaddr from 'ipaddr.js';

/** A pod as NetworkPolicies see it. */
export interface PolicyPod {
  readonly cluster: string;
  readonly namespace: string;
  readonly labels: { [key: string]: string };
}

/** One side of a connection: an address, and the pod when it is one. */
export interface PolicyPeer {
  readonly ip: string;
  readonly pod?: PolicyPod;
}

/** A NetworkPolicy decision with the policies that made it. */
export interface PolicyDecision {
  readonly allowed: boolean;
  readonly reason: string;
}

/** Whether `ip` lies in `cidr` (IPv4 or IPv6; a malformed or unresolved block contains nothing). */
export function cidrContains(cidr: string, ip: string): boolean {
  if (typeof cidr !== 'string' || !ipaddr.isValidCIDR(cidr) || !ipaddr.isValid(ip)) return false;
  const [range, bits] = ipaddr.parseCIDR(cidr);
  const address = ipaddr.parse(ip);
  return address.kind() === range.kind() && address.match(range, bits);
}

/** A Kubernetes label selector (`matchLabels` and `matchExpressions`) against a label set. */
export function selectorMatches(selector: any, labels: { [key: string]: string }): boolean {
  if (!selector) return true;
  const byLabels = Object.entries<string>(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e: any) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
  return byLabels && byExpressions;
}

/**
 * The NetworkPolicies (networking.k8s.io/v1) of a set of clusters, evaluated
 * as Kubernetes defines them: a pod selected by any policy of a direction is
 * isolated in that direction and admits only what some rule of those policies
 * allows; an unselected pod admits everything. Peers are `podSelector`,
 * `namespaceSelector` (on the namespaces' labels, `kubernetes.io/metadata.name`
 * included) and `ipBlock` (with `except`); ports have protocol, port and
 * `endPort`. A named port matches nothing: the model knows no container ports.
 */
export class NetworkPolicyModel {
  constructor(
    private readonly policies: { cluster: string; policy: any }[],
    private readonly namespaceLabels: (cluster: string, namespace: string) => { [key: string]: string },
  ) {}

  /** Does `pod` admit a connection from `peer` on `port`? */
  ingress(pod: PolicyPod, peer: PolicyPeer, port: number, protocol: string): PolicyDecision {
    return this.decide('Ingress', pod, peer, port, protocol);
  }

  /** May `pod` open a connection to `peer` on `port`? */
  egress(pod: PolicyPod, peer: PolicyPeer, port: number, protocol: string): PolicyDecision {
    return this.decide('Egress', pod, peer, port, protocol);
  }

  private decide(direction: 'Ingress' | 'Egress', pod: PolicyPod, peer: PolicyPeer, port: number, protocol: string): PolicyDecision {
    const selecting = this.policies
      .filter((p) => p.cluster === pod.cluster && (p.policy.metadata?.namespace ?? 'default') === pod.namespace)
      .map((p) => p.policy)
      .filter((p) => policyTypes(p).includes(direction) && selectorMatches(p.spec?.podSelector, pod.labels));
    const where = `${pod.cluster}/${pod.namespace}`;
    if (selecting.length === 0) return { allowed: true, reason: `no ${direction} policy selects the pod in ${where}` };
    const rulesKey = direction === 'Ingress' ? 'ingress' : 'egress';
    const peersKey = direction === 'Ingress' ? 'from' : 'to';
    for (const policy of selecting) {
      for (const rule of policy.spec?.[rulesKey] ?? []) {
        const peers: any[] | undefined = rule[peersKey];
        const peerOk = !peers || peers.length === 0 || peers.some((p) => this.peerMatches(p, pod, peer));
        const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p: any) => portMatches(p, port, protocol));
        if (peerOk && portOk) return { allowed: true, reason: `${direction} allowed in ${where} by ${policy.metadata?.name}` };
      }
    }
    return { allowed: false, reason: `${direction} refused in ${where}: selected by ${selecting.map((p) => p.metadata?.name).join(', ')}, no rule admits ${peer.ip} on ${protocol}/${port}` };
  }

  private peerMatches(peer: any, policyPod: PolicyPod, other: PolicyPeer): boolean {
    if (peer.ipBlock) {
      return cidrContains(peer.ipBlock.cidr, other.ip) && !(peer.ipBlock.except ?? []).some((c: string) => cidrContains(c, other.ip));
    }
    const pod = other.pod;
    if (!pod || pod.cluster !== policyPod.cluster) return false;
    const namespaceOk = peer.namespaceSelector
      ? selectorMatches(peer.namespaceSelector, this.namespaceLabels(pod.cluster, pod.namespace))
      : pod.namespace === policyPod.namespace;
    return namespaceOk && selectorMatches(peer.podSelector, pod.labels);
  }
}

function policyTypes(policy: any): string[] {
  if (policy.spec?.policyTypes) return policy.spec.policyTypes;
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function portMatches(spec: any, port: number, protocol: string): boolean {
  if ((spec.protocol ?? 'TCP').toLowerCase() !== protocol) return false;
  if (spec.port === undefined) return true;
  if (typeof spec.port !== 'number') return false;
  return port >= spec.port && port <= (spec.endPort ?? spec.port);
}
