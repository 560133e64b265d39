import { Cidr, KeelsonCommonProps, KeelsonTags } from '@keelson/conventions';
import { CrossRegionPeering, PeeringRoutes } from '@keelson/network';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { concreteRegion } from './private/region';

/** Props of {@link PlatformPeering}. */
export interface PlatformPeeringProps extends KeelsonCommonProps {
  /** The requester VPC (primary region, this stack). */
  readonly vpc: ec2.IVpc;

  /** The requester VPC's CIDR. */
  readonly vpcCidr: string;

  /**
   * The accepter VPC (DR region), as constructed in its own stack. Its ID and
   * region are read from it: the ID crosses regions through CDK's
   * cross-region references (`crossRegionReferences: true` on both stacks).
   */
  readonly peerVpc: ec2.IVpc;

  /** The accepter VPC's CIDR; must not overlap `vpcCidr`. */
  readonly peerCidr: string;

  /**
   * Account of the accepter VPC, for cross-account peering.
   *
   * @default - this account (CloudFormation accepts same-account requests itself)
   */
  readonly peerOwnerId?: string;

  /**
   * Role in the accepter account that accepts the request (see
   * {@link PeeringAccepterRole}). Required with a `peerOwnerId` of another account.
   *
   * @default - none
   */
  readonly peerRoleArn?: string;

  /**
   * Also route to the peer from the isolated subnets.
   *
   * @default false
   */
  readonly routeFromIsolatedSubnets?: boolean;
}

/**
 * The requester side of the primary ↔ DR peering, placed in the primary
 * region: an inter-region `AWS::EC2::VPCPeeringConnection` whose accepter VPC
 * ID and region come from the DR VPC itself, plus routes to the DR CIDR from
 * every private route table. In one account CloudFormation accepts the
 * request itself (no accepter resource, no role); across accounts pass
 * `peerOwnerId` and `peerRoleArn`. Add the return routes in a DR-region stack
 * with `PeeringRoutes` from `@keelson/network`, passing `peeringConnectionId`.
 */
export class PlatformPeering extends Construct {
  /** The requester construct from `@keelson/network`. */
  public readonly peering: CrossRegionPeering;
  /** The peering connection ID (`pcx-…`). */
  public readonly peeringConnectionId: string;
  /** The accepter region (the peer VPC's stack region). */
  public readonly peerRegion: string;
  /** The routes on the requester side. */
  public readonly routes: PeeringRoutes;

  constructor(scope: Construct, id: string, props: PlatformPeeringProps) {
    super(scope, id);
    KeelsonTags.component(this, 'dr-peering');
    Cidr.check(this, 'vpcCidr', props.vpcCidr, 4);
    Cidr.check(this, 'peerCidr', props.peerCidr, 4);
    Cidr.checkDisjoint(this, 'peerCidr', props.peerCidr, 'vpcCidr', props.vpcCidr);
    this.peerRegion = concreteRegion(this, 'peerVpc', props.peerVpc);

    this.peering = new CrossRegionPeering(this, 'Requester', {
      vpc: props.vpc,
      peerVpcId: props.peerVpc.vpcId,
      peerRegion: this.peerRegion,
      peerOwnerId: props.peerOwnerId,
      peerRoleArn: props.peerRoleArn,
      peerCidr: props.peerCidr,
      routeFromIsolatedSubnets: props.routeFromIsolatedSubnets,
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
    });
    this.peeringConnectionId = this.peering.peeringConnectionId;
    this.routes = this.peering.routes!;
  }
}
