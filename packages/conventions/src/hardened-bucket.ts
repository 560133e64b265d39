import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { KeelsonCommonProps } from './common-props';
import { PropsCheck } from './props-check';
import { StatefulRemoval } from './removal';

/** How a {@link HardenedBucket} encrypts its objects at rest. */
export enum HardenedBucketEncryption {
  /** SSE-KMS with a customer managed key and an S3 Bucket Key. */
  KMS = 'KMS',
  /**
   * SSE-S3 (keys managed by S3), for destinations an AWS service delivers to
   * that accepts no KMS key (ALB access logs, S3 server access logs). cdk-nag's
   * `NIST.800.53.R5-S3DefaultEncryptionKMS` then reports the bucket: acknowledge
   * it where you make this choice, with the service's reason.
   */
  S3_MANAGED = 'S3_MANAGED',
}

/** Props of {@link HardenedBucket}. */
export interface HardenedBucketProps extends KeelsonCommonProps {
  /**
   * Encryption at rest.
   *
   * @default HardenedBucketEncryption.KMS
   */
  readonly encryption?: HardenedBucketEncryption;

  /**
   * The key of SSE-KMS (KMS encryption only). An imported key's policy must
   * already let the bucket's users encrypt and decrypt with it.
   *
   * @default - a new key with automatic rotation, removed with `removalPolicy` (retained by default; the shortest pending window only under DESTROY)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Description of the key this construct creates when none is given.
   *
   * @default 'Keelson hardened bucket'
   */
  readonly keyDescription?: string;

  /**
   * Lifecycle rules of the bucket (they replace the default rule).
   *
   * @default - noncurrent versions expire after 30 days; incomplete multipart uploads are aborted after 1 day
   */
  readonly lifecycleRules?: s3.LifecycleRule[];

  /**
   * Prefix of this bucket's server access logs in the access-log bucket.
   *
   * @default 'bucket/'
   */
  readonly accessLogsPrefix?: string;

  /**
   * Age at which server access logs (current and noncurrent versions) are deleted.
   *
   * @default Duration.days(90)
   */
  readonly accessLogsExpiration?: Duration;

  /**
   * Role S3 replicates with. Given with `replicationRules`, its permissions
   * are the caller's to grant.
   *
   * @default - with `replicationRules`, aws-cdk-lib creates a role and grants it (its wildcard object grants are then the caller's to acknowledge); otherwise none
   */
  readonly replicationRole?: iam.IRole;

  /**
   * Replication rules (cross-region or cross-account copies).
   *
   * @default - no replication
   */
  readonly replicationRules?: s3.ReplicationRule[];

  /**
   * Why this bucket needs no replica, for cdk-nag's
   * `NIST.800.53.R5-S3BucketReplicationEnabled`. Only the owner of the data
   * knows, so the reason comes from the caller. Ignored when
   * `replicationRules` are given.
   *
   * @default - not acknowledged: the finding stays for the caller to answer
   */
  readonly notReplicatedReason?: string;

  /**
   * Enable ACLs on the bucket (`BUCKET_OWNER_PREFERRED` instead of
   * `BUCKET_OWNER_ENFORCED`), for the one kind of destination that needs
   * them: an AWS service that delivers by granting itself access through the
   * bucket ACL (the EC2 Spot Instance data feed does). Give the reason; it
   * becomes part of the construct's documentation trail. Public access stays
   * blocked, and objects written with `bucket-owner-full-control` are the
   * bucket owner's. SSE-S3 only (such services do not document SSE-KMS
   * delivery).
   *
   * @default - ACLs disabled (`BUCKET_OWNER_ENFORCED`)
   */
  readonly aclDeliveryReason?: string;

  /**
   * S3 Object Lock default retention of every new object version, for data
   * that must survive whoever can write the bucket (backup copies):
   * `s3.ObjectLockRetention.governance(...)` keeps versions from being deleted
   * or overwritten until they are that old, except by a principal allowed
   * `s3:BypassGovernanceRetention`. Object Lock cannot be turned off again.
   * Refused with DESTROY: the auto-delete handler cannot remove locked
   * versions, so the stack could not be deleted.
   *
   * @default - no Object Lock
   */
  readonly objectLockDefaultRetention?: s3.ObjectLockRetention;
}

/**
 * An S3 bucket hardened the one Keelson way, with its own server access-log
 * bucket.
 *
 * The bucket: SSE-KMS with an S3 Bucket Key (or SSE-S3 where a service
 * requires it), TLS-only (`enforceSSL`), all public access blocked, ACLs
 * disabled (`BUCKET_OWNER_ENFORCED`), versioned, a lifecycle, server access
 * logs to the access-log bucket, and optional replication.
 *
 * The access-log bucket: SSE-S3 (the only encryption S3 server access logging
 * delivers to), TLS-only, public access blocked, ACLs disabled, versioned,
 * expiring; S3's log delivery may write only this bucket's logs, under the
 * prefix, through a bucket policy bound to the source bucket and account.
 *
 * Both follow the one removal switch (`StatefulRemoval`). The cdk-nag findings
 * the access-log bucket cannot avoid are acknowledged here, with the reasons.
 */
export class HardenedBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The bucket receiving the bucket's server access logs. */
  public readonly accessLogsBucket: s3.Bucket;
  /** The key of SSE-KMS (given or created); undefined with SSE-S3. */
  public readonly encryptionKey?: kms.IKey;
  /** Why ACLs are enabled on the bucket, when they are (`aclDeliveryReason`). */
  public readonly aclDeliveryReason?: string;

  constructor(scope: Construct, id: string, props: HardenedBucketProps = {}) {
    super(scope, id);
    const removal = StatefulRemoval.of(props.removalPolicy);
    const encryption = props.encryption ?? HardenedBucketEncryption.KMS;
    const logsExpiration = props.accessLogsExpiration ?? Duration.days(90);
    const prefix = props.accessLogsPrefix ?? 'bucket/';
    validate(this, props, encryption, logsExpiration, prefix);
    if (props.objectLockDefaultRetention && removal.destroys) {
      PropsCheck.fail(this, 'objectLockDefaultRetention', 'is set with removalPolicy DESTROY: locked object versions cannot be emptied by the auto-delete handler, so the stack could not be deleted',
        'use RETAIN (the default) for a locked bucket, or drop the Object Lock for a disposable one');
    }
    if (props.aclDeliveryReason !== undefined) {
      if (props.aclDeliveryReason.trim().length < 20) {
        PropsCheck.fail(this, 'aclDeliveryReason', 'is too short to say which service needs bucket ACLs and why', 'name the service and why it delivers through the bucket ACL (at least 20 characters)');
      }
      if (encryption !== HardenedBucketEncryption.S3_MANAGED) {
        PropsCheck.fail(this, 'encryption', 'is KMS, but aclDeliveryReason is set: services that deliver through bucket ACLs do not document SSE-KMS delivery', 'set encryption: HardenedBucketEncryption.S3_MANAGED');
      }
      this.aclDeliveryReason = props.aclDeliveryReason;
    }

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{
        id: 'expire',
        expiration: logsExpiration,
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      ...removal.bucket,
    });
    const loop = 'this bucket is the destination of server access logs; logging it to itself would loop';
    Validations.of(this.accessLogsBucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: loop },
      { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: loop },
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3; SSE-KMS destinations are not supported' },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'server access logs record requests to one bucket in its own region and are kept beside it; a replica would copy audit data of this region, not the data the platform must recover' },
    );

    if (encryption === HardenedBucketEncryption.KMS) {
      this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
        description: props.keyDescription ?? 'Keelson hardened bucket',
        enableKeyRotation: true,
        ...removal.key,
      });
    }

    // Id 'Default': the bucket is this construct's default child, and its logical
    // id is the one an s3.Bucket with this construct's id would get, so a bucket
    // moved into a HardenedBucket of the same id is not replaced.
    this.bucket = new s3.Bucket(this, 'Default', {
      ...(this.encryptionKey
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: this.encryptionKey, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: props.aclDeliveryReason ? s3.ObjectOwnership.BUCKET_OWNER_PREFERRED : s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: props.lifecycleRules ?? [{
        id: 'versions-and-uploads',
        noncurrentVersionExpiration: Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      replicationRole: props.replicationRole,
      replicationRules: props.replicationRules,
      objectLockEnabled: props.objectLockDefaultRetention ? true : undefined,
      objectLockDefaultRetention: props.objectLockDefaultRetention,
      ...removal.bucket,
    });

    // Server access logs through a bucket policy, not s3.Bucket's serverAccessLogsBucket:
    // without the app-level feature flag that prop grants the LogDeliveryWrite ACL,
    // which BUCKET_OWNER_ENFORCED forbids. The grant is bound to this one source bucket.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: this.accessLogsBucket.bucketName,
      logFilePrefix: prefix,
    };
    this.accessLogsBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3ServerAccessLogs',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.accessLogsBucket.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));

    if (!props.replicationRules?.length && props.notReplicatedReason) {
      Validations.of(this.bucket).acknowledge({ id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: props.notReplicatedReason });
    }
  }
}

function validate(
  scope: Construct, props: HardenedBucketProps, encryption: HardenedBucketEncryption, logsExpiration: Duration, prefix: string,
): void {
  if (props.encryptionKey && encryption !== HardenedBucketEncryption.KMS) {
    PropsCheck.fail(scope, 'encryptionKey', `is set but encryption is ${encryption}`, 'drop encryptionKey, or use HardenedBucketEncryption.KMS');
  }
  if (!logsExpiration.isUnresolved() && logsExpiration.toDays({ integral: false }) < 1) {
    PropsCheck.fail(scope, 'accessLogsExpiration', `${logsExpiration.toHumanString()} is shorter than the one day S3 lifecycle rules count in`, 'keep access logs for at least Duration.days(1); 90 days is the default');
  }
  if (!Token.isUnresolved(prefix) && prefix.startsWith('/')) {
    PropsCheck.fail(scope, 'accessLogsPrefix', `"${prefix}" starts with "/", which S3 keeps as an empty first path segment`, 'drop the leading slash, for example "bucket/"');
  }
  if (props.notReplicatedReason !== undefined && !Token.isUnresolved(props.notReplicatedReason) && props.notReplicatedReason.trim().length < 20) {
    PropsCheck.fail(scope, 'notReplicatedReason', `"${props.notReplicatedReason}" is not a reason`, 'say why this data needs no copy in another region or account, in a sentence');
  }
}
