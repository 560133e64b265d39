import { Cidr, KeelsonCommonProps, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformCluster, PlatformNodePoolsOptions } from '@keelson/eks-core';
import { FlowLogOptions, NatGatewayMode, PlatformNetwork } from '@keelson/network';
import { Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PlatformSpec } from './platform-spec';
import { buildPlatformRegion } from './private/platform-region';
import { scaleNodePools } from './private/scale';

/** Props of {@link DisasterRecoveryPlatform}: the primary's spec plus DR overrides. */
export interface DisasterRecoveryPlatformProps extends KeelsonCommonProps {
  /** The spec the primary platform is built from (the same object). */
  readonly spec: PlatformSpec;

  /** The primary VPC's CIDR: admitted by the DR security groups and checked for overlap. */
  readonly primaryVpcCidr: string;

  /** The DR VPC's CIDR; must not overlap `primaryVpcCidr`. */
  readonly drVpcCidr: string;

  /**
   * Availability zones of the DR region (pass them when the stack has an explicit env).
   *
   * @default - network's default (3 AZs from the stack)
   */
  readonly availabilityZones?: string[];

  /**
   * Factor applied to the minimum and desired node counts of every pool
   * (maximums are kept so the DR cluster can grow to primary size on
   * failover). Greater than 0, at most 1.
   *
   * @default 0.5
   */
  readonly drNodeScale?: number;

  /**
   * Explicit node pools for the DR cluster; replaces the scaled spec pools.
   *
   * @default - the spec's pools scaled by `drNodeScale`
   */
  readonly nodePools?: PlatformNodePoolsOptions;

  /**
   * NAT gateways in the DR VPC.
   *
   * @default NatGatewayMode.PER_AZ (same resilience as the primary)
   */
  readonly natGateways?: NatGatewayMode;

  /**
   * Flow-log options of the DR VPC.
   *
   * @default - network's defaults
   */
  readonly flowLogs?: FlowLogOptions;

  /**
   * Qualifier of the DR cluster name: `<base>-<qualifier>-<suffix>`.
   *
   * @default 'dr'
   */
  readonly clusterNameQualifier?: string;
}

/**
 * The disaster-recovery region: the VPC and the cluster built from the
 * primary's {@link PlatformSpec} as {@link PrimaryPlatform} builds the
 * primary's, in the stack's region, with scaled-down node counts, the cluster
 * named `<base>-dr-<suffix>`, the primary CIDR as its only peer, and
 * `DisasterRecovery=true` / `Region=<stack region>` on every resource. The region comes from the stack
 * (a token when the stack is environment-agnostic).
 */
export class DisasterRecoveryPlatform extends Construct {
  /** The DR network. */
  public readonly network: PlatformNetwork;
  /** The DR VPC. */
  public readonly vpc: ec2.IVpc;
  /** The DR VPC CIDR. */
  public readonly vpcCidr: string;
  /** The DR cluster. */
  public readonly platformCluster: PlatformCluster;
  /** The DR cluster's name. */
  public readonly clusterName: string;
  /** The DR region (the stack's region; may be a token). */
  public readonly region: string;
  /** The node pools the DR cluster runs with. */
  public readonly nodePools: PlatformNodePoolsOptions;

  constructor(scope: Construct, id: string, props: DisasterRecoveryPlatformProps) {
    super(scope, id);
    KeelsonTags.component(this, 'disaster-recovery');
    Cidr.check(this, 'drVpcCidr', props.drVpcCidr, 4);
    Cidr.check(this, 'primaryVpcCidr', props.primaryVpcCidr, 4);
    Cidr.checkDisjoint(this, 'drVpcCidr', props.drVpcCidr, 'primaryVpcCidr', props.primaryVpcCidr);
    const factor = props.drNodeScale ?? 0.5;
    if (!(factor > 0 && factor <= 1)) {
      PropsCheck.fail(this, 'drNodeScale', `${factor} is outside (0, 1]`, 'use a factor greater than 0 and at most 1, for example 0.5');
    }
    this.region = Stack.of(this).region;
    this.nodePools = props.nodePools ?? scaleNodePools(props.spec.nodePools, factor);

    // `Platform` keeps the construct paths (and so the logical ids) the DR region has always had.
    const region = buildPlatformRegion(new Construct(this, 'Platform'), {
      spec: props.spec,
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      vpcCidr: props.drVpcCidr,
      vpcCidrField: 'drVpcCidr',
      availabilityZones: props.availabilityZones,
      natGateways: props.natGateways,
      peerCidrs: [props.primaryVpcCidr],
      clusterNameQualifier: props.clusterNameQualifier ?? 'dr',
      nodePools: this.nodePools,
      flowLogs: props.flowLogs,
    });
    this.network = region.network;
    this.vpc = region.network.vpc;
    this.vpcCidr = props.drVpcCidr;
    this.platformCluster = region.platformCluster;
    this.clusterName = region.clusterName;

    Tags.of(this).add('DisasterRecovery', 'true');
    Tags.of(this).add('Region', this.region);
  }
}
