import { KeelsonCommonProps } from '@keelson/conventions';
import {
  ClusterAccessOptions, EndpointAccessMode, PlatformAddonsOptions, PlatformKubernetesVersion, PlatformNodePoolsOptions,
} from '@keelson/eks-core';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The settings the primary and the DR platform share. Both `PrimaryPlatform`
 * (primary) and `DisasterRecoveryPlatform` (DR) read them from this one
 * struct, so the two clusters cannot drift: change the version or an instance
 * type here and both regions follow.
 */
export interface PlatformSpec extends KeelsonCommonProps {
  /**
   * Base of the cluster names: the primary is `<base>-<environmentSuffix>`,
   * the DR cluster `<base>-dr-<environmentSuffix>`.
   *
   * @default 'platform'
   */
  readonly clusterNameBase?: string;

  /**
   * Kubernetes version (with its kubectl layer), for both clusters.
   *
   * @default PlatformKubernetesVersion.DEFAULT
   */
  readonly version?: PlatformKubernetesVersion;

  /**
   * Node pools of the primary. The DR cluster gets the same pools and
   * instance types with its minimum and desired counts scaled down
   * (see `DisasterRecoveryPlatformProps.drNodeScale`).
   *
   * @default - eks-core's defaults (system, app on-demand + spot, gpu)
   */
  readonly nodePools?: PlatformNodePoolsOptions;

  /**
   * Managed add-ons, identical in both clusters.
   *
   * @default - eks-core's defaults (all on, pinned)
   */
  readonly addons?: PlatformAddonsOptions;

  /**
   * Access entries by persona, identical in both clusters.
   *
   * @default - only the deploying principal is admin
   */
  readonly access?: ClusterAccessOptions;

  /**
   * API endpoint access, identical in both clusters.
   *
   * @default EndpointAccessMode.PUBLIC_AND_PRIVATE
   */
  readonly endpointAccess?: EndpointAccessMode;

  /**
   * CIDR allow-list of the public API endpoint (required while it is on).
   *
   * @default - none (fails unless endpointAccess is PRIVATE)
   */
  readonly publicAccessCidrs?: string[];

  /**
   * Retention of the control-plane log groups.
   *
   * @default logs.RetentionDays.ONE_WEEK
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Create each region's internal NLB security group
   * (`PlatformNetwork.securityGroups.nlb`), for an internal load balancer
   * such as `@keelson/mesh`'s `MeshIngressGateway` (`securityGroups`). The
   * group is made only for a user: turn it on with the NLB that takes it.
   *
   * @default false
   */
  readonly internalLoadBalancer?: boolean;

  /**
   * TCP ports each region's peering group admits from (and allows to) the
   * other region's VPC: the mesh's ports and those of exported services
   * that the other cluster calls directly (sidecar mode calls an exported
   * pod on its own port). The kubelet's 10250 is refused.
   *
   * @default - `@keelson/network`'s default (PlatformSecurityGroups.DEFAULT_PEERING_PORTS: 443, 15008, 15443)
   */
  readonly peeringPorts?: number[];
}
