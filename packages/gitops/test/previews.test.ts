import { kubernetesObjectsIn, kubernetesSchemaErrors, proofApp } from '@keelson/proof';
import { ZONE, platformFixture } from '@keelson/test-support';
import { Template } from 'aws-cdk-lib/assertions';
import { ArgoCd, ArgoCdMode, GitHubAuthKind, GitOpsApplications } from '../src';

// The preview ApplicationSet rendered for a sample pull request, as the
// ApplicationSet controller does: Go templates (goTemplate: true,
// missingkey=error) over the pull-request generator's parameters. Rendered
// here by a few lines of substitution rather than a Go template library:
// the template uses only `{{.key}}` field references, which the renderer
// supports and nothing else (anything else fails the test).
function render(template: any, params: Record<string, string>): any {
  if (typeof template === 'string') {
    if (/\{\{(?!\s*\.[A-Za-z_]+\s*\}\})/.test(template)) throw new Error(`unsupported template expression in "${template}"`);
    return template.replace(/\{\{\s*\.([A-Za-z_]+)\s*\}\}/g, (_, key: string) => {
      if (!(key in params)) throw new Error(`map has no entry for key "${key}" (missingkey=error)`);
      return params[key];
    });
  }
  if (Array.isArray(template)) return template.map((t) => render(t, params));
  if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [render(k, params), render(v, params)]));
  return template;
}

/** Does `name` match an Argo CD destination/whitelist glob (`*` matches anything but `/`)? */
function globMatch(glob: string, name: string): boolean {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(name);
}

const app = proofApp({ nagPacks: [] });
const { stack, platform, services } = platformFixture(app, { id: 'Previews' });
const argo = new ArgoCd(stack, 'ArgoCd', {
  cluster: platform.cluster,
  clusterName: 'platform-dev',
  externalSecrets: services.externalSecrets!,
  sso: { organization: 'keelson-platform', adminTeams: ['argocd-admins'], loginTeams: ['developers'] },
  ingress: ZONE,
  notifications: { enabled: false },
});
const apps = new GitOpsApplications(stack, 'Apps', {
  argoCd: argo,
  repoUrl: 'https://github.com/keelson-platform/gitops',
  environments: ['dev', 'staging', 'production'],
  previews: { authKind: GitHubAuthKind.GITHUB_APP, namespacePrefix: 'pr', quotaProfile: 'preview-small', pullRequestLabels: [] },
});
const set = apps.objects.find((o) => o.kind === 'ApplicationSet' && o.metadata.name === 'previews')!;
const previews = apps.objects.find((o) => o.kind === 'AppProject' && o.metadata.name === 'previews')!;
// The parameters the GitHub pull-request generator produces for one pull request.
const PR = { number: '42', branch: 'feature/checkout', branch_slug: 'feature-checkout', target_branch: 'main', head_sha: '0f3c2a9b7d1e4f6a8c0b2d4e6f8a0c2e4b6d8f0a', head_short_sha: '0f3c2a9b' };
const rendered = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...render(set.spec.template, PR) };
rendered.metadata.namespace = 'argocd';

describe('a preview environment for pull request 42', () => {
  test('the rendered Application passes the Application schema', () => {
    expect(kubernetesSchemaErrors([rendered])).toEqual([]);
  });

  test('it deploys to namespace pr-42, a resource of the Application: named by Kustomize and labelled with the preview, pull-request and quota labels and restricted Pod Security', () => {
    expect(rendered.metadata.name).toBe('pr-42');
    expect(rendered.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'pr-42' });
    // Not created on the side (Argo CD never deletes a namespace CreateNamespace made).
    expect(rendered.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true']);
    expect(rendered.spec.syncPolicy.managedNamespaceMetadata).toBeUndefined();
    const quota = rendered.spec.sources[1];
    expect(quota.kustomize.namespace).toBe('pr-42');
    expect(quota.kustomize.patches).toHaveLength(1);
    expect(quota.kustomize.patches[0].target).toEqual({ version: 'v1', kind: 'Namespace' });
    expect(JSON.parse(quota.kustomize.patches[0].patch)).toEqual([{
      op: 'add',
      path: '/metadata/labels',
      value: {
        'keelson.dev/preview': 'true',
        'keelson.dev/pull-request': '42',
        'keelson.dev/quota': 'preview-small',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    }]);
    // The ApplicationSet too passes its schema (goTemplate fields, the generator, the template).
    expect(kubernetesSchemaErrors([set])).toEqual([]);
  });

  test('the app at the pull request\'s head commit, the Namespace, quota and limits from the base branch; deleted with the pull request, namespace included, within the poll interval', () => {
    expect(rendered.spec.sources.map((x: any) => ({ repoURL: x.repoURL, targetRevision: x.targetRevision, path: x.path }))).toEqual([
      { repoURL: 'https://github.com/keelson-platform/gitops', targetRevision: PR.head_sha, path: 'apps/preview' },
      { repoURL: 'https://github.com/keelson-platform/gitops', targetRevision: 'main', path: 'platform/preview-namespace' },
    ]);
    expect(rendered.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(set.spec.syncPolicy).toEqual({ applicationsSync: 'create-delete' });
    expect(set.spec.generators[0].pullRequest.requeueAfterSeconds).toBe(180);
  });

  test('nothing outside it: the previews project admits pr-42 and no environment or platform namespace, and only pr-* Namespaces cluster-wide', () => {
    expect(rendered.spec.project).toBe('previews');
    const admitted = (ns: string) => previews.spec.destinations.some((d: any) => globMatch(d.namespace, ns));
    expect(admitted('pr-42')).toBe(true);
    for (const ns of ['dev', 'staging', 'production', 'argocd', 'kube-system', 'pr', 'prod-42']) expect(`${ns}: ${admitted(ns)}`).toBe(`${ns}: false`);
    expect(previews.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'pr-*' }]);
    expect(globMatch(previews.spec.clusterResourceWhitelist[0].name, 'kube-system')).toBe(false);
  });

  test('a GitHub App instead of a token: the generator names a repo-creds Secret filled from Secrets Manager', () => {
    expect(set.spec.generators[0].pullRequest.github).toEqual({ owner: 'keelson-platform', repo: 'gitops', appSecretName: 'argocd-github-app' });
    expect(apps.scmSecret).toBeDefined();
    const es = kubernetesObjectsIn(Template.fromStack(stack).toJSON()).find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'argocd-github-app')!;
    expect(es.spec.data.map((d: any) => `${d.secretKey}<-${d.remoteRef.key}#${d.remoteRef.property}`)).toEqual([
      'githubAppID<-keelson/dev/argocd/github-scm#appId',
      'githubAppInstallationID<-keelson/dev/argocd/github-scm#installationId',
      'githubAppPrivateKey<-keelson/dev/argocd/github-scm#privateKey',
    ]);
    expect(es.spec.target.template.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'argocd', 'argocd.argoproj.io/secret-type': 'repo-creds' });
    expect(kubernetesSchemaErrors([es])).toEqual([]);
  });

  test('the renderer refuses an unknown key, as missingkey=error does', () => {
    expect(() => render({ a: '{{.nope}}' }, PR)).toThrow(/no entry for key "nope"/);
    expect(() => render({ a: '{{ .number | upper }}' }, PR)).toThrow(/unsupported template expression/);
  });

  test('login restricted to the listed teams plus the admin team; notifications off', () => {
    // Read back through the chart values the construct passed.
    const values = argo.platformChart!.values;
    expect(JSON.parse(values.configs.cm['dex.config']).connectors[0].config.orgs).toEqual([{ name: 'keelson-platform', teams: ['argocd-admins', 'developers'] }]);
    expect(values.notifications).toEqual({ enabled: false });
    expect(argo.slackSecret).toBeUndefined();
  });
});

describe('bad input fails at synth, naming the field and the fix', () => {
  // One cluster for every case; each case builds its constructs under its own ids.
  const f = platformFixture(proofApp({ nagPacks: [] }), { id: 'Bad' });
  let n = 0;
  const build = (over: Record<string, any>, appsOver?: Record<string, any>) => () => {
    n += 1;
    const cd = new ArgoCd(f.stack, `ArgoCd${n}`, {
      cluster: f.platform.cluster,
      clusterName: 'c',
      externalSecrets: f.services.externalSecrets!,
      sso: { organization: 'org', adminTeams: ['admins'] },
      ingress: ZONE,
      ...over,
    });
    if (appsOver) new GitOpsApplications(f.stack, `Apps${n}`, { argoCd: cd, repoUrl: 'https://github.com/org/repo', ...appsOver });
  };

  test.each([
    ['no admin team or user', { sso: { organization: 'org', adminTeams: [] } }, undefined, /invalid sso.adminTeams: no team or user would be an Argo CD admin.*Fix: name at least one GitHub team slug/],
    ['an organization that is not a slug', { sso: { organization: 'my org', adminTeams: ['a'] } }, undefined, /invalid sso.organization: "my org" is not a GitHub organization or team slug/],
    ['a host name outside the hosted zone', { ingress: { ...ZONE, hostname: 'argocd.other.example.org' } }, undefined, /invalid ingress.hostname: "argocd.other.example.org" is not inside the hosted zone platform.example.com.*Fix: use a name ending in .platform.example.com/],
    ['a Slack channel with #', { notifications: { channel: '#deploys' } }, undefined, /invalid notifications.channel: "#deploys" is not a Slack channel name/],
    ['one API server replica', { highAvailability: { serverMinReplicas: 1 } }, undefined, /invalid highAvailability.serverMinReplicas/],
    ['an OAuth secret outside the External Secrets prefix', { sso: { organization: 'org', adminTeams: ['a'], oauthSecretName: 'other/argocd' } }, undefined, /remoteRef: "other\/argocd" is outside the path prefix keelson\/dev\//],
    ['self-managed without sso', { sso: undefined }, undefined, /invalid sso: is missing; the self-managed Argo CD signs in through GitHub. Fix: give sso/],
    ['the capability without its options', { mode: ArgoCdMode.EKS_CAPABILITY, sso: undefined, ingress: undefined }, undefined, /invalid capability: is missing; the managed capability signs in through IAM Identity Center/],
    ['GitHub sso on the capability', { mode: ArgoCdMode.EKS_CAPABILITY, capability: { identityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', adminGroupIds: ['g'] } }, undefined,
      /invalid sso: does not apply to the managed EKS capability.*Fix: drop sso, or use mode: ArgoCdMode.SELF_MANAGED/],
    ['notifications on the capability', { mode: ArgoCdMode.EKS_CAPABILITY, sso: undefined, ingress: undefined, notifications: { channel: 'x' }, capability: { identityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', adminGroupIds: ['g'] } }, undefined,
      /invalid notifications: the managed EKS capability has no notifications controller/],
    ['an Identity Center instance that is not an ARN', { mode: ArgoCdMode.EKS_CAPABILITY, sso: undefined, ingress: undefined, capability: { identityCenterInstanceArn: 'ssoins-1', adminGroupIds: ['g'] } }, undefined,
      /invalid capability.identityCenterInstanceArn: "ssoins-1" is not an IAM Identity Center instance ARN/],
    ['capability options in self-managed mode', { capability: { identityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', adminGroupIds: ['g'] } }, undefined, /invalid capability: is set, but mode is SELF_MANAGED/],
    ['an SSH repository URL', {}, { repoUrl: 'git@github.com:org/repo.git' }, /invalid repoUrl: "git@github.com:org\/repo.git" is not a GitHub repository URL.*Fix: use https:\/\/github.com\/<owner>\/<repo>/],
    ['an environment that cannot name a namespace', {}, { environments: ['Dev'] }, /invalid environments\[0\]: "Dev" cannot name a namespace/],
    ['an environment inside the preview prefix', {}, { environments: ['preview-a'] }, /invalid previews.namespacePrefix: environment namespaces start with "preview-"/],
  ])('%s', (_name, over, appsOver, message) => {
    expect(build(over as any, appsOver as any)).toThrow(message);
  });
});
