import { KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PeeringRoutes } from './peering-routes';

/** Props of {@link CrossRegionPeering}. */
export interface CrossRegionPeeringProps extends KeelsonCommonProps {
  /** The requester VPC (this stack's side). */
  readonly vpc: ec2.IVpc;

  /** ID of the accepter VPC in the other region (`vpc-…`). */
  readonly peerVpcId: string;

  /** Region of the accepter VPC; must differ from this stack's region. */
  readonly peerRegion: string;

  /**
   * Account that owns the accepter VPC, for cross-account peering.
   *
   * @default - this account
   */
  readonly peerOwnerId?: string;

  /**
   * Role in the accepter account that CloudFormation assumes to accept the
   * request. Required when `peerOwnerId` names another account.
   *
   * @default - none (same-account peering is accepted automatically)
   */
  readonly peerRoleArn?: string;

  /**
   * The accepter VPC's IPv4 CIDR. When set, routes to it through the peering
   * connection are added to this VPC's private route tables (see
   * {@link PeeringRoutes}).
   *
   * @default - no routes; add them with `PeeringRoutes`
   */
  readonly peerCidr?: string;

  /**
   * With `peerCidr`, also route from the isolated subnets.
   *
   * @default false
   */
  readonly routeFromIsolatedSubnets?: boolean;
}

/**
 * The requester side of a VPC peering connection to a VPC in another region
 * (`AWS::EC2::VPCPeeringConnection` with `PeerRegion`). The accepter side of a
 * same-account request is accepted automatically; add its return routes there
 * with {@link PeeringRoutes}.
 */
export class CrossRegionPeering extends Construct {
  /** The peering connection resource. */
  public readonly connection: ec2.CfnVPCPeeringConnection;
  /** The peering connection ID (`pcx-…`). */
  public readonly peeringConnectionId: string;
  /** Routes added on this side, when `peerCidr` was given. */
  public readonly routes?: PeeringRoutes;

  constructor(scope: Construct, id: string, props: CrossRegionPeeringProps) {
    super(scope, id);
    KeelsonTags.component(this, 'network-peering');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const stack = Stack.of(this);
    validate(this, props, stack);

    this.connection = new ec2.CfnVPCPeeringConnection(this, 'Connection', {
      vpcId: props.vpc.vpcId,
      peerVpcId: props.peerVpcId,
      peerRegion: props.peerRegion,
      peerOwnerId: props.peerOwnerId,
      peerRoleArn: props.peerRoleArn,
    });
    Tags.of(this.connection).add('Name', naming.name('platform-peering'));
    this.peeringConnectionId = this.connection.ref;

    if (props.peerCidr) {
      this.routes = new PeeringRoutes(this, 'Routes', {
        vpc: props.vpc,
        peeringConnectionId: this.peeringConnectionId,
        peerCidr: props.peerCidr,
        includeIsolated: props.routeFromIsolatedSubnets,
      });
    }
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function validate(scope: Construct, props: CrossRegionPeeringProps, stack: Stack): void {
  if (!Token.isUnresolved(props.peerVpcId) && !/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/.test(props.peerVpcId)) {
    PropsCheck.fail(scope, 'peerVpcId', `"${props.peerVpcId}" is not a VPC ID`, 'pass the accepter VPC ID, vpc- followed by 8 or 17 hex digits');
  }
  if (!Token.isUnresolved(props.peerRegion)) {
    if (!REGION.test(props.peerRegion)) {
      PropsCheck.fail(scope, 'peerRegion', `"${props.peerRegion}" is not a region name`, 'pass a region such as the DR region of the platform config');
    }
    if (!Token.isUnresolved(stack.region) && stack.region === props.peerRegion) {
      PropsCheck.fail(scope, 'peerRegion', `"${props.peerRegion}" is this stack's own region`, 'pass the other region; for same-region peering use ec2.CfnVPCPeeringConnection directly');
    }
  }
  if (props.peerOwnerId !== undefined && !Token.isUnresolved(props.peerOwnerId) && !/^\d{12}$/.test(props.peerOwnerId)) {
    PropsCheck.fail(scope, 'peerOwnerId', `"${props.peerOwnerId}" is not a 12-digit account ID`, 'pass the accepter account ID');
  }
  if (props.peerRoleArn !== undefined && props.peerOwnerId === undefined) {
    PropsCheck.fail(scope, 'peerRoleArn', 'is set without peerOwnerId', 'set peerOwnerId to the accepter account, or drop peerRoleArn for same-account peering');
  }
  const crossAccount = props.peerOwnerId !== undefined && !Token.isUnresolved(props.peerOwnerId)
    && !Token.isUnresolved(stack.account) && props.peerOwnerId !== stack.account;
  if (crossAccount && props.peerRoleArn === undefined) {
    PropsCheck.fail(scope, 'peerRoleArn', `is required when peerOwnerId (${props.peerOwnerId}) is another account`,
      'create a role in the accepter account that trusts this account with ec2:AcceptVpcPeeringConnection and pass its ARN');
  }
}
