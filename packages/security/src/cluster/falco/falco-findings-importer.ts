import { KeelsonCommonProps, KeelsonTags, KeyPolicies, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmOnDeadLetters, allowSnsDeadLetters } from '../../private/dead-letters';
import { FALCO_ASFF_HANDLER_SOURCE } from '../../private/falco-asff-handler';

/** Properties of {@link FalcoFindingsImporter}. */
export interface FalcoFindingsImporterProps extends KeelsonCommonProps {
  /** The cluster's name (in the finding ids and the cluster resource). */
  readonly clusterName: string;
  /** The key encrypting the topic, queues, logs and environment. */
  readonly encryptionKey: kms.IKey;

  /**
   * Topic the alarm on the dead-letter queue notifies (the alert email).
   * @default - the alarm has no action
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * The Security Hub path for Falco, which Falcosidekick lacks: an encrypted,
 * TLS-only SNS topic Falcosidekick publishes Falco's raw JSON events to, a
 * queue that absorbs event storms, and a small function that maps each event
 * to an ASFF finding and imports them with `securityhub:BatchImportFindings`
 * into the account's default product.
 *
 * A storm neither drops findings nor starves Lambda: events wait in the queue
 * and reach the function in batches of up to 100 (one BatchImportFindings
 * call, its limit), at most `MAX_CONCURRENCY` batches at a time, well under
 * Security Hub's rate limit. The function reports the events it could not
 * import (partial batch response); those are retried, and after
 * `MAX_RECEIVES` receives move to the alarmed dead-letter queue.
 */
export class FalcoFindingsImporter extends Construct {
  /** Events per invocation: one BatchImportFindings call takes at most 100 findings. */
  public static readonly BATCH_SIZE = 100;
  /** Concurrent invocations at most (the lowest an SQS event source takes). */
  public static readonly MAX_CONCURRENCY = 2;
  /** Receives of an event before it moves to the dead-letter queue. */
  public static readonly MAX_RECEIVES = 5;

  /** The topic Falcosidekick publishes to. */
  public readonly topic: sns.Topic;
  /** The queue between the topic and the function. */
  public readonly queue: sqs.Queue;
  /** Events that could not be imported after `MAX_RECEIVES` receives, or that SNS could not deliver. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The importing function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: FalcoFindingsImporterProps) {
    super(scope, id);
    KeelsonTags.component(this, 'falco');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const removal = StatefulRemoval.of(props.removalPolicy);
    const stack = Stack.of(this);

    const topicName = naming.name('falco-findings', 256);
    this.topic = new sns.Topic(this, 'Topic', { topicName, masterKey: props.encryptionKey, enforceSSL: true });

    const functionName = naming.name('falco-findings-importer', 64);
    KeyPolicies.allowCloudWatchLogs(props.encryptionKey, `/aws/lambda/${functionName}`);
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.encryptionKey,
      removalPolicy: removal.policy,
    });
    const failed = new sqs.Queue(this, 'FailedEvents', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: removal.policy,
    });
    Validations.of(failed).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the Falco findings importer' });
    alarmOnDeadLetters(failed, 'Falco findings for Security Hub', props.alarmTopic);
    this.deadLetterQueue = failed;
    const timeout = Duration.seconds(60);
    this.queue = new sqs.Queue(this, 'Events', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      // Six times the function's timeout, as Lambda advises for SQS event sources.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: failed, maxReceiveCount: FalcoFindingsImporter.MAX_RECEIVES },
      removalPolicy: removal.policy,
    });

    const productArn = stack.formatArn({ service: 'securityhub', resource: 'product', resourceName: `${stack.account}/default` });
    // Its own role and policy: no AWSLambdaBasicExecutionRole (logs on every group), no inline policy.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Keelson Falco findings importer: write its own logs, import findings into the default Security Hub product',
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Keelson Falco findings importer permissions',
      roles: [role],
      statements: [
        new iam.PolicyStatement({ sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
        new iam.PolicyStatement({ sid: 'ImportFindings', actions: ['securityhub:BatchImportFindings'], resources: [productArn] }),
        new iam.PolicyStatement({
          sid: 'ConsumeEvents',
          actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
          resources: [this.queue.queueArn],
        }),
        new iam.PolicyStatement({ sid: 'UseKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.encryptionKey.keyArn] }),
      ],
    });
    Validations.of(policy).acknowledge({ id: 'AwsSolutions-IAM5', reason: 'The only wildcard is the log-stream part of the function\'s own log group ARN (streams are created per container)' });

    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: 'Imports Falco events (from Falcosidekick through SNS) into Security Hub as ASFF findings',
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(FALCO_ASFF_HANDLER_SOURCE),
      timeout,
      memorySize: 256,
      role: role.withoutPolicyUpdates(),
      logGroup,
      environmentEncryption: props.encryptionKey,
      environment: {
        CLUSTER_NAME: props.clusterName,
        CLUSTER_ARN: stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: props.clusterName }),
        PRODUCT_ARN: productArn,
        ACCOUNT_ID: stack.account,
        REGION: stack.region,
        PARTITION: stack.partition,
      },
    });
    this.function.node.addDependency(policy);
    Validations.of(this.function).acknowledge(
      { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: 'The importer only calls the Security Hub API; a VPC would need an interface endpoint or NAT for no isolation benefit' },
      { id: 'NIST.800.53.R5-LambdaConcurrency', reason: 'Reserved concurrency fails to deploy in accounts at the 10-execution minimum quota; the SQS event source\'s maximum concurrency (2) bounds the function instead' },
      { id: 'NIST.800.53.R5-LambdaDLQ', reason: 'The function is invoked by an SQS event source, whose queue moves events that fail 5 receives to the alarmed dead-letter queue; a function DLQ applies to asynchronous invocations only' },
    );
    this.function.addEventSource(new sources.SqsEventSource(this.queue, {
      batchSize: FalcoFindingsImporter.BATCH_SIZE,
      // Batches above 10 messages need a batching window.
      maxBatchingWindow: Duration.seconds(5),
      maxConcurrency: FalcoFindingsImporter.MAX_CONCURRENCY,
      reportBatchItemFailures: true,
    }));
    // SNS encrypts for both queues under the key; the key's statement names the topic's ARN built
    // from its name (SqsSubscription would reference the topic from the key: a cycle, as the topic
    // is encrypted with the same key).
    allowSnsDeadLetters(this, props.encryptionKey, topicName);
    const delivery = this.queue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.topic.topicArn } },
    }));
    // Raw delivery: each message is Falco's JSON; what SNS cannot deliver goes to the dead-letter queue.
    const subscription = new sns.Subscription(this, 'QueueSubscription', {
      topic: this.topic,
      protocol: sns.SubscriptionProtocol.SQS,
      endpoint: this.queue.queueArn,
      rawMessageDelivery: true,
      deadLetterQueue: failed,
    });
    if (delivery.policyDependable) subscription.node.addDependency(delivery.policyDependable);
  }
}
