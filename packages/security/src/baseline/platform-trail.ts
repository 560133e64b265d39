import { HardenedBucket, KeelsonCommonProps, KeelsonTags, KeyPolicies, PropsCheck, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PlatformKey } from './platform-key';

/** Options of {@link PlatformTrail}, shared with the {@link SecurityBaseline} facade. */
export interface PlatformTrailOptions {
  /**
   * Also deliver events to an encrypted CloudWatch Logs log group.
   * @default true
   */
  readonly cloudWatchLogs?: boolean;

  /**
   * Retention of the CloudWatch Logs copy.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Age at which log files move to S3 Standard-IA (S3 requires at least 30 days).
   * @default Duration.days(30)
   */
  readonly transitionToInfrequentAccessAfter?: Duration;

  /**
   * Age at which log files move to S3 Glacier Flexible Retrieval.
   * @default Duration.days(90)
   */
  readonly transitionToGlacierAfter?: Duration;

  /**
   * Age at which log files (and server access logs) are deleted.
   * @default Duration.days(365)
   */
  readonly expireAfter?: Duration;

  /**
   * Key for the trail, its bucket and log group. An imported key must already
   * allow cloudtrail.amazonaws.com and CloudWatch Logs.
   * @default - a key is created (alias `alias/cloudtrail-<suffix>`)
   */
  readonly encryptionKey?: kms.IKey;
}

/** Props of {@link PlatformTrail}. */
export interface PlatformTrailProps extends PlatformTrailOptions, KeelsonCommonProps {}

/**
 * A multi-region CloudTrail trail with log-file validation, delivered to a
 * `HardenedBucket` (KMS-encrypted, versioned, TLS-only, access-logged) with
 * lifecycle rules, and optionally to an encrypted CloudWatch Logs log group.
 */
export class PlatformTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** The bucket holding the log files. */
  public readonly trailBucket: s3.Bucket;
  /** The bucket holding the trail bucket's server access logs. */
  public readonly accessLogsBucket: s3.Bucket;
  /** The key encrypting the trail, its bucket and log group. */
  public readonly encryptionKey: kms.IKey;
  /** The CloudWatch Logs copy, when enabled. */
  public readonly logGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformTrailProps = {}) {
    super(scope, id);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const removal = StatefulRemoval.of(props.removalPolicy);
    KeelsonTags.component(this, 'cloudtrail');

    const ia = props.transitionToInfrequentAccessAfter ?? Duration.days(30);
    const glacier = props.transitionToGlacierAfter ?? Duration.days(90);
    const expire = props.expireAfter ?? Duration.days(365);
    if (ia.toDays() < 30) {
      PropsCheck.fail(this, 'transitionToInfrequentAccessAfter', `${ia.toDays()} days is below the 30 days S3 requires before Standard-IA`, 'use Duration.days(30) or more');
    }
    if (glacier.toDays() <= ia.toDays()) {
      PropsCheck.fail(this, 'transitionToGlacierAfter', `${glacier.toDays()} days is not after the Standard-IA transition (${ia.toDays()} days)`, 'move to Glacier later than to Standard-IA');
    }
    if (expire.toDays() <= glacier.toDays()) {
      PropsCheck.fail(this, 'expireAfter', `${expire.toDays()} days is not after the Glacier transition (${glacier.toDays()} days)`, 'expire log files after they reach Glacier');
    }

    const trailName = naming.name('platform-trail', 128);
    const logGroupName = `/keelson/cloudtrail/${trailName}`;
    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
    } else {
      const key = new PlatformKey(this, 'Key', { purpose: 'cloudtrail', environmentSuffix: props.environmentSuffix, removalPolicy: props.removalPolicy, description: 'Keelson CloudTrail: log files, bucket and log group' });
      key.allowCloudTrail(trailName);
      this.encryptionKey = key.key;
    }

    const bucket = new HardenedBucket(this, 'Bucket', {
      encryptionKey: this.encryptionKey,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [{
        id: 'tier-and-expire',
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: ia },
          { storageClass: s3.StorageClass.GLACIER, transitionAfter: glacier },
        ],
        expiration: expire,
        noncurrentVersionExpiration: Duration.days(30),
      }],
      accessLogsPrefix: 'cloudtrail-bucket/',
      accessLogsExpiration: expire,
      notReplicatedReason: 'The trail is multi-region and its log files are integrity-protected by digest files; while its home region is down each region\'s CloudTrail Event history keeps 90 days of management events, so the DR region needs neither a second trail nor a replica of this bucket',
    });
    this.trailBucket = bucket.bucket;
    this.accessLogsBucket = bucket.accessLogsBucket;

    if (props.cloudWatchLogs ?? true) {
      KeyPolicies.allowCloudWatchLogs(this.encryptionKey, logGroupName);
      this.logGroup = new logs.LogGroup(this, 'LogGroup', {
        logGroupName,
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        encryptionKey: this.encryptionKey,
        removalPolicy: removal.policy,
      });
    }

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName,
      bucket: this.trailBucket,
      encryptionKey: this.encryptionKey,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: this.logGroup !== undefined,
      cloudWatchLogGroup: this.logGroup,
    });
    if (this.logGroup) {
      Validations.of(this.trail).acknowledge(
        {
          id: 'AwsSolutions-IAM5',
          reason: 'CloudTrail\'s delivery role may create and write log streams only in the trail\'s own log group; the wildcard is the log-stream part of that group\'s ARN',
        },
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason: 'aws-cdk-lib\'s Trail creates the CloudTrail-to-CloudWatch-Logs delivery role with an inline policy limited to logs:CreateLogStream and logs:PutLogEvents on the trail\'s own log group',
        },
      );
    }
  }
}
