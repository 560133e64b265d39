// The public API of @keelson/gitops.
export * from './gitops-versions';
export * from './argo-cd';
export * from './gitops-applications';
export * from './argo-rollouts';
export * from './argocd-image-updater';
