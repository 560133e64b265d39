import { Cidr, KeelsonCommonProps, PropsCheck } from '@keelson/conventions';
import { PlatformCluster, PlatformNodePoolsOptions } from '@keelson/eks-core';
import { FlowLogOptions, NatGatewayMode, PlatformNetwork } from '@keelson/network';
import { Construct } from 'constructs';
import { PlatformSpec } from '../platform-spec';

/** One region's settings beside the shared spec. */
export interface PlatformRegionProps extends KeelsonCommonProps {
  readonly spec: PlatformSpec;
  readonly vpcCidr: string;
  /** The field `vpcCidr` is reported under (the DR platform calls it `drVpcCidr`). */
  readonly vpcCidrField: string;
  readonly availabilityZones?: string[];
  readonly natGateways?: NatGatewayMode;
  readonly peerCidrs?: string[];
  /** `<base>-<qualifier>-<suffix>`; none for the primary. */
  readonly clusterNameQualifier?: string;
  /** Replaces the spec's pools (the DR platform's scaled counts). */
  readonly nodePools?: PlatformNodePoolsOptions;
  readonly flowLogs?: FlowLogOptions;
}

/** What one region of the platform is made of. */
export interface PlatformRegion {
  readonly network: PlatformNetwork;
  readonly platformCluster: PlatformCluster;
  readonly clusterName: string;
}

/**
 * One region of the platform in `scope`: the VPC (`Network`) and the hardened
 * cluster (`Cluster`) on it, both from the shared spec. The primary and the DR
 * platform build their region with it, so the two cannot differ in anything
 * but the region's own settings.
 */
export function buildPlatformRegion(scope: Construct, props: PlatformRegionProps): PlatformRegion {
  const spec = props.spec;
  const environmentSuffix = props.environmentSuffix ?? spec.environmentSuffix;
  const removalPolicy = props.removalPolicy ?? spec.removalPolicy;
  Cidr.check(scope, props.vpcCidrField, props.vpcCidr, 4);
  (props.peerCidrs ?? []).forEach((peer, i) => Cidr.checkDisjoint(scope, props.vpcCidrField, props.vpcCidr, `peerCidrs[${i}]`, peer));
  const base = spec.clusterNameBase ?? 'platform';
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(base)) {
    PropsCheck.fail(scope, 'spec.clusterNameBase', `"${base}" is not a usable name base`, 'use 1–41 lowercase letters, digits or hyphens, starting with a letter');
  }
  const clusterName = [base, props.clusterNameQualifier, environmentSuffix ?? 'dev'].filter((p) => p).join('-');

  const network = new PlatformNetwork(scope, 'Network', {
    clusterName,
    environmentSuffix,
    removalPolicy,
    cidr: props.vpcCidr,
    availabilityZones: props.availabilityZones,
    natGateways: props.natGateways,
    peerCidrs: props.peerCidrs,
    flowLogs: props.flowLogs,
    internalLoadBalancer: spec.internalLoadBalancer,
    peeringPorts: spec.peeringPorts,
  });

  // The platform's groups are attached: the control plane's, and on every node the nodes group and (with peers) the peering group.
  const groups = network.securityGroups;
  const platformCluster = new PlatformCluster(scope, 'Cluster', {
    vpc: network.vpc,
    securityGroup: groups.controlPlane,
    nodeSecurityGroups: [groups.nodes, ...(groups.peering ? [groups.peering] : [])],
    clusterName,
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

  return { network, platformCluster, clusterName };
}
