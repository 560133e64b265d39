import { KeelsonCommonProps, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** One interruption signal: an EventBridge rule that routes it, and how the dashboard names it. */
export interface SpotInterruptionSignal {
  /** The rule matching the signal (for example one of eks-core's `Karpenter.interruptionRules`). */
  readonly rule: events.IRule;
  /** The signal's name on the dashboard (for example `Spot interruption warning`). */
  readonly label: string;
}

/** Props of {@link SpotInterruptionDashboard}. */
export interface SpotInterruptionDashboardProps extends KeelsonCommonProps {
  /** The cluster whose signals these are (the dashboard's title and name). */
  readonly clusterName: string;

  /** The signals: the EventBridge rules that route them. */
  readonly signals: SpotInterruptionSignal[];

  /**
   * The queue the rules deliver to (eks-core's `Karpenter.interruptionQueue`), for its backlog.
   *
   * @default - no queue widgets
   */
  readonly queue?: sqs.IQueue;

  /**
   * The period each data point sums.
   *
   * @default Duration.hours(1)
   */
  readonly period?: Duration;
}

/**
 * A CloudWatch dashboard of the interruption signals a cluster already
 * receives: how many Spot interruption warnings, rebalance recommendations,
 * scheduled changes and instance state changes each EventBridge rule matched
 * per period (`AWS/Events` `MatchedEvents` by `RuleName`), the totals of the
 * last day, and the interruption queue's backlog and oldest message. Nothing
 * new is subscribed: the rules are the ones Karpenter (eks-core) creates.
 * `Karpenter`'s rules are labelled with {@link SpotInterruptionDashboard.karpenterSignals}.
 */
export class SpotInterruptionDashboard extends Construct {
  /**
   * Karpenter's interruption rules (eks-core's `Karpenter.interruptionRules`), labelled by
   * the EventBridge detail type each one matches (read from the rule's description,
   * `Karpenter (<cluster>): <detail type> to the interruption queue`).
   *
   * @param rules the rules, in any order
   */
  public static karpenterSignals(rules: events.Rule[]): SpotInterruptionSignal[] {
    return rules.map((rule) => {
      const description = (rule.node.defaultChild as events.CfnRule).description ?? '';
      const match = /: (.+) to the interruption queue$/.exec(description);
      return { rule, label: match ? match[1] : rule.node.id };
    });
  }

  /** The dashboard. */
  public readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: SpotInterruptionDashboardProps) {
    super(scope, id);
    if (props.signals.length === 0) {
      PropsCheck.fail(this, 'signals', 'is empty: there is nothing to summarise', 'pass the interruption rules, for example SpotInterruptionDashboard.karpenterSignals(karpenter.interruptionRules)');
    }
    const labels = props.signals.map((s) => s.label);
    const twice = labels.find((l, i) => labels.indexOf(l) !== i);
    if (twice) PropsCheck.fail(this, 'signals', `labels "${twice}" twice`, 'give each signal its own label');
    const period = props.period ?? Duration.hours(1);
    PropsCheck.inRange(this, 'period (minutes)', period.toMinutes(), 1, 1440);

    const matched = (s: SpotInterruptionSignal, p: Duration) => new cw.Metric({
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensionsMap: { RuleName: s.rule.ruleName },
      statistic: cw.Stats.SUM,
      period: p,
      label: s.label,
    });
    const widgets: cw.IWidget[][] = [
      [new cw.TextWidget({
        markdown: `### Interruption signals of ${props.clusterName}\nEvents each EventBridge rule matched (and routed to the interruption queue), per ${period.toHumanString()}. Nothing here is a new subscription: these are the cluster's own rules.`,
        width: 24,
        height: 2,
      })],
      [
        new cw.GraphWidget({
          title: `Signals matched per ${period.toHumanString()}`,
          left: props.signals.map((s) => matched(s, period)),
          stacked: true,
          width: 16,
          height: 6,
        }),
        new cw.SingleValueWidget({
          title: 'Last 24 hours',
          metrics: props.signals.map((s) => matched(s, Duration.days(1))),
          width: 8,
          height: 6,
        }),
      ],
    ];
    if (props.queue) {
      const q = (metricName: string, statistic: string, label: string) => new cw.Metric({
        namespace: 'AWS/SQS', metricName, dimensionsMap: { QueueName: props.queue!.queueName }, statistic, period, label,
      });
      widgets.push([
        new cw.GraphWidget({
          title: 'Interruption queue',
          left: [q('NumberOfMessagesReceived', cw.Stats.SUM, 'received'), q('ApproximateNumberOfMessagesVisible', cw.Stats.MAXIMUM, 'waiting')],
          right: [q('ApproximateAgeOfOldestMessage', cw.Stats.MAXIMUM, 'oldest (s)')],
          width: 24,
          height: 6,
        }),
      ]);
    }
    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: ResourceNaming.of(this, props.environmentSuffix).name(`spot-interruptions-${props.clusterName}`, 255),
      widgets,
    });
  }
}
