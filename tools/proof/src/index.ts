export * from './synth';
export * from './validation-cache';
export * from './cached-cloudformation-validate';
export * from './cached-nag-pack';
export * from './cfn-lint';
export * from './kubernetes';
export * from './rego';
export * from './cel';
