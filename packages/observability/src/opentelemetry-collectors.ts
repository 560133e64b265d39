import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformChart, PlatformNamespaces, SystemPool } from '@keelson/eks-core';
import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { ObservabilityVersions } from './observability-versions';
import { AGENT_COLLECTOR, GATEWAY_COLLECTOR, INSTRUMENTATION, OBSERVABILITY_NAMESPACE } from './private/names';
import { observabilityNamespace } from './private/namespace';

/** Properties of {@link OpenTelemetryCollectors}. */
export interface OpenTelemetryCollectorsProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's namespace registry (`observability` is registered there). */
  readonly namespaces: PlatformNamespaces;
  /** Where the gateway sends traces: an OTLP/gRPC `host:port` (Tempo's, `TempoTraces.OTLP_GRPC_ENDPOINT`). */
  readonly tracesEndpoint: string;
  /**
   * Share of new traces auto-instrumented services record (0 to 1); a request
   * carrying a sampled `traceparent` is always recorded (parent-based sampling).
   *
   * @default 1
   */
  readonly samplingRatio?: number;
  /**
   * OpenTelemetry Operator chart version.
   *
   * @default ObservabilityVersions.OPENTELEMETRY_OPERATOR
   */
  readonly chartVersion?: string;
  /**
   * Helm values merged over Keelson's for the operator (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
  /**
   * What must exist before the operator (the Prometheus Operator: the chart adds a ServiceMonitor).
   *
   * @default - nothing
   */
  readonly dependsOn?: IDependable[];
}

const OTLP_RECEIVER = { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } };
const MEMORY_LIMITER = { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 };

/**
 * The OpenTelemetry Operator (pinned chart) and the platform's trace
 * pipeline, as operator resources in `observability`:
 *
 * - `agent`, an `OpenTelemetryCollector` DaemonSet on every node: services
 *   send OTLP to `agent-collector.observability.svc` (4317 gRPC, 4318 HTTP);
 *   its Service prefers the agent on the caller's node
 *   (`trafficDistribution: PreferSameNode`, stable in Kubernetes 1.35), and the
 *   agent adds the pod's namespace, name, deployment and `app` label to every span;
 * - `gateway`, a two-replica Deployment on the system pool that batches and
 *   forwards to Tempo;
 * - `keelson`, an `Instrumentation` that auto-instrumented services opt in to:
 *   W3C `traceparent` and `baggage` propagation, export to the agent.
 *
 * The operator's admission webhooks serve a certificate the chart generates,
 * so it needs no cert-manager.
 */
export class OpenTelemetryCollectors extends Construct {
  /** The agent's OTLP/gRPC address (what services export to). */
  public static readonly AGENT_OTLP_GRPC = `http://${AGENT_COLLECTOR}-collector.${OBSERVABILITY_NAMESPACE}.svc:4317`;
  /** The agent's OTLP/HTTP address. */
  public static readonly AGENT_OTLP_HTTP = `http://${AGENT_COLLECTOR}-collector.${OBSERVABILITY_NAMESPACE}.svc:4318`;
  /** The `Instrumentation` services name in `instrumentation.opentelemetry.io/inject-<language>`. */
  public static readonly INSTRUMENTATION_REF = `${OBSERVABILITY_NAMESPACE}/${INSTRUMENTATION}`;

  /** The operator chart with its namespace and placement. */
  public readonly platformChart: PlatformChart;
  /** The operator's Helm release. */
  public readonly chart: eks.HelmChart;
  /** The collectors, the Instrumentation and the agent's read access to pod metadata. */
  public readonly pipeline: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: OpenTelemetryCollectorsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'traces');
    const ratio = props.samplingRatio ?? 1;
    if (!(ratio >= 0 && ratio <= 1)) {
      PropsCheck.fail(this, 'samplingRatio', `${ratio} is not a share between 0 and 1`, 'give 1 to record every new trace, 0.1 for one in ten');
    }
    const ns = OBSERVABILITY_NAMESPACE;
    const namespace = observabilityNamespace(props.namespaces);

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: ObservabilityVersions.OPENTELEMETRY_OPERATOR,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'traces',
      namespace: ns,
      createNamespace: false,
      dependsOn: [namespace, ...props.dependsOn ?? []],
      // Its webhooks must serve before the collectors are applied.
      wait: true,
      timeout: Duration.minutes(10),
      values: {
        admissionWebhooks: {
          // The chart generates the webhook certificate (and the CRDs' conversion caBundle): no cert-manager.
          certManager: { enabled: false },
          autoGenerateCert: { enabled: true, recreate: true },
        },
        manager: { serviceMonitor: { enabled: true } },
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;

    const placement = SystemPool.placement();
    const agentServiceAccount = `${AGENT_COLLECTOR}-collector`;
    const collector = (name: string, spec: Record<string, any>) => ({
      apiVersion: 'opentelemetry.io/v1beta1',
      kind: 'OpenTelemetryCollector',
      metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/part-of': 'keelson-traces' } },
      spec: { observability: { metrics: { enableMetrics: true } }, ...spec },
    });
    const agent = collector(AGENT_COLLECTOR, {
      mode: 'daemonset',
      // Spans stay on the node when an agent runs there; another node's agent takes them otherwise.
      trafficDistribution: 'PreferSameNode',
      tolerations: [{ operator: 'Exists' }],
      env: [{ name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      config: {
        receivers: OTLP_RECEIVER,
        processors: {
          memory_limiter: MEMORY_LIMITER,
          k8sattributes: {
            filter: { node_from_env_var: 'K8S_NODE_NAME' },
            pod_association: [{ sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] }, { sources: [{ from: 'connection' }] }],
            extract: {
              metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.deployment.name', 'k8s.node.name'],
              labels: [{ tag_name: 'app', key: 'app.kubernetes.io/name', from: 'pod' }],
            },
          },
          batch: {},
        },
        exporters: { otlp_grpc: { endpoint: `${GATEWAY_COLLECTOR}-collector.${ns}.svc:4317`, tls: { insecure: true } } },
        service: { pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter', 'k8sattributes', 'batch'], exporters: ['otlp_grpc'] } } },
      },
    });
    const gateway = collector(GATEWAY_COLLECTOR, {
      mode: 'deployment',
      replicas: 2,
      ...placement,
      podDisruptionBudget: { maxUnavailable: 1 },
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      config: {
        receivers: OTLP_RECEIVER,
        processors: { memory_limiter: MEMORY_LIMITER, batch: { send_batch_size: 8192, timeout: '5s' } },
        exporters: { otlp_grpc: { endpoint: props.tracesEndpoint, tls: { insecure: true } } },
        service: { pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp_grpc'] } } },
      },
    });
    const instrumentation = {
      apiVersion: 'opentelemetry.io/v1alpha1',
      kind: 'Instrumentation',
      metadata: { name: INSTRUMENTATION, namespace: ns },
      spec: {
        exporter: { endpoint: OpenTelemetryCollectors.AGENT_OTLP_HTTP },
        env: [{ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' }],
        propagators: ['tracecontext', 'baggage'],
        sampler: { type: 'parentbased_traceidratio', argument: String(ratio) },
      },
    };
    // The k8sattributes processor reads pod, namespace and ReplicaSet metadata (deployment names).
    const reader = `keelson-otel-${AGENT_COLLECTOR}`;
    const rbac = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: reader },
        rules: [
          { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: reader },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: reader },
        subjects: [{ kind: 'ServiceAccount', name: agentServiceAccount, namespace: ns }],
      },
    ];
    this.pipeline = new eks.KubernetesManifest(this, 'Pipeline', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [...rbac, gateway, agent, instrumentation],
    });
    this.pipeline.node.addDependency(this.chart);
  }
}
