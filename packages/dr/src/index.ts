export * from './platform-spec';
export * from './regional-platform';
export * from './disaster-recovery-platform';
export * from './platform-peering';
export * from './peering-accepter-role';
export * from './replica-backup-bucket';
export * from './velero-versions';
export * from './velero-backups';
