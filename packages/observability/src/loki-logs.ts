import { KeelsonCommonProps, KeelsonTags } from '@keelson/conventions';
import { ManagedAddons, PlatformChart, PlatformNamespaces, WorkloadIdentity, WorkloadRole } from '@keelson/eks-core';
import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { ObservabilityVersions } from './observability-versions';
import { IRSA_ANNOTATION, LOKI_SERVICE_ACCOUNT, OBSERVABILITY_NAMESPACE } from './private/names';
import { observabilityNamespace } from './private/namespace';
import { objectStore } from './private/object-store';

/** Options of the log store (also used by `PlatformObservability`). */
export interface LogsOptions {
  /**
   * Install Loki and the log shipper (read by `PlatformObservability` only).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long Loki keeps logs (its compactor deletes older chunks; the bucket
   * expires objects a day later as a backstop).
   *
   * @default Duration.days(30)
   */
  readonly retention?: Duration;

  /**
   * How Loki gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Loki chart version.
   *
   * @default ObservabilityVersions.LOKI
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's for Loki (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** Properties of {@link LokiLogs}. */
export interface LokiLogsProps extends LogsOptions, KeelsonCommonProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's namespace registry (`observability` is registered there). */
  readonly namespaces: PlatformNamespaces;
  /**
   * What must exist before Loki (the Prometheus Operator: Loki's chart adds ServiceMonitors).
   *
   * @default - nothing
   */
  readonly dependsOn?: IDependable[];
}

/**
 * Loki (the grafana-community `loki` chart, pinned; `loki-stack` is
 * deprecated) as one binary on the system pool, storing chunks, index and
 * rules in a KMS-encrypted `HardenedBucket` through a workload role limited to
 * that bucket and its key. Retention is enforced by Loki's compactor.
 */
export class LokiLogs extends Construct {
  /** The in-cluster push and query address of Loki. */
  public static readonly IN_CLUSTER_URL = `http://loki.${OBSERVABILITY_NAMESPACE}.svc:3100`;

  /** The bucket holding the logs. */
  public readonly bucket: s3.IBucket;
  /** Loki's workload role. */
  public readonly role: WorkloadRole;
  /** The chart with its namespace and placement. */
  public readonly platformChart: PlatformChart;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** Loki's in-cluster URL. */
  public readonly url: string = LokiLogs.IN_CLUSTER_URL;

  constructor(scope: Construct, id: string, props: LokiLogsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'logs');
    const ns = OBSERVABILITY_NAMESPACE;

    const store = objectStore(this, {
      ...props,
      namespace: ns,
      serviceAccount: LOKI_SERVICE_ACCOUNT,
      purpose: 'Loki log store',
      defaultRetentionDays: 30,
      objectActions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      wildcardReason: 'Loki writes chunks, index files and rules under keys it generates at run time (<tenant>/<chunk id>, index/<table>/...), so the object ARN ends in /*; the bucket is this construct\'s own',
      notReplicatedReason: 'logs are operational data of this cluster, kept for the retention period beside it; the DR cluster keeps its own',
    });
    this.bucket = store.bucket;
    this.role = store.role;
    const { irsa, retentionDays } = store;
    const bucketName = this.bucket.bucketName;

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: ObservabilityVersions.LOKI,
      version: props.chartVersion,
      component: 'logs',
      namespace: ns,
      createNamespace: false,
      serviceAccount: { role: this.role, create: false },
      systemPoolPaths: ['singleBinary'],
      dependsOn: [observabilityNamespace(props.namespaces), ...props.dependsOn ?? []],
      timeout: Duration.minutes(15),
      values: {
        deploymentMode: 'Monolithic',
        fullnameOverride: 'loki',
        serviceAccount: {
          create: true,
          name: LOKI_SERVICE_ACCOUNT,
          ...(irsa ? { annotations: { [IRSA_ANNOTATION]: this.role.role.roleArn } } : {}),
        },
        loki: {
          // One tenant: the platform's own logs.
          auth_enabled: false,
          commonConfig: { replication_factor: 1 },
          schemaConfig: {
            configs: [{ from: '2026-01-01', store: 'tsdb', object_store: 's3', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
          },
          storage: {
            type: 's3',
            bucketNames: { chunks: bucketName, ruler: bucketName, admin: bucketName },
            s3: { region: Stack.of(this).region },
          },
          limits_config: { retention_period: `${retentionDays * 24}h` },
          compactor: { retention_enabled: true, delete_request_store: 's3', working_directory: '/var/loki/compactor' },
        },
        singleBinary: {
          replicas: 1,
          persistence: { enabled: true, storageClass: ManagedAddons.DEFAULT_STORAGE_CLASS, size: '10Gi' },
        },
        // Monolithic: the scalable targets and caches stay off.
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
        gateway: { enabled: false },
        lokiCanary: { enabled: false },
        test: { enabled: false },
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
  }
}
