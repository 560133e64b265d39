// The public API of @keelson/security.
// baseline/: the AWS account-and-region controls (GuardDuty, Security Hub, alert routing,
// CloudTrail, WAF, KMS). In-cluster policy (Falco, Gatekeeper, Kyverno) will live beside it.
export * from './baseline';
