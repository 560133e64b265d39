export * from './common-props';
export * from './key-policies';
export * from './naming';
export * from './props-check';
export * from './removal';
export * from './tagging';
