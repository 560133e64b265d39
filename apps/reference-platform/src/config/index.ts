export * from './platform-config';
export * from './defaults';
export * from './environments';
export * from './file';
export * from './json-schema';
export * from './schema';
export * from './semantic-checks';
export * from './validate';
