import { KeelsonCommonProps, KeelsonTags } from '@keelson/conventions';
import { PlatformCluster } from '@keelson/eks-core';
import { FlowLogOptions, NatGatewayMode, PlatformNetwork } from '@keelson/network';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PlatformSpec } from './platform-spec';
import { buildPlatformRegion } from './private/platform-region';

/** Props of {@link PrimaryPlatform}: the shared spec plus the primary region's settings. */
export interface PrimaryPlatformProps extends KeelsonCommonProps {
  /** The settings shared by both regions of the platform. */
  readonly spec: PlatformSpec;

  /** The primary VPC's CIDR. */
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
   * CIDRs of peered VPCs (the DR region's): admitted by the endpoint,
   * internal NLB and peering security groups, nothing else.
   *
   * @default - none
   */
  readonly peerCidrs?: string[];

  /**
   * Flow-log options of the VPC.
   *
   * @default - network's defaults (30 days, new key)
   */
  readonly flowLogs?: FlowLogOptions;
}

/**
 * The primary region of the platform: the VPC (subnets, route tables, NAT,
 * endpoints, security groups, flow logs) and the hardened EKS cluster (private
 * + public endpoint with allow-list, KMS-encrypted secrets, every control-plane
 * log type) named `<base>-<suffix>`, both built from the shared
 * {@link PlatformSpec}. {@link DisasterRecoveryPlatform} builds the DR region
 * from the same spec, the same way.
 */
export class PrimaryPlatform extends Construct {
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

  constructor(scope: Construct, id: string, props: PrimaryPlatformProps) {
    super(scope, id);
    KeelsonTags.component(this, 'primary-platform');
    const region = buildPlatformRegion(this, { ...props, vpcCidrField: 'vpcCidr' });
    this.spec = props.spec;
    this.network = region.network;
    this.vpc = region.network.vpc;
    this.vpcCidr = props.vpcCidr;
    this.platformCluster = region.platformCluster;
    this.clusterName = region.clusterName;
  }
}
