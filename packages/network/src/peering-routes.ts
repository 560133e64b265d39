import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { requireIpv4Cidr } from './private/validate';

/** Props of {@link PeeringRoutes}. */
export interface PeeringRoutesProps {
  /** The VPC whose route tables get the routes (either side of the peering). */
  readonly vpc: ec2.IVpc;

  /** The peering connection (`pcx-…`, token allowed). */
  readonly peeringConnectionId: string;

  /** The other VPC's IPv4 CIDR. */
  readonly peerCidr: string;

  /**
   * Also route from the isolated subnets (data stores replicating across regions).
   *
   * @default false
   */
  readonly includeIsolated?: boolean;
}

/**
 * Routes `peerCidr` through a VPC peering connection from every private
 * (and optionally isolated) subnet route table. Works on the requester and the
 * accepter side: give it the VPC of the side it runs in.
 */
export class PeeringRoutes extends Construct {
  /** The routes, one per distinct route table. */
  public readonly routes: ec2.CfnRoute[] = [];

  constructor(scope: Construct, id: string, props: PeeringRoutesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'network-peering');
    requireIpv4Cidr(this, 'peerCidr', props.peerCidr);
    const subnets = [...props.vpc.privateSubnets, ...(props.includeIsolated ? props.vpc.isolatedSubnets : [])];
    if (subnets.length === 0) {
      PropsCheck.fail(this, 'vpc', 'has no private subnets to route from', 'pass a VPC with PRIVATE_WITH_EGRESS subnets (or set includeIsolated for an isolated-only VPC)');
    }
    const seen = new Set<string>();
    subnets.forEach((subnet, i) => {
      const routeTableId = subnet.routeTable.routeTableId;
      if (seen.has(routeTableId)) return;
      seen.add(routeTableId);
      this.routes.push(new ec2.CfnRoute(this, `Route${i}`, {
        routeTableId,
        destinationCidrBlock: props.peerCidr,
        vpcPeeringConnectionId: props.peeringConnectionId,
      }));
    });
  }
}
