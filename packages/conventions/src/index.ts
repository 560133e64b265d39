export * from './common-props';
export * from './naming';
export * from './props-check';
export * from './removal';
export * from './tagging';
