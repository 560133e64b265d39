import { PlatformCluster, PlatformServices } from '@keelson/eks-core';
import { PlatformNetwork } from '@keelson/network';
import { SecurityBaseline } from '@keelson/security';
import { RegionLayers } from './layers';

/** `primary` or `dr`. */
export type RegionRole = 'primary' | 'dr';

/**
 * One of the platform's clusters, with what its in-cluster layers are
 * installed from: each layer's installer takes it first, then the config
 * (`install<Layer>(cluster, config)`), and creates its constructs in its own
 * layer stack (`layers[<layer>]`), returning nothing where that stack is not.
 */
export interface RegionCluster {
  /** Which of the platform's clusters it is. */
  readonly role: RegionRole;
  /** The region's VPC and the platform's security groups in it (the mesh gateway's NLB takes `nlb`). */
  readonly network: PlatformNetwork;
  /** The EKS cluster, its node pools and its name. */
  readonly platformCluster: PlatformCluster;
  /** The cluster's platform services: the namespace registry, External Secrets, the controllers. */
  readonly services: PlatformServices;
  /** The region's security baseline (its stack also holds the region's mesh CA). */
  readonly baseline: SecurityBaseline;
  /** The region's in-cluster layer stacks (an enabled layer has one). */
  readonly layers: RegionLayers;
}
