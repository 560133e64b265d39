import { HardenedBucket, StatefulRemoval } from '@keelson/conventions';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface BackupBucketOptions {
  readonly removalPolicy?: RemovalPolicy;
  readonly description: string;
  /** Expire current objects after this many days (replicas: the source deletes nothing). */
  readonly expireAfterDays?: number;
  readonly replicationRole?: iam.IRole;
  readonly replicationRules?: s3.ReplicationRule[];
  /** Days noncurrent (overwritten) versions are kept. Default 7. */
  readonly noncurrentDays?: number;
  /** Object Lock default retention of new versions. Default none. */
  readonly objectLockDefaultRetention?: s3.ObjectLockRetention;
}

export interface BackupBucketParts {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
}

/**
 * A backup bucket: a `HardenedBucket` under its own rotating key (created
 * here, beside it, so the key's id stays put), old versions kept 7 days
 * unless told otherwise.
 */
export function backupBucket(scope: Construct, options: BackupBucketOptions): BackupBucketParts {
  const key = new kms.Key(scope, 'Key', {
    description: options.description,
    enableKeyRotation: true,
    ...StatefulRemoval.of(options.removalPolicy).key,
  });
  const { bucket, accessLogsBucket } = new HardenedBucket(scope, 'Bucket', {
    encryptionKey: key,
    removalPolicy: options.removalPolicy,
    accessLogsPrefix: 'backups/',
    lifecycleRules: [{
      id: 'versions-and-uploads',
      noncurrentVersionExpiration: Duration.days(options.noncurrentDays ?? 7),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      expiration: options.expireAfterDays ? Duration.days(options.expireAfterDays) : undefined,
    }],
    replicationRole: options.replicationRole,
    replicationRules: options.replicationRules,
    objectLockDefaultRetention: options.objectLockDefaultRetention,
    notReplicatedReason: 'this bucket is a replication destination or a DR cluster\'s own backups; the primary\'s backups replicate into the DR region, and replicating the copy again adds no region',
  });
  return { bucket, key, accessLogsBucket };
}
