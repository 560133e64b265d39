import { AppNodePoolOptions, GpuNodePoolOptions, PlatformNodePoolsOptions, SystemNodePoolOptions } from './node-pool-options';

/**
 * The system, app and gpu pool defaults, defined once. `PlatformCluster`'s
 * managed node groups, Karpenter's NodePools and EC2NodeClasses (instance
 * families, data volume sizes) and dr's scaled-down DR pools all read them
 * through {@link NodePoolDefaults.resolve}.
 */
export class NodePoolDefaults {
  /** The `system` pool: on-demand m7i.large, 2–4 nodes, 50 GiB data volume, IMDS hop limit 1. */
  public static readonly SYSTEM: SystemNodePoolOptions = {
    instanceTypes: ['m7i.large'],
    minSize: 2,
    maxSize: 4,
    desiredSize: 2,
    dataVolumeSizeGiB: 50,
    imdsHopLimit: 1,
  };

  /** The `app` pools: 2–10 nodes (4 at creation), half on spot over four similar types, 100 GiB data volume. */
  public static readonly APP: AppNodePoolOptions = {
    enabled: true,
    onDemandInstanceTypes: ['m7i.xlarge'],
    spotInstanceTypes: ['m7i.xlarge', 'm6i.xlarge', 'm6a.xlarge', 'm5.xlarge'],
    spotPercentage: 50,
    minSize: 2,
    maxSize: 10,
    desiredSize: 4,
    dataVolumeSizeGiB: 100,
  };

  /** The `gpu` pool: g5.xlarge, 0–2 nodes, 100 GiB data volume (GPU images are large). */
  public static readonly GPU: GpuNodePoolOptions = {
    enabled: true,
    instanceTypes: ['g5.xlarge'],
    minSize: 0,
    maxSize: 2,
    desiredSize: 0,
    dataVolumeSizeGiB: 100,
  };

  /**
   * The pools with every unset field filled from the defaults (every field of
   * the result is set).
   */
  public static resolve(pools?: PlatformNodePoolsOptions): PlatformNodePoolsOptions {
    return {
      system: { ...NodePoolDefaults.SYSTEM, ...defined(pools?.system) },
      app: { ...NodePoolDefaults.APP, ...defined(pools?.app) },
      gpu: { ...NodePoolDefaults.GPU, ...defined(pools?.gpu) },
    };
  }

  /**
   * The instance families (`m7i` of `m7i.xlarge`) of instance types, in order, each once.
   */
  public static families(instanceTypes: string[]): string[] {
    return [...new Set(instanceTypes.map((t) => t.split('.')[0]))];
  }

  /**
   * The largest vCPU count among instance types, read from their size
   * (`large` 2, `xlarge` 4, `<n>xlarge` 4n; smaller sizes 1, `metal` 96).
   */
  public static maxVcpus(instanceTypes: string[]): number {
    const vcpus = (t: string) => {
      const size = t.split('.')[1] ?? '';
      const n = /^(\d+)xlarge$/.exec(size);
      if (n) return 4 * Number(n[1]);
      return ({ xlarge: 4, large: 2, metal: 96 } as Record<string, number>)[size] ?? 1;
    };
    return Math.max(...instanceTypes.map(vcpus));
  }

  private constructor() {}
}

/** The fields that are set (an explicit `undefined` must not hide a default). */
function defined<T extends object>(o?: T): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
