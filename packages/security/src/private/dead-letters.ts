import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * An alarm on a dead-letter queue: any visible message means an alert or a
 * finding was not delivered. SQS keeps it at most 14 days, so somebody must
 * hear of it well before then: the alarm's action is `topic` (the alert
 * email, never the channel whose delivery may be what failed).
 */
export function alarmOnDeadLetters(queue: sqs.IQueue, what: string, topic: sns.ITopic | undefined): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(queue, 'UndeliveredAlarm', {
    alarmDescription: `${what} could not be delivered and wait in this dead-letter queue (kept 14 days): read them, fix the cause, redrive them`,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  if (topic) {
    alarm.addAlarmAction(new actions.SnsAction(topic));
  } else {
    Validations.of(alarm).acknowledge({
      id: 'NIST.800.53.R5-CloudWatchAlarmAction',
      reason: 'no alarm topic was given to the construct: the alarm shows in CloudWatch; pass the alert email topic (SecurityAlerts.deliveryFailureTopic) to be told',
    });
  }
  return alarm;
}

/**
 * Let SNS put messages it could not deliver to the subscribers of the topic
 * named `topicName` (in `scope`'s stack) into a dead-letter queue encrypted
 * with `key`. The topic's ARN is built from its name, not referenced: the
 * topic is encrypted with the same key, and a reference would be a cycle.
 * A no-op for an imported key, whose policy must already allow it.
 */
export function allowSnsDeadLetters(scope: Construct, key: kms.IKey, topicName: string): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `SnsDeadLetters${topicName.replace(/[^A-Za-z0-9]/g, '')}`,
    principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'aws:SourceArn': Stack.of(scope).formatArn({ service: 'sns', resource: topicName }) } },
  }));
}
