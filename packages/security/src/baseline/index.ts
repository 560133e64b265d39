export * from './platform-key';
export * from './guardduty-detector';
export * from './security-hub';
export * from './security-alerts';
export * from './slack-notifier';
export * from './platform-trail';
export * from './platform-web-acl';
export * from './security-baseline';
