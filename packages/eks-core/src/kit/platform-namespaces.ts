import { KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { Lazy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { NamespaceTraffic } from './namespace-traffic';
import { PodSecurityLevel } from './pod-security-level';
import { TrafficPeer } from './traffic-peer';
import { ClusterAccessGroups } from '../cluster/access-groups';
import { DEFAULT_WORKLOAD_NAMESPACES, PROTECTED_NAMESPACES, checkDnsLabel, namespaceObject } from '../private/services';

/** A namespace registered with {@link PlatformNamespaces} by the package that owns it. */
export interface PlatformNamespaceSpec {
  /** Namespace name. */
  readonly name: string;
  /** Value of the `component` label (the package or controller that owns it). */
  readonly component: string;
  /**
   * Enforced Pod Security level (audit and warn are always `restricted`).
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Include the namespace in the platform's backups (`PlatformNamespaces.backupNamespaces()`).
   * Turn off for controllers whose state lives elsewhere and that the platform reinstalls.
   *
   * @default true
   */
  readonly backup?: boolean;
  /**
   * Isolate the namespace: default-deny NetworkPolicies with the baseline
   * allows (`NamespaceTraffic`), opened further only by what its components
   * declare through `PlatformNamespaces.traffic()`. Turn off only for a
   * namespace whose pods all run on the host network (NetworkPolicies do not
   * apply to them).
   *
   * @default true
   */
  readonly networkIsolation?: boolean;
}

/**
 * Access to one kind of namespaced resource that a package adds to the
 * `developer` and `read-only` Roles of every workload namespace (for example
 * KEDA's `keda.sh` ScaledObjects).
 */
export interface WorkloadRbacRule {
  /** API groups. */
  readonly apiGroups: string[];
  /** Resources (plural names) in those groups. */
  readonly resources: string[];
  /**
   * Developers may only read them (they are still readable by the read-only persona).
   *
   * @default false - developers get create/update/patch/delete too
   */
  readonly developersReadOnly?: boolean;
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
   * Workload namespaces (label `env` = the name): each gets a ResourceQuota,
   * a LimitRange and a `read-only` Role bound to the read-only persona.
   *
   * @default - ['dev', 'staging', 'production'], and each of `developerNamespaces` (a namespace developers are given is created like the others)
   */
  readonly workloadNamespaces?: string[];
  /**
   * Enforced Pod Security level of workload namespaces.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly workloadPodSecurity?: PodSecurityLevel;
  /**
   * Platform namespaces registered up front. Packages register their own
   * with `PlatformNamespaces.register()` (External Secrets, KEDA and Karpenter
   * do); list here what no package registers yet.
   *
   * @default - none
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
  /**
   * Address blocks of the Kubernetes API server, which the platform
   * namespaces' NetworkPolicies allow on 443 and admit to webhooks
   * (`TrafficPeer.kubernetesApi()`).
   *
   * @default - see NamespaceTrafficProps.kubernetesApiCidrs
   */
  readonly kubernetesApiCidrs?: string[];
}

/** Properties of {@link PlatformNamespaces}. */
export interface PlatformNamespacesProps extends NamespacesOptions, KeelsonCommonProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * The namespaces where the developer persona may edit: each workload
   * namespace among them gets a `developer` Role bound to it. Pass the list
   * the cluster's developer access entry is scoped to
   * (`PlatformCluster.developerNamespaces`, from `access.developerNamespaces`),
   * as `PlatformServices` does, so the two cannot disagree. Unless
   * `workloadNamespaces` is given, each of them that is not a default
   * workload namespace becomes one more.
   *
   * @default - every workload namespace
   */
  readonly developerNamespaces?: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = [...READ, 'create', 'update', 'patch', 'delete'];

/**
 * The cluster's namespace registry. It creates the workload namespaces
 * (`env`/`owner`/`component` and Pod Security labels, a ResourceQuota, a
 * LimitRange, a `read-only` Role and, where developers may edit, a
 * `developer` Role, bound to the Kubernetes groups of the access entries,
 * `ClusterAccessGroups`), and any package registers its own namespace and
 * the RBAC rules of its custom resources here. RBAC, NetworkPolicies and
 * backups read the registry instead of lists of names. `kube-system` is
 * never touched.
 */
export class PlatformNamespaces extends Construct {
  /** Namespaces Kubernetes/EKS manage; none can be registered. */
  public static readonly PROTECTED = PROTECTED_NAMESPACES;
  /** The workload namespaces when none are given. */
  public static readonly DEFAULT_WORKLOAD_NAMESPACES = DEFAULT_WORKLOAD_NAMESPACES;

  /** One manifest per namespace, by name. */
  public readonly manifests: { [name: string]: eks.KubernetesManifest } = {};
  /** The workload namespaces. */
  public readonly workloadNamespaces: string[];
  /** The workload namespaces where developers may edit. */
  public readonly developerNamespaces: string[];
  /** The cluster. */
  public readonly cluster: eks.ICluster;
  private readonly registered: { spec: PlatformNamespaceSpec; workload: boolean }[] = [];
  /** Workload namespaces created because developers were given them. */
  private readonly fromDeveloperAccess: string[];
  private readonly rules: WorkloadRbacRule[] = [];
  private readonly owner: string;
  private readonly environmentSuffix: string;
  private readonly trafficOf: { [name: string]: NamespaceTraffic } = {};
  private readonly apiCidrs?: string[];
  private readonly scrapers: TrafficPeer[] = [];

  constructor(scope: Construct, id: string, props: PlatformNamespacesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'namespaces');
    this.cluster = props.cluster;
    this.environmentSuffix = ResourceNaming.of(this, props.environmentSuffix).environmentSuffix;
    this.owner = props.owner ?? 'platform-team';
    this.apiCidrs = props.kubernetesApiCidrs;
    // Unless the workload namespaces are listed, a namespace developers are given is one of them: the access
    // entry is scoped to it, so it exists, with the quotas, RBAC and policies of the others.
    const fromAccess = props.workloadNamespaces ? []
      : (props.developerNamespaces ?? []).filter((n) => !DEFAULT_WORKLOAD_NAMESPACES.includes(n) && !PROTECTED_NAMESPACES.includes(n));
    this.fromDeveloperAccess = fromAccess;
    const workloads = props.workloadNamespaces ?? [...DEFAULT_WORKLOAD_NAMESPACES, ...fromAccess];
    this.workloadNamespaces = workloads;
    // Developers edit only where the access entry lets them: its namespaces that are workload namespaces here.
    this.developerNamespaces = workloads.filter((w) => (props.developerNamespaces ?? workloads).includes(w));
    workloads.forEach((n) => this.checkName('workloadNamespaces', n));
    // The developer access entry edits (Secrets included) wherever it is scoped: never a platform namespace.
    const given = props.developerNamespaces ?? [];
    this.node.addValidation({
      validate: () => given.filter((n) => this.platformNamespaces.some((p) => p.name === n)).map((n) =>
        `${this.node.path}: invalid developerNamespaces: "${n}" is a platform namespace, where developers would read the platform's Secrets. Fix: list only workload namespaces in access.developerNamespaces`),
    });

    const q = props.quota ?? {};
    const l = props.limits ?? {};
    for (const name of workloads) {
      const level = props.workloadPodSecurity ?? PodSecurityLevel.RESTRICTED;
      this.registered.push({ spec: { name, component: 'workloads', podSecurity: level }, workload: true });
      this.add(name, [
        namespaceObject(name, { env: name, owner: this.owner, component: 'workloads' }, level),
        ...this.rbac(name, this.developerNamespaces.includes(name)),
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
    for (const p of props.platformNamespaces ?? []) {
      this.checkName('platformNamespaces', p.name);
      this.register(p);
    }
  }

  /**
   * Register a platform namespace: it is created here with its labels and
   * Pod Security level. Registering a name again returns the same manifest
   * when the spec agrees, and fails when it does not.
   *
   * @returns the manifest creating the namespace (order what goes into it after it)
   */
  public register(spec: PlatformNamespaceSpec): eks.KubernetesManifest {
    const existing = this.registered.find((r) => r.spec.name === spec.name);
    if (existing?.workload && this.fromDeveloperAccess.includes(spec.name)) {
      PropsCheck.fail(this, 'developerNamespaces', `"${spec.name}" is a platform namespace, where developers would read the platform's Secrets`,
        'list only workload namespaces in access.developerNamespaces');
    }
    if (existing) {
      const level = (s: PlatformNamespaceSpec) => s.podSecurity ?? PodSecurityLevel.RESTRICTED;
      if (existing.workload || existing.spec.component !== spec.component || level(existing.spec) !== level(spec)
        || (existing.spec.networkIsolation ?? true) !== (spec.networkIsolation ?? true)) {
        const was = existing.workload ? 'as a workload namespace' : `component ${existing.spec.component}, ${level(existing.spec)}`;
        PropsCheck.fail(this, 'register', `"${spec.name}" is registered twice, differently (${was})`,
          'register each namespace once, from the package that owns it');
      }
      return this.manifests[spec.name];
    }
    this.checkName(`register(${spec.name})`, spec.name);
    this.registered.push({ spec, workload: false });
    const labels = { env: this.environmentSuffix, owner: this.owner, component: spec.component };
    this.add(spec.name, [namespaceObject(spec.name, labels, spec.podSecurity ?? PodSecurityLevel.RESTRICTED)]);
    if (spec.networkIsolation ?? true) {
      const traffic = new NamespaceTraffic(this, `Traffic-${spec.name}`, { cluster: this.cluster, namespace: spec.name, kubernetesApiCidrs: this.apiCidrs });
      traffic.manifest.node.addDependency(this.manifests[spec.name]);
      this.scrapers.forEach((s) => traffic.addMetricsScraper(s));
      this.trafficOf[spec.name] = traffic;
    }
    return this.manifests[spec.name];
  }

  /**
   * The NetworkPolicies of a registered platform namespace, where its
   * components declare what may reach their pods and what their pods reach.
   */
  public traffic(namespace: string): NamespaceTraffic {
    const found = this.trafficOf[namespace];
    if (!found) {
      const registered = this.registered.find((r) => r.spec.name === namespace);
      const why = !registered ? 'is not a registered namespace' : registered.workload ? 'is a workload namespace (its policies are @keelson/security\'s)' : 'was registered with networkIsolation: false';
      PropsCheck.fail(this, `traffic(${namespace})`, `"${namespace}" ${why}`, 'register the namespace (PlatformNamespaces.register or PlatformChart with namespaces) before declaring its traffic');
    }
    return found;
  }

  /**
   * Register the pods that scrape metrics (the observability package's
   * Prometheus): every isolated namespace, registered before or after, admits
   * them to the targets its components declare with
   * `NamespaceTraffic.allowMetricsScraping`, on those ports only.
   */
  public addMetricsScraper(scraper: TrafficPeer): void {
    this.scrapers.push(scraper);
    Object.values(this.trafficOf).forEach((t) => t.addMetricsScraper(scraper));
  }

  /** The platform namespaces that are isolated (have a `NamespaceTraffic`). */
  public get isolatedNamespaces(): string[] {
    return Object.keys(this.trafficOf);
  }

  /**
   * Let the personas use a package's namespaced resources in every workload
   * namespace: developers edit (or only read) them, the read-only persona reads them.
   */
  public addWorkloadRule(rule: WorkloadRbacRule): void {
    if (rule.apiGroups.length === 0 || rule.resources.length === 0) {
      PropsCheck.fail(this, 'addWorkloadRule', 'apiGroups and resources must both be non-empty', 'name the API group and the plural resource names, for example keda.sh / scaledobjects');
    }
    this.rules.push(rule);
  }

  /** Every registered namespace, workload namespaces first, in registration order. */
  public get namespaceNames(): string[] {
    return this.registered.map((r) => r.spec.name);
  }

  /** The registered platform namespaces (not the workload ones). */
  public get platformNamespaces(): PlatformNamespaceSpec[] {
    return this.registered.filter((r) => !r.workload).map((r) => r.spec);
  }

  /**
   * The namespaces the platform's backups cover: `kube-system` and every
   * registered namespace whose spec keeps `backup` on. Resolved at synth, so
   * namespaces registered after this call are included.
   */
  public backupNamespaces(): string[] {
    return Lazy.list({
      produce: () => ['kube-system', ...this.registered.filter((r) => r.spec.backup ?? true).map((r) => r.spec.name)],
    });
  }

  private checkName(field: string, name: string): void {
    checkDnsLabel(this, field, name);
    if (PROTECTED_NAMESPACES.includes(name)) {
      PropsCheck.fail(this, field, `"${name}" is a namespace Kubernetes/EKS manages`, 'leave kube-system, kube-public, kube-node-lease and default alone; choose another name');
    }
    if (this.registered.some((r) => r.spec.name === name)) {
      PropsCheck.fail(this, field, `"${name}" is listed twice`, 'list each namespace once, either as a workload or as a platform namespace');
    }
  }

  private add(name: string, objects: Record<string, any>[]): void {
    this.manifests[name] = new eks.KubernetesManifest(this, `Namespace-${name}`, { cluster: this.cluster, manifest: objects, overwrite: true });
  }

  private rbac(ns: string, developers: boolean): Record<string, any>[] {
    // Registered rules arrive after the namespaces are created: the rules are rendered at synth.
    const role = (name: string, rules: any[], write: boolean) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace: ns },
      rules: Lazy.any({
        produce: () => [
          ...rules,
          ...this.rules.map((r) => ({ apiGroups: r.apiGroups, resources: r.resources, verbs: write && !r.developersReadOnly ? WRITE : READ })),
        ],
      }),
    });
    const binding = (name: string, group: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    });
    const developer = developers ? [
      role('developer', [
        // Secrets are not listed here: the developer access entry (AmazonEKSEditPolicy, scoped to
        // these namespaces) already reads and writes them, as the pods developers run could anyway.
        // Only the namespace's own secrets are ever here: platform secrets stay in platform
        // namespaces, and this namespace's SecretStores read only its own prefix.
        { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts'], verbs: WRITE },
        { apiGroups: [''], resources: ['pods/log', 'pods/portforward', 'events'], verbs: READ },
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets', 'daemonsets'], verbs: WRITE },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
      ], true),
      binding('developer', ClusterAccessGroups.DEVELOPERS),
    ] : [];
    return [
      ...developer,
      role('read-only', [
        // No secrets: list/get on secrets would reveal their values.
        { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'persistentvolumeclaims', 'serviceaccounts'], verbs: READ },
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets', 'daemonsets'], verbs: READ },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
      ], false),
      binding('read-only', ClusterAccessGroups.READ_ONLY),
    ];
  }
}
