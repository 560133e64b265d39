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
}

export interface BackupBucketParts {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
}

/**
 * A backup bucket: a `HardenedBucket` under its own rotating key (created
 * here, beside it, so the key's id stays put), old versions kept 7 days.
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
      noncurrentVersionExpiration: Duration.days(7),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      expiration: options.expireAfterDays ? Duration.days(options.expireAfterDays) : undefined,
    }],
    replicationRole: options.replicationRole,
    replicationRules: options.replicationRules,
    notReplicatedReason: 'this bucket is a replication destination or a DR cluster\'s own backups; the primary\'s backups replicate into the DR region, and replicating the copy again adds no region',
  });
  return { bucket, key, accessLogsBucket };
}
