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
   * Listener ports of the internal NLB, admitted from the VPC and peer CIDRs.
   *
   * @default [443]
   */
  readonly nlbListenerPorts?: number[];

  /**
   * TCP ports admitted from (and allowed to) peer CIDRs by the peering group.
   * 443 for HTTPS services, 15443 for Istio's multi-network east-west gateway.
   *
   * @default [443, 15443]
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
 * | group | admits | egress |
 * | --- | --- | --- |
 * | `controlPlane` | 443 from nodes | nodes on 443/8443/9443/10250; mesh on 15017 |
 * | `nodes` | all from nodes (pod-to-pod, DNS); control plane on 443/8443/9443/10250; ALB/NLB on 80, 443, 1024–65535 | all (image pulls and AWS APIs reach changing public addresses) |
 * | `alb` | 443 and 80 (redirect only) from `albIngressCidrs` | nodes on target ports; mesh on 15021 |
 * | `nlb` | listener ports from the VPC and peer CIDRs | nodes on target ports; mesh on 15021 |
 * | `mesh` | 15008 HBONE and 15012 xDS from mesh members; 15017 from the control plane; 15021 from ALB/NLB | mesh members on 15008/15012 |
 * | `peering` | `peeringPorts` from peer CIDRs only | peer CIDRs on `peeringPorts` |
 */
export class PlatformSecurityGroups extends Construct {
  /**
   * TCP ports the EKS control plane calls on nodes: 10250 kubelet (logs, exec,
   * metrics) and the ports admission webhooks commonly serve on (443, 8443
   * Gatekeeper, 9443 AWS Load Balancer Controller / Kyverno / Karpenter).
   */
  public static readonly CONTROL_PLANE_TO_NODE_PORTS = [443, 8443, 9443, 10250];

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
  /** Security group for worker nodes (and pods sharing the node ENI). */
  public readonly nodes: ec2.ISecurityGroup;
  /** Internet-facing Application Load Balancer. */
  public readonly alb: ec2.ISecurityGroup;
  /** Internal Network Load Balancer. */
  public readonly nlb: ec2.ISecurityGroup;
  /** Service-mesh east-west traffic; attach it to nodes that run Istio. */
  public readonly mesh: ec2.ISecurityGroup;
  /** Cross-region peering traffic; undefined when no peer CIDRs are given. */
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
    const nlb = new ec2.SecurityGroup(this, 'Nlb', {
      vpc,
      description: 'Internal NLB: listener ports from the VPC and peer CIDRs; egress to node targets',
      allowAllOutbound: false,
    });
    const mesh = new ec2.SecurityGroup(this, 'Mesh', {
      vpc,
      description: 'Istio east-west: HBONE 15008, xDS 15012 between members; webhook 15017; health 15021',
      allowAllOutbound: false,
    });

    // Control plane <-> nodes.
    nodes.addIngressRule(nodes, ec2.Port.allTraffic(), 'Node-to-node and pod-to-pod (VPC CNI), CoreDNS');
    Validations.of(nodes).acknowledge({
      id: 'NIST.800.53.R5-EC2RestrictedCommonPorts',
      reason: 'The only all-port rule admits traffic from the nodes security group itself (pod-to-pod under the VPC CNI); no port is open to a CIDR',
    });
    controlPlane.addIngressRule(nodes, ec2.Port.tcp(443), 'Kubernetes API from kubelets and pods');
    for (const port of PlatformSecurityGroups.CONTROL_PLANE_TO_NODE_PORTS) {
      nodes.addIngressRule(controlPlane, ec2.Port.tcp(port), `Control plane to kubelet/webhook ${port}`);
      controlPlane.addEgressRule(nodes, ec2.Port.tcp(port), `Kubelet/webhook ${port} on nodes`);
    }

    // Load balancers -> node targets (instance and IP mode).
    const targetPorts = [ec2.Port.tcp(80), ec2.Port.tcp(443), ec2.Port.tcpRange(1024, 65535)];
    for (const [name, lb] of [['ALB', alb], ['NLB', nlb]] as const) {
      for (const port of targetPorts) {
        nodes.addIngressRule(lb, port, `${name} to targets on ${port.toString()}`);
        lb.addEgressRule(nodes, port, `Targets on ${port.toString()}`);
      }
      mesh.addIngressRule(lb, ec2.Port.tcp(PlatformSecurityGroups.MESH_HEALTH_PORT), `${name} health checks of the Istio gateway`);
      lb.addEgressRule(mesh, ec2.Port.tcp(PlatformSecurityGroups.MESH_HEALTH_PORT), 'Istio gateway health checks');
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
    for (const port of props.nlbListenerPorts ?? [443]) {
      for (const peer of [...vpcPeers, ...peerCidrs.map(cidrPeer)]) {
        nlb.addIngressRule(peer, ec2.Port.tcp(port), `NLB listener ${port}`);
      }
    }

    // Mesh: only what Istio needs between members.
    mesh.addIngressRule(mesh, ec2.Port.tcp(PlatformSecurityGroups.MESH_HBONE_PORT), 'Istio HBONE tunnel (ztunnel) between nodes');
    mesh.addEgressRule(mesh, ec2.Port.tcp(PlatformSecurityGroups.MESH_HBONE_PORT), 'Istio HBONE tunnel (ztunnel) between nodes');
    mesh.addIngressRule(mesh, ec2.Port.tcp(PlatformSecurityGroups.MESH_XDS_PORT), 'Istio xDS and CA: proxies to istiod');
    mesh.addEgressRule(mesh, ec2.Port.tcp(PlatformSecurityGroups.MESH_XDS_PORT), 'Istio xDS and CA: proxies to istiod');
    mesh.addIngressRule(controlPlane, ec2.Port.tcp(PlatformSecurityGroups.MESH_WEBHOOK_PORT), 'API server to istiod injection/validation webhook');
    controlPlane.addEgressRule(mesh, ec2.Port.tcp(PlatformSecurityGroups.MESH_WEBHOOK_PORT), 'istiod injection/validation webhook');

    if (peerCidrs.length > 0) {
      const peering = new ec2.SecurityGroup(this, 'Peering', {
        vpc,
        description: 'Cross-region peering: peeringPorts from and to peer CIDRs only',
        allowAllOutbound: false,
      });
      for (const cidr of peerCidrs) {
        for (const port of props.peeringPorts ?? [443, 15443]) {
          peering.addIngressRule(cidrPeer(cidr), ec2.Port.tcp(port), `Peer ${cidr} on ${port}`);
          peering.addEgressRule(cidrPeer(cidr), ec2.Port.tcp(port), `Peer ${cidr} on ${port}`);
        }
      }
      this.peering = peering;
    }

    if (props.clusterName) Tags.of(nodes).add('karpenter.sh/discovery', props.clusterName);
    if (props.ipv6) {
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
    this.mesh = mesh;
  }
  private firstIpv6Block(vpc: ec2.IVpc): string {
    const blocks = (vpc as { vpcIpv6CidrBlocks?: string[] }).vpcIpv6CidrBlocks;
    if (!blocks) {
      PropsCheck.fail(this, 'vpcIpv6Cidr', 'is needed with ipv6 when vpc is not an ec2.Vpc', 'pass the VPC\'s IPv6 block, or pass a dual-stack ec2.Vpc');
    }
    return Fn.select(0, blocks!);
  }
}
