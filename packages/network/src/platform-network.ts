import { Cidr, KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming, VpcCidrRule } from '@keelson/conventions';
import { Fn, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformEndpoint } from './platform-endpoint';
import { FlowLogOptions, PlatformFlowLogs } from './platform-flow-logs';
import { PlatformNetworkAcls } from './platform-network-acls';
import { PlatformSecurityGroups } from './platform-security-groups';
import { cidrPeer } from './private/peers';
import { requireCidr, requireIpv4Cidr, requirePorts } from './private/validate';

/** How many NAT gateways the VPC runs. */
export enum NatGatewayMode {
  /** One shared gateway in the first AZ: cheapest, for dev; an AZ outage cuts egress. */
  SINGLE = 'SINGLE',
  /** One gateway per AZ: resilient to an AZ outage, for production. */
  PER_AZ = 'PER_AZ',
}

/** Props of {@link PlatformNetwork}. */
export interface PlatformNetworkProps extends KeelsonCommonProps {
  /**
   * EKS cluster name, used in the subnet discovery tags
   * (`kubernetes.io/cluster/<name>=shared`, `karpenter.sh/discovery=<name>`).
   */
  readonly clusterName: string;

  /**
   * IPv4 CIDR of the VPC, `/16` to `/28`. It must hold every subnet of every
   * AZ; the check is done at synth.
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;

  /**
   * Number of availability zones, 2–6.
   *
   * @default 3, or the length of `availabilityZones`
   */
  readonly maxAzs?: number;

  /**
   * Explicit availability zones. Their count must match `maxAzs` when both are given.
   *
   * @default - the first `maxAzs` zones of the stack's region
   */
  readonly availabilityZones?: string[];

  /**
   * NAT gateway layout.
   *
   * @default NatGatewayMode.PER_AZ
   */
  readonly natGateways?: NatGatewayMode;

  /**
   * Add an isolated subnet tier (no internet route) for data stores.
   *
   * @default false
   */
  readonly isolatedSubnets?: boolean;

  /**
   * Dual-stack: an Amazon-provided IPv6 /56, a /64 per subnet and an
   * egress-only internet gateway, for IPv6 EKS clusters.
   *
   * @default false
   */
  readonly ipv6?: boolean;

  /**
   * Prefix length of each public subnet.
   *
   * @default 24
   */
  readonly publicSubnetMask?: number;

  /**
   * Prefix length of each private (node) subnet. Pods take VPC addresses, so
   * this tier is the large one.
   *
   * @default 19
   */
  readonly privateSubnetMask?: number;

  /**
   * Prefix length of each isolated subnet.
   *
   * @default 24
   */
  readonly isolatedSubnetMask?: number;

  /**
   * Interface endpoints (private DNS on) to create.
   *
   * @default PlatformEndpoint.DEFAULTS (ECR API, ECR DKR, EC2, CloudWatch Logs, STS)
   */
  readonly interfaceEndpoints?: PlatformEndpoint[];

  /**
   * Interface endpoints created in addition to `interfaceEndpoints`.
   *
   * @default - none
   */
  readonly additionalInterfaceEndpoints?: PlatformEndpoint[];

  /**
   * CIDRs of peered VPCs (for example the DR region). They are admitted by the
   * endpoint group, the internal NLB group, the peering group and the ACLs.
   * At most 10; none may overlap this VPC.
   *
   * @default - none
   */
  readonly peerCidrs?: string[];

  /**
   * Sources the internet-facing ALB admits on 443 and 80.
   *
   * @default ['0.0.0.0/0'] (plus '::/0' with `ipv6`)
   */
  readonly albIngressCidrs?: string[];

  /**
   * Create the internal NLB's security group (`securityGroups.nlb`); turn it
   * on with the NLB that takes it.
   *
   * @default - true when `nlbListenerPorts` is given, otherwise false
   */
  readonly internalLoadBalancer?: boolean;

  /**
   * Internal NLB listener ports.
   *
   * @default [443]
   */
  readonly nlbListenerPorts?: number[];

  /**
   * TCP ports the peering group admits from peer CIDRs.
   *
   * @default PlatformSecurityGroups.DEFAULT_PEERING_PORTS ([443, 15008, 15443])
   */
  readonly peeringPorts?: number[];

  /**
   * Flow-log settings. Flow logs for ALL traffic are always on.
   *
   * @default - 30-day retention, a new KMS key, no S3 copy
   */
  readonly flowLogs?: FlowLogOptions;

  /**
   * Add the least-privilege network ACL set (see {@link PlatformNetworkAcls}).
   *
   * @default false
   */
  readonly networkAcls?: boolean;

  /**
   * Strip all rules from the VPC's default security group (a custom
   * resource), so nothing can use it by accident.
   *
   * @default true
   */
  readonly restrictDefaultSecurityGroup?: boolean;
}

const DEFAULT_CIDR = '10.0.0.0/16';

/**
 * The platform VPC: public, private and optional isolated subnets across 2–6
 * AZs, NAT gateways, an S3 gateway endpoint and interface endpoints, the
 * platform security groups, encrypted flow logs and optional network ACLs,
 * with the subnet tags EKS, the AWS Load Balancer Controller and Karpenter
 * discover.
 */
export class PlatformNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The VPC's IPv4 CIDR. */
  public readonly vpcCidr: string;
  /** The availability zones in use. */
  public readonly availabilityZones: string[];
  /** Public subnets, one per AZ (ALBs, NAT gateways). */
  public readonly publicSubnets: ec2.ISubnet[];
  /** Private subnets with egress, one per AZ (nodes and pods). */
  public readonly privateSubnets: ec2.ISubnet[];
  /** Isolated subnets, one per AZ (data stores); empty unless `isolatedSubnets`. */
  public readonly isolatedSubnets: ec2.ISubnet[];
  /** The platform security groups. */
  public readonly securityGroups: PlatformSecurityGroups;
  /** Security group of the interface endpoints: HTTPS from the VPC and peers only. */
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.IGatewayVpcEndpoint;
  /** The interface endpoints, in the order requested. */
  public readonly interfaceEndpoints: ec2.IInterfaceVpcEndpoint[];
  /** Flow-log resources. */
  public readonly flowLogs: PlatformFlowLogs;
  /** The encrypted flow-log group. */
  public readonly flowLogGroup: logs.ILogGroup;
  /** The key encrypting the flow-log group. */
  public readonly flowLogKey: kms.IKey;
  /** The network ACLs, when `networkAcls` is on. */
  public readonly networkAcls?: PlatformNetworkAcls;

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    KeelsonTags.component(this, 'network');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const stack = Stack.of(this);

    validateClusterName(this, props.clusterName);
    const cidrText = props.cidr ?? DEFAULT_CIDR;
    requireIpv4Cidr(this, 'cidr', cidrText);
    const azs = resolveAzs(this, stack, props);
    const azCount = azs?.length ?? props.maxAzs ?? 3;
    const masks: Array<[string, number]> = [
      ['publicSubnetMask', props.publicSubnetMask ?? VpcCidrRule.DEFAULT_PUBLIC_SUBNET_MASK],
      ['privateSubnetMask', props.privateSubnetMask ?? VpcCidrRule.DEFAULT_PRIVATE_SUBNET_MASK],
    ];
    if (props.isolatedSubnets) masks.push(['isolatedSubnetMask', props.isolatedSubnetMask ?? VpcCidrRule.DEFAULT_ISOLATED_SUBNET_MASK]);
    // The one VPC bound (conventions), which configuration schemas apply too.
    const [problem] = VpcCidrRule.problems(cidrText, {
      availabilityZoneCount: azCount,
      publicSubnetMask: masks[0][1],
      privateSubnetMask: masks[1][1],
      isolatedSubnetMask: masks[2]?.[1],
    });
    if (problem) PropsCheck.fail(this, problem.field, problem.problem, problem.fix);
    const peerCidrs = props.peerCidrs ?? [];
    PropsCheck.inRange(this, 'peerCidrs (count)', peerCidrs.length, 0, 10);
    peerCidrs.forEach((text, i) => {
      requireIpv4Cidr(this, `peerCidrs[${i}]`, text);
      if (Cidr.overlaps(text, cidrText)) {
        PropsCheck.fail(this, `peerCidrs[${i}]`, `${text} overlaps the VPC cidr ${cidrText}`, 'give the peer VPC a non-overlapping CIDR; peering cannot route overlapping blocks');
      }
    });
    (props.albIngressCidrs ?? []).forEach((text, i) => requireCidr(this, `albIngressCidrs[${i}]`, text));
    if (props.albIngressCidrs && props.albIngressCidrs.length === 0) {
      PropsCheck.fail(this, 'albIngressCidrs', 'is empty', 'list at least one source CIDR or omit the prop for 0.0.0.0/0');
    }
    if (props.nlbListenerPorts) requirePorts(this, 'nlbListenerPorts', props.nlbListenerPorts);
    if (props.peeringPorts) requirePorts(this, 'peeringPorts', props.peeringPorts);

    // VPC.
    const subnetConfiguration: ec2.SubnetConfiguration[] = [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: masks[0][1], mapPublicIpOnLaunch: false },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: masks[1][1] },
    ];
    if (props.isolatedSubnets) {
      subnetConfiguration.push({ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: masks[2][1] });
    }
    const natMode = props.natGateways ?? NatGatewayMode.PER_AZ;
    const vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: naming.name('platform-vpc', 255),
      ipAddresses: ec2.IpAddresses.cidr(cidrText),
      ...(azs ? { availabilityZones: azs } : { maxAzs: azCount }),
      subnetConfiguration,
      natGateways: natMode === NatGatewayMode.SINGLE ? 1 : azCount,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      ipProtocol: props.ipv6 ? ec2.IpProtocol.DUAL_STACK : ec2.IpProtocol.IPV4_ONLY,
      restrictDefaultSecurityGroup: props.restrictDefaultSecurityGroup ?? true,
    });
    if (vpc.availabilityZones.length !== azCount) {
      PropsCheck.fail(this, 'maxAzs', `${azCount} AZs were asked for but the stack offers ${vpc.availabilityZones.length}`,
        'pass availabilityZones explicitly, or give the stack an environment whose AZs are known (context availability-zones:…)');
    }
    if (!vpc.availabilityZones.some((az) => Token.isUnresolved(az))) {
      Validations.of(vpc).acknowledge({
        id: 'CloudFormation-Validate::W3010',
        reason: 'Subnets sit in the named AZs the platform chose (availabilityZones or the stack environment\'s AZ context); naming them is the point, not a portability bug',
      });
    }
    this.vpc = vpc;
    this.vpcCidr = cidrText;
    this.availabilityZones = vpc.availabilityZones;
    this.publicSubnets = vpc.publicSubnets;
    this.privateSubnets = vpc.privateSubnets;
    this.isolatedSubnets = vpc.isolatedSubnets;

    // Discovery tags: EKS, the AWS Load Balancer Controller, Karpenter.
    const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;
    if (props.ipv6) {
      for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
        Validations.of(subnet).acknowledge({
          id: 'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled',
          reason: 'Dual-stack mode assigns each ENI an IPv6 address, which is how IPv6 clusters give pods addresses; private subnets reach out only through the egress-only gateway, which admits no inbound connection',
        });
      }
    }
    for (const subnet of vpc.publicSubnets) {
      Validations.of(subnet).acknowledge({
        id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        reason: 'The route to the internet gateway is what makes this a public subnet: it holds only internet-facing load balancers and NAT gateways; nodes and pods run in private subnets',
      });
      Tags.of(subnet).add('kubernetes.io/role/elb', '1');
      Tags.of(subnet).add(clusterTag, 'shared');
    }
    for (const subnet of vpc.privateSubnets) {
      Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
      Tags.of(subnet).add('karpenter.sh/discovery', props.clusterName);
      Tags.of(subnet).add(clusterTag, 'shared');
    }

    // Security groups.
    this.securityGroups = new PlatformSecurityGroups(this, 'SecurityGroups', {
      vpc,
      vpcCidr: cidrText,
      peerCidrs,
      albIngressCidrs: props.albIngressCidrs,
      ipv6: props.ipv6,
      internalLoadBalancer: props.internalLoadBalancer,
      nlbListenerPorts: props.nlbListenerPorts,
      peeringPorts: props.peeringPorts,
      clusterName: props.clusterName,
    });

    // Endpoints.
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: 'VPC interface endpoints: HTTPS from the VPC and peered CIDRs only',
      allowAllOutbound: false,
    });
    endpointSg.addIngressRule(ec2.Peer.ipv4(cidrText), ec2.Port.tcp(443), 'HTTPS from the VPC');
    if (props.ipv6) endpointSg.addIngressRule(ec2.Peer.ipv6(Fn.select(0, vpc.vpcIpv6CidrBlocks)), ec2.Port.tcp(443), 'HTTPS from the VPC (IPv6)');
    peerCidrs.forEach((peer) => endpointSg.addIngressRule(cidrPeer(peer), ec2.Port.tcp(443), `HTTPS from peer ${peer}`));
    if (props.ipv6) {
      Validations.of(endpointSg).acknowledge({
        id: 'AwsSolutions-EC23',
        reason: 'The IPv6 rule admits the VPC\'s own Amazon-provided IPv6 block, known only at deploy time (a token cdk-nag cannot evaluate); it is never ::/0',
      });
      Validations.of(endpointSg).acknowledge({
        id: 'NIST.800.53.R5-EC2RestrictedSSH',
        reason: 'The rule cdk-nag cannot evaluate admits only TCP 443 from the VPC\'s own IPv6 block (a deploy-time token); SSH is not open',
      });
    }
    this.endpointSecurityGroup = endpointSg;

    const gatewaySubnets: ec2.SubnetSelection[] = [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }];
    if (props.isolatedSubnets) gatewaySubnets.push({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    this.s3Endpoint = vpc.addGatewayEndpoint('S3Endpoint', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: gatewaySubnets,
    });

    const endpoints = dedupe([...(props.interfaceEndpoints ?? PlatformEndpoint.DEFAULTS), ...(props.additionalInterfaceEndpoints ?? [])]);
    this.interfaceEndpoints = endpoints.map((endpoint) => vpc.addInterfaceEndpoint(`Endpoint-${endpoint.id}`, {
      service: endpoint.service,
      privateDnsEnabled: true,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [endpointSg],
      open: false,
    }));

    // Flow logs.
    this.flowLogs = new PlatformFlowLogs(this, 'FlowLogs', {
      ...props.flowLogs,
      vpc,
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
    });
    this.flowLogGroup = this.flowLogs.logGroup;
    this.flowLogKey = this.flowLogs.key;

    if (props.networkAcls) {
      this.networkAcls = new PlatformNetworkAcls(this, 'NetworkAcls', {
        vpc,
        vpcCidr: cidrText,
        vpcIpv6Cidr: props.ipv6 ? Fn.select(0, vpc.vpcIpv6CidrBlocks) : undefined,
        peerCidrs,
      });
    }
  }
}

function dedupe(endpoints: PlatformEndpoint[]): PlatformEndpoint[] {
  const seen = new Set<string>();
  return endpoints.filter((e) => !seen.has(e.id) && !!seen.add(e.id));
}

function validateClusterName(scope: Construct, name: string): void {
  if (Token.isUnresolved(name)) {
    PropsCheck.fail(scope, 'clusterName', 'is an unresolved token', 'pass the cluster name as a literal; it is used in tag keys');
  }
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(name)) {
    PropsCheck.fail(scope, 'clusterName', `"${name}" is not a valid EKS cluster name`, 'use 1–100 letters, digits, hyphens or underscores, starting with a letter or digit');
  }
}

/** The AZ list to pass to ec2.Vpc, or undefined to let it pick `maxAzs` from the stack. */
function resolveAzs(scope: Construct, stack: Stack, props: PlatformNetworkProps): string[] | undefined {
  if (props.maxAzs !== undefined) PropsCheck.inRange(scope, 'maxAzs', props.maxAzs, 2, 6);
  if (props.availabilityZones) {
    const azs = props.availabilityZones;
    if (azs.length < 2 || azs.length > 6) {
      PropsCheck.fail(scope, 'availabilityZones', `lists ${azs.length} zones; the platform spans 2–6`, 'list 2 to 6 zones');
    }
    if (props.maxAzs !== undefined && props.maxAzs !== azs.length) {
      PropsCheck.fail(scope, 'availabilityZones', `lists ${azs.length} zones but maxAzs is ${props.maxAzs}`,
        `list ${props.maxAzs} zones, or set maxAzs to ${azs.length} (or omit it)`);
    }
    if (new Set(azs).size !== azs.length) {
      PropsCheck.fail(scope, 'availabilityZones', `repeats a zone (${azs.join(', ')})`, 'list each zone once');
    }
    return azs;
  }
  // An environment-agnostic stack offers only two AZ tokens; select as many as asked for.
  if (Token.isUnresolved(stack.region)) {
    return Array.from({ length: props.maxAzs ?? 3 }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
  return undefined;
}
