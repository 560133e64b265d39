import { Cidr, KeelsonCommonProps, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformCluster, PlatformNodePoolsOptions } from '@keelson/eks-core';
import { FlowLogOptions, NatGatewayMode, PlatformNetwork } from '@keelson/network';
import { SecurityBaseline, SecurityBaselineProps } from '@keelson/security';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PlatformSpec } from './platform-spec';

/** Props of {@link RegionalPlatform}: the shared spec plus this region's settings. */
export interface RegionalPlatformProps extends KeelsonCommonProps {
  /** The settings shared by every region of the platform. */
  readonly spec: PlatformSpec;

  /** This region's VPC CIDR. */
  readonly vpcCidr: string;

  /**
   * Explicit availability zones (3 by default); pass them when the stack has
   * an explicit env so synth needs no lookup.
   *
   * @default - network's default (3 AZs from the stack)
   */
  readonly availabilityZones?: string[];

  /**
   * NAT gateways.
   *
   * @default NatGatewayMode.PER_AZ
   */
  readonly natGateways?: NatGatewayMode;

  /**
   * CIDRs of peered VPCs (the other region): admitted by the endpoint,
   * internal NLB and peering security groups, nothing else.
   *
   * @default - none
   */
  readonly peerCidrs?: string[];

  /**
   * Qualifier inserted in the cluster name: `<base>-<qualifier>-<suffix>`.
   *
   * @default - none: `<base>-<suffix>`
   */
  readonly clusterNameQualifier?: string;

  /**
   * Node pools for this region; replaces the spec's pools (used by the DR
   * platform for its scaled-down counts).
   *
   * @default - the spec's node pools
   */
  readonly nodePools?: PlatformNodePoolsOptions;

  /**
   * Flow-log options of the VPC.
   *
   * @default - network's defaults (30 days, new key)
   */
  readonly flowLogs?: FlowLogOptions;

  /**
   * Create the region's security baseline (GuardDuty, Security Hub, alerts,
   * CloudTrail, WAF) from `@keelson/security` with these props. Off by default
   * because GuardDuty allows one detector per account and region: turn it on
   * here, or deploy `SecurityBaseline` in its own stack per region.
   *
   * @default - no security baseline
   */
  readonly securityBaseline?: SecurityBaselineProps;
}

/**
 * One region of the platform: the VPC (subnets, route tables, NAT, endpoints,
 * security groups, flow logs) and the hardened EKS cluster (private + public
 * endpoint with allow-list, KMS-encrypted secrets, every control-plane log
 * type), both built from the shared {@link PlatformSpec}. Use it for the
 * primary region; {@link DisasterRecoveryPlatform} uses it for the DR region.
 */
export class RegionalPlatform extends Construct {
  /** The network. */
  public readonly network: PlatformNetwork;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The VPC CIDR. */
  public readonly vpcCidr: string;
  /** The cluster. */
  public readonly platformCluster: PlatformCluster;
  /** The cluster's name. */
  public readonly clusterName: string;
  /** The spec this region was built from. */
  public readonly spec: PlatformSpec;
  /** The region's security baseline, when requested. */
  public readonly securityBaseline?: SecurityBaseline;

  constructor(scope: Construct, id: string, props: RegionalPlatformProps) {
    super(scope, id);
    KeelsonTags.component(this, 'regional-platform');
    const spec = props.spec;
    const environmentSuffix = props.environmentSuffix ?? spec.environmentSuffix;
    const removalPolicy = props.removalPolicy ?? spec.removalPolicy;
    Cidr.check(this, 'vpcCidr', props.vpcCidr, 4);
    (props.peerCidrs ?? []).forEach((peer, i) => Cidr.checkDisjoint(this, 'vpcCidr', props.vpcCidr, `peerCidrs[${i}]`, peer));
    const base = spec.clusterNameBase ?? 'platform';
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(base)) {
      PropsCheck.fail(this, 'spec.clusterNameBase', `"${base}" is not a usable name base`, 'use 1–41 lowercase letters, digits or hyphens, starting with a letter');
    }
    const suffix = environmentSuffix ?? 'dev';
    this.clusterName = [base, props.clusterNameQualifier, suffix].filter((p) => p).join('-');
    this.spec = spec;

    this.network = new PlatformNetwork(this, 'Network', {
      clusterName: this.clusterName,
      environmentSuffix,
      removalPolicy,
      cidr: props.vpcCidr,
      availabilityZones: props.availabilityZones,
      natGateways: props.natGateways,
      peerCidrs: props.peerCidrs,
      flowLogs: props.flowLogs,
    });
    this.vpc = this.network.vpc;
    this.vpcCidr = props.vpcCidr;

    // The platform's groups are attached: the control plane's, and on every node the nodes group and (with peers) the peering group.
    const groups = this.network.securityGroups;
    this.platformCluster = new PlatformCluster(this, 'Cluster', {
      vpc: this.vpc,
      securityGroup: groups.controlPlane,
      nodeSecurityGroups: [groups.nodes, ...(groups.peering ? [groups.peering] : [])],
      clusterName: this.clusterName,
      environmentSuffix,
      removalPolicy,
      version: spec.version,
      endpointAccess: spec.endpointAccess,
      publicAccessCidrs: spec.publicAccessCidrs,
      logRetention: spec.logRetention,
      access: spec.access,
      addons: spec.addons,
      nodePools: props.nodePools ?? spec.nodePools,
    });

    if (props.securityBaseline) {
      this.securityBaseline = new SecurityBaseline(this, 'SecurityBaseline', {
        environmentSuffix,
        removalPolicy,
        ...props.securityBaseline,
      });
    }
  }
}
