import { KeelsonCommonProps, KeelsonTags, PropsCheck } from '@keelson/conventions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { backupBucket } from './private/backup-bucket';

/** Props of {@link ReplicaBackupBucket}. */
export interface ReplicaBackupBucketProps extends KeelsonCommonProps {
  /**
   * Days a replicated backup object is kept. Deletions in the primary are not
   * replicated (a compromised primary cannot wipe the copies), so the replica
   * expires objects itself: use the Velero TTL plus a margin.
   *
   * @default 37 (30-day TTL + 7 days)
   */
  readonly retentionDays?: number;
}

/**
 * The DR-region destination of the primary's backup replication: a
 * versioned, KMS-encrypted (own key), TLS-only, access-logged bucket. Place
 * it in the DR stack; pass it to the primary's
 * `VeleroBackups.replication.destination` (its ARN crosses regions by
 * cross-region reference) and to the DR cluster's Velero as a read-only
 * location.
 */
export class ReplicaBackupBucket extends Construct {
  /** The replica bucket. */
  public readonly bucket: s3.Bucket;
  /** The key replicas are re-encrypted with. */
  public readonly key: kms.Key;
  /** The bucket receiving its server access logs. */
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ReplicaBackupBucketProps = {}) {
    super(scope, id);
    KeelsonTags.component(this, 'dr-backup-replica');
    const retentionDays = props.retentionDays ?? 37;
    PropsCheck.inRange(this, 'retentionDays', retentionDays, 1, 3650);
    const parts = backupBucket(this, {
      removalPolicy: props.removalPolicy,
      description: 'Encrypts replicated Velero backups of the primary region',
      expireAfterDays: retentionDays,
    });
    this.bucket = parts.bucket;
    this.key = parts.key;
    this.accessLogsBucket = parts.accessLogsBucket;
  }
}
