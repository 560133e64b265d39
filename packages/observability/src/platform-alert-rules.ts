import { KeelsonLabels, KeelsonTags } from '@keelson/conventions';
import { PlatformNamespaces } from '@keelson/eks-core';
import { Lazy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { DEFAULT_RUNBOOK_BASE_URL } from './alert-routing';
import { OBSERVABILITY_NAMESPACE } from './private/names';

/** Severity of an alert rule (the `severity` label Alertmanager routes on). */
export enum AlertSeverity {
  /** Pages: Slack and the SNS topic. */
  CRITICAL = 'critical',
  /** Slack only. */
  WARNING = 'warning',
}

/** One alert rule of {@link PlatformAlertRules}. */
export interface PlatformAlertRule {
  /** Alert name (`alert`). */
  readonly name: string;
  /** PromQL expression. */
  readonly expr: string;
  /** How long the expression must hold, in Prometheus duration syntax (`10m`). */
  readonly forDuration: string;
  /** Severity label. */
  readonly severity: AlertSeverity;
  /** One-line summary (annotation). */
  readonly summary: string;
  /** What is wrong, with label templates (annotation). */
  readonly description: string;
  /** File name of the runbook under the runbook base URL (`node-not-ready.md`). */
  readonly runbook: string;
}

/** Properties of {@link PlatformAlertRules}. */
export interface PlatformAlertRulesProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /** The namespace registry: the "platform deployment unavailable" rule watches every registered platform namespace. */
  readonly namespaces: PlatformNamespaces;

  /**
   * Base URL of the runbooks (`runbook_url` = `<base>/<runbook>`).
   *
   * @default 'https://github.com/keelson-platform/keelson/blob/main/docs/runbooks'
   */
  readonly runbookBaseUrl?: string;

  /**
   * What must exist first (the Prometheus Operator, whose webhook validates PrometheusRules).
   *
   * @default - nothing
   */
  readonly dependsOn?: IDependable[];
}

/**
 * The platform's own alert rules, as one `PrometheusRule` in `observability`:
 * nodes not ready, a platform controller with no available replica, pods
 * crash-looping, volumes filling up. Every rule carries a `runbook_url` to a
 * runbook in this repository (`docs/runbooks/`).
 */
export class PlatformAlertRules extends Construct {
  /** The name of the PrometheusRule. */
  public static readonly NAME = 'keelson-platform';

  /** The rules, as emitted. */
  public readonly rules: PlatformAlertRule[];
  /** The PrometheusRule manifest. */
  public readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: PlatformAlertRulesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'alerts');
    const base = (props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL).replace(/\/+$/, '');
    // Every platform namespace registered by synth time (packages register theirs after this construct).
    const platformNs = Lazy.string({ produce: () => ['kube-system', ...props.namespaces.platformNamespaces.map((n) => n.name)].join('|') });
    this.rules = [
      {
        name: 'KeelsonNodeNotReady',
        expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
        forDuration: '10m',
        severity: AlertSeverity.CRITICAL,
        summary: 'Node {{ $labels.node }} is not Ready',
        description: 'Node {{ $labels.node }} has not been Ready for 10 minutes; its pods are being evicted or are unreachable.',
        runbook: 'node-not-ready.md',
      },
      {
        name: 'KeelsonPlatformDeploymentUnavailable',
        expr: `(kube_deployment_spec_replicas{namespace=~"${platformNs}"} > 0) and (kube_deployment_status_replicas_available{namespace=~"${platformNs}"} == 0)`,
        forDuration: '10m',
        severity: AlertSeverity.CRITICAL,
        summary: 'Platform controller {{ $labels.namespace }}/{{ $labels.deployment }} has no available replica',
        description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had no available replica for 10 minutes.',
        runbook: 'platform-deployment-unavailable.md',
      },
      {
        name: 'KeelsonPodCrashLooping',
        expr: 'increase(kube_pod_container_status_restarts_total[15m]) > 3',
        forDuration: '5m',
        severity: AlertSeverity.WARNING,
        summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is crash-looping',
        description: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} restarted more than 3 times in 15 minutes.',
        runbook: 'pod-crash-looping.md',
      },
      {
        name: 'KeelsonPersistentVolumeFillingUp',
        expr: 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.10',
        forDuration: '5m',
        severity: AlertSeverity.CRITICAL,
        summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is over 90% full',
        description: 'PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 10% free space.',
        runbook: 'persistent-volume-filling-up.md',
      },
    ];
    this.manifest = new eks.KubernetesManifest(this, 'Rules', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [{
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: PlatformAlertRules.NAME, namespace: OBSERVABILITY_NAMESPACE, labels: KeelsonLabels.managed() },
        spec: {
          groups: [{
            name: 'keelson.platform',
            rules: this.rules.map((r) => ({
              alert: r.name,
              expr: r.expr,
              for: r.forDuration,
              labels: { severity: r.severity },
              annotations: { summary: r.summary, description: r.description, runbook_url: `${base}/${r.runbook}` },
            })),
          }],
        },
      }],
    });
    for (const d of props.dependsOn ?? []) this.manifest.node.addDependency(d);
  }
}
