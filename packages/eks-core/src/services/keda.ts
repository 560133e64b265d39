import { KeelsonTags } from '@keelson/conventions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { ChartVersions } from './chart-versions';
import { SYSTEM_SCHEDULING, checkChartVersion } from '../private/services';
import { WorkloadIdentity } from '../workload-identity';
import { WorkloadRole } from '../workload-role';

/** Options of KEDA (also used by `PlatformServices`). */
export interface KedaOptions {
  /**
   * Install it (read by `PlatformServices` only).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How the KEDA operator gets its IAM role (used by AWS scalers such as `SqsQueueScaler`).
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Helm chart version.
   *
   * @default ChartVersions.KEDA
   */
  readonly chartVersion?: string;
}

/** Properties of {@link Keda}. */
export interface KedaProps extends KedaOptions {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * Let Helm create the `keda` namespace (turn off when `PlatformNamespaces` creates it).
   *
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * KEDA (Helm, pinned) on the system pool. Its operator has a workload role
 * with no permissions of its own: AWS scalers (`SqsQueueScaler`) add exactly
 * what they read. Scale workloads with `PredictiveScaler` and `SqsQueueScaler`.
 */
export class Keda extends Construct {
  /** KEDA's namespace. */
  public static readonly NAMESPACE = 'keda';
  /** The operator's service account. */
  public static readonly OPERATOR_SERVICE_ACCOUNT = 'keda-operator';

  /** The operator's workload role. */
  public readonly operatorRole: WorkloadRole;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The cluster. */
  public readonly cluster: eks.ICluster;

  constructor(scope: Construct, id: string, props: KedaProps) {
    super(scope, id);
    KeelsonTags.component(this, 'keda');
    this.cluster = props.cluster;
    const version = props.chartVersion ?? ChartVersions.KEDA;
    checkChartVersion(this, 'chartVersion', version);
    this.operatorRole = new WorkloadRole(this, 'OperatorRole', {
      cluster: props.cluster,
      namespace: Keda.NAMESPACE,
      serviceAccount: Keda.OPERATOR_SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `KEDA operator (${Keda.NAMESPACE}/${Keda.OPERATOR_SERVICE_ACCOUNT}); AWS scalers add their own read permissions`,
    });
    const irsa = this.operatorRole.identity === WorkloadIdentity.IRSA;
    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster,
      chart: 'keda',
      repository: 'https://kedacore.github.io/charts',
      version,
      namespace: Keda.NAMESPACE,
      release: 'keda',
      // Its admission webhooks must serve before the custom resources below are applied.
      wait: true,
      createNamespace: props.createNamespace ?? true,
      values: {
        serviceAccount: { operator: { create: true, name: Keda.OPERATOR_SERVICE_ACCOUNT } },
        podIdentity: { aws: { irsa: irsa ? { enabled: true, roleArn: this.operatorRole.role.roleArn } : { enabled: false } } },
        ...SYSTEM_SCHEDULING,
      },
    });
    this.chart.node.addDependency(this.operatorRole);
  }
}
