import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { ExternalSecret } from '@keelson/eks-core';
import { Duration, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { ArgoCd } from './argo-cd';
import { appProjects, environmentsApplicationSet, previewApplicationSet, rootApplication } from './private/applications';
import { PART_OF_ARGOCD } from './private/argo-cd-config';

/** How the pull-request generator authenticates to GitHub. */
export enum GitHubAuthKind {
  /** A token (fine-grained or classic) in the secret's `token` key. */
  TOKEN = 'TOKEN',
  /** A GitHub App: the secret's `appId`, `installationId` and `privateKey` keys. */
  GITHUB_APP = 'GITHUB_APP',
}

/** Pull-request preview environments. */
export interface PreviewEnvironmentsOptions {
  /**
   * Create a preview environment per open pull request.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Path of the application in the repository, synced at the pull request's head commit.
   *
   * @default 'apps/preview'
   */
  readonly appPath?: string;

  /**
   * Path (synced at the base revision) of a kustomization with the Namespace,
   * ResourceQuota and LimitRange every preview gets. Kustomize renames the
   * Namespace to `<prefix>-<number>`, sets its labels and puts the others in
   * it; the Namespace is then a resource of the preview's Application and is
   * deleted with it.
   *
   * @default 'platform/preview-namespace'
   */
  readonly quotaPath?: string;

  /**
   * Preview namespaces are `<prefix>-<pull request number>`.
   *
   * @default 'preview'
   */
  readonly namespacePrefix?: string;

  /**
   * Value of the `keelson.dev/quota` label on preview namespaces (the quota profile).
   *
   * @default 'preview'
   */
  readonly quotaProfile?: string;

  /**
   * Only pull requests with all these labels get a preview.
   *
   * @default ['preview']
   */
  readonly pullRequestLabels?: string[];

  /**
   * How often GitHub is polled for pull requests (the generator's
   * `requeueAfterSeconds`; a GitHub webhook to the ApplicationSet controller
   * makes it immediate). It bounds how long a closed pull request's preview
   * outlives it, before its Application and namespace are deleted.
   *
   * @default Duration.minutes(3)
   */
  readonly pollInterval?: Duration;

  /**
   * GitHub token or GitHub App.
   *
   * @default GitHubAuthKind.TOKEN
   */
  readonly authKind?: GitHubAuthKind;

  /**
   * Secrets Manager secret (a JSON object) with the token or the App's keys,
   * under the External Secrets path prefix.
   *
   * @default `<external secrets path prefix>argocd/github-scm`
   */
  readonly secretName?: string;
}

/** Properties of {@link GitOpsApplications}. */
export interface GitOpsApplicationsProps {
  /** The Argo CD these objects are applied to (after its CRDs exist). */
  readonly argoCd: ArgoCd;

  /** The GitOps repository, `https://github.com/<owner>/<repo>` (with or without `.git`). */
  readonly repoUrl: string;

  /**
   * The branch (or tag) every Application follows.
   *
   * @default 'main'
   */
  readonly revision?: string;

  /**
   * Path of the App-of-Apps root: Applications in it (recursively) are synced by the root.
   *
   * @default 'apps/root'
   */
  readonly rootPath?: string;

  /**
   * Directory holding one sub-directory per environment.
   *
   * @default 'environments'
   */
  readonly environmentsPath?: string;

  /**
   * The environments: each is `<environmentsPath>/<name>` in the repository and
   * deploys to the namespace of the same name.
   *
   * @default ['dev', 'staging', 'prod']
   */
  readonly environments?: string[];

  /**
   * Pull-request previews.
   *
   * @default - on, see PreviewEnvironmentsOptions
   */
  readonly previews?: PreviewEnvironmentsOptions;
}

/**
 * What Argo CD deploys: the App-of-Apps root Application, three locked-down
 * AppProjects (`platform`, `workloads`, `previews`), an ApplicationSet with
 * one Application per environment directory, and an ApplicationSet with one
 * preview environment per open pull request (GitHub credentials from Secrets
 * Manager through External Secrets).
 */
export class GitOpsApplications extends Construct {
  /** The AppProjects. */
  public readonly projects: eks.KubernetesManifest;
  /** The root Application and the ApplicationSets. */
  public readonly applications: eks.KubernetesManifest;
  /** The ExternalSecret with the pull-request generator's GitHub credentials, when previews are on. */
  public readonly scmSecret?: eks.KubernetesManifest;
  /** The objects applied (AppProjects, root Application, ApplicationSets), for inspection. */
  public readonly objects: { [key: string]: any }[];

  constructor(scope: Construct, id: string, props: GitOpsApplicationsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'gitops');
    const argo = props.argoCd;
    const namespace = argo.namespace;
    const github = parseGitHubUrl(this, props.repoUrl);
    const revision = props.revision ?? 'main';
    const environments = props.environments ?? ['dev', 'staging', 'prod'];
    if (environments.length === 0) PropsCheck.fail(this, 'environments', 'no environment is listed', "list the environment directories, for example ['dev', 'staging', 'prod']");
    environments.forEach((e, i) => checkLabel(this, `environments[${i}]`, e));
    const previews = props.previews ?? {};
    const previewsOn = previews.enabled ?? true;
    const prefix = previews.namespacePrefix ?? 'preview';
    checkLabel(this, 'previews.namespacePrefix', prefix);
    if (environments.some((e) => e.startsWith(`${prefix}-`))) {
      PropsCheck.fail(this, 'previews.namespacePrefix', `environment namespaces start with "${prefix}-", which previews own`, 'choose another prefix or rename the environment');
    }
    const poll = (previews.pollInterval ?? Duration.minutes(3)).toSeconds();
    PropsCheck.inRange(this, 'previews.pollInterval (seconds)', poll, 30, 3600);

    this.objects = [...appProjects({ namespace, repoUrl: props.repoUrl, environmentNamespaces: environments, previewPrefix: prefix })];
    this.projects = new eks.KubernetesManifest(this, 'Projects', { cluster: argo.cluster, manifest: [...this.objects], overwrite: true });
    this.projects.node.addDependency(argo.ready);

    const apps = [
      rootApplication({ namespace, repoUrl: props.repoUrl, revision, path: props.rootPath ?? 'apps/root' }),
      environmentsApplicationSet({ namespace, repoUrl: props.repoUrl, revision, environmentsPath: props.environmentsPath ?? 'environments', environments }),
    ];
    if (previewsOn) {
      const eso = argo.externalSecrets;
      const app = (previews.authKind ?? GitHubAuthKind.TOKEN) === GitHubAuthKind.GITHUB_APP;
      const secretName = app ? 'argocd-github-app' : 'argocd-github-scm';
      const remoteRef = previews.secretName ?? `${eso.pathPrefix}argocd/github-scm`;
      const scmSecret = new ExternalSecret(this, 'GitHubScmSecret', {
        operator: eso,
        namespace,
        name: secretName,
        remoteRef,
        secretKeys: app
          ? [
            { secretKey: 'githubAppID', property: 'appId' },
            { secretKey: 'githubAppInstallationID', property: 'installationId' },
            { secretKey: 'githubAppPrivateKey', property: 'privateKey' },
          ]
          : [{ secretKey: 'token', property: 'token' }],
        // A GitHub App secret is a repository-credentials Secret Argo CD finds by this label.
        secretLabels: app ? { ...PART_OF_ARGOCD, 'argocd.argoproj.io/secret-type': 'repo-creds' } : PART_OF_ARGOCD,
      });
      scmSecret.node.addDependency(argo.ready);
      this.scmSecret = scmSecret;
      apps.push(previewApplicationSet({
        namespace,
        repoUrl: props.repoUrl,
        owner: github.owner,
        repo: github.repo,
        baseRevision: revision,
        appPath: previews.appPath ?? 'apps/preview',
        quotaPath: previews.quotaPath ?? 'platform/preview-namespace',
        prefix,
        quotaProfile: previews.quotaProfile ?? 'preview',
        pullRequestLabels: previews.pullRequestLabels ?? ['preview'],
        requeueAfterSeconds: poll,
        auth: app ? { appSecret: secretName } : { tokenSecret: secretName },
      }));
    }
    this.objects.push(...apps);
    this.applications = new eks.KubernetesManifest(this, 'Applications', { cluster: argo.cluster, manifest: apps, overwrite: true });
    this.applications.node.addDependency(this.projects);
    if (this.scmSecret) this.applications.node.addDependency(this.scmSecret);
  }
}

function parseGitHubUrl(scope: Construct, url: string): { owner: string; repo: string } {
  const m = /^https:\/\/github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
  if (Token.isUnresolved(url) || !m) {
    PropsCheck.fail(scope, 'repoUrl', `"${url}" is not a GitHub repository URL`, 'use https://github.com/<owner>/<repo> (the pull-request generator reads owner and repo from it)');
  }
  return { owner: m![1], repo: m![2] };
}

function checkLabel(scope: Construct, field: string, value: string): void {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,50}[a-z0-9])?$/.test(value)) {
    PropsCheck.fail(scope, field, `"${value}" cannot name a namespace`, 'use lowercase letters, digits and hyphens (up to 52, so a suffix still fits)');
  }
}
