// The public API of @keelson/security.
// baseline/: the AWS account-and-region controls (GuardDuty, Security Hub, alert routing,
// CloudTrail, WAF, KMS). cluster/: in-cluster security built on eks-core's add-on kit
// (Gatekeeper, default-deny NetworkPolicies, Kyverno, Falco, the Keelson EKS checks).
export * from './baseline';
export * from './cluster';
