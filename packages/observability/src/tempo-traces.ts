import { KeelsonCommonProps, KeelsonTags } from '@keelson/conventions';
import { ManagedAddons, PlatformChart, PlatformNamespaces, WorkloadIdentity, WorkloadRole } from '@keelson/eks-core';
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { ObservabilityVersions } from './observability-versions';
import { IRSA_ANNOTATION, OBSERVABILITY_NAMESPACE, TEMPO_SERVICE_ACCOUNT } from './private/names';
import { observabilityNamespace } from './private/namespace';
import { objectStore } from './private/object-store';

/** Options of traces (also used by `PlatformObservability`). */
export interface TracesOptions {
  /**
   * Install the OpenTelemetry Operator, its collectors and Tempo (read by `PlatformObservability` only).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long Tempo keeps traces (its compactor deletes older blocks; the
   * bucket expires objects a day later as a backstop).
   *
   * @default Duration.days(14)
   */
  readonly retention?: Duration;

  /**
   * How Tempo gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Share of new traces (those arriving without a sampled parent) that
   * auto-instrumented services record, from 0 to 1. A service that receives a
   * `traceparent` follows its caller's decision.
   *
   * @default 1
   */
  readonly samplingRatio?: number;

  /**
   * Tempo chart version.
   *
   * @default ObservabilityVersions.TEMPO
   */
  readonly tempoChartVersion?: string;

  /**
   * OpenTelemetry Operator chart version.
   *
   * @default ObservabilityVersions.OPENTELEMETRY_OPERATOR
   */
  readonly operatorChartVersion?: string;

  /**
   * Helm values merged over Keelson's for Tempo (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly tempoValueOverrides?: { [key: string]: any };
}

/** Properties of {@link TempoTraces}. */
export interface TempoTracesProps extends KeelsonCommonProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's namespace registry (`observability` is registered there). */
  readonly namespaces: PlatformNamespaces;
  /**
   * How long Tempo keeps traces.
   *
   * @default Duration.days(14)
   */
  readonly retention?: Duration;
  /**
   * How Tempo gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;
  /**
   * Chart version.
   *
   * @default ObservabilityVersions.TEMPO
   */
  readonly chartVersion?: string;
  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
  /**
   * What must exist before Tempo (the Prometheus Operator: the chart adds a ServiceMonitor).
   *
   * @default - nothing
   */
  readonly dependsOn?: IDependable[];
}

/**
 * Tempo (the grafana-community `tempo` chart, pinned) as one binary on the
 * system pool, storing trace blocks in a KMS-encrypted `HardenedBucket`
 * through a workload role limited to that bucket and its key. It receives
 * OTLP from the collectors' gateway; Grafana queries it.
 */
export class TempoTraces extends Construct {
  /** The in-cluster query address of Tempo (Grafana's data source). */
  public static readonly IN_CLUSTER_URL = `http://tempo.${OBSERVABILITY_NAMESPACE}.svc:3200`;
  /** The in-cluster OTLP/gRPC address Tempo receives spans on. */
  public static readonly OTLP_GRPC_ENDPOINT = `tempo.${OBSERVABILITY_NAMESPACE}.svc:4317`;

  /** The bucket holding the traces. */
  public readonly bucket: s3.IBucket;
  /** Tempo's workload role. */
  public readonly role: WorkloadRole;
  /** The chart with its namespace and placement. */
  public readonly platformChart: PlatformChart;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** Tempo's in-cluster query URL. */
  public readonly url: string = TempoTraces.IN_CLUSTER_URL;

  constructor(scope: Construct, id: string, props: TempoTracesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'traces');
    const ns = OBSERVABILITY_NAMESPACE;

    const store = objectStore(this, {
      ...props,
      namespace: ns,
      serviceAccount: TEMPO_SERVICE_ACCOUNT,
      purpose: 'Tempo trace store',
      defaultRetentionDays: 14,
      // The permissions Tempo's S3 backend documents: blocks are written, read, listed, tagged and compacted away.
      objectActions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging', 's3:PutObjectTagging'],
      wildcardReason: 'Tempo writes trace blocks under keys it generates at run time (<tenant>/<block id>/...), so the object ARN ends in /*; the bucket is this construct\'s own',
      notReplicatedReason: 'traces are operational data of this cluster, kept for the retention period beside it; the DR cluster keeps its own',
    });
    this.bucket = store.bucket;
    this.role = store.role;
    const { irsa, retentionDays } = store;
    const region = Stack.of(this).region;

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: ObservabilityVersions.TEMPO,
      version: props.chartVersion,
      component: 'traces',
      namespace: ns,
      createNamespace: false,
      serviceAccount: { role: this.role, create: false },
      dependsOn: [observabilityNamespace(props.namespaces), ...props.dependsOn ?? []],
      timeout: Duration.minutes(15),
      values: {
        fullnameOverride: 'tempo',
        serviceAccount: {
          create: true,
          name: TEMPO_SERVICE_ACCOUNT,
          ...(irsa ? { annotations: { [IRSA_ANNOTATION]: this.role.role.roleArn } } : {}),
        },
        tempo: {
          reportingEnabled: false,
          retention: `${retentionDays * 24}h`,
          storage: {
            trace: {
              backend: 's3',
              s3: { bucket: this.bucket.bucketName, endpoint: `s3.${region}.${Aws.URL_SUFFIX}`, region },
              wal: { path: '/var/tempo/wal' },
            },
          },
          // OTLP only: the collectors translate every other protocol.
          receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
        },
        // The write-ahead log survives a restart on the encrypted gp3 class.
        persistence: { enabled: true, storageClassName: ManagedAddons.DEFAULT_STORAGE_CLASS, size: '10Gi' },
        serviceMonitor: { enabled: true },
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
  }
}
