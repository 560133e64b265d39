/**
 * Kubernetes groups that `PlatformCluster` puts on the access entries of the
 * developer and read-only personas, so that namespaced RBAC (see
 * `PlatformNamespaces`) can bind Roles to them.
 */
export class ClusterAccessGroups {
  /** Group of the developer persona's access entries. */
  public static readonly DEVELOPERS = 'keelson-developers';
  /** Group of the read-only persona's access entries. */
  public static readonly READ_ONLY = 'keelson-read-only';

  private constructor() {}
}
