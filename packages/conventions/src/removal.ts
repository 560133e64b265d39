import { Duration, RemovalPolicy } from 'aws-cdk-lib';

/**
 * The one removal-policy choice, expressed as the props each stateful
 * resource type needs. DESTROY leaves nothing behind on `cdk destroy`:
 * buckets are emptied first and keys wait the shortest pending window.
 */
export class StatefulRemoval {
  /** Shortest pending window KMS allows. */
  public static readonly KEY_PENDING_WINDOW = Duration.days(7);

  /**
   * @param policy the platform's removal policy
   * @default RemovalPolicy.DESTROY
   */
  public static of(policy?: RemovalPolicy): StatefulRemoval {
    return new StatefulRemoval(policy ?? RemovalPolicy.DESTROY);
  }

  private constructor(public readonly policy: RemovalPolicy) {}

  /** True when resources are deleted with the stack. */
  public get destroys(): boolean {
    return this.policy === RemovalPolicy.DESTROY;
  }

  /** Props for `s3.Bucket`. */
  public get bucket(): BucketRemovalProps {
    return { removalPolicy: this.policy, autoDeleteObjects: this.destroys };
  }

  /** Props for `kms.Key`. */
  public get key(): KeyRemovalProps {
    return { removalPolicy: this.policy, pendingWindow: StatefulRemoval.KEY_PENDING_WINDOW };
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
  /** Deletion waiting period. */
  readonly pendingWindow: Duration;
}
