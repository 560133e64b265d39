import { HardenedBucket, HardenedBucketEncryption, KeelsonCommonProps, LibraryFunctions, PropsCheck } from '@keelson/conventions';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** Props of {@link SpotDataFeed}. */
export interface SpotDataFeedProps extends KeelsonCommonProps {
  /**
   * Key prefix of the feed's files in the bucket (no leading or trailing slash).
   *
   * @default 'spot-datafeed'
   */
  readonly prefix?: string;

  /**
   * Age at which feed files are deleted.
   *
   * @default Duration.days(90)
   */
  readonly retention?: Duration;
}

/**
 * The EC2 Spot Instance data feed: hourly files of the account's Spot usage
 * and the prices paid, delivered into a bucket of its own, and the account's
 * subscription to it.
 *
 * **One feed per account.** EC2 keeps a single data feed subscription per
 * account: create this construct once per account (the reference platform
 * puts it in its us-east-1 billing stack). Deleting the stack deletes the
 * subscription.
 *
 * **Why the bucket has ACLs enabled.** The feed is delivered by an AWS data
 * feed account that EC2 grants access through the bucket ACL when the
 * subscription is created (the caller needs `s3:GetBucketAcl` and
 * `s3:PutBucketAcl`), and each file carries an ACL of its own. Keelson's
 * `HardenedBucket` disables ACLs; this bucket turns them back on through its
 * narrowly scoped `aclDeliveryReason` option (bucket owner preferred), and
 * keeps everything else: public access blocked, TLS only, versioned, access
 * logged, SSE-S3 (the feed documents no SSE-KMS delivery), expiring.
 *
 * **No CloudFormation resource exists for the subscription**, so a narrowly
 * scoped `AwsCustomResource` calls `CreateSpotDatafeedSubscription` (and
 * `DeleteSpotDatafeedSubscription` on delete): its role may call those two and
 * read and write this one bucket's ACL.
 */
export class SpotDataFeed extends Construct {
  /** The bucket the feed is delivered to. */
  public readonly bucket: s3.IBucket;
  /** The key prefix of the feed's files. */
  public readonly prefix: string;
  /** The custom resource holding the subscription. */
  public readonly subscription: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: SpotDataFeedProps = {}) {
    super(scope, id);
    this.prefix = props.prefix ?? 'spot-datafeed';
    if (!/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(this.prefix)) {
      PropsCheck.fail(this, 'prefix', `"${this.prefix}" is not a key prefix`, 'use letters, digits and ! _ . * \' ( ) -, with / between parts and none at either end');
    }
    const retentionDays = (props.retention ?? Duration.days(90)).toDays();
    PropsCheck.inRange(this, 'retention (days)', retentionDays, 1, 3650);

    const feed = new HardenedBucket(this, 'Bucket', {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      encryption: HardenedBucketEncryption.S3_MANAGED,
      aclDeliveryReason: 'the EC2 Spot Instance data feed grants its delivery account access through the bucket ACL when the subscription is created, and writes each file with an ACL of its own',
      accessLogsPrefix: 'spot-datafeed-bucket/',
      lifecycleRules: [{
        id: 'expire-feed',
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: Duration.days(7),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      notReplicatedReason: 'the Spot data feed records this account\'s Spot prices for cost analysis; it is not data the platform must recover in another region',
    });
    Validations.of(feed.bucket).acknowledge({
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason: 'the EC2 Spot data feed is delivered by an AWS data feed account through bucket ACLs; its documentation covers no SSE-KMS delivery, so the bucket keeps SSE-S3',
    });
    this.bucket = feed.bucket;

    const call = (action: string, parameters?: Record<string, string>): cr.AwsSdkCall => ({
      service: 'EC2',
      action,
      parameters,
      physicalResourceId: cr.PhysicalResourceId.of(`spot-datafeed:${Stack.of(this).account}`),
    });
    const subscribe = call('CreateSpotDatafeedSubscription', { Bucket: feed.bucket.bucketName, Prefix: this.prefix });
    this.subscription = new cr.AwsCustomResource(this, 'Subscription', {
      onCreate: subscribe,
      onUpdate: subscribe,
      onDelete: call('DeleteSpotDatafeedSubscription'),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ec2:CreateSpotDatafeedSubscription', 'ec2:DeleteSpotDatafeedSubscription'], resources: ['*'] }),
        // The subscription grants the data feed account access through this bucket's ACL, with the caller's permissions.
        new iam.PolicyStatement({ actions: ['s3:GetBucketAcl', 's3:PutBucketAcl'], resources: [feed.bucket.bucketArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    this.subscription.node.addDependency(feed);

    const what = 'the subscriber is aws-cdk-lib\'s AwsCustomResource singleton; it calls ec2:CreateSpotDatafeedSubscription on deploy and ec2:DeleteSpotDatafeedSubscription on delete';
    const inlinePolicies = 'the subscriber\'s policy allows the two Spot data feed calls and reading and writing this one bucket\'s ACL';
    LibraryFunctions.acknowledgeAwsCustomResource(this, {
      createdBy: what,
      inlinePolicies,
      wildcardReason: 'ec2:CreateSpotDatafeedSubscription and ec2:DeleteSpotDatafeedSubscription support no resource-level permissions (the subscription is the account\'s single feed), so their resource is *; the statement allows those two actions only',
      outsideVpcReason: 'it calls only the EC2 and S3 APIs at deploy time; a VPC would add NAT dependencies to a deploy-time call',
    });
  }
}
