import { KeelsonCommonProps, KeelsonTags, KeyPolicies, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FALCO_ASFF_HANDLER_SOURCE } from '../../private/falco-asff-handler';

/** Properties of {@link FalcoFindingsImporter}. */
export interface FalcoFindingsImporterProps extends KeelsonCommonProps {
  /** The cluster's name (in the finding ids and the cluster resource). */
  readonly clusterName: string;
  /** The key encrypting the topic, queue, logs and environment. */
  readonly encryptionKey: kms.IKey;
}

/**
 * The Security Hub path for Falco, which Falcosidekick lacks: an encrypted,
 * TLS-only SNS topic Falcosidekick publishes Falco's raw JSON events to, and a
 * small function that maps each event to an ASFF finding and imports it with
 * `securityhub:BatchImportFindings` into the account's default product.
 */
export class FalcoFindingsImporter extends Construct {
  /** The topic Falcosidekick publishes to. */
  public readonly topic: sns.Topic;
  /** The importing function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: FalcoFindingsImporterProps) {
    super(scope, id);
    KeelsonTags.component(this, 'falco');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const removal = StatefulRemoval.of(props.removalPolicy);
    const stack = Stack.of(this);

    this.topic = new sns.Topic(this, 'Topic', { topicName: naming.name('falco-findings', 256), masterKey: props.encryptionKey, enforceSSL: true });

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
        new iam.PolicyStatement({ sid: 'FailedEventsQueue', actions: ['sqs:SendMessage'], resources: [failed.queueArn] }),
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
      timeout: Duration.seconds(30),
      memorySize: 256,
      role: role.withoutPolicyUpdates(),
      logGroup,
      environmentEncryption: props.encryptionKey,
      deadLetterQueue: failed,
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
      { id: 'NIST.800.53.R5-LambdaConcurrency', reason: 'Reserved concurrency fails to deploy in accounts at the 10-execution minimum quota; invocations are bounded by the Falco events topic\'s volume' },
    );
    this.topic.addSubscription(new subscriptions.LambdaSubscription(this.function));
  }
}
