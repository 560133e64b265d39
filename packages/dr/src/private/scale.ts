import { NodePoolDefaults, PlatformNodePoolsOptions } from '@keelson/eks-core';

/** `n × factor`, rounded up, never below `floor` unless n is 0. */
function scaled(n: number, factor: number, floor: number): number {
  if (n === 0) return 0;
  return Math.max(floor, Math.ceil(n * factor));
}

/**
 * The spec's pools (eks-core's defaults filled in, `NodePoolDefaults.resolve`)
 * with min and desired scaled by `factor` and max kept, so a warm-standby
 * cluster costs less yet can grow back to primary capacity on failover. The
 * system pool keeps at least 2 nodes (CoreDNS, Velero).
 */
export function scaleNodePools(pools: PlatformNodePoolsOptions | undefined, factor: number): PlatformNodePoolsOptions {
  const { system, app, gpu } = NodePoolDefaults.resolve(pools);
  return {
    system: {
      ...system,
      minSize: Math.min(system!.minSize!, scaled(system!.minSize!, factor, 2)),
      desiredSize: Math.min(system!.desiredSize!, scaled(system!.desiredSize!, factor, 2)),
    },
    app: {
      ...app,
      minSize: scaled(app!.minSize!, factor, 1),
      desiredSize: scaled(app!.desiredSize!, factor, 1),
    },
    gpu: {
      ...gpu,
      minSize: scaled(gpu!.minSize!, factor, 0),
      desiredSize: scaled(gpu!.desiredSize!, factor, 0),
    },
  };
}
