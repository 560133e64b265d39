import { KeelsonCommonProps, KeelsonTags, KeyPolicies, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Flow-log settings, as given to {@link PlatformNetwork}. */
export interface FlowLogOptions {
  /**
   * How long flow-log records stay in CloudWatch Logs. 30 days covers a
   * monthly incident review; keep longer history in the S3 destination.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;

  /**
   * KMS key that encrypts the log group. A key you pass must already allow
   * the `logs.<region>.amazonaws.com` principal (imported keys cannot be
   * changed here).
   *
   * @default - a new key with rotation on, whose policy admits CloudWatch Logs
   * for this log group only
   */
  readonly key?: kms.IKey;

  /**
   * Also deliver flow logs to this bucket (ALL traffic).
   *
   * @default - CloudWatch Logs only
   */
  readonly s3Bucket?: s3.IBucket;

  /**
   * Key prefix inside `s3Bucket`.
   *
   * @default 'vpc-flow-logs/'
   */
  readonly s3KeyPrefix?: string;
}

/** Props of {@link PlatformFlowLogs}. */
export interface PlatformFlowLogsProps extends FlowLogOptions, KeelsonCommonProps {
  /** The VPC whose traffic is logged. */
  readonly vpc: ec2.IVpc;
}

/**
 * VPC flow logs for ALL traffic to a KMS-encrypted CloudWatch log group, and
 * optionally to S3.
 */
export class PlatformFlowLogs extends Construct {
  /** The encrypted log group receiving the records. */
  public readonly logGroup: logs.ILogGroup;
  /** The key encrypting the log group. */
  public readonly key: kms.IKey;
  /** The CloudWatch Logs flow log. */
  public readonly flowLog: ec2.FlowLog;
  /** The S3 flow log, when a bucket was given. */
  public readonly s3FlowLog?: ec2.FlowLog;

  constructor(scope: Construct, id: string, props: PlatformFlowLogsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'network-flow-logs');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const removal = StatefulRemoval.of(props.removalPolicy);
    const logGroupName = `/keelson/${naming.name('vpc-flow-logs', 500)}`;

    if (props.key) {
      this.key = props.key;
    } else {
      const key = new kms.Key(this, 'Key', {
        description: `Encrypts the VPC flow-log group ${logGroupName}`,
        alias: `alias/keelson/${naming.name('vpc-flow-logs', 200)}`,
        enableKeyRotation: true,
        ...removal.key,
      });
      KeyPolicies.allowCloudWatchLogs(key, logGroupName);
      this.key = key;
    }

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: this.key,
      retention: props.retention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: removal.policy,
    });
    this.logGroup = logGroup;

    this.flowLog = new ec2.FlowLog(this, 'CloudWatch', {
      resourceType: ec2.FlowLogResourceType.fromVpc(props.vpc),
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
      flowLogName: naming.name('vpc-flow-logs'),
    });
    Validations.of(this.flowLog).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'aws-cdk-lib\'s FlowLog gives its delivery role an inline policy that can only write to this one flow-log group and pass itself to the VPC Flow Logs service',
    });

    if (props.s3Bucket) {
      this.s3FlowLog = new ec2.FlowLog(this, 'S3', {
        resourceType: ec2.FlowLogResourceType.fromVpc(props.vpc),
        destination: ec2.FlowLogDestination.toS3(props.s3Bucket, props.s3KeyPrefix ?? 'vpc-flow-logs/'),
        trafficType: ec2.FlowLogTrafficType.ALL,
        flowLogName: naming.name('vpc-flow-logs-s3'),
      });
    }
  }
}
