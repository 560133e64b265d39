import { KeelsonTags } from '@keelson/conventions';
import { PlatformChart, PlatformNamespaces, PodSecurityLevel, TrafficPeer, TrafficPort } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { ObservabilityVersions } from './observability-versions';
import { LOG_SHIPPER_NAMESPACE, LOKI_PORT, OBSERVABILITY_NAMESPACE } from './private/names';

/** Properties of {@link FluentBitShipper}. */
export interface FluentBitShipperProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's namespace registry (`log-shipper`, privileged, is registered there). */
  readonly namespaces: PlatformNamespaces;
  /** Loki's push address (`LokiLogs.url`). */
  readonly lokiUrl: string;

  /**
   * Chart version.
   *
   * @default ObservabilityVersions.FLUENT_BIT
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };

  /**
   * What must exist first (Loki, and the Prometheus Operator for the ServiceMonitor).
   *
   * @default - nothing
   */
  readonly dependsOn?: IDependable[];
}

/**
 * The log shipper: Fluent Bit (pinned chart) as a DaemonSet on every node,
 * in its own `privileged` namespace because it reads the node's `/var/log`.
 * It tails container logs, parses JSON log lines into fields (the
 * `kubernetes` filter's `Merge_Log`), and pushes them to Loki labelled with
 * `namespace`, `app` (`app.kubernetes.io/name`) and `env` (the namespace's
 * `env` label, which `PlatformNamespaces` sets).
 *
 * Fluent Bit rather than Grafana Alloy: a C agent of a few MB of memory per
 * node where Alloy's Go runtime takes several times that on every node of
 * every pool; JSON parsing and Kubernetes metadata are built in, and the
 * Loki output takes labels from record fields directly.
 */
export class FluentBitShipper extends Construct {
  /** The namespace of the shipper. */
  public static readonly NAMESPACE = LOG_SHIPPER_NAMESPACE;

  /** The chart with its namespace. */
  public readonly platformChart: PlatformChart;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The Fluent Bit pipeline (inputs, filters, outputs) as configured. */
  public readonly pipeline: { [section: string]: string };

  constructor(scope: Construct, id: string, props: FluentBitShipperProps) {
    super(scope, id);
    KeelsonTags.component(this, 'log-shipper');
    const loki = new URL(props.lokiUrl);
    this.pipeline = {
      inputs: [
        '[INPUT]',
        '    Name              tail',
        '    Path              /var/log/containers/*.log',
        '    Exclude_Path      /var/log/containers/*_log-shipper_*.log',
        '    multiline.parser  cri, docker',
        '    Tag               kube.*',
        '    Mem_Buf_Limit     50MB',
        '    Skip_Long_Lines   On',
        '',
      ].join('\n'),
      filters: [
        '[FILTER]',
        '    Name                kubernetes',
        '    Match               kube.*',
        // JSON log lines become fields of the record.
        '    Merge_Log           On',
        '    Keep_Log            Off',
        '    K8S-Logging.Parser  On',
        '    K8S-Logging.Exclude On',
        '    Labels              On',
        '    Annotations         Off',
        // The namespace's labels (env) under kubernetes_namespace.
        '    Namespace_Labels    On',
        '',
      ].join('\n'),
      outputs: [
        '[OUTPUT]',
        '    Name        loki',
        '    Match       kube.*',
        `    Host        ${loki.hostname}`,
        `    Port        ${loki.port || '80'}`,
        '    Labels      job=fluent-bit, namespace=$kubernetes[\'namespace_name\'], app=$kubernetes[\'labels\'][\'app.kubernetes.io/name\'], env=$kubernetes_namespace[\'labels\'][\'env\']',
        '    Line_Format json',
        '    Remove_Keys kubernetes_namespace',
        '',
      ].join('\n'),
    };
    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: ObservabilityVersions.FLUENT_BIT,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'log-shipper',
      namespace: LOG_SHIPPER_NAMESPACE,
      namespaces: props.namespaces,
      // hostPath mounts of /var/log: not allowed at baseline.
      podSecurity: PodSecurityLevel.PRIVILEGED,
      backup: false,
      // A DaemonSet: on every node, whatever its taints.
      systemPool: false,
      dependsOn: props.dependsOn,
      values: {
        kind: 'DaemonSet',
        tolerations: [{ operator: 'Exists' }],
        serviceMonitor: { enabled: true },
        config: this.pipeline,
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
    // Logs go to Loki in the observability namespace; Prometheus scrapes the shipper's HTTP server (2020).
    // why: fluent/helm-charts charts/fluent-bit/values.yaml `metricsPort: 2020` (the `http` containerPort, templates/_pod.tpl)
    // and `fluent-bit.selectorLabels` app.kubernetes.io/name = chart name (templates/_helpers.tpl), tag fluent-bit-0.58.1,
    // the newest stored (pin 0.58.2).
    const fluentBit = { 'app.kubernetes.io/name': 'fluent-bit' };
    const lokiPorts = [TrafficPort.tcp(LOKI_PORT)];
    this.platformChart.traffic?.allowEgress({ name: 'loki', pods: fluentBit, peers: [TrafficPeer.namespace(OBSERVABILITY_NAMESPACE)], ports: lokiPorts });
    this.platformChart.traffic?.allowMetricsScraping('fluent-bit', fluentBit, [TrafficPort.tcp(2020)]);
    if (props.namespaces.isolatedNamespaces.includes(OBSERVABILITY_NAMESPACE)) {
      props.namespaces.traffic(OBSERVABILITY_NAMESPACE).allowIngress({ name: 'logs-from-shipper', peers: [TrafficPeer.namespace(LOG_SHIPPER_NAMESPACE, fluentBit)], ports: lokiPorts });
    }
  }
}
