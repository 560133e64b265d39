/**
 * Who may use the cluster: EKS access entries for IAM roles, by persona.
 */
export interface ClusterAccessOptions {
  /**
   * IAM role ARNs of platform administrators / operators:
   * `AmazonEKSClusterAdminPolicy`, cluster scope.
   *
   * @default - none
   */
  readonly adminRoleArns?: string[];

  /**
   * IAM role ARNs of developers: `AmazonEKSEditPolicy`, scoped to `developerNamespaces`.
   * It reads and writes the Secrets of those namespaces (as the pods developers
   * run could anyway); platform secrets never reach them (see `ExternalSecretsOperator`).
   *
   * @default - none
   */
  readonly developerRoleArns?: string[];

  /**
   * Namespaces developers may edit: the one list both the developer access
   * entry (its namespace scope) and `PlatformNamespaces` (the `developer`
   * Role in each of them that is a workload namespace) read. With the
   * default workload namespaces, a name not among them is created as one
   * more workload namespace (quota, limits, RBAC and the policies of the others).
   *
   * @default ['dev', 'staging', 'production'] (the default workload namespaces)
   */
  readonly developerNamespaces?: string[];

  /**
   * IAM role ARNs with read-only access: `AmazonEKSViewPolicy`, cluster scope (no Secrets).
   *
   * @default - none
   */
  readonly readOnlyRoleArns?: string[];
}
