import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { requireIpv4Cidr } from './private/validate';

/** Props of {@link PlatformNetworkAcls}. */
export interface PlatformNetworkAclsProps {
  /** The VPC whose subnets get the ACLs. */
  readonly vpc: ec2.IVpc;

  /**
   * The VPC's IPv4 CIDR as a literal, so rules are readable and checkable.
   */
  readonly vpcCidr: string;

  /**
   * The VPC's IPv6 block (token allowed). When set, every rule that names
   * the internet or the VPC is mirrored for IPv6 (rule number + 1000).
   *
   * @default - IPv4 rules only
   */
  readonly vpcIpv6Cidr?: string;

  /**
   * Peered VPC CIDRs, admitted like the VPC itself. At most 10 (one rule number each).
   *
   * @default - none
   */
  readonly peerCidrs?: string[];
}

/** What a rule matches. */
enum Traffic { ALL, TCP_443, TCP_80, TCP_EPHEMERAL, TCP_22, TCP_3389 }
/** Where a rule points. */
enum Target { ANY, VPC, PEERS }

interface RuleSpec {
  readonly rule: number;
  readonly egress: boolean;
  readonly traffic: Traffic;
  readonly target: Target;
  readonly deny?: boolean;
}

/**
 * Public subnets: the ALB listeners and NAT gateways. Return traffic for NAT'd
 * and ALB connections arrives on ephemeral ports 1024–65535 (NAT gateways use
 * that whole range as source ports).
 */
const PUBLIC_RULES: RuleSpec[] = [
  { rule: 100, egress: false, traffic: Traffic.ALL, target: Target.VPC },
  { rule: 110, egress: false, traffic: Traffic.ALL, target: Target.PEERS },
  { rule: 200, egress: false, traffic: Traffic.TCP_443, target: Target.ANY },
  { rule: 210, egress: false, traffic: Traffic.TCP_80, target: Target.ANY },
  { rule: 220, egress: false, traffic: Traffic.TCP_EPHEMERAL, target: Target.ANY },
  { rule: 100, egress: true, traffic: Traffic.ALL, target: Target.VPC },
  { rule: 110, egress: true, traffic: Traffic.ALL, target: Target.PEERS },
  { rule: 200, egress: true, traffic: Traffic.TCP_443, target: Target.ANY },
  { rule: 210, egress: true, traffic: Traffic.TCP_80, target: Target.ANY },
  { rule: 220, egress: true, traffic: Traffic.TCP_EPHEMERAL, target: Target.ANY },
];

/**
 * Private subnets: nodes. Anything from the VPC and peers; from elsewhere only
 * return traffic on ephemeral ports — with remote-admin ports (22, 3389)
 * denied first, since the ephemeral range would otherwise cover 3389.
 * Egress to the internet only on 443 and 80 (through NAT).
 */
const PRIVATE_RULES: RuleSpec[] = [
  { rule: 100, egress: false, traffic: Traffic.ALL, target: Target.VPC },
  { rule: 110, egress: false, traffic: Traffic.ALL, target: Target.PEERS },
  { rule: 180, egress: false, traffic: Traffic.TCP_22, target: Target.ANY, deny: true },
  { rule: 190, egress: false, traffic: Traffic.TCP_3389, target: Target.ANY, deny: true },
  { rule: 200, egress: false, traffic: Traffic.TCP_EPHEMERAL, target: Target.ANY },
  { rule: 100, egress: true, traffic: Traffic.ALL, target: Target.VPC },
  { rule: 110, egress: true, traffic: Traffic.ALL, target: Target.PEERS },
  { rule: 200, egress: true, traffic: Traffic.TCP_443, target: Target.ANY },
  { rule: 210, egress: true, traffic: Traffic.TCP_80, target: Target.ANY },
];

/** Isolated subnets: data stores. The VPC and peers only; no internet either way. */
const ISOLATED_RULES: RuleSpec[] = [
  { rule: 100, egress: false, traffic: Traffic.ALL, target: Target.VPC },
  { rule: 110, egress: false, traffic: Traffic.ALL, target: Target.PEERS },
  { rule: 100, egress: true, traffic: Traffic.ALL, target: Target.VPC },
  { rule: 110, egress: true, traffic: Traffic.ALL, target: Target.PEERS },
];

/**
 * An optional least-privilege network ACL set: one ACL per subnet tier.
 * NACLs are stateless, so each tier admits return traffic on ephemeral ports
 * (1024–65535) wherever it initiates connections to the internet. Security
 * groups remain the fine-grained control; these ACLs are the coarse guardrail
 * (no internet path at all for isolated subnets, no remote-admin ports from
 * outside the VPC and its peers for private subnets).
 */
export class PlatformNetworkAcls extends Construct {
  /** ACL of the public subnets. */
  public readonly publicAcl: ec2.INetworkAcl;
  /** ACL of the private subnets. */
  public readonly privateAcl: ec2.INetworkAcl;
  /** ACL of the isolated subnets; undefined when the VPC has none. */
  public readonly isolatedAcl?: ec2.INetworkAcl;

  constructor(scope: Construct, id: string, props: PlatformNetworkAclsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'network-acls');
    requireIpv4Cidr(this, 'vpcCidr', props.vpcCidr);
    PropsCheck.inRange(this, 'peerCidrs (count)', (props.peerCidrs ?? []).length, 0, 10);
    (props.peerCidrs ?? []).forEach((c, i) => requireIpv4Cidr(this, `peerCidrs[${i}]`, c));

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-VPC3',
      reason: 'These ACLs are the opt-in (networkAcls: true) stateless guardrail; they admit ephemeral return traffic and the package tests evaluate packets against every rule',
    });
    this.publicAcl = this.acl('Public', props, ec2.SubnetType.PUBLIC, PUBLIC_RULES);
    this.privateAcl = this.acl('Private', props, ec2.SubnetType.PRIVATE_WITH_EGRESS, PRIVATE_RULES);
    if (props.vpc.isolatedSubnets.length > 0) {
      this.isolatedAcl = this.acl('Isolated', props, ec2.SubnetType.PRIVATE_ISOLATED, ISOLATED_RULES);
    }
  }

  private acl(name: string, props: PlatformNetworkAclsProps, subnetType: ec2.SubnetType, rules: RuleSpec[]): ec2.INetworkAcl {
    const acl = new ec2.NetworkAcl(this, name, { vpc: props.vpc, subnetSelection: { subnetType } });
    const peers = props.peerCidrs ?? [];
    for (const spec of rules) {
      const ipv4: string[] = spec.target === Target.ANY ? ['0.0.0.0/0'] : spec.target === Target.VPC ? [props.vpcCidr] : peers;
      ipv4.forEach((cidr, i) => this.entry(acl, spec, spec.rule + i, ec2.AclCidr.ipv4(cidr)));
      if (props.vpcIpv6Cidr && spec.target !== Target.PEERS) {
        const cidr = spec.target === Target.ANY ? ec2.AclCidr.anyIpv6() : ec2.AclCidr.ipv6(props.vpcIpv6Cidr);
        this.entry(acl, spec, spec.rule + 1000, cidr);
      }
    }
    return acl;
  }

  private entry(acl: ec2.NetworkAcl, spec: RuleSpec, ruleNumber: number, cidr: ec2.AclCidr): void {
    const direction = spec.egress ? ec2.TrafficDirection.EGRESS : ec2.TrafficDirection.INGRESS;
    acl.addEntry(`${spec.egress ? 'Out' : 'In'}${ruleNumber}`, {
      ruleNumber,
      cidr,
      traffic: trafficOf(spec.traffic),
      direction,
      ruleAction: spec.deny ? ec2.Action.DENY : ec2.Action.ALLOW,
    });
  }
}

function trafficOf(traffic: Traffic): ec2.AclTraffic {
  switch (traffic) {
    case Traffic.ALL: return ec2.AclTraffic.allTraffic();
    case Traffic.TCP_443: return ec2.AclTraffic.tcpPort(443);
    case Traffic.TCP_80: return ec2.AclTraffic.tcpPort(80);
    case Traffic.TCP_EPHEMERAL: return ec2.AclTraffic.tcpPortRange(1024, 65535);
    case Traffic.TCP_22: return ec2.AclTraffic.tcpPort(22);
    case Traffic.TCP_3389: return ec2.AclTraffic.tcpPort(3389);
  }
}
