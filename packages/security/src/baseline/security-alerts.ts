import { EmailAddress, KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PlatformKey } from './platform-key';
import { SlackNotifier } from './slack-notifier';
import { alarmOnDeadLetters } from '../private/dead-letters';

/** A Security Hub (ASFF) severity label. */
export class SecurityHubSeverity {
  /** CRITICAL (90–100). */
  public static readonly CRITICAL = new SecurityHubSeverity('CRITICAL', 4);
  /** HIGH (70–89). */
  public static readonly HIGH = new SecurityHubSeverity('HIGH', 3);
  /** MEDIUM (40–69). */
  public static readonly MEDIUM = new SecurityHubSeverity('MEDIUM', 2);
  /** LOW (1–39). */
  public static readonly LOW = new SecurityHubSeverity('LOW', 1);
  /** INFORMATIONAL (0). */
  public static readonly INFORMATIONAL = new SecurityHubSeverity('INFORMATIONAL', 0);

  /** This label and every label above it, for example `atOrAbove(HIGH)` is HIGH and CRITICAL. */
  public static atOrAbove(threshold: SecurityHubSeverity): SecurityHubSeverity[] {
    const belowHigh = [SecurityHubSeverity.INFORMATIONAL, SecurityHubSeverity.LOW, SecurityHubSeverity.MEDIUM];
    return [...belowHigh, SecurityHubSeverity.HIGH, SecurityHubSeverity.CRITICAL]
      .filter((s) => s.rank >= threshold.rank);
  }

  private constructor(/** The `Severity.Label` value. */ public readonly label: string, private readonly rank: number) {}
}

/** Options of {@link SecurityAlerts}, shared with the {@link SecurityBaseline} facade. */
export interface SecurityAlertsOptions {
  /**
   * Forward GuardDuty findings whose severity is strictly greater than this (GuardDuty uses 1.0–10.0).
   * @default 4 (medium, high and critical findings)
   */
  readonly guardDutySeverityAbove?: number;

  /**
   * Security Hub severity labels to forward.
   * @default SecurityHubSeverity.atOrAbove(SecurityHubSeverity.HIGH)
   */
  readonly securityHubSeverities?: SecurityHubSeverity[];

  /**
   * Forward GuardDuty findings.
   * @default true
   */
  readonly forwardGuardDuty?: boolean;

  /**
   * Forward Security Hub findings.
   * @default true
   */
  readonly forwardSecurityHub?: boolean;

  /**
   * Email address subscribed to the alerts topic and to the delivery-failure
   * topic (the recipient confirms each once).
   * @default - no email subscription
   */
  readonly securityAlertsEmail?: string;

  /**
   * Secret holding a Slack incoming-webhook URL; when given, a small Lambda
   * function forwards every alert to Slack, reading the URL at run time.
   * @default - no Slack forwarding
   */
  readonly slackWebhookSecret?: secretsmanager.ISecret;

  /**
   * Customer-managed key for the topic and queues. An imported key must
   * already allow `events.amazonaws.com` kms:Decrypt and kms:GenerateDataKey*.
   * @default - a key is created (alias `alias/security-alerts-<suffix>`)
   */
  readonly encryptionKey?: kms.IKey;
}

/** Props of {@link SecurityAlerts}. */
export interface SecurityAlertsProps extends SecurityAlertsOptions, KeelsonCommonProps {}

/**
 * Finding routing: EventBridge rules send high-severity GuardDuty and
 * Security Hub findings to a KMS-encrypted, TLS-only SNS topic, with an
 * encrypted dead-letter queue, optional email and optional Slack.
 *
 * Failed deliveries cannot expire unseen: the dead-letter queue is alarmed,
 * and the alarm goes to a second topic, `deliveryFailureTopic`, which only
 * the email subscribes to (Slack may be the very delivery that failed).
 * Other constructs alarm their dead-letter queues into the same topic.
 */
export class SecurityAlerts extends Construct {
  /** The alerts topic. */
  public readonly alertsTopic: sns.ITopic;
  /** The key encrypting the topic and queues. */
  public readonly alertsKey: kms.IKey;
  /** The queue catching events EventBridge, SNS or the Slack forwarder could not deliver. */
  public readonly deadLetterQueue: sqs.IQueue;
  /**
   * The topic of undelivered-alert alarms: the alert email only, never Slack.
   * CloudWatch alarms may publish to it (its key admits `cloudwatch.amazonaws.com`).
   */
  public readonly deliveryFailureTopic: sns.ITopic;
  /** The rules (GuardDuty, Security Hub), as enabled. */
  public readonly rules: events.Rule[] = [];
  /** The Slack forwarder, when `slackWebhookSecret` is given. */
  public readonly slackNotifier?: SlackNotifier;

  constructor(scope: Construct, id: string, props: SecurityAlertsProps = {}) {
    super(scope, id);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    KeelsonTags.component(this, 'security-alerts');

    const threshold = props.guardDutySeverityAbove ?? 4;
    if (threshold < 0 || threshold >= 10) {
      PropsCheck.fail(this, 'guardDutySeverityAbove', `${threshold} is outside 0–9.9`, 'use a number from 0 to 9.9; 4 forwards medium, high and critical findings');
    }
    const labels = (props.securityHubSeverities ?? SecurityHubSeverity.atOrAbove(SecurityHubSeverity.HIGH)).map((s) => s.label);
    const forwardSecurityHub = props.forwardSecurityHub ?? true;
    if (forwardSecurityHub && labels.length === 0) {
      PropsCheck.fail(this, 'securityHubSeverities', 'the list is empty', 'list at least one label, or set forwardSecurityHub to false');
    }
    if (props.securityAlertsEmail !== undefined) EmailAddress.check(this, 'securityAlertsEmail', props.securityAlertsEmail);

    if (props.encryptionKey) {
      this.alertsKey = props.encryptionKey;
    } else {
      const key = new PlatformKey(this, 'Key', { purpose: 'security-alerts', environmentSuffix: props.environmentSuffix, removalPolicy: props.removalPolicy, description: 'Keelson security alerts: SNS topic and SQS queues' });
      // The SNS target's grant adds the key-policy statement EventBridge needs
      // (events.amazonaws.com: kms:Decrypt, kms:GenerateDataKey*), for the topic and the DLQ.
      this.alertsKey = key.key;
    }

    const topicName = naming.name('security-alerts', 256);
    const topic = new sns.Topic(this, 'Topic', {
      topicName,
      displayName: 'Keelson security alerts',
      masterKey: this.alertsKey,
      enforceSSL: true,
    });
    this.alertsTopic = topic;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: naming.name('security-alerts-dlq', 80),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.alertsKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: StatefulRemoval.of(props.removalPolicy).policy,
    });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the finding-routing rules' });

    this.deliveryFailureTopic = new sns.Topic(this, 'DeliveryFailureTopic', {
      topicName: naming.name('security-alert-failures', 256),
      displayName: 'Keelson undelivered security alerts',
      masterKey: this.alertsKey,
      enforceSSL: true,
    });
    // CloudWatch alarms of this account publish to the encrypted topic (no-op for an imported key).
    this.alertsKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishDeliveryFailures',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    alarmOnDeadLetters(this.deadLetterQueue, 'Security alerts (GuardDuty, Security Hub, Slack)', this.deliveryFailureTopic);

    const target = new targets.SnsTopic(topic, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) });

    if (props.forwardGuardDuty ?? true) {
      this.rules.push(new events.Rule(this, 'GuardDutyRule', {
        ruleName: naming.name('guardduty-findings', 64),
        description: `GuardDuty findings with severity above ${threshold} to the security alerts topic`,
        eventPattern: {
          source: ['aws.guardduty'],
          detailType: ['GuardDuty Finding'],
          detail: { severity: events.Match.greaterThan(threshold) },
        },
        targets: [target],
      }));
    }
    if (forwardSecurityHub) {
      this.rules.push(new events.Rule(this, 'SecurityHubRule', {
        ruleName: naming.name('securityhub-findings', 64),
        description: `Security Hub findings labelled ${labels.join('/')} to the security alerts topic`,
        eventPattern: {
          source: ['aws.securityhub'],
          detailType: ['Security Hub Findings - Imported'],
          detail: { findings: { Severity: { Label: labels } } },
        },
        targets: [target],
      }));
    }

    if (props.securityAlertsEmail !== undefined) {
      topic.addSubscription(new subscriptions.EmailSubscription(props.securityAlertsEmail));
      this.deliveryFailureTopic.addSubscription(new subscriptions.EmailSubscription(props.securityAlertsEmail));
    }
    if (props.slackWebhookSecret) {
      this.slackNotifier = new SlackNotifier(this, 'Slack', {
        topic,
        topicName,
        webhookSecret: props.slackWebhookSecret,
        encryptionKey: this.alertsKey,
        deadLetterQueue: this.deadLetterQueue,
        alarmTopic: this.deliveryFailureTopic,
        environmentSuffix: props.environmentSuffix,
        removalPolicy: props.removalPolicy,
      });
    }
  }
}
