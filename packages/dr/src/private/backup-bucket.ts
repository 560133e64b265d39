import { StatefulRemoval } from '@keelson/conventions';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
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
 * A hardened backup bucket: KMS (own rotating key, bucket key on), versioned,
 * TLS-only, public access blocked, server access logs to a companion bucket,
 * lifecycle for old versions and incomplete uploads.
 */
export function backupBucket(scope: Construct, options: BackupBucketOptions): BackupBucketParts {
  const removal = StatefulRemoval.of(options.removalPolicy);
  const key = new kms.Key(scope, 'Key', {
    description: options.description,
    enableKeyRotation: true,
    ...removal.key,
  });
  const accessLogsBucket = new s3.Bucket(scope, 'AccessLogs', {
    // Server access logging delivers only to SSE-S3 buckets.
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [{ expiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    ...removal.bucket,
  });
  Validations.of(accessLogsBucket).acknowledge(
    { id: 'AwsSolutions-S1', reason: 'this is the access-log target of the backup bucket; logging it to itself would loop' },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: 'this is the access-log target of the backup bucket; logging it to itself would loop' },
    { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3, not SSE-KMS' },
    { id: 'NIST.800.53.R5-S3BucketVersioningEnabled', reason: 'access logs are written once and expire after 90 days; versions would only keep deleted log objects longer' },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'access logs of backup traffic are region-local audit data; the backups themselves are what replicate' },
  );
  const bucket = new s3.Bucket(scope, 'Bucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogsBucket,
    serverAccessLogsPrefix: 'backups/',
    lifecycleRules: [{
      id: 'versions-and-uploads',
      noncurrentVersionExpiration: Duration.days(7),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      expiration: options.expireAfterDays ? Duration.days(options.expireAfterDays) : undefined,
    }],
    replicationRole: options.replicationRole,
    replicationRules: options.replicationRules,
    ...removal.bucket,
  });
  if (!options.replicationRules?.length) {
    Validations.of(bucket).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'this bucket is a replication destination or a DR cluster\'s own backups; the primary\'s backups replicate into the DR region, and replicating the copy again adds no region',
    });
  }
  return { bucket, key, accessLogsBucket };
}
