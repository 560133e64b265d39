export * from './platform-network';
export * from './platform-endpoint';
export * from './platform-security-groups';
export * from './platform-flow-logs';
export * from './platform-network-acls';
export * from './cross-region-peering';
export * from './peering-routes';
