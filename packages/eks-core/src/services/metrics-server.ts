import { KeelsonTags } from '@keelson/conventions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { ChartVersions } from './chart-versions';
import { SYSTEM_SCHEDULING, checkChartVersion } from '../private/services';

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
   * @default ChartVersions.METRICS_SERVER
   */
  readonly chartVersion?: string;

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

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    KeelsonTags.component(this, 'metrics-server');
    const version = props.chartVersion ?? ChartVersions.METRICS_SERVER;
    checkChartVersion(this, 'chartVersion', version);
    const replicas = props.replicas ?? 2;
    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster,
      chart: 'metrics-server',
      repository: 'https://kubernetes-sigs.github.io/metrics-server',
      version,
      namespace: 'kube-system',
      release: 'metrics-server',
      values: {
        replicas,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        args: ['--kubelet-preferred-address-types=InternalIP'],
        priorityClassName: 'system-cluster-critical',
        ...SYSTEM_SCHEDULING,
      },
    });
  }
}
