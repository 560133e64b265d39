export * from './platform-config';
export * from './defaults';
export * from './environments';
export * from './validate';
