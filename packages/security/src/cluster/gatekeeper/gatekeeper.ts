import { KeelsonLabels, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformChart, PlatformNamespaces, PodSecurityLevel } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { GatekeeperPolicyPack } from './gatekeeper-policy-pack';
import { PolicyEnforcement } from '../policy-enforcement';
import { SecurityVersions } from '../security-versions';
import { WorkloadPolicyPack } from './packs/workload-policy-pack';

/** Options of {@link Gatekeeper} (also used by `ClusterSecurity`). */
export interface GatekeeperOptions {
  /**
   * The policy packs whose ConstraintTemplates and constraints are applied.
   *
   * @default [new WorkloadPolicyPack()]
   */
  readonly packs?: GatekeeperPolicyPack[];

  /**
   * What the constraints do in each workload namespace.
   *
   * @default PolicyEnforcement.byEnvironment() - deny, except warn in `dev`
   */
  readonly enforcement?: PolicyEnforcement;

  /**
   * Helm chart version.
   *
   * @default SecurityVersions.GATEKEEPER
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** Properties of {@link Gatekeeper}. */
export interface GatekeeperProps extends GatekeeperOptions {
  /** The cluster's namespace registry: constraints match its workload namespaces, and `gatekeeper-system` is registered there. */
  readonly namespaces: PlatformNamespaces;
}

/**
 * OPA Gatekeeper (Helm, pinned) on the system pool, with the
 * ConstraintTemplates (Rego v1) of its policy packs, one constraint per
 * policy and admission action over the registry's workload namespaces, and
 * the sync `Config` that replicates what the policies read (NetworkPolicies).
 */
export class Gatekeeper extends Construct {
  /** The controller manager's webhook port. */
  // why: open-policy-agent/gatekeeper charts/gatekeeper/values.yaml `controllerManager.port: 8443`, the containerPort of
  // templates/gatekeeper-controller-manager-deployment.yaml, tag v3.23.0, the newest stored (the pin is chart 3.23.1).
  public static readonly WEBHOOK_PORT = 8443;
  /** Gatekeeper's namespace. */
  public static readonly NAMESPACE = 'gatekeeper-system';

  /** The chart with its namespace and placement. */
  public readonly platformChart: PlatformChart;
  /** The ConstraintTemplates. */
  public readonly templates: eks.KubernetesManifest;
  /** The constraints. */
  public readonly constraints: eks.KubernetesManifest;
  /** The sync Config. */
  public readonly config: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: GatekeeperProps) {
    super(scope, id);
    KeelsonTags.component(this, 'gatekeeper');
    const cluster = props.namespaces.cluster;
    const packs = props.packs ?? [new WorkloadPolicyPack()];
    const policies = packs.flatMap((p) => p.policies);
    const kinds = new Set<string>();
    for (const p of policies) {
      if (kinds.has(p.kind)) PropsCheck.fail(this, 'packs', `the policy ${p.kind} is in more than one pack`, 'list each policy in one pack only');
      kinds.add(p.kind);
    }

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster,
      pin: SecurityVersions.GATEKEEPER,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'gatekeeper',
      namespace: Gatekeeper.NAMESPACE,
      namespaces: props.namespaces,
      podSecurity: PodSecurityLevel.RESTRICTED,
      // Policies are code in this package: a reinstall restores them.
      backup: false,
      // The webhook must serve, and the template CRD exist, before the objects below are applied.
      wait: true,
      systemPoolPaths: ['controllerManager', 'audit', 'postInstall', 'postUpgrade', 'preUninstall'],
      values: {
        // Rego v1 templates are opt-in per template (source.version v1); nothing else to switch on.
        auditInterval: 60,
        logDenies: true,
      },
      valueOverrides: props.valueOverrides,
    });
    // The API server calls the validating and mutating webhooks on the controller manager's port (the chart's
    // controllerManager.port); everything else Gatekeeper does goes to the API server (the namespace's baseline).
    this.platformChart.traffic?.allowFromKubernetesApi('webhook', {}, Gatekeeper.WEBHOOK_PORT);

    const syncOnly = new Map<string, any>();
    for (const pack of packs) for (const k of pack.syncKinds()) syncOnly.set(`${k.group}/${k.version}/${k.kind}`, { group: k.group, version: k.version, kind: k.kind });
    this.config = new eks.KubernetesManifest(this, 'Config', {
      cluster,
      overwrite: true,
      manifest: [{
        apiVersion: 'config.gatekeeper.sh/v1alpha1',
        kind: 'Config',
        // Gatekeeper reconciles only the Config named `config` in its own namespace.
        metadata: { name: 'config', namespace: Gatekeeper.NAMESPACE, labels: KeelsonLabels.component('gatekeeper') },
        spec: {
          sync: { syncOnly: [...syncOnly.values()] },
          match: [{ excludedNamespaces: ['kube-system', Gatekeeper.NAMESPACE], processes: ['*'] }],
        },
      }],
    });
    this.config.node.addDependency(this.platformChart.chart);

    this.templates = new eks.KubernetesManifest(this, 'Templates', {
      cluster,
      overwrite: true,
      manifest: policies.map((p) => p.template()),
    });
    this.templates.node.addDependency(this.platformChart.chart);

    const enforcement = props.enforcement ?? PolicyEnforcement.byEnvironment();
    const groups = enforcement.groups(this, props.namespaces.workloadNamespaces);
    this.constraints = new eks.KubernetesManifest(this, 'Constraints', {
      cluster,
      overwrite: true,
      manifest: policies.flatMap((p) => groups.map((g) => p.constraint(g.action, g.namespaces))),
    });
    // A constraint's kind exists once its template is applied; referential ones need the sync Config.
    this.constraints.node.addDependency(this.templates, this.config);
  }
}
