import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { NamespaceTraffic } from './namespace-traffic';
import { PlatformNamespaces } from './platform-namespaces';
import { PodSecurityLevel } from './pod-security-level';
import { SystemPool } from './system-pool';
import { PinKind, VersionCatalogue, VersionPin } from './version-pin';
import { WorkloadRole } from './workload-role';
import { PROTECTED_NAMESPACES, checkDnsLabel, namespaceObject } from '../private/services';

/** The service account of a {@link PlatformChart} and the workload role bound to it. */
export interface PlatformChartServiceAccount {
  /** The workload role (IRSA or Pod Identity) the service account is bound to; its namespace and name are the service account's. */
  readonly role: WorkloadRole;

  /**
   * Create the ServiceAccount object here (annotated with the role ARN under
   * IRSA), before the chart, so the binding is visible in one place. Turn off
   * when the chart creates the service account itself; its values must then
   * name `role.serviceAccount` (and, under IRSA, annotate it).
   *
   * @default true
   */
  readonly create?: boolean;
}

/** Properties of a {@link PlatformChart}. */
export interface PlatformChartProps {
  /** The cluster (with a kubectl provider). */
  readonly cluster: eks.ICluster;

  /** The chart's entry in a version catalogue: chart name, repository and version. */
  readonly pin: VersionPin;

  /**
   * Chart version, overriding the catalogue's (an exact version, checked at synth).
   *
   * @default pin.version
   */
  readonly version?: string;

  /**
   * The prop of the component building this chart that carries `version` (for
   * example `chartVersion`): a version that is not an exact chart version is
   * then reported on the component (this chart's scope) under that name, as its
   * users wrote it. The one check of a chart version: components do not repeat it.
   *
   * @default - reported on this chart as `version`
   */
  readonly versionField?: string;

  /**
   * Helm release name.
   *
   * @default pin.name
   */
  readonly release?: string;

  /** What the chart is, for the `Component` tag and the `component` labels (for example `external-secrets`). */
  readonly component: string;

  /** The namespace the release goes in. */
  readonly namespace: string;

  /**
   * Create the namespace (with its Pod Security level and labels): through
   * `namespaces` when given, else as a manifest of this chart. Turn off for
   * a namespace that exists already (`kube-system`).
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * Enforced Pod Security Standards level of a created namespace.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;

  /**
   * Whether the platform's backups include a created namespace (read from the registry by Velero).
   *
   * @default true
   */
  readonly backup?: boolean;

  /**
   * Isolate a created namespace with default-deny NetworkPolicies
   * (`PlatformNamespaceSpec.networkIsolation`); the component then declares
   * its paths on `traffic`.
   *
   * @default true
   */
  readonly networkIsolation?: boolean;

  /**
   * The cluster's namespace registry: a created namespace is registered there,
   * so RBAC, NetworkPolicies and backups see it.
   *
   * @default - the namespace is created by this chart and registered nowhere
   */
  readonly namespaces?: PlatformNamespaces;

  /**
   * The service account and its workload role.
   *
   * @default - the chart needs no AWS permissions
   */
  readonly serviceAccount?: PlatformChartServiceAccount;

  /**
   * The chart's values, as the component sets them.
   *
   * @default {}
   */
  readonly values?: { [key: string]: any };

  /**
   * The user's values, deep-merged over `values` and the placement (maps are
   * merged key by key, lists and scalars replace, `null` removes a key: Helm's
   * own rules for `--values` files).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };

  /**
   * Place the pods on the system pool: `nodeSelector` and `tolerations` at the top of the values.
   *
   * @default true
   */
  readonly systemPool?: boolean;

  /**
   * Further values paths (dot-separated, for example `webhook` or `controller.admission`)
   * that receive the system-pool placement, for charts that place each component separately.
   *
   * @default - the top level only
   */
  readonly systemPoolPaths?: string[];

  /**
   * What must exist before the chart is applied (a node pool, an add-on, another chart).
   *
   * @default - nothing beyond the namespace and service account
   */
  readonly dependsOn?: IDependable[];

  /**
   * Wait for the release's resources to be ready (needed when custom
   * resources handled by the chart's webhooks are applied after it).
   *
   * @default false
   */
  readonly wait?: boolean;

  /**
   * How long Helm waits.
   *
   * @default - aws-cdk-lib's default (5 minutes)
   */
  readonly timeout?: Duration;
}

/**
 * One in-cluster add-on installed from a pinned Helm chart: the release, its
 * namespace (created with a Pod Security level, or given), its service
 * account bound to a `WorkloadRole`, placement on the system pool, the
 * component's values deep-merged with the user's, and ordering after what it
 * depends on.
 *
 * Named `PlatformChart` rather than "add-on" so it cannot be confused with
 * EKS managed add-ons (`ManagedAddons`, `AddonVersions`), which EKS installs
 * without Helm. Every Keelson controller (Cluster Autoscaler, AWS Load
 * Balancer Controller, External Secrets, metrics-server, KEDA, Karpenter,
 * Velero) is one; packages that run on the cluster build theirs with it.
 *
 * Children: `Chart` (the release), `ServiceAccount` and `Namespace` when
 * created here. A component that created those children itself before it was
 * built on this kit gives it the id `Default`, so the chart, service account
 * and role keep the logical ids they had (a `Default` child adds nothing to
 * the ids below it): a deployed release is then updated, not replaced.
 */
export class PlatformChart extends Construct {
  /**
   * Deep-merge Helm values: maps key by key, lists and scalars replaced by
   * the override, `null` in the override removes the key.
   *
   * Hand-written (a dozen lines) because no well-kept JavaScript merge
   * library follows Helm's `null` rule, and a bundled dependency for it would
   * ship in every jsii target.
   */
  public static mergeValues(base: { [key: string]: any }, overrides: { [key: string]: any }): { [key: string]: any } {
    return merge(base, overrides);
  }

  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart version installed. */
  public readonly version: string;
  /** The namespace of the release. */
  public readonly namespace: string;
  /** The merged values passed to Helm. */
  public readonly values: { [key: string]: any };
  /** The manifest that creates the namespace, when this chart or the registry creates it. */
  public readonly namespaceManifest?: eks.KubernetesManifest;
  /** The ServiceAccount manifest, when created here. */
  public readonly serviceAccountManifest?: eks.KubernetesManifest;
  /** The workload role bound to the service account, when there is one. */
  public readonly role?: WorkloadRole;
  /**
   * The NetworkPolicies of the chart's namespace, when it is an isolated
   * namespace of the registry: declare here what reaches the chart's pods and
   * what they reach.
   */
  public readonly traffic?: NamespaceTraffic;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id);
    KeelsonTags.component(this, props.component);
    if (props.pin.kind !== PinKind.HELM_CHART || !props.pin.repository) {
      PropsCheck.fail(this, 'pin', `${props.pin.name} is not a Helm chart pin`, 'pass a HELM_CHART entry of a version catalogue (it carries the chart repository)');
    }
    this.version = props.version ?? props.pin.version;
    if (props.versionField !== undefined) VersionCatalogue.checkChartVersion(this.node.scope ?? this, props.versionField, this.version);
    else VersionCatalogue.checkChartVersion(this, 'version', this.version);
    checkDnsLabel(this, 'namespace', props.namespace);
    this.namespace = props.namespace;
    const create = props.createNamespace ?? true;
    if (create && PROTECTED_NAMESPACES.includes(props.namespace)) {
      PropsCheck.fail(this, 'createNamespace', `"${props.namespace}" is a namespace Kubernetes/EKS manages`, 'set createNamespace: false to install into it');
    }

    if (create) {
      const spec = {
        name: props.namespace,
        component: props.component,
        podSecurity: props.podSecurity,
        backup: props.backup,
        networkIsolation: props.networkIsolation,
      };
      this.namespaceManifest = props.namespaces
        ? props.namespaces.register(spec)
        : new eks.KubernetesManifest(this, 'Namespace', {
          cluster: props.cluster,
          manifest: [namespaceObject(props.namespace, { component: props.component }, props.podSecurity ?? PodSecurityLevel.RESTRICTED)],
          overwrite: true,
        });
    }

    if (props.namespaces?.isolatedNamespaces.includes(props.namespace)) this.traffic = props.namespaces.traffic(props.namespace);

    const account = props.serviceAccount;
    if (account) {
      this.role = account.role;
      if (account.role.namespace !== props.namespace) {
        PropsCheck.fail(this, 'serviceAccount.role', `the role is bound to a service account in "${account.role.namespace}", not in the chart's namespace "${props.namespace}"`,
          'create the WorkloadRole with the chart\'s namespace');
      }
      if (account.create ?? true) {
        this.serviceAccountManifest = new eks.KubernetesManifest(this, 'ServiceAccount', {
          cluster: props.cluster,
          manifest: [account.role.serviceAccountObject(props.component)],
          overwrite: true,
        });
        this.serviceAccountManifest.node.addDependency(account.role);
        if (this.namespaceManifest) this.serviceAccountManifest.node.addDependency(this.namespaceManifest);
      }
    }

    let placed: { [key: string]: any } = props.values ?? {};
    if (props.systemPool ?? true) {
      placed = merge(placed, SystemPool.placement());
      for (const p of props.systemPoolPaths ?? []) placed = merge(placed, nest(p.split('.'), SystemPool.placement()));
    }
    this.values = merge(placed, props.valueOverrides ?? {});

    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster,
      chart: props.pin.name,
      repository: props.pin.repository,
      version: this.version,
      namespace: props.namespace,
      release: props.release ?? props.pin.name,
      // The namespace is this construct's (or given); Helm creates none.
      createNamespace: create ? false : undefined,
      wait: props.wait,
      timeout: props.timeout,
      values: this.values,
    });
    if (this.namespaceManifest) this.chart.node.addDependency(this.namespaceManifest);
    if (this.serviceAccountManifest) this.chart.node.addDependency(this.serviceAccountManifest);
    else if (account) this.chart.node.addDependency(account.role);
    for (const d of props.dependsOn ?? []) this.chart.node.addDependency(d);
  }
}

function nest(path: string[], value: { [key: string]: any }): { [key: string]: any } {
  return path.reduceRight((inner, key) => ({ [key]: inner }), value);
}

function isMap(v: any): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function merge(base: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = merge(out[k], v);
    else out[k] = v;
  }
  return out;
}
