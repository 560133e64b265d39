import { KeelsonLabels } from '@keelson/conventions';
/**
 * Argo CD configuration rendered from props: the Dex GitHub connector, the
 * RBAC policy and the notifications catalogue. Argo CD reads YAML; JSON is
 * YAML, so the nested documents are written with JSON.stringify rather than a
 * bundled YAML library.
 */

/** The Kubernetes Secret (in the Argo CD namespace) holding the GitHub OAuth client. */
export const DEX_SECRET = 'argocd-dex-github';
/** The Secret the notifications controller reads (the chart's default name). */
export const NOTIFICATIONS_SECRET = 'argocd-notifications-secret';
/** Argo CD reads a Secret named in its configuration only with this label. */
export const PART_OF_ARGOCD = { [KeelsonLabels.PART_OF_KEY]: 'argocd' };

export interface DexGitHub {
  readonly organization: string;
  readonly loginTeams?: string[];
}

/**
 * The Dex configuration: one GitHub connector. Client id and secret are
 * `$<secret>:<key>` references Argo CD resolves from the labelled Secret;
 * no value appears here. Team names are slugs, so groups read `<org>:<team-slug>`;
 * Argo CD fills in the connector's redirect URI from its `url`.
 * `useLoginAsID` makes the user id (Argo CD 3's `federated_claims.user_id`
 * RBAC subject) the GitHub login.
 */
export function dexConfig(github: DexGitHub): string {
  return JSON.stringify({
    connectors: [{
      type: 'github',
      id: 'github',
      name: 'GitHub',
      config: {
        clientID: `$${DEX_SECRET}:clientID`,
        clientSecret: `$${DEX_SECRET}:clientSecret`,
        orgs: [{ name: github.organization, ...(github.loginTeams?.length ? { teams: github.loginTeams } : {}) }],
        teamNameField: 'slug',
        useLoginAsID: true,
      },
    }],
  });
}

/**
 * RBAC: admin teams and users to `role:admin`; everyone else signed in gets
 * `policy.default` (read-only). Group subjects are `<org>:<team-slug>`; user
 * subjects are GitHub logins (Argo CD 3 matches users by `federated_claims.user_id`).
 */
export function rbacPolicy(organization: string, adminTeams: string[], adminUsers: string[]): string {
  return [
    ...adminTeams.map((t) => `g, ${organization}:${t}, role:admin`),
    ...adminUsers.map((u) => `g, ${u}, role:admin`),
  ].join('\n');
}

/** The three triggers and the Slack message of each. */
export const TRIGGERS: Record<string, { when: string; description: string; template: string; message: string; oncePer?: string }> = {
  'on-sync-failed': {
    description: 'Application syncing has failed',
    when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
    template: 'app-sync-failed',
    message: ':x: Sync of {{.app.metadata.name}} failed: {{.app.status.operationState.message}} ({{.context.argocdUrl}}/applications/{{.app.metadata.name}}?operation=true)',
  },
  'on-health-degraded': {
    description: 'Application has degraded',
    when: "app.status.health.status == 'Degraded'",
    template: 'app-health-degraded',
    message: ':warning: {{.app.metadata.name}} is degraded ({{.context.argocdUrl}}/applications/{{.app.metadata.name}})',
  },
  'on-deployed': {
    description: 'Application is synced and healthy; once per commit',
    when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
    template: 'app-deployed',
    message: ':white_check_mark: {{.app.metadata.name}} is running revision {{.app.status.sync.revision}} ({{.context.argocdUrl}}/applications/{{.app.metadata.name}})',
    oncePer: 'app.status.sync.revision',
  },
};

/** The chart's `notifications` values: Slack with the token from the Secret, the triggers, their templates and one subscription. */
export function notificationsValues(argocdUrl: string, channel: string): Record<string, any> {
  const triggers: Record<string, string> = {};
  const templates: Record<string, string> = {};
  for (const [name, t] of Object.entries(TRIGGERS)) {
    triggers[`trigger.${name}`] = JSON.stringify([{ description: t.description, send: [t.template], when: t.when, ...(t.oncePer ? { oncePer: t.oncePer } : {}) }]);
    templates[`template.${t.template}`] = JSON.stringify({ message: t.message });
  }
  return {
    enabled: true,
    argocdUrl,
    // The Secret comes from Secrets Manager through External Secrets.
    secret: { create: false },
    notifiers: { 'service.slack': JSON.stringify({ token: '$slack-token' }) },
    subscriptions: [{ recipients: [`slack:${channel}`], triggers: Object.keys(TRIGGERS) }],
    triggers,
    templates,
  };
}
