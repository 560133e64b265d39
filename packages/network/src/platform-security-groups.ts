import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Fn, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { cidrPeer } from './private/peers';
import { requireCidr, requireIpv4Cidr, requirePorts } from './private/validate';

/** Props of {@link PlatformSecurityGroups}. */
export interface PlatformSecurityGroupsProps {
  /** The VPC the groups live in. */
  readonly vpc: ec2.IVpc;

  /**
   * The VPC's IPv4 CIDR as a literal, used in rules that admit the VPC (a
   * literal keeps rules readable and checkable by cdk-nag).
   *
   * @default vpc.vpcCidrBlock
   */
  readonly vpcCidr?: string;

  /**
   * The VPC's IPv6 block, admitted with the VPC when `ipv6` is on.
   *
   * @default - the first block of `vpc.vpcIpv6CidrBlocks` when `vpc` is an `ec2.Vpc`
   */
  readonly vpcIpv6Cidr?: string;

  /**
   * CIDR blocks of peered VPCs (for example the DR region). They are admitted
   * by the peering group, the internal NLB group and nothing else.
   *
   * @default - no peering group is created
   */
  readonly peerCidrs?: string[];

  /**
   * Sources admitted by the internet-facing ALB on 443 (and 80, for redirect).
   *
   * @default ['0.0.0.0/0'], plus '::/0' when `ipv6` is on
   */
  readonly albIngressCidrs?: string[];

  /**
   * The VPC is dual-stack: the ALB also admits `::/0` by default and the
   * internal groups admit the VPC's IPv6 block.
   *
   * @default false
   */
  readonly ipv6?: boolean;

  /**
   * Create the internal NLB's group (`nlb`). A group is made only for a user:
   * turn it on with the NLB that takes it (for example `@keelson/mesh`'s
   * `MeshIngressGateway` `securityGroups`).
   *
   * @default - true when `nlbListenerPorts` is given, otherwise false
   */
  readonly internalLoadBalancer?: boolean;

  /**
   * Listener ports of the internal NLB, admitted from the VPC and peer CIDRs.
   *
   * @default [443]
   */
  readonly nlbListenerPorts?: number[];

  /**
   * TCP ports admitted from (and allowed to) peer CIDRs by the peering group,
   * which the nodes carry: the mesh's ports and those of exported services.
   * 443 for HTTPS services, 15008 for Istio HBONE (ambient mode: a pod in the
   * peer cluster reaches an exported service's pod through its node's ztunnel
   * on 15008), 15443 for Istio's multi-network east-west gateway. The kubelet
   * port 10250 is refused: the peer never reaches it.
   *
   * @default PlatformSecurityGroups.DEFAULT_PEERING_PORTS ([443, 15008, 15443])
   */
  readonly peeringPorts?: number[];

  /**
   * EKS cluster name. When set, the nodes group carries
   * `karpenter.sh/discovery=<clusterName>` so Karpenter attaches it to nodes.
   *
   * @default - no discovery tag
   */
  readonly clusterName?: string;
}

/**
 * The platform's security groups, each admitting the least it needs. No
 * group admits `0.0.0.0/0` or `::/0` except the public ALB on 443 and 80.
 *
 * | group | attach it to | admits | egress |
 * | --- | --- | --- | --- |
 * | `controlPlane` | the cluster (`securityGroup`) | 443 from nodes | nodes on 443/8443/9443/10250 and 15017 |
 * | `nodes` | every node, beside the EKS cluster group | all from nodes (pod-to-pod, HBONE, xDS, DNS); control plane on 443/8443/9443/10250 and 15017 (Istio webhook); ALB/NLB on 80, 443, 1024–65535 except the kubelet's 10250 (targets, gateway health 15021) | all (image pulls and AWS APIs reach changing public addresses) |
 * | `alb` | every internet-facing ALB (`alb.ingress.kubernetes.io/security-groups`) | 443 and 80 (redirect only) from `albIngressCidrs` | nodes on target ports |
 * | `nlb` (with `internalLoadBalancer`) | the mesh gateway's NLB (`service.beta.kubernetes.io/aws-load-balancer-security-groups`) | listener ports from the VPC and peer CIDRs | nodes on target ports |
 * | `peering` | every node, when there are peer CIDRs | `peeringPorts` from peer CIDRs only (never 10250) | peer CIDRs on `peeringPorts` |
 *
 * The EKS cluster security group stays on the control plane and the nodes: it
 * admits everything between them (webhooks on any port), so these groups only
 * add paths (from load balancers and the peer VPC) and never cut one EKS needs.
 */
export class PlatformSecurityGroups extends Construct {
  /**
   * TCP ports the EKS control plane calls on nodes: 10250 kubelet (logs, exec,
   * metrics) and the ports admission webhooks commonly serve on (443, 8443
   * Gatekeeper, 9443 AWS Load Balancer Controller / Kyverno / Karpenter).
   */
  public static readonly CONTROL_PLANE_TO_NODE_PORTS = [443, 8443, 9443, 10250];

  /** The default `peeringPorts`: HTTPS, Istio HBONE, Istio's east-west gateway. */
  public static readonly DEFAULT_PEERING_PORTS = [443, 15008, 15443];

  /** The kubelet's port, never admitted from a peer. */
  public static readonly KUBELET_PORT = 10250;

  /** Istio ports: HBONE (ambient ztunnel tunnels between nodes). */
  public static readonly MESH_HBONE_PORT = 15008;
  /** Istio ports: xDS and CA from istiod to every proxy. */
  public static readonly MESH_XDS_PORT = 15012;
  /** Istio ports: istiod's sidecar-injection and validation webhook, called by the API server. */
  public static readonly MESH_WEBHOOK_PORT = 15017;
  /** Istio ports: gateway health/readiness, probed by load balancers. */
  public static readonly MESH_HEALTH_PORT = 15021;

  /** Additional security group for the EKS control plane's ENIs. */
  public readonly controlPlane: ec2.ISecurityGroup;
  /** Security group for worker nodes (and pods sharing the node ENI); nodes carry it beside the EKS cluster group. */
  public readonly nodes: ec2.ISecurityGroup;
  /** Internet-facing Application Load Balancer. */
  public readonly alb: ec2.ISecurityGroup;
  /** Internal Network Load Balancer; undefined unless `internalLoadBalancer`. */
  public readonly nlb?: ec2.ISecurityGroup;
  /** Cross-region peering traffic, carried by the nodes; undefined when no peer CIDRs are given. */
  public readonly peering?: ec2.ISecurityGroup;

  constructor(scope: Construct, id: string, props: PlatformSecurityGroupsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'network-security-groups');
    const vpc = props.vpc;
    const peerCidrs = props.peerCidrs ?? [];
    if (props.vpcCidr) requireIpv4Cidr(this, 'vpcCidr', props.vpcCidr);
    peerCidrs.forEach((c, i) => requireIpv4Cidr(this, `peerCidrs[${i}]`, c));
    (props.albIngressCidrs ?? []).forEach((c, i) => requireCidr(this, `albIngressCidrs[${i}]`, c));
    if (props.nlbListenerPorts) requirePorts(this, 'nlbListenerPorts', props.nlbListenerPorts);
    if (props.peeringPorts) requirePorts(this, 'peeringPorts', props.peeringPorts);
    const peeringPorts = props.peeringPorts ?? PlatformSecurityGroups.DEFAULT_PEERING_PORTS;
    if (peeringPorts.includes(PlatformSecurityGroups.KUBELET_PORT)) {
      PropsCheck.fail(this, 'peeringPorts', `lists the kubelet port ${PlatformSecurityGroups.KUBELET_PORT}`, 'remove it: a peer VPC must never reach the kubelet; list the mesh and exported service ports only');
    }
    const vpcPeers = [ec2.Peer.ipv4(props.vpcCidr ?? vpc.vpcCidrBlock)];
    if (props.ipv6) vpcPeers.push(ec2.Peer.ipv6(props.vpcIpv6Cidr ?? this.firstIpv6Block(vpc)));

    const controlPlane = new ec2.SecurityGroup(this, 'ControlPlane', {
      vpc,
      description: 'EKS control plane: 443 from nodes; egress to kubelet and webhooks only',
      allowAllOutbound: false,
    });
    const nodes = new ec2.SecurityGroup(this, 'Nodes', {
      vpc,
      description: 'EKS nodes: node-to-node, control plane, load balancers; egress all for image pulls and AWS APIs',
      allowAllOutbound: true,
      allowAllIpv6Outbound: props.ipv6 ?? false,
    });
    const alb = new ec2.SecurityGroup(this, 'Alb', {
      vpc,
      description: 'Internet-facing ALB: 443, and 80 for redirect to 443; egress to node targets',
      allowAllOutbound: false,
    });
    const nlb = (props.internalLoadBalancer ?? props.nlbListenerPorts !== undefined) ? new ec2.SecurityGroup(this, 'Nlb', {
      vpc,
      description: 'Internal NLB: listener ports from the VPC and peer CIDRs; egress to node targets',
      allowAllOutbound: false,
    }) : undefined;

    // Control plane <-> nodes.
    nodes.addIngressRule(nodes, ec2.Port.allTraffic(), 'Node-to-node and pod-to-pod (VPC CNI), CoreDNS');
    Validations.of(nodes).acknowledge({
      id: 'NIST.800.53.R5-EC2RestrictedCommonPorts',
      reason: 'The only all-port rule admits traffic from the nodes security group itself (pod-to-pod under the VPC CNI); no port is open to a CIDR',
    });
    controlPlane.addIngressRule(nodes, ec2.Port.tcp(443), 'Kubernetes API from kubelets and pods');
    for (const port of [...PlatformSecurityGroups.CONTROL_PLANE_TO_NODE_PORTS, PlatformSecurityGroups.MESH_WEBHOOK_PORT]) {
      nodes.addIngressRule(controlPlane, ec2.Port.tcp(port), `Control plane to kubelet/webhook ${port}`);
      controlPlane.addEgressRule(nodes, ec2.Port.tcp(port), `Kubelet/webhook ${port} on nodes`);
    }

    // Load balancers -> node targets (instance and IP mode); 1024-65535 covers the Istio gateway's health port 15021.
    // The kubelet is never a load balancer target, so its port is left out of the range.
    const kubelet = PlatformSecurityGroups.KUBELET_PORT;
    const targetPorts = [ec2.Port.tcp(80), ec2.Port.tcp(443), ec2.Port.tcpRange(1024, kubelet - 1), ec2.Port.tcpRange(kubelet + 1, 65535)];
    for (const [name, lb] of [['ALB', alb], ...(nlb ? [['NLB', nlb]] as const : [])] as const) {
      for (const port of targetPorts) {
        nodes.addIngressRule(lb, port, `${name} to targets on ${port.toString()}`);
        lb.addEgressRule(nodes, port, `Targets on ${port.toString()}`);
      }
    }

    // ALB listeners: the only internet-open rules.
    const albSources = props.albIngressCidrs ?? (props.ipv6 ? ['0.0.0.0/0', '::/0'] : ['0.0.0.0/0']);
    for (const cidr of albSources) {
      alb.addIngressRule(cidrPeer(cidr), ec2.Port.tcp(443), 'HTTPS listener');
      alb.addIngressRule(cidrPeer(cidr), ec2.Port.tcp(80), 'HTTP listener: redirect to HTTPS only');
    }
    if (albSources.some((c) => c === '0.0.0.0/0' || c === '::/0')) {
      Validations.of(alb).acknowledge({
        id: 'AwsSolutions-EC23',
        reason: 'Internet-facing ALB listeners: 443 serves HTTPS and 80 only redirects to 443; no other port is open to the internet',
      });
    }

    // Internal NLB listeners.
    for (const port of nlb ? props.nlbListenerPorts ?? [443] : []) {
      for (const peer of [...vpcPeers, ...peerCidrs.map(cidrPeer)]) {
        nlb!.addIngressRule(peer, ec2.Port.tcp(port), `NLB listener ${port}`);
      }
    }

    if (peerCidrs.length > 0) {
      const peering = new ec2.SecurityGroup(this, 'Peering', {
        vpc,
        description: 'Cross-region peering: peeringPorts from and to peer CIDRs only',
        allowAllOutbound: false,
      });
      for (const cidr of peerCidrs) {
        for (const port of peeringPorts) {
          peering.addIngressRule(cidrPeer(cidr), ec2.Port.tcp(port), `Peer ${cidr} on ${port}`);
          peering.addEgressRule(cidrPeer(cidr), ec2.Port.tcp(port), `Peer ${cidr} on ${port}`);
        }
      }
      this.peering = peering;
    }

    if (props.clusterName) Tags.of(nodes).add('karpenter.sh/discovery', props.clusterName);
    if (props.ipv6 && nlb) {
      Validations.of(nlb).acknowledge({
        id: 'AwsSolutions-EC23',
        reason: 'The IPv6 rule admits the VPC\'s own Amazon-provided IPv6 block, known only at deploy time (a token cdk-nag cannot evaluate); it is never ::/0',
      });
      Validations.of(nlb).acknowledge({
        id: 'NIST.800.53.R5-EC2RestrictedSSH',
        reason: 'The rule cdk-nag cannot evaluate admits only the NLB listener ports from the VPC\'s own IPv6 block (a deploy-time token); SSH is not open',
      });
    }
    this.controlPlane = controlPlane;
    this.nodes = nodes;
    this.alb = alb;
    this.nlb = nlb;
  }
  private firstIpv6Block(vpc: ec2.IVpc): string {
    const blocks = (vpc as { vpcIpv6CidrBlocks?: string[] }).vpcIpv6CidrBlocks;
    if (!blocks) {
      PropsCheck.fail(this, 'vpcIpv6Cidr', 'is needed with ipv6 when vpc is not an ec2.Vpc', 'pass the VPC\'s IPv6 block, or pass a dual-stack ec2.Vpc');
    }
    return Fn.select(0, blocks!);
  }
}
