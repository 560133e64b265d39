/** Where a {@link TrafficPeer} points, resolved by the namespace it is declared in. */
export enum TrafficPeerKind {
  /** Pods selected by labels in a namespace. */
  PODS = 'pods',
  /** An address range. */
  CIDR = 'cidr',
  /** The cluster's Kubernetes API server (its addresses come from the namespace registry). */
  KUBERNETES_API = 'kubernetes-api',
}

/**
 * The other side of a {@link NamespaceTraffic} rule: pods (of the same or
 * another namespace), an address range, or the Kubernetes API server.
 */
export class TrafficPeer {
  /**
   * Pods of the namespace the rule is declared in.
   *
   * @param labels pod labels; every pod of the namespace when empty
   */
  public static podsInNamespace(labels: { [key: string]: string } = {}): TrafficPeer {
    return new TrafficPeer(TrafficPeerKind.PODS, undefined, labels);
  }

  /**
   * Pods of another namespace (by its name, the `kubernetes.io/metadata.name` label).
   *
   * @param labels pod labels; every pod of that namespace when empty
   */
  public static namespace(name: string, labels: { [key: string]: string } = {}): TrafficPeer {
    return new TrafficPeer(TrafficPeerKind.PODS, name, labels);
  }

  /**
   * An address range (IPv4 or IPv6 CIDR block), for example the load
   * balancers' subnets or `0.0.0.0/0` for AWS APIs reached through a NAT
   * gateway or interface endpoints.
   */
  public static cidr(cidr: string): TrafficPeer {
    return new TrafficPeer(TrafficPeerKind.CIDR, undefined, undefined, cidr);
  }

  /**
   * Any IPv4 address: AWS APIs (through NAT gateways or interface VPC endpoints,
   * whose addresses a NetworkPolicy cannot name) and public registries. Pair it
   * with ports.
   */
  public static anywhere(): TrafficPeer {
    return TrafficPeer.cidr('0.0.0.0/0');
  }

  /**
   * The EKS Pod Identity agent on the pod's node (`169.254.170.23`, a
   * link-local address the node agent's host-network pod listens on, so the
   * network policy agent's node-IP exemption does not cover it). Pods whose
   * role uses Pod Identity need it on TCP 80 for credentials. IPv4 only: the
   * platform's clusters are IPv4, where the agent listens on the IPv4 address
   * alone (its IPv6 one, `fd00:ec2::23`, serves IPv6 clusters).
   */
  public static podIdentityAgent(): TrafficPeer {
    // why: the EKS User Guide, "Set up the Amazon EKS Pod Identity Agent" (169.254.170.23 for IPv4, [fd00:ec2::23] for
    // IPv6); awsdocs/amazon-eks-user-guide#1092 (IPv4 address only in an IPv4 cluster); port 80: the URI EKS injects,
    // AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials (AWS SDKs reference, container credential provider).
    return TrafficPeer.cidr('169.254.170.23/32');
  }

  /**
   * The cluster's Kubernetes API server: as a destination, pods calling the
   * API; as a source, the API server calling admission webhooks and aggregated
   * APIs. EKS's control plane reaches into the VPC through cross-account
   * network interfaces in the cluster's subnets, whose addresses change and
   * that no pod selector matches, so it is addressed by blocks: by default
   * the `kubernetes` Service address as a destination and the VPC's block
   * as a source (see `NamespaceTrafficProps.kubernetesApiCidrs`).
   */
  public static kubernetesApi(): TrafficPeer {
    return new TrafficPeer(TrafficPeerKind.KUBERNETES_API);
  }

  private constructor(
    /** What the peer is. */
    public readonly kind: TrafficPeerKind,
    /** The other namespace, for pods of another namespace. */
    public readonly namespaceName?: string,
    /** Pod labels, for pods. */
    public readonly podLabels?: { [key: string]: string },
    /** The address range, for a CIDR peer. */
    public readonly cidrBlock?: string,
  ) {}
}
