import * as fs from 'fs';
import * as path from 'path';
import { helmReleasesIn, kubernetesObjectsIn, kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { ENV, ZONE, platformFixture } from '@keelson/test-support';
import { SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ArgoCd, GitOpsApplications, GitOpsVersions } from '../src';

// One synth: a cluster with its services, Argo CD with GitHub SSO, Slack
// notifications, the ALB ingress with a WAF ACL, and the GitOps objects.
// Planted: a stack that (wrongly) seeds the OAuth client secret and the Slack
// token in Secrets Manager from literal values; neither may reach any other template.
const FAKE_OAUTH_SECRET = 'fake-oauth-client-secret-4f1c9a7e2b';
const FAKE_SLACK_TOKEN = 'xoxb-fake-slack-token-8d3e6b1f0c';
const WEB_ACL = 'arn:aws:wafv2:ap-southeast-1:111111111111:regional/webacl/platform-dev/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const seed = new Stack(app, 'Seed', { env: ENV });
const seeded = (id: string, name: string, value: Record<string, string>) => {
  const s = new secretsmanager.Secret(seed, id, {
    secretName: name,
    secretObjectValue: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SecretValue.unsafePlainText(v)])),
  });
  const reason = 'test fixture: a secret seeded with a planted fake value, to prove the value reaches no other template; it is never rotated';
  Validations.of(s).acknowledge(
    { id: 'AwsSolutions-SMG4', reason }, { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason }, { id: 'NIST.800.53.R5-SecretsManagerUsingKMSKey', reason },
  );
};
seeded('OAuth', 'keelson/dev/argocd/github-oauth', { clientId: 'Iv1.fakeclientid', clientSecret: FAKE_OAUTH_SECRET });
seeded('Slack', 'keelson/dev/argocd/slack', { token: FAKE_SLACK_TOKEN });

const { stack, platform, services } = platformFixture(app, { id: 'GitOps' });
const argo = new ArgoCd(stack, 'ArgoCd', {
  cluster: platform.cluster,
  clusterName: 'platform-dev',
  externalSecrets: services.externalSecrets!,
  namespaces: services.namespaces,
  sso: { organization: 'keelson-platform', adminTeams: ['argocd-admins'], adminUsers: ['octocat'] },
  ingress: { ...ZONE, webAclArn: WEB_ACL },
  notifications: { channel: 'deployments' },
});
const gitops = new GitOpsApplications(stack, 'Apps', { argoCd: argo, repoUrl: 'https://github.com/keelson-platform/gitops.git' });

const result = synthesize(app);
const json = result.template('GitOps').toJSON();
const resources: Record<string, any> = json.Resources;
const objects = kubernetesObjectsIn(json);
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const release = helmReleasesIn(json).argocd;
const values = release.values;

describe('proof gates', () => {
  testProofGates(result);

  test('every Kubernetes object and custom resource (AppProjects, Applications, ApplicationSets, ExternalSecrets) passes its schema', () => {
    // IngressClassParams (eks-core's alb class) is asserted by eks-core's tests.
    const modelled = objects.filter((o) => o.kind !== 'IngressClassParams');
    expect(kubernetesSchemaErrors(modelled)).toEqual([]);
    const kinds = modelled.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'AppProject')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'ApplicationSet')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'Application')).toHaveLength(1);
  });

  test('the planted OAuth client secret and Slack token appear in no template but the seeding one, nor in any emitted object', () => {
    const outdir = result.assembly.directory;
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    expect(templates.length).toBeGreaterThanOrEqual(2);
    for (const f of templates) {
      const text = fs.readFileSync(path.join(outdir, f), 'utf8');
      const planted = text.includes(FAKE_OAUTH_SECRET) || text.includes(FAKE_SLACK_TOKEN);
      expect(`${f}: ${planted}`).toBe(`${f}: ${f.startsWith('Seed')}`);
    }
    expect(JSON.stringify(objects)).not.toMatch(/fake-oauth|fake-slack/);
    expect(JSON.stringify(values)).not.toMatch(/fake-oauth|fake-slack/);
  });
});

describe('Argo CD chart', () => {
  test('the pinned argo-cd chart from the argo-helm repository, release argocd in namespace argocd, waiting for its CRDs', () => {
    expect(release.props).toMatchObject({
      Chart: 'argo-cd', Repository: 'https://argoproj.github.io/argo-helm', Version: GitOpsVersions.ARGO_CD.version, Namespace: 'argocd', Wait: true,
    });
    expect(GitOpsVersions.ARGO_CD.version).toBe('10.10.2');
  });

  test('high availability: server autoscaled 2-5, repo-server from 2, two ApplicationSet controllers, redis-ha, a PDB per component', () => {
    expect(values.server.autoscaling).toMatchObject({ enabled: true, minReplicas: 2, maxReplicas: 5 });
    expect(values.repoServer.autoscaling).toMatchObject({ enabled: true, minReplicas: 2, maxReplicas: 5 });
    expect(values.applicationSet.replicas).toBe(2);
    expect(values['redis-ha'].enabled).toBe(true);
    for (const c of ['controller', 'server', 'repoServer', 'applicationSet', 'dex', 'notifications']) {
      expect(`${c}: ${JSON.stringify(values[c].pdb)}`).toBe(`${c}: {"enabled":true,"maxUnavailable":1}`);
    }
    expect(values['redis-ha'].podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(values['redis-ha'].haproxy.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
  });

  test('every pod on the system pool: global placement (the chart\'s default for each component) and redis-ha\'s own', () => {
    const toleration = [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }];
    expect(values.global.nodeSelector).toEqual({ 'node-pool': 'system' });
    expect(values.global.tolerations).toEqual(toleration);
    expect(values['redis-ha'].nodeSelector).toEqual({ 'node-pool': 'system' });
    expect(values['redis-ha'].tolerations).toEqual(toleration);
    expect(values['redis-ha'].haproxy.tolerations).toEqual(toleration);
    expect(values['redis-ha'].haproxy.additionalAffinities.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'node-pool', operator: 'In', values: ['system'] }]);
    expect(values.nodeSelector).toBeUndefined();
  });

  test('the chart\'s NetworkPolicies are on; CRDs installed and kept', () => {
    expect(values.global.networkPolicy).toEqual({ create: true });
    expect(values.crds).toEqual({ install: true, keep: true });
  });

  test('Dex GitHub connector: org from props, client id and secret as references to the labelled Secret, slugs, login as user id', () => {
    const dex = JSON.parse(values.configs.cm['dex.config']);
    expect(dex.connectors).toEqual([{
      type: 'github',
      id: 'github',
      name: 'GitHub',
      config: {
        clientID: '$argocd-dex-github:clientID',
        clientSecret: '$argocd-dex-github:clientSecret',
        orgs: [{ name: 'keelson-platform' }],
        teamNameField: 'slug',
        useLoginAsID: true,
      },
    }]);
    expect(values.configs.cm.url).toBe('https://argocd.platform-dev.platform.example.com');
  });

  test('the OAuth client comes from Secrets Manager through an ExternalSecret into a Secret labelled part-of argocd', () => {
    const es = find('ExternalSecret', 'argocd-dex-github')!;
    expect(es.metadata.namespace).toBe('argocd');
    expect(es.spec.data).toEqual([
      { secretKey: 'clientID', remoteRef: { key: 'keelson/dev/argocd/github-oauth', property: 'clientId' } },
      { secretKey: 'clientSecret', remoteRef: { key: 'keelson/dev/argocd/github-oauth', property: 'clientSecret' } },
    ]);
    expect(es.spec.target.template.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'argocd' });
  });

  test('RBAC: the admin team and user to role:admin, everyone else read-only, groups scope; local admin, anonymous users and exec off', () => {
    expect(values.configs.rbac).toEqual({
      'policy.default': 'role:readonly',
      'policy.csv': 'g, keelson-platform:argocd-admins, role:admin\ng, octocat, role:admin',
      'scopes': '[groups]',
      'policy.matchMode': 'glob',
    });
    expect(values.configs.cm['admin.enabled']).toBe(false);
    expect(values.configs.cm['users.anonymous.enabled']).toBe(false);
    expect(values.configs.cm['exec.enabled']).toBe(false);
  });

  test('the argocd namespace is registered (baseline Pod Security) before the ExternalSecrets and the chart', () => {
    expect(services.namespaces!.platformNamespaces.find((n) => n.name === 'argocd')).toEqual({ name: 'argocd', component: 'gitops', podSecurity: 'baseline' });
    const nsId = Object.entries(resources).find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && JSON.stringify(r.Properties.Manifest).includes('"name\\":\\"argocd\\"') && JSON.stringify(r.Properties.Manifest).includes('\\"kind\\":\\"Namespace\\"'))![0];
    const chart = Object.values(resources).find((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Release === 'argocd');
    expect(chart.DependsOn).toEqual(expect.arrayContaining([nsId]));
    const esIds = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && /ExternalSecret\\",.*argocd-(dex-github|notifications-secret)/.test(JSON.stringify(r.Properties.Manifest)));
    expect(esIds).toHaveLength(2);
    for (const [esId, es] of esIds) {
      expect(es.DependsOn).toEqual(expect.arrayContaining([nsId]));
      expect(chart.DependsOn).toEqual(expect.arrayContaining([esId]));
    }
  });
});

describe('ingress', () => {
  const ingress = () => values.server.ingress;

  test('argocd.<cluster>.<domain> on the alb IngressClass, through the chart\'s AWS mode (a gRPC Service for the CLI)', () => {
    expect(ingress()).toMatchObject({
      enabled: true,
      controller: 'aws',
      ingressClassName: 'alb',
      hostname: 'argocd.platform-dev.platform.example.com',
      aws: { serviceType: 'ClusterIP', backendProtocolVersion: 'GRPC' },
    });
    expect(values.configs.params['server.insecure']).toBe(true);
  });

  test('ACM certificate for the host, validated by DNS in the hosted zone given by id', () => {
    const certs = Object.values(resources).filter((r) => r.Type === 'AWS::CertificateManager::Certificate');
    expect(certs).toHaveLength(1);
    expect(certs[0].Properties).toMatchObject({
      DomainName: 'argocd.platform-dev.platform.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'argocd.platform-dev.platform.example.com', HostedZoneId: ZONE.hostedZoneId }],
    });
  });

  test('annotations: the certificate, TLS 1.2+ policy, HTTPS only, HSTS, WAF ACL and the streaming timeouts', () => {
    const a = ingress().annotations;
    expect(a['alb.ingress.kubernetes.io/certificate-arn']).toBe('RESOLVED-AT-DEPLOY');
    expect(a['alb.ingress.kubernetes.io/ssl-policy']).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(a['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    expect(a['alb.ingress.kubernetes.io/target-type']).toBe('ip');
    expect(a['alb.ingress.kubernetes.io/listener-attributes.HTTPS-443'])
      .toBe('routing.http.response.strict_transport_security.header_value=max-age=31536000; includeSubDomains');
    expect(a['alb.ingress.kubernetes.io/wafv2-acl-arn']).toBe(WEB_ACL);
    expect(a['alb.ingress.kubernetes.io/load-balancer-attributes']).toBe('idle_timeout.timeout_seconds=3600,client_keep_alive.seconds=3600');
    expect(a['alb.ingress.kubernetes.io/target-group-attributes']).toBe('deregistration_delay.timeout_seconds=300');
  });
});

describe('notifications', () => {
  test('Slack token from Secrets Manager into argocd-notifications-secret; the chart creates no secret', () => {
    const es = find('ExternalSecret', 'argocd-notifications-secret')!;
    expect(es.spec.data).toEqual([{ secretKey: 'slack-token', remoteRef: { key: 'keelson/dev/argocd/slack', property: 'token' } }]);
    expect(values.notifications.secret).toEqual({ create: false });
    expect(JSON.parse(values.notifications.notifiers['service.slack'])).toEqual({ token: '$slack-token' });
  });

  test('triggers on sync failed, health degraded and deployed, subscribed to the configured channel', () => {
    const n = values.notifications;
    expect(n.subscriptions).toEqual([{ recipients: ['slack:deployments'], triggers: ['on-sync-failed', 'on-health-degraded', 'on-deployed'] }]);
    expect(Object.keys(n.triggers).sort()).toEqual(['trigger.on-deployed', 'trigger.on-health-degraded', 'trigger.on-sync-failed']);
    for (const [trigger, template] of [['on-sync-failed', 'app-sync-failed'], ['on-health-degraded', 'app-health-degraded'], ['on-deployed', 'app-deployed']]) {
      const [rule] = JSON.parse(n.triggers[`trigger.${trigger}`]);
      expect(rule.send).toEqual([template]);
      expect(JSON.parse(n.templates[`template.${template}`]).message).toMatch(/\{\{\.app\.metadata\.name\}\}/);
    }
    expect(JSON.parse(n.triggers['trigger.on-health-degraded'])[0].when).toBe("app.status.health.status == 'Degraded'");
    expect(JSON.parse(n.triggers['trigger.on-deployed'])[0].oncePer).toBe('app.status.sync.revision');
    expect(n.argocdUrl).toBe('https://argocd.platform-dev.platform.example.com');
  });
});

describe('GitOps objects', () => {
  test('App-of-Apps: the root Application of the platform project syncs apps/root of the repository, recursively, pruning', () => {
    const root = find('Application', 'root')!;
    expect(root.metadata.namespace).toBe('argocd');
    expect(root.spec).toMatchObject({
      project: 'platform',
      source: { repoURL: 'https://github.com/keelson-platform/gitops.git', targetRevision: 'main', path: 'apps/root', directory: { recurse: true } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
  });

  test('only the platform project may create cluster-scoped objects; workloads none; previews only their own preview-* Namespaces', () => {
    const projects: Record<string, any> = Object.fromEntries(objects.filter((o) => o.kind === 'AppProject').map((p) => [p.metadata.name, p.spec]));
    expect(projects.platform.clusterResourceWhitelist).toEqual([{ group: '*', kind: '*' }]);
    expect(projects.workloads.clusterResourceWhitelist).toEqual([]);
    expect(projects.workloads.destinations.map((d: any) => d.namespace)).toEqual(['dev', 'staging', 'prod']);
    expect(projects.workloads.namespaceResourceBlacklist.map((k: any) => k.kind)).toEqual(['ResourceQuota', 'LimitRange', 'NetworkPolicy']);
    expect(projects.previews.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'preview-*' }]);
    expect(projects.previews.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'preview-*' }]);
    for (const p of Object.values(projects)) expect(p.sourceRepos).toEqual(['https://github.com/keelson-platform/gitops.git']);
  });

  test('environments ApplicationSet: one Application per environments/<env> directory, into the namespace of the same name, workloads project', () => {
    const set = find('ApplicationSet', 'environments')!;
    expect(set.spec.generators).toEqual([{
      git: {
        repoURL: 'https://github.com/keelson-platform/gitops.git',
        revision: 'main',
        directories: [{ path: 'environments/dev' }, { path: 'environments/staging' }, { path: 'environments/prod' }],
      },
    }]);
    expect(set.spec.template.spec.project).toBe('workloads');
    expect(set.spec.template.spec.destination.namespace).toBe('{{.path.basename}}');
  });

  test('preview ApplicationSet: GitHub pull requests labelled preview, token from Secrets Manager through an ExternalSecret', () => {
    const set = find('ApplicationSet', 'previews')!;
    expect(set.spec.generators[0].pullRequest).toEqual({
      github: { owner: 'keelson-platform', repo: 'gitops', labels: ['preview'], tokenRef: { secretName: 'argocd-github-scm', key: 'token' } },
      requeueAfterSeconds: 180,
    });
    const es = find('ExternalSecret', 'argocd-github-scm')!;
    expect(es.spec.data).toEqual([{ secretKey: 'token', remoteRef: { key: 'keelson/dev/argocd/github-scm', property: 'token' } }]);
    expect(es.spec.target.template.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'argocd' });
    expect(gitops.scmSecret).toBeDefined();
  });
});

describe('the argocd namespace denies by default', () => {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'argocd');
  test('the baseline, egress among Argo CD\'s components and to Git and registries on 443 and 22 only; ingress is the chart\'s own policies\'', () => {
    expect(policies.map((p) => p.metadata.name)).toEqual(['default-deny', 'allow-dns', 'allow-kubernetes-api', 'allow-to-namespace', 'allow-git-and-registries']);
    expect(policies.find((p) => p.metadata.name === 'allow-git-and-registries').spec).toEqual({
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 22 }] }],
    });
    expect(values.global.networkPolicy).toEqual({ create: true });
  });
});
