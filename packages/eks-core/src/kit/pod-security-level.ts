/** Pod Security Standards level (`pod-security.kubernetes.io/*` labels). */
export enum PodSecurityLevel {
  /** No restrictions: only for components that need host access (for example Velero's node agent). */
  PRIVILEGED = 'privileged',
  /** Blocks known privilege escalations; for platform components that need host access. */
  BASELINE = 'baseline',
  /** Hardened pod settings; the default for workloads. */
  RESTRICTED = 'restricted',
}
