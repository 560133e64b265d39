// The public API of @keelson/gitops.
export * from './gitops-versions';
export * from './argo-cd';
export * from './gitops-applications';
