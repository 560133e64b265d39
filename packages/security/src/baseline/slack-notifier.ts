import { KeelsonCommonProps, KeelsonTags, KeyPolicies, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmOnDeadLetters, allowSnsDeadLetters } from '../private/dead-letters';
import { SLACK_HANDLER_SOURCE } from '../private/slack-handler';

/** Props of {@link SlackNotifier}. */
export interface SlackNotifierProps extends KeelsonCommonProps {
  /** The topic whose messages are forwarded to Slack. */
  readonly topic: sns.ITopic;

  /**
   * The topic's name, when it is in this stack and encrypted with
   * `encryptionKey`: the key's policy then lets SNS put what it could not
   * deliver into the (encrypted) dead-letter queue.
   * @default - the key's policy must already let sns.amazonaws.com use it for the topic
   */
  readonly topicName?: string;

  /**
   * The Secrets Manager secret holding the Slack incoming-webhook URL (the
   * secret string is the URL, or JSON with a `webhookUrl` field). Import it by
   * name or ARN; its value is read at run time and never enters a template.
   * A secret encrypted with a customer-managed key also needs kms:Decrypt for the function's role.
   */
  readonly webhookSecret: secretsmanager.ISecret;

  /** KMS key for the function's log group and failed-invocation queue. */
  readonly encryptionKey: kms.IKey;

  /**
   * Where messages go that SNS could not hand to the function, and
   * invocations that still fail after Lambda's retries. Encrypted with
   * `encryptionKey`. A given queue is the caller's to alarm.
   * @default - a queue is created, alarmed into `alarmTopic`
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Topic the alarm on the created dead-letter queue notifies: the alert
   * email, not Slack (a failing Slack delivery is what fills the queue).
   * @default - the alarm has no action
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Log retention of the function's log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A small inline Lambda function subscribed to a topic that posts each
 * message to a Slack incoming webhook read from Secrets Manager at run time.
 */
export class SlackNotifier extends Construct {
  /** The forwarding function. */
  public readonly function: lambda.Function;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SlackNotifierProps) {
    super(scope, id);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const removal = StatefulRemoval.of(props.removalPolicy);
    KeelsonTags.component(this, 'slack-notifier');

    const functionName = naming.name('security-alerts-slack', 64);
    KeyPolicies.allowCloudWatchLogs(props.encryptionKey, `/aws/lambda/${functionName}`);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.encryptionKey,
      removalPolicy: removal.policy,
    });

    const deadLetterQueue = props.deadLetterQueue ?? new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: removal.policy,
    });
    if (!props.deadLetterQueue) {
      Validations.of(deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the Slack forwarder' });
      alarmOnDeadLetters(deadLetterQueue, 'Security alerts for Slack', props.alarmTopic);
    }

    // A role of our own: no AWSLambdaBasicExecutionRole (it grants logs on every group).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Keelson Slack forwarder: write its own logs, read one webhook secret',
    });
    const secretId = props.webhookSecret.secretFullArn ?? props.webhookSecret.secretName;
    const secretResource = props.webhookSecret.secretFullArn ?? `${props.webhookSecret.secretArn}-??????`;
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Keelson Slack forwarder permissions',
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'SendFailedEventsToDeadLetterQueue',
          actions: ['sqs:SendMessage'],
          resources: [deadLetterQueue.queueArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseAlertsKey',
          // Decrypt: the function's environment; GenerateDataKey: messages to the encrypted queue.
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadWebhookSecret',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [secretResource],
        }),
      ],
    });
    Validations.of(policy).acknowledge(
      { id: 'AwsSolutions-IAM5', reason: 'The only wildcards are the log-stream part of the function\'s own log group ARN (streams are created per container) and the 6-character suffix Secrets Manager appends to the webhook secret\'s name' },
    );

    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: 'Forwards Keelson security alerts to Slack; the webhook is read from Secrets Manager at run time',
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SLACK_HANDLER_SOURCE),
      timeout: Duration.seconds(30),
      memorySize: 256,
      // Every permission is in the managed policy above; CDK's automatic grants would add an inline policy.
      role: role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      environment: { WEBHOOK_SECRET_ID: secretId },
      environmentEncryption: props.encryptionKey,
      deadLetterQueue,
    });
    this.function.node.addDependency(policy);

    Validations.of(this.function).acknowledge(
      { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: 'The forwarder only calls Secrets Manager and Slack\'s public HTTPS endpoint; a VPC would add NAT for no isolation benefit and keeps the baseline usable in accounts with no VPC' },
      { id: 'NIST.800.53.R5-LambdaConcurrency', reason: 'Reserved concurrency fails to deploy in accounts at the 10-execution minimum quota; invocations are bounded by the alert topic\'s volume' },
    );

    // Messages SNS cannot hand to the function (throttled, deleted) wait in the queue instead of being dropped.
    if (props.topicName) allowSnsDeadLetters(this, props.encryptionKey, props.topicName);
    props.topic.addSubscription(new subscriptions.LambdaSubscription(this.function, { deadLetterQueue }));
  }
}
