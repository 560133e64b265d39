import { KeelsonTags } from '@keelson/conventions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { EksCoreVersions } from '../eks-core-versions';
import { PlatformChart } from '../kit/platform-chart';
import { PlatformNamespaces } from '../kit/platform-namespaces';
import { TrafficPeer } from '../kit/traffic-peer';
import { TrafficPort } from '../kit/traffic-port';
import { WorkloadIdentity } from '../kit/workload-identity';
import { WorkloadRole } from '../kit/workload-role';

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
   * @default EksCoreVersions.KEDA
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** Properties of {@link Keda}. */
export interface KedaProps extends KedaOptions {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * The cluster's namespace registry: the `keda` namespace is registered
   * there, and KEDA's `keda.sh` resources are added to the workload Roles.
   *
   * @default - the namespace is created by the chart construct, no RBAC rules are added
   */
  readonly namespaces?: PlatformNamespaces;
}

/**
 * KEDA (Helm, pinned) on the system pool. Its operator has a workload role
 * with no permissions of its own: AWS scalers (`SqsQueueScaler`) add exactly
 * what they read. Scale workloads with `PredictiveScaler` and `SqsQueueScaler`.
 */
export class Keda extends Construct {
  /** KEDA's namespace. */
  public static readonly NAMESPACE = 'keda';
  /** Ports the API server calls in the namespace: the admission webhooks' (9443) and the metrics API server's (6443). */
  // why: kedacore/charts keda/templates/webhooks/deployment.yaml (containerPort `webhooks.port | default 9443`) and
  // metrics-server/deployment.yaml (`--secure-port` = values.yaml `service.portHttpsTarget: 6443`), chart v2.20.2, the
  // newest tag stored (the pin is 2.21.0; main after v2.20.2 has the same).
  public static readonly API_SERVER_PORTS = [9443, 6443];
  /** The operator's service account. */
  public static readonly OPERATOR_SERVICE_ACCOUNT = 'keda-operator';

  /** The operator's workload role. */
  public readonly operatorRole: WorkloadRole;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart with its namespace, service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The cluster. */
  public readonly cluster: eks.ICluster;

  constructor(scope: Construct, id: string, props: KedaProps) {
    super(scope, id);
    KeelsonTags.component(this, 'keda');
    this.cluster = props.cluster;
    this.operatorRole = new WorkloadRole(this, 'OperatorRole', {
      cluster: props.cluster,
      namespace: Keda.NAMESPACE,
      serviceAccount: Keda.OPERATOR_SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `KEDA operator (${Keda.NAMESPACE}/${Keda.OPERATOR_SERVICE_ACCOUNT}); AWS scalers add their own read permissions`,
    });
    const irsa = this.operatorRole.identity === WorkloadIdentity.IRSA;
    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: EksCoreVersions.KEDA,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'keda',
      namespace: Keda.NAMESPACE,
      namespaces: props.namespaces,
      // The operator holds no state: its ScaledObjects live (and are backed up) in workload namespaces.
      backup: false,
      serviceAccount: { role: this.operatorRole, create: false },
      // Its admission webhooks must serve before the custom resources below are applied.
      wait: true,
      values: {
        serviceAccount: { operator: { create: true, name: Keda.OPERATOR_SERVICE_ACCOUNT } },
        podIdentity: { aws: { irsa: irsa ? { enabled: true, roleArn: this.operatorRole.role.roleArn } : { enabled: false } } },
        // The operator's Prometheus metrics (scaler values, errors, scale-loop latency) on its
        // `metrics` port, 8080, for a PodMonitor (observability's PlatformMonitors) to scrape.
        prometheus: { operator: { enabled: true, port: 8080 } },
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
    const traffic = this.platformChart.traffic;
    // The operator calls AWS (SQS and CloudWatch scalers); the API server calls the admission webhooks (9443)
    // and the external metrics API the HPAs read (6443); the metrics server asks the operator over gRPC (9666, the
    // operator's `metricsservice` containerPort in kedacore/charts keda/templates/manager/deployment.yaml, v2.20.2).
    traffic?.allowAwsApis();
    traffic?.allowIngress({ name: 'from-kubernetes-api', peers: [TrafficPeer.kubernetesApi()], ports: Keda.API_SERVER_PORTS.map((p) => TrafficPort.tcp(p)) });
    traffic?.allowIngress({ name: 'from-namespace', peers: [TrafficPeer.podsInNamespace()] });
    traffic?.allowEgress({ name: 'to-namespace', peers: [TrafficPeer.podsInNamespace()] });
    props.namespaces?.addWorkloadRule({ apiGroups: ['keda.sh'], resources: ['scaledobjects', 'scaledjobs', 'triggerauthentications'] });
  }
}
