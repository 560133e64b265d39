import { KeelsonTags } from '@keelson/conventions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { EksCoreVersions } from '../eks-core-versions';
import { PlatformChart } from '../kit/platform-chart';

/** Options of metrics-server (also used by `PlatformServices`). */
export interface MetricsServerOptions {
  /**
   * Install it (read by `PlatformServices` only).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Helm chart version.
   *
   * @default EksCoreVersions.METRICS_SERVER
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };

  /**
   * Replicas (2 keeps `kubectl top` and the HPA working through a node drain).
   *
   * @default 2
   */
  readonly replicas?: number;
}

/** Properties of {@link MetricsServer}. */
export interface MetricsServerProps extends MetricsServerOptions {
  /** The cluster. */
  readonly cluster: eks.ICluster;
}

/** metrics-server (Helm, pinned) on the system pool: the resource metrics API for HPA and `kubectl top`. It needs no AWS permissions. */
export class MetricsServer extends Construct {
  /** The Helm release. */
  public readonly chart: eks.HelmChart;

  /** The chart with its placement. */
  public readonly platformChart: PlatformChart;

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    KeelsonTags.component(this, 'metrics-server');
    const replicas = props.replicas ?? 2;
    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: EksCoreVersions.METRICS_SERVER,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'metrics-server',
      namespace: 'kube-system',
      createNamespace: false,
      values: {
        replicas,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        args: ['--kubelet-preferred-address-types=InternalIP'],
        priorityClassName: 'system-cluster-critical',
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
  }
}
