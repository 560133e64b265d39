import { SLACK_WEBHOOK_FILE } from './names';

/** What the Alertmanager configuration is built from. */
export interface AlertmanagerConfigInput {
  readonly slackChannel?: string;
  readonly topicArn?: string;
  readonly region: string;
}

const TITLE = '[{{ .Status | toUpper }}] {{ .CommonLabels.cluster }}: {{ .CommonLabels.alertname }}';
const TEXT = '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}';

/**
 * Alertmanager's configuration (the chart's `alertmanager.config`): critical
 * alerts go to Slack (webhook read from a mounted Secret file, never a value)
 * and SNS; warnings to Slack; the always-firing `Watchdog` and `InfoInhibitor`
 * to nowhere. Every notification names the cluster label, so a DR cluster's
 * alerts say they are DR's.
 */
export function alertmanagerConfig(input: AlertmanagerConfigInput): Record<string, any> {
  const slack = input.slackChannel === undefined ? [] : [{
    api_url_file: SLACK_WEBHOOK_FILE,
    channel: input.slackChannel,
    send_resolved: true,
    title: TITLE,
    text: TEXT,
  }];
  const snsConfigs = input.topicArn === undefined ? [] : [{
    topic_arn: input.topicArn,
    sigv4: { region: input.region },
    subject: TITLE,
    send_resolved: true,
  }];
  const receivers: Record<string, any>[] = [{ name: 'null' }];
  const routes: Record<string, any>[] = [
    { receiver: 'null', matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
  ];
  if (slack.length || snsConfigs.length) {
    receivers.push({
      name: 'critical',
      ...(slack.length ? { slack_configs: slack } : {}),
      ...(snsConfigs.length ? { sns_configs: snsConfigs } : {}),
    });
    routes.push({ receiver: 'critical', matchers: ['severity="critical"'] });
  }
  if (slack.length) {
    receivers.push({ name: 'slack', slack_configs: slack });
    routes.push({ receiver: 'slack', matchers: ['severity="warning"'] });
  }
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: 'null',
      group_by: ['alertname', 'cluster', 'namespace'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes,
    },
    inhibit_rules: [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'cluster', 'namespace'] },
    ],
    receivers,
  };
}
