export * from './workspace';
export * from './lock-file';
export * from './tarball';
export * from './readme-examples';
export * from './consumer';
export * from './bindings';
export * from './construct-hub';
export * from './release';
