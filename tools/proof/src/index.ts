export * from './synth';
export * from './cfn-lint';
export * from './kubernetes';
export * from './rego';
