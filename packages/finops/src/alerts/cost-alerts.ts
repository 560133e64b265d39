import { EmailAddress, KeelsonCommonProps, PropsCheck, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { Stack, Token } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Props of {@link CostAlerts}. */
export interface CostAlertsProps extends KeelsonCommonProps {
  /** Where budget and anomaly alerts are emailed (the config's `costAlertsEmail`). */
  readonly email: string;

  /** The monthly budget, in US dollars. */
  readonly monthlyBudgetUsd: number;

  /**
   * Percentages of the budget at which actual spend alerts.
   *
   * @default [80, 100]
   */
  readonly actualThresholdsPercent?: number[];

  /**
   * Percentage of the budget at which forecast spend alerts.
   *
   * @default 100
   */
  readonly forecastThresholdPercent?: number;

  /**
   * An anomaly whose total impact reaches this many US dollars is alerted.
   *
   * @default 50
   */
  readonly anomalyThresholdUsd?: number;
}

/**
 * Budget and anomaly alerts: a monthly cost budget alerting on actual and
 * forecast spend, and a Cost Anomaly Detection monitor by service with an
 * immediate subscription, both to `email` and to a KMS-encrypted SNS topic
 * that other tools (chat, paging) can subscribe to.
 *
 * Budgets and Cost Explorer are global services served from us-east-1; the
 * resources may be deployed in any region, and the reference app keeps them
 * beside the export in us-east-1.
 */
export class CostAlerts extends Construct {
  /** The topic alerts are published to. */
  public readonly topic: sns.Topic;
  /** The key encrypting the topic. */
  public readonly topicKey: kms.Key;
  /** The monthly budget. */
  public readonly budget: budgets.CfnBudget;
  /** The anomaly monitor (by AWS service). */
  public readonly anomalyMonitor: ce.CfnAnomalyMonitor;
  /** The anomaly subscription. */
  public readonly anomalySubscription: ce.CfnAnomalySubscription;

  constructor(scope: Construct, id: string, props: CostAlertsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    EmailAddress.check(this, 'email', props.email);
    if (!Token.isUnresolved(props.monthlyBudgetUsd) && !(props.monthlyBudgetUsd > 0)) {
      PropsCheck.fail(this, 'monthlyBudgetUsd', `${props.monthlyBudgetUsd} is not a budget`, 'give the monthly budget in US dollars, greater than 0');
    }
    const actual = props.actualThresholdsPercent ?? [80, 100];
    actual.forEach((p, i) => PropsCheck.inRange(this, `actualThresholdsPercent[${i}]`, p, 1, 1000));
    if (new Set(actual).size !== actual.length) PropsCheck.fail(this, 'actualThresholdsPercent', `${actual.join(', ')} repeats a threshold`, 'give each percentage once');
    const forecast = props.forecastThresholdPercent ?? 100;
    PropsCheck.inRange(this, 'forecastThresholdPercent', forecast, 1, 1000);
    const anomalyUsd = props.anomalyThresholdUsd ?? 50;
    PropsCheck.inRange(this, 'anomalyThresholdUsd', anomalyUsd, 1, 1_000_000);

    const removal = StatefulRemoval.of(props.removalPolicy);
    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Keelson cost alerts topic',
      enableKeyRotation: true,
      ...removal.key,
    });
    // Budgets and Cost Anomaly Detection publish to an encrypted topic only with the key's use.
    for (const service of ['budgets.amazonaws.com', 'costalerts.amazonaws.com']) {
      this.topicKey.addToResourcePolicy(new iam.PolicyStatement({
        sid: `Publish${service.split('.')[0]}`,
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'], // a key policy's resource is the key itself
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
    }
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: naming.name('keelson-cost-alerts', 256),
      displayName: 'Keelson cost alerts',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    for (const service of ['budgets.amazonaws.com', 'costalerts.amazonaws.com']) {
      this.topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: `Publish${service.split('.')[0]}`,
        principals: [new iam.ServicePrincipal(service)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
    }

    const subscribers = [
      { subscriptionType: 'EMAIL', address: props.email },
      { subscriptionType: 'SNS', address: this.topic.topicArn },
    ];
    const notification = (type: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      notification: { notificationType: type, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers,
    });
    this.budget = new budgets.CfnBudget(this, 'MonthlyBudget', {
      budget: {
        budgetName: naming.name('keelson-monthly', 100),
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyBudgetUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: [...actual.map((p) => notification('ACTUAL', p)), notification('FORECASTED', forecast)],
    });
    this.budget.node.addDependency(this.topic);

    this.anomalyMonitor = new ce.CfnAnomalyMonitor(this, 'AnomalyMonitor', {
      monitorName: naming.name('keelson-services', 1024),
      monitorType: 'DIMENSIONAL',
      monitorDimension: 'SERVICE',
    });
    this.anomalySubscription = new ce.CfnAnomalySubscription(this, 'AnomalySubscription', {
      subscriptionName: naming.name('keelson-anomalies', 1024),
      frequency: 'IMMEDIATE',
      monitorArnList: [this.anomalyMonitor.attrMonitorArn],
      // IMMEDIATE alerts go to SNS only; the email subscription of the topic carries them on.
      subscribers: [{ type: 'SNS', address: this.topic.topicArn }],
      thresholdExpression: JSON.stringify({
        Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(anomalyUsd)] },
      }),
    });
    this.anomalySubscription.node.addDependency(this.topic);
    new sns.Subscription(this, 'EmailSubscription', { topic: this.topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: props.email });
  }
}
