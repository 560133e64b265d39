import { KeelsonLabels, KeelsonTags } from '@keelson/conventions';
import { PlatformChart, PlatformServices, TrafficPort } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { OBSERVABILITY_NAMESPACE } from './private/names';

/** Properties of {@link PlatformMonitors}. */
export interface PlatformMonitorsProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The platform services eks-core installed (`PlatformServices`): each one present gets a monitor. */
  readonly services: PlatformServices;
  /**
   * What must exist first (the Prometheus Operator, which owns the PodMonitor CRD).
   *
   * @default - nothing
   */
  readonly dependsOn?: IDependable[];
}

/** How one of eks-core's controllers exposes its metrics, read from its pinned chart's pod template. */
interface Scrape {
  readonly component: string;
  readonly chart?: PlatformChart;
  /** The pod's `app.kubernetes.io/name` label (the chart's selector label). */
  readonly podName: string;
  /** The container port's name, or its number where the chart leaves it unnamed. */
  readonly port: string | number;
  /** The container port's number (NetworkPolicies admit Prometheus on it). */
  readonly portNumber: number;
}

/**
 * `PodMonitor`s for the controllers eks-core's `PlatformServices` runs, so
 * Prometheus scrapes them from the start: Karpenter (`http-metrics`), the
 * Cluster Autoscaler (8085), the AWS Load Balancer Controller
 * (`metrics-server`), the External Secrets controller (`metrics`) and the
 * KEDA operator (`http`, with its Prometheus metrics on). Each monitor sits in
 * `observability` and selects the controller's pods by the selector label of
 * its chart in the controller's own namespace. metrics-server has no metrics
 * of its own worth scraping here; Container Insights is an EKS add-on with its
 * own agent.
 */
export class PlatformMonitors extends Construct {
  /** Prefix of the monitors' names (`keelson-<component>`). */
  public static readonly NAME_PREFIX = 'keelson-';

  /** The PodMonitors, one per controller present (undefined when none is). */
  public readonly manifest?: eks.KubernetesManifest;
  /** The components monitored, in order (`karpenter`, `cluster-autoscaler`, ...). */
  public readonly components: string[];

  constructor(scope: Construct, id: string, props: PlatformMonitorsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'metrics');
    const s = props.services;
    const scrapes: Scrape[] = [
      // The numbers are the charts' defaults for those container ports (Karpenter's controller.metrics.port,
      // the LB controller's metricsBindAddr, External Secrets' metrics.listen.port, KEDA's prometheus.operator.port).
      // why: aws/karpenter-provider-aws charts/karpenter/templates/deployment.yaml port `http-metrics` =
      // `controller.metrics.port: 8080`, label app.kubernetes.io/name = chart name (_helpers.tpl), tag v1.14.1 (the pin).
      { component: 'karpenter', chart: s.karpenter?.platformChart, podName: 'karpenter', port: 'http-metrics', portNumber: 8080 },
      { component: 'cluster-autoscaler', chart: s.clusterAutoscaler?.platformChart, podName: 'aws-cluster-autoscaler', port: 8085, portNumber: 8085 },
      // why: aws/eks-charts stable/aws-load-balancer-controller/templates/deployment.yaml port `metrics-server`, containerPort
      // `metricsBindAddr` port, default 8080 (the newest stored chart).
      {
        component: 'aws-load-balancer-controller', chart: s.loadBalancerController?.platformChart, podName: 'aws-load-balancer-controller', port: 'metrics-server', portNumber: 8080,
      },
      // why: external-secrets/external-secrets deploy/charts/external-secrets/templates/deployment.yaml port `metrics` =
      // values.yaml `metrics.listen.port: 8080`, chart 2.9.0 (the newest stored; the pin is 2.12.0).
      { component: 'external-secrets', chart: s.externalSecrets?.platformChart, podName: 'external-secrets', port: 'metrics', portNumber: 8080 },
      // why: kedacore/charts keda/templates/manager/deployment.yaml names the operator's `prometheus.operator.port` container
      // port `metrics` (not `http`), label app.kubernetes.io/name = operator.name `keda-operator`, v2.20.2 and main.
      { component: 'keda', chart: s.keda?.platformChart, podName: 'keda-operator', port: 'metrics', portNumber: 8080 },
    ];
    const present = scrapes.filter((x) => x.chart !== undefined);
    this.components = present.map((x) => x.component);
    if (present.length === 0) return;
    this.manifest = new eks.KubernetesManifest(this, 'PodMonitors', {
      cluster: props.cluster,
      overwrite: true,
      manifest: present.map((x) => ({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: {
          name: `${PlatformMonitors.NAME_PREFIX}${x.component}`,
          namespace: OBSERVABILITY_NAMESPACE,
          labels: KeelsonLabels.component(x.component),
        },
        spec: {
          namespaceSelector: { matchNames: [x.chart!.namespace] },
          selector: { matchLabels: { [KeelsonLabels.NAME_KEY]: x.podName } },
          podMetricsEndpoints: [{
            ...(typeof x.port === 'number' ? { portNumber: x.port } : { port: x.port }),
            path: '/metrics',
            interval: '30s',
          }],
        },
      })),
    });
    // In isolated namespaces (kube-system is not one), Prometheus is admitted to the metrics port only.
    for (const x of present) x.chart!.traffic?.allowMetricsScraping(x.component, { 'app.kubernetes.io/name': x.podName }, [TrafficPort.tcp(x.portNumber)]);
    for (const d of props.dependsOn ?? []) this.manifest.node.addDependency(d);
    for (const x of present) this.manifest.node.addDependency(x.chart!.chart);
  }
}
