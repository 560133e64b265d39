/** The `system` pool: on-demand nodes for platform add-ons, tainted `CriticalAddonsOnly=true:NoSchedule`. */
export interface SystemNodePoolOptions {
  /**
   * Instance types.
   *
   * @default ['m7i.large']
   */
  readonly instanceTypes?: string[];
  /**
   * Minimum nodes.
   *
   * @default 2
   */
  readonly minSize?: number;
  /**
   * Maximum nodes.
   *
   * @default 4
   */
  readonly maxSize?: number;
  /**
   * Desired nodes at creation.
   *
   * @default 2
   */
  readonly desiredSize?: number;
  /**
   * Data volume size in GiB.
   *
   * @default 50
   */
  readonly dataVolumeSizeGiB?: number;
  /**
   * IMDSv2 hop limit. Every system add-on Keelson installs either runs on the
   * host network or gets credentials through Pod Identity/IRSA, so 1 suffices;
   * raise it to 2 only for a controller that must read instance metadata from a pod.
   *
   * @default 1
   */
  readonly imdsHopLimit?: number;
}

/**
 * The `app` pool: two node groups, `app-on-demand` and `app-spot`, sharing
 * the totals below in the ratio `spotPercentage`.
 */
export interface AppNodePoolOptions {
  /**
   * Create the two managed groups. Turn off when Karpenter provisions app
   * capacity (`PlatformServices` with `NodeAutoscaler.KARPENTER`), or both would
   * scale out for the same pending pods.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Instance types of the on-demand group.
   *
   * @default ['m7i.xlarge']
   */
  readonly onDemandInstanceTypes?: string[];
  /**
   * Instance types of the spot group (at least two, of similar size).
   *
   * @default ['m7i.xlarge', 'm6i.xlarge', 'm6a.xlarge', 'm5.xlarge']
   */
  readonly spotInstanceTypes?: string[];
  /**
   * Share of the app capacity on spot, 0–100 (applied to min, desired and max).
   * 0 creates no spot group; 100 no on-demand group.
   *
   * @default 50
   */
  readonly spotPercentage?: number;
  /**
   * Minimum nodes, both groups together.
   *
   * @default 2
   */
  readonly minSize?: number;
  /**
   * Maximum nodes, both groups together.
   *
   * @default 10
   */
  readonly maxSize?: number;
  /**
   * Desired nodes at creation, both groups together.
   *
   * @default 4
   */
  readonly desiredSize?: number;
  /**
   * Data volume size in GiB.
   *
   * @default 100
   */
  readonly dataVolumeSizeGiB?: number;
}

/** The `gpu` pool: Bottlerocket NVIDIA, tainted `nvidia.com/gpu=true:NoSchedule`, scaled from zero. */
export interface GpuNodePoolOptions {
  /**
   * Create the pool.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * GPU instance types (g4dn, g5, g5g, g6, g6e, gr6, p3, p4d, p5...).
   *
   * @default ['g5.xlarge']
   */
  readonly instanceTypes?: string[];
  /**
   * Minimum nodes.
   *
   * @default 0
   */
  readonly minSize?: number;
  /**
   * Maximum nodes (the burst ceiling).
   *
   * @default 2
   */
  readonly maxSize?: number;
  /**
   * Desired nodes at creation.
   *
   * @default 0
   */
  readonly desiredSize?: number;
  /**
   * Data volume size in GiB (GPU images are large).
   *
   * @default 100
   */
  readonly dataVolumeSizeGiB?: number;
}

/** The three node pools of a platform cluster. */
export interface PlatformNodePoolsOptions {
  /**
   * The system pool.
   *
   * @default - m7i.large, 2–4 nodes
   */
  readonly system?: SystemNodePoolOptions;
  /**
   * The app pools.
   *
   * @default - 2–10 nodes, half on spot
   */
  readonly app?: AppNodePoolOptions;
  /**
   * The GPU pool.
   *
   * @default - g5.xlarge, 0–2 nodes
   */
  readonly gpu?: GpuNodePoolOptions;
}
