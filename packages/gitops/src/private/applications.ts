import { KeelsonLabels } from '@keelson/conventions';
/**
 * The Argo CD objects of `GitOpsApplications`, as plain Kubernetes objects
 * (argoproj.io/v1alpha1). Schema-checked in the tests against
 * `@kubernetes-models/argo-cd`.
 */

/** The in-cluster API server as Argo CD names it. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Deleting an Application deletes what it deployed. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export const PLATFORM_PROJECT = 'platform';
export const WORKLOADS_PROJECT = 'workloads';
export const PREVIEWS_PROJECT = 'previews';

/** Labels on every preview namespace (`<prefix>-<number>`). */
export const PREVIEW_LABEL = KeelsonLabels.key('preview');
export const PULL_REQUEST_LABEL = KeelsonLabels.key('pull-request');
export const QUOTA_LABEL = KeelsonLabels.key('quota');

/** Namespaced kinds only the platform project manages: a workload team cannot loosen its own limits. */
const PLATFORM_OWNED_KINDS = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
];

const meta = (name: string, namespace: string, labels?: Record<string, string>) => ({
  name, namespace, labels: { ...KeelsonLabels.managed(), ...labels },
});

export interface ProjectsSpec {
  readonly namespace: string;
  readonly repoUrl: string;
  readonly environmentNamespaces: string[];
  readonly previewPrefix: string;
}

/**
 * Three AppProjects. Only `platform` may create cluster-scoped objects.
 * `workloads` deploys to the environment namespaces and cannot touch quotas,
 * limit ranges or network policies. `previews` deploys only to
 * `<prefix>-*` namespaces and may create only Namespaces with that name
 * (the preview's Namespace is a resource of its Application).
 */
export function appProjects(s: ProjectsSpec): Record<string, any>[] {
  const project = (name: string, description: string, spec: Record<string, any>) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: meta(name, s.namespace),
    spec: { description, sourceRepos: [s.repoUrl], ...spec },
  });
  return [
    project(PLATFORM_PROJECT, 'Platform components: may create cluster-scoped objects anywhere in this cluster', {
      destinations: [{ server: IN_CLUSTER, namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
    }),
    project(WORKLOADS_PROJECT, 'Workloads of the dev, staging and production environments: namespaced objects only', {
      destinations: s.environmentNamespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: PLATFORM_OWNED_KINDS,
    }),
    project(PREVIEWS_PROJECT, `Pull-request previews: only ${s.previewPrefix}-* namespaces`, {
      destinations: [{ server: IN_CLUSTER, namespace: `${s.previewPrefix}-*` }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: `${s.previewPrefix}-*` }],
      namespaceResourceBlacklist: PLATFORM_OWNED_KINDS.filter((k) => k.kind !== 'ResourceQuota' && k.kind !== 'LimitRange'),
    }),
  ];
}

const automated = { automated: { prune: true, selfHeal: true } };

export interface RootSpec {
  readonly namespace: string;
  readonly repoUrl: string;
  readonly revision: string;
  readonly path: string;
}

/** The App-of-Apps root: an Application of the platform project syncing the repository's root path (which holds further Applications). */
export function rootApplication(s: RootSpec): Record<string, any> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { ...meta('root', s.namespace), finalizers: [RESOURCES_FINALIZER] },
    spec: {
      project: PLATFORM_PROJECT,
      source: { repoURL: s.repoUrl, targetRevision: s.revision, path: s.path, directory: { recurse: true } },
      destination: { server: IN_CLUSTER, namespace: s.namespace },
      syncPolicy: { ...automated, syncOptions: ['ServerSideApply=true'] },
    },
  };
}

export interface EnvironmentsSpec {
  readonly namespace: string;
  readonly repoUrl: string;
  readonly revision: string;
  readonly environmentsPath: string;
  readonly environments: string[];
}

/**
 * One Application per environment directory of the repository
 * (`<environmentsPath>/<env>`), deployed to the namespace of the same name
 * by the workloads project. Git directory generator, Go templates.
 */
export function environmentsApplicationSet(s: EnvironmentsSpec): Record<string, any> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: meta('environments', s.namespace),
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{
        git: {
          repoURL: s.repoUrl,
          revision: s.revision,
          directories: s.environments.map((e) => ({ path: `${s.environmentsPath}/${e}` })),
        },
      }],
      template: {
        metadata: {
          name: '{{.path.basename}}',
          labels: { [KeelsonLabels.key('environment')]: '{{.path.basename}}' },
          finalizers: [RESOURCES_FINALIZER],
        },
        spec: {
          project: WORKLOADS_PROJECT,
          source: { repoURL: s.repoUrl, targetRevision: s.revision, path: '{{.path.path}}' },
          destination: { server: IN_CLUSTER, namespace: '{{.path.basename}}' },
          syncPolicy: { ...automated, syncOptions: ['ServerSideApply=true'] },
        },
      },
    },
  };
}

export interface PreviewsSpec {
  readonly namespace: string;
  readonly repoUrl: string;
  readonly owner: string;
  readonly repo: string;
  readonly baseRevision: string;
  readonly appPath: string;
  readonly quotaPath: string;
  readonly prefix: string;
  readonly quotaProfile: string;
  readonly pullRequestLabels: string[];
  readonly requeueAfterSeconds: number;
  readonly auth: { readonly tokenSecret?: string; readonly appSecret?: string };
}

/**
 * One preview environment per open pull request: the pull-request
 * generator (GitHub), an Application of the previews project in namespace
 * `<prefix>-<number>`. Its second source, the repository's quota path at the
 * base revision (a kustomization), holds the Namespace, a ResourceQuota and a
 * LimitRange: Kustomize names the Namespace `<prefix>-<number>` and labels it
 * (preview, pull request, quota, Pod Security `restricted`), so the Namespace
 * is a resource of the Application. Closing the pull request drops it from
 * the generator; the ApplicationSet deletes the Application, and its
 * resources finalizer deletes the Namespace with everything in it.
 */
export function previewApplicationSet(s: PreviewsSpec): Record<string, any> {
  const github = {
    owner: s.owner,
    repo: s.repo,
    ...(s.pullRequestLabels.length ? { labels: s.pullRequestLabels } : {}),
    ...(s.auth.appSecret ? { appSecretName: s.auth.appSecret } : {}),
    ...(s.auth.tokenSecret ? { tokenRef: { secretName: s.auth.tokenSecret, key: 'token' } } : {}),
  };
  const ns = `${s.prefix}-{{.number}}`;
  const namespaceLabels = {
    [PREVIEW_LABEL]: 'true',
    [PULL_REQUEST_LABEL]: '{{.number}}',
    [QUOTA_LABEL]: s.quotaProfile,
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: meta('previews', s.namespace),
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ pullRequest: { github, requeueAfterSeconds: s.requeueAfterSeconds } }],
      // create-delete is the default policy, spelled out: a closed pull request removes its preview.
      syncPolicy: { applicationsSync: 'create-delete' },
      template: {
        metadata: {
          name: `${s.prefix}-{{.number}}`,
          labels: { [PREVIEW_LABEL]: 'true', [PULL_REQUEST_LABEL]: '{{.number}}' },
          finalizers: [RESOURCES_FINALIZER],
        },
        spec: {
          project: PREVIEWS_PROJECT,
          sources: [
            { repoURL: s.repoUrl, targetRevision: '{{.head_sha}}', path: s.appPath },
            {
              repoURL: s.repoUrl,
              targetRevision: s.baseRevision,
              path: s.quotaPath,
              // Kustomize's namespace transformer sets every object's namespace and renames the v1
              // Namespace to the preview's; the patch gives the Namespace its labels, whatever it carried.
              kustomize: {
                namespace: ns,
                patches: [{ target: { version: 'v1', kind: 'Namespace' }, patch: JSON.stringify([{ op: 'add', path: '/metadata/labels', value: namespaceLabels }]) }],
              },
            },
          ],
          destination: { server: IN_CLUSTER, namespace: ns },
          // No CreateNamespace: Argo CD never deletes a namespace it created that way. The
          // Namespace is a resource of the Application (from the quota source), so the
          // resources finalizer deletes it, and everything in it, with the Application.
          syncPolicy: { ...automated, syncOptions: ['ServerSideApply=true'] },
        },
      },
    },
  };
}
