/**
 * The Bottlerocket settings template a node pool renders, one TOML file per
 * pool kind in the package's `userdata/` folder.
 */
export enum NodePoolTemplate {
  /** `userdata/system-node.toml`: platform add-ons, tainted `CriticalAddonsOnly`. */
  SYSTEM = 'system-node',
  /** `userdata/app-node.toml`: application workloads (on-demand and spot). */
  APP = 'app-node',
  /** `userdata/gpu-node.toml`: Bottlerocket NVIDIA, tainted `nvidia.com/gpu`. */
  GPU = 'gpu-node',
}
