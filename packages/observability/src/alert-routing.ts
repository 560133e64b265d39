import * as sns from 'aws-cdk-lib/aws-sns';

/** Where Alertmanager sends alerts (part of {@link PrometheusStackProps}). */
export interface AlertRoutingOptions {
  /**
   * Name of the Secrets Manager secret holding the Slack incoming-webhook URL
   * (the whole secret value). It reaches Alertmanager through an
   * ExternalSecret, so it must sit under the External Secrets Operator's path
   * prefix; no webhook value ever appears in a template.
   *
   * @default - no Slack receiver
   */
  readonly slackWebhookSecretName?: string;

  /**
   * Slack channel the webhook posts to.
   *
   * @default '#platform-alerts'
   */
  readonly slackChannel?: string;

  /**
   * The encrypted SNS topic critical alerts are published to (the platform's
   * alert topic). Alertmanager publishes with its own workload role, which may
   * publish to this topic only (and use its KMS key).
   *
   * @default - an encrypted topic is created (see `PlatformObservability.alertTopic`)
   */
  readonly topic?: sns.ITopic;

  /**
   * Email addresses subscribed to the alert topic, so critical alerts reach
   * someone even where no Slack webhook is set. Each address confirms its
   * subscription once (SNS sends the confirmation mail).
   *
   * @default - no email subscription (a warning at synth when the topic is created here and nothing else subscribes)
   */
  readonly alertEmails?: string[];

  /**
   * Base URL of the runbooks every alert rule links to in `runbook_url`
   * (`<base>/<rule>.md`).
   *
   * @default 'https://github.com/keelson-platform/keelson/blob/main/docs/runbooks'
   */
  readonly runbookBaseUrl?: string;
}

/** The runbooks in this repository, linked from every alert rule. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/keelson-platform/keelson/blob/main/docs/runbooks';
