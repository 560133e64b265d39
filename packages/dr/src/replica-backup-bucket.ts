import { KeelsonCommonProps, KeelsonTags, PropsCheck, StatefulRemoval } from '@keelson/conventions';
import { Duration } from 'aws-cdk-lib';
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

  /**
   * Days each replicated backup version is locked (S3 Object Lock, governance
   * mode): nobody without `s3:BypassGovernanceRetention` can delete or
   * overwrite it in that time, not even a compromised primary cluster whose
   * Velero may write and delete its own backups. Overwritten (noncurrent)
   * versions are kept at least as long, and never under 30 days. Object Lock
   * needs RETAIN: with DESTROY the replica is not locked (locked versions
   * would stop `cdk destroy`) and setting this is refused.
   *
   * @default 30
   */
  readonly objectLockDays?: number;
}

/**
 * The DR-region destination of the primary's backup replication: a
 * versioned, KMS-encrypted (own key), TLS-only, access-logged bucket whose
 * versions are locked (Object Lock, governance mode, 30 days by default) and
 * kept at least 30 days once overwritten, so backups the primary cluster
 * rewrites or deletes (ransomware) survive here. Place
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
  /** Days each replicated version is locked; undefined when not locked (DESTROY). */
  public readonly objectLockDays?: number;

  constructor(scope: Construct, id: string, props: ReplicaBackupBucketProps = {}) {
    super(scope, id);
    KeelsonTags.component(this, 'dr-backup-replica');
    const retentionDays = props.retentionDays ?? 37;
    PropsCheck.inRange(this, 'retentionDays', retentionDays, 1, 3650);
    const destroys = StatefulRemoval.of(props.removalPolicy).destroys;
    if (props.objectLockDays !== undefined) {
      PropsCheck.inRange(this, 'objectLockDays', props.objectLockDays, 1, 3650);
      if (destroys) {
        PropsCheck.fail(this, 'objectLockDays', 'is set with removalPolicy DESTROY: locked backup versions cannot be emptied, so the stack could not be deleted',
          'use RETAIN (the default) for a protected replica, or drop objectLockDays for a disposable one');
      }
    }
    this.objectLockDays = destroys ? undefined : props.objectLockDays ?? 30;
    const parts = backupBucket(this, {
      removalPolicy: props.removalPolicy,
      description: 'Encrypts replicated Velero backups of the primary region',
      expireAfterDays: retentionDays,
      // Overwritten backups stay recoverable at least as long as they are locked, never under 30 days.
      noncurrentDays: Math.max(30, this.objectLockDays ?? 0),
      objectLockDefaultRetention: this.objectLockDays ? s3.ObjectLockRetention.governance(Duration.days(this.objectLockDays)) : undefined,
    });
    this.bucket = parts.bucket;
    this.key = parts.key;
    this.accessLogsBucket = parts.accessLogsBucket;
  }
}
