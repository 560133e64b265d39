import { Duration, RemovalPolicy } from 'aws-cdk-lib';

/**
 * The one removal-policy choice, expressed as the props each stateful
 * resource type needs. RETAIN (the default, as in aws-cdk-lib) keeps data on
 * `cdk destroy` and when a refactor replaces a resource. Only an explicit
 * DESTROY leaves nothing behind: buckets are emptied first and keys wait the
 * shortest pending window.
 */
export class StatefulRemoval {
  /** Shortest pending window KMS allows, used only with DESTROY. */
  public static readonly KEY_PENDING_WINDOW = Duration.days(7);

  /**
   * @param policy the platform's removal policy
   * @default RemovalPolicy.RETAIN
   */
  public static of(policy?: RemovalPolicy): StatefulRemoval {
    return new StatefulRemoval(policy ?? RemovalPolicy.RETAIN);
  }

  private constructor(public readonly policy: RemovalPolicy) {}

  /** True when resources are deleted with the stack (DESTROY was chosen explicitly). */
  public get destroys(): boolean {
    return this.policy === RemovalPolicy.DESTROY;
  }

  /** Props for `s3.Bucket`: objects are auto-deleted only under DESTROY. */
  public get bucket(): BucketRemovalProps {
    return { removalPolicy: this.policy, autoDeleteObjects: this.destroys };
  }

  /** Props for `kms.Key`: the shortest pending window only under DESTROY; KMS's default (30 days) otherwise. */
  public get key(): KeyRemovalProps {
    return { removalPolicy: this.policy, pendingWindow: this.destroys ? StatefulRemoval.KEY_PENDING_WINDOW : undefined };
  }
}

/** Removal props of an S3 bucket. */
export interface BucketRemovalProps {
  /** Removal policy. */
  readonly removalPolicy: RemovalPolicy;
  /** Empty the bucket before deleting it. */
  readonly autoDeleteObjects: boolean;
}

/** Removal props of a KMS key. */
export interface KeyRemovalProps {
  /** Removal policy. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Deletion waiting period.
   *
   * @default - KMS's default of 30 days
   */
  readonly pendingWindow?: Duration;
}
