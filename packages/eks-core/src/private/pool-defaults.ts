/** Label every system-pool node carries; CoreDNS and the EBS CSI controller select it. */
export const SYSTEM_POOL_LABEL = { key: 'node-pool', value: 'system' };
/** Taint of the system pool: only critical add-ons (which tolerate it) run there. */
export const CRITICAL_ADDONS_TAINT = { key: 'CriticalAddonsOnly', value: 'true' };
/** Taint of the GPU pool: only pods that ask for GPUs (and tolerate it) run there. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true' };
