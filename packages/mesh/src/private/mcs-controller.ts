import { KeelsonLabels } from '@keelson/conventions';
import { SystemPool } from '@keelson/eks-core';

/**
 * The Kubernetes objects of the AWS Cloud Map MCS controller (v0.3.x). The
 * project publishes kustomize bases and no Helm chart, so Keelson renders the
 * same objects itself: the three CRDs, the manager's RBAC (the rules of
 * `config/rbac/role.yaml` and the leader-election role), and the Deployment.
 * The kube-rbac-proxy sidecar of the upstream default is left out: metrics
 * bind to localhost and nothing scrapes them.
 */

/** API group of ServiceExport and ServiceImport (the Multi-Cluster Services API). */
export const MCS_GROUP = 'multicluster.x-k8s.io';
/** API group of ClusterProperty (KEP-2149, cluster ID). */
export const ABOUT_GROUP = 'about.k8s.io';
/** The MCS API version the controller serves. */
export const MCS_VERSION = 'v1alpha1';

const LABELS = { [KeelsonLabels.NAME_KEY]: 'cloud-map-mcs-controller', ...KeelsonLabels.component('service-discovery') };
const MANAGER = 'cloud-map-mcs-controller-manager';

/** What the controller's objects depend on. */
export interface McsControllerSpec {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly image: string;
  /** The region whose Cloud Map holds the ClusterSet's registry (`AWS_REGION`). */
  readonly registryRegion: string;
}

/** The CRDs: ClusterProperty, ServiceExport, ServiceImport (v1alpha1). */
export function mcsCustomResourceDefinitions(): Record<string, any>[] {
  const crd = (group: string, kind: string, plural: string, scope: 'Cluster' | 'Namespaced', schema: Record<string, any>, extra: Record<string, any> = {}) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, labels: LABELS, ...extra.metadata },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope,
      versions: [{ name: MCS_VERSION, served: true, storage: true, schema: { openAPIV3Schema: schema }, ...extra.version }],
    },
  });
  const object = (properties: Record<string, any>, required?: string[]) => ({
    type: 'object',
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...properties },
    ...(required ? { required } : {}),
  });
  // The controller is the only writer of imports and export status; their
  // shapes follow the MCS API and are kept as written.
  const open = { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return [
    crd(ABOUT_GROUP, 'ClusterProperty', 'clusterproperties', 'Cluster',
      object({ spec: { type: 'object', properties: { value: { type: 'string', minLength: 1, maxLength: 128000 } }, required: ['value'] }, status: open }, ['spec']),
      {
        // about.k8s.io is a protected group: the API server wants the approving KEP.
        metadata: { annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/3084' } },
        version: { subresources: { status: {} }, additionalPrinterColumns: [{ name: 'value', type: 'string', jsonPath: '.spec.value' }] },
      }),
    crd(MCS_GROUP, 'ServiceExport', 'serviceexports', 'Namespaced', object({ status: open })),
    crd(MCS_GROUP, 'ServiceImport', 'serviceimports', 'Namespaced', object({ spec: open, status: open })),
  ];
}

/**
 * The `ClusterProperty` objects naming this cluster and its ClusterSet, under
 * the names v0.3.1 reads (`pkg/model/cluster.go`: `cluster.clusterset.k8s.io`,
 * `clusterset.k8s.io`).
 */
export function clusterProperties(clusterId: string, clusterSetId: string): Record<string, any>[] {
  return [['cluster.clusterset.k8s.io', clusterId], ['clusterset.k8s.io', clusterSetId]].map(([name, value]) => ({
    apiVersion: `${ABOUT_GROUP}/${MCS_VERSION}`,
    kind: 'ClusterProperty',
    metadata: { name, labels: LABELS },
    spec: { value },
  }));
}

/** RBAC and the Deployment. */
export function mcsControllerObjects(spec: McsControllerSpec): Record<string, any>[] {
  const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });
  const subject = { kind: 'ServiceAccount', name: spec.serviceAccount, namespace: spec.namespace };
  const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({
    httpGet: { path, port: 8081 }, initialDelaySeconds, periodSeconds,
  });
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: MANAGER, labels: LABELS },
      rules: [
        rule([''], ['namespaces'], ['list', 'watch']),
        rule([''], ['services'], ['create', 'delete', 'get', 'list', 'update', 'watch']),
        // Upstream grants writes too; the controller only reads them, and a write would let it rename its cluster.
        rule([ABOUT_GROUP], ['clusterproperties'], ['get', 'list', 'watch']),
        rule(['discovery.k8s.io'], ['endpointslices'], ['create', 'delete', 'deletecollection', 'get', 'list', 'update', 'watch']),
        rule([MCS_GROUP], ['serviceexports'], ['get', 'list', 'patch', 'update', 'watch']),
        rule([MCS_GROUP], ['serviceexports/finalizers'], ['get', 'update']),
        rule([MCS_GROUP], ['serviceimports'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: MANAGER, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: MANAGER },
      subjects: [subject],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `${MANAGER}-leader-election`, namespace: spec.namespace, labels: LABELS },
      rules: [
        rule(['coordination.k8s.io'], ['leases'], ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
        rule([''], ['configmaps'], ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
        rule([''], ['events'], ['create', 'patch']),
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${MANAGER}-leader-election`, namespace: spec.namespace, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${MANAGER}-leader-election` },
      subjects: [subject],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: MANAGER, namespace: spec.namespace, labels: LABELS },
      spec: {
        // One active manager at a time (leader election); a second replica only waits.
        replicas: 1,
        selector: { matchLabels: { [KeelsonLabels.NAME_KEY]: LABELS[KeelsonLabels.NAME_KEY] } },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: spec.serviceAccount,
            ...SystemPool.placement(),
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            terminationGracePeriodSeconds: 10,
            containers: [{
              name: 'manager',
              image: spec.image,
              command: ['/manager'],
              args: ['--leader-elect', '--health-probe-bind-address=:8081', '--metrics-bind-address=127.0.0.1:8080'],
              env: [{ name: 'AWS_REGION', value: spec.registryRegion }],
              ports: [{ name: 'probes', containerPort: 8081 }],
              livenessProbe: probe('/healthz', 15, 20),
              readinessProbe: probe('/readyz', 5, 10),
              // Upstream asks 100m/20Mi and caps memory at 30Mi; the cap leaves no room for a
              // namespace-heavy cluster's informer caches, so it is raised.
              resources: { requests: { cpu: '100m', memory: '32Mi' }, limits: { memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            }],
          },
        },
      },
    },
  ];
}
