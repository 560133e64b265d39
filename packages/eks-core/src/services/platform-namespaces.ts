import { KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { ClusterAccessGroups } from '../access-groups';
import { checkDnsLabel } from '../private/services';

/** Pod Security Standards level (`pod-security.kubernetes.io/*` labels). */
export enum PodSecurityLevel {
  /** No restrictions (Keelson never uses it by default). */
  PRIVILEGED = 'privileged',
  /** Blocks known privilege escalations; for platform components that need host access. */
  BASELINE = 'baseline',
  /** Hardened pod settings; the default for workloads. */
  RESTRICTED = 'restricted',
}

/** A platform namespace. */
export interface PlatformNamespaceSpec {
  /** Namespace name. */
  readonly name: string;
  /** Value of the `component` label. */
  readonly component: string;
  /**
   * Enforced Pod Security level (audit and warn are always `restricted`).
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
}

/** ResourceQuota of each workload namespace. */
export interface NamespaceQuota {
  /**
   * Total CPU requests.
   *
   * @default '20'
   */
  readonly requestsCpu?: string;
  /**
   * Total memory requests.
   *
   * @default '40Gi'
   */
  readonly requestsMemory?: string;
  /**
   * Total CPU limits.
   *
   * @default '40'
   */
  readonly limitsCpu?: string;
  /**
   * Total memory limits.
   *
   * @default '80Gi'
   */
  readonly limitsMemory?: string;
  /**
   * Pods.
   *
   * @default 200
   */
  readonly pods?: number;
  /**
   * Services of type LoadBalancer.
   *
   * @default 2
   */
  readonly loadBalancers?: number;
}

/** LimitRange (container defaults and maximum) of each workload namespace. */
export interface ContainerLimits {
  /**
   * Default CPU request.
   *
   * @default '100m'
   */
  readonly defaultRequestCpu?: string;
  /**
   * Default memory request.
   *
   * @default '128Mi'
   */
  readonly defaultRequestMemory?: string;
  /**
   * Default CPU limit.
   *
   * @default '500m'
   */
  readonly defaultCpu?: string;
  /**
   * Default memory limit.
   *
   * @default '512Mi'
   */
  readonly defaultMemory?: string;
  /**
   * Maximum CPU per container.
   *
   * @default '4'
   */
  readonly maxCpu?: string;
  /**
   * Maximum memory per container.
   *
   * @default '8Gi'
   */
  readonly maxMemory?: string;
}

/** Options of the namespaces and RBAC (also used by `PlatformServices`). */
export interface NamespacesOptions {
  /**
   * Create them (read by `PlatformServices` only).
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Workload namespaces (label `env` = the name).
   *
   * @default ['dev', 'staging', 'production']
   */
  readonly workloadNamespaces?: string[];
  /**
   * Enforced Pod Security level of workload namespaces.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly workloadPodSecurity?: PodSecurityLevel;
  /**
   * Platform namespaces.
   *
   * @default - argocd and observability (baseline), external-secrets (restricted); `PlatformServices` adds keda (restricted) when KEDA is on
   */
  readonly platformNamespaces?: PlatformNamespaceSpec[];
  /**
   * Value of the `owner` label.
   *
   * @default 'platform-team'
   */
  readonly owner?: string;
  /**
   * ResourceQuota per workload namespace.
   *
   * @default - see NamespaceQuota
   */
  readonly quota?: NamespaceQuota;
  /**
   * LimitRange per workload namespace.
   *
   * @default - see ContainerLimits
   */
  readonly limits?: ContainerLimits;
}

/** Properties of {@link PlatformNamespaces}. */
export interface PlatformNamespacesProps extends NamespacesOptions, KeelsonCommonProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
}

const PROTECTED = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];

/**
 * Namespaces with `env`/`owner`/`component` labels and Pod Security Standards
 * labels (enforce per namespace, audit and warn `restricted`); in each
 * workload namespace a `developer` and a `read-only` Role bound to the
 * Kubernetes groups of part 1's access entries (`ClusterAccessGroups`), a
 * ResourceQuota and a LimitRange. `kube-system` is never touched.
 */
export class PlatformNamespaces extends Construct {
  /** One manifest per namespace, by name. */
  public readonly manifests: { [name: string]: eks.KubernetesManifest } = {};
  /** The namespaces created, in order. */
  public readonly namespaceNames: string[] = [];

  constructor(scope: Construct, id: string, props: PlatformNamespacesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'namespaces');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const owner = props.owner ?? 'platform-team';
    const workloads = props.workloadNamespaces ?? ['dev', 'staging', 'production'];
    const platform = props.platformNamespaces ?? [
      { name: 'argocd', component: 'gitops', podSecurity: PodSecurityLevel.BASELINE },
      { name: 'observability', component: 'observability', podSecurity: PodSecurityLevel.BASELINE },
      { name: 'external-secrets', component: 'external-secrets', podSecurity: PodSecurityLevel.RESTRICTED },
    ];
    const seen = new Set<string>();
    const check = (field: string, name: string) => {
      checkDnsLabel(this, field, name);
      if (PROTECTED.includes(name)) {
        PropsCheck.fail(this, field, `"${name}" is a namespace Kubernetes/EKS manages`, 'leave kube-system, kube-public, kube-node-lease and default alone; choose another name');
      }
      if (seen.has(name)) {
        PropsCheck.fail(this, field, `"${name}" is listed twice`, 'list each namespace once, either as a workload or as a platform namespace');
      }
      seen.add(name);
    };
    workloads.forEach((n) => check('workloadNamespaces', n));
    platform.forEach((p) => check('platformNamespaces', p.name));

    const q = props.quota ?? {};
    const l = props.limits ?? {};
    for (const name of workloads) {
      const level = props.workloadPodSecurity ?? PodSecurityLevel.RESTRICTED;
      this.add(props.cluster, name, [
        namespace(name, { env: name, owner, component: 'workloads' }, level),
        ...rbac(name),
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'compute', namespace: name },
          spec: {
            hard: {
              'requests.cpu': q.requestsCpu ?? '20',
              'requests.memory': q.requestsMemory ?? '40Gi',
              'limits.cpu': q.limitsCpu ?? '40',
              'limits.memory': q.limitsMemory ?? '80Gi',
              'pods': String(q.pods ?? 200),
              'services.loadbalancers': String(q.loadBalancers ?? 2),
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'container-defaults', namespace: name },
          spec: {
            limits: [{
              type: 'Container',
              defaultRequest: { cpu: l.defaultRequestCpu ?? '100m', memory: l.defaultRequestMemory ?? '128Mi' },
              default: { cpu: l.defaultCpu ?? '500m', memory: l.defaultMemory ?? '512Mi' },
              max: { cpu: l.maxCpu ?? '4', memory: l.maxMemory ?? '8Gi' },
            }],
          },
        },
      ]);
    }
    for (const p of platform) {
      this.add(props.cluster, p.name, [
        namespace(p.name, { env: naming.environmentSuffix, owner, component: p.component }, p.podSecurity ?? PodSecurityLevel.RESTRICTED),
      ]);
    }
  }

  private add(cluster: eks.ICluster, name: string, objects: Record<string, any>[]): void {
    this.namespaceNames.push(name);
    this.manifests[name] = new eks.KubernetesManifest(this, `Namespace-${name}`, { cluster, manifest: objects, overwrite: true });
  }
}

function namespace(name: string, labels: Record<string, string>, enforce: PodSecurityLevel): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        ...labels,
        'app.kubernetes.io/managed-by': 'keelson',
        'pod-security.kubernetes.io/enforce': enforce,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
        'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
      },
    },
  };
}

const READ = ['get', 'list', 'watch'];
const WRITE = [...READ, 'create', 'update', 'patch', 'delete'];

function rbac(ns: string): Record<string, any>[] {
  const role = (name: string, rules: any[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules });
  const binding = (name: string, group: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  });
  return [
    role('developer', [
      // No secrets: developers get them through ExternalSecrets.
      { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts'], verbs: WRITE },
      { apiGroups: [''], resources: ['pods/log', 'pods/portforward', 'events'], verbs: READ },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets', 'daemonsets'], verbs: WRITE },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
      { apiGroups: ['keda.sh'], resources: ['scaledobjects', 'scaledjobs', 'triggerauthentications'], verbs: WRITE },
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: WRITE },
    ]),
    binding('developer', ClusterAccessGroups.DEVELOPERS),
    role('read-only', [
      // No secrets: list/get on secrets would reveal their values.
      { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'persistentvolumeclaims', 'serviceaccounts'], verbs: READ },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets', 'daemonsets'], verbs: READ },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
      { apiGroups: ['keda.sh'], resources: ['scaledobjects', 'scaledjobs', 'triggerauthentications'], verbs: READ },
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: READ },
    ]),
    binding('read-only', ClusterAccessGroups.READ_ONLY),
  ];
}
