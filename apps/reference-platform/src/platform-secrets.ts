import { PlatformSecretSpec } from '@keelson/conventions';
import { PlatformConfig } from './config';

/**
 * Every Secrets Manager secret the platform reads with this config, by the
 * name its readers use (External Secrets in each cluster, the Slack alert
 * function of each security stack). The platform creates them as empty shells
 * replicated to the DR region (`PlatformSecrets`), and `npm run secrets`
 * reports which of them have a value in each region.
 */
export function platformSecretSpecs(config: PlatformConfig): PlatformSecretSpec[] {
  const prefix = `keelson/${config.environmentSuffix}/`;
  const specs: PlatformSecretSpec[] = [];
  const add = (name: string | undefined, description: string) => {
    if (name && !specs.some((s) => s.name === name)) specs.push({ name, description });
  };
  if (config.gitops.enabled) {
    add(`${prefix}argocd/github-oauth`, 'Argo CD sign-in (Dex): the GitHub OAuth app, JSON {"clientId": ..., "clientSecret": ...}');
    add(`${prefix}argocd/slack`, 'Argo CD Notifications: the Slack bot token, JSON {"token": ...}');
    add(`${prefix}argocd/github-scm`, 'Argo CD pull-request previews: a GitHub token that reads pull requests, JSON {"token": ...}');
  }
  // In-cluster readers go through External Secrets: without it, nothing reads their secrets.
  const eso = config.services.externalSecrets;
  const slack = config.observability.slackWebhookSecretName ?? config.security.slackWebhookSecretName;
  if (eso) add(slack, 'Alertmanager critical and warning alerts: the Slack incoming-webhook URL (the whole value)');
  add(config.security.slackWebhookSecretName, 'Security findings (GuardDuty, Security Hub) and Falco: the Slack incoming-webhook URL (the whole value)');
  if (eso) add(config.observability.grafanaGithub?.clientSecretName, 'Grafana sign-in: the GitHub OAuth app\'s client secret (the whole value)');
  if (config.finops.enabled && config.finops.costEngine !== 'none' && config.finops.costUiSignIn) {
    add(`${prefix}cost-monitoring/oidc`, 'Cost UI sign-in (ALB OIDC): the client, JSON {"clientId": ..., "clientSecret": ...}');
  }
  return specs;
}
