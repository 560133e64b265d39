import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * Props every Keelson construct accepts, so that naming and removal are set
 * once and flow everywhere.
 */
export interface KeelsonCommonProps {
  /**
   * Suffix appended to physical resource names: `<resource>-<environmentSuffix>`.
   *
   * Lowercase letters, digits and hyphens, 1–16 characters, starting with a letter.
   *
   * @default 'dev'
   */
  readonly environmentSuffix?: string;

  /**
   * What happens to stateful resources (buckets, log groups, KMS keys) when
   * the stack is deleted or a resource is replaced. RETAIN keeps them, as
   * aws-cdk-lib does. DESTROY, chosen explicitly (for short-lived development
   * platforms), empties buckets and schedules keys for deletion on the
   * shortest window.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
