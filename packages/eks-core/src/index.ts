// The public API of @keelson/eks-core.
export * from './addon-options';
export * from './addon-versions';
export * from './cluster-access-options';
export * from './endpoint-access-mode';
export * from './kubernetes-version';
export * from './managed-addons';
export * from './node-pool';
export * from './node-pool-options';
export * from './node-pool-template';
export * from './node-taint';
export * from './platform-cluster';
export * from './workload-identity';
export * from './workload-role';
