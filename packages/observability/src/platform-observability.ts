import { KeelsonCommonProps, KeelsonTags, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { ExternalSecretsOperator, PlatformNamespaces, PlatformServices, TrafficPeer, TrafficPort } from '@keelson/eks-core';
import { Annotations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlertRoutingOptions } from './alert-routing';
import { FluentBitShipper } from './fluent-bit-shipper';
import { Grafana, GrafanaDataSource, GrafanaOptions } from './grafana';
import { LogsOptions, LokiLogs } from './loki-logs';
import { OpenTelemetryCollectors } from './opentelemetry-collectors';
import { PlatformAlertRules } from './platform-alert-rules';
import { PlatformMonitors } from './platform-monitors';
import { OBSERVABILITY_NAMESPACE, PROMETHEUS_POD_LABELS } from './private/names';
import { MetricsOptions, PrometheusStack } from './prometheus-stack';
import { TelemetryNetworkPolicies } from './telemetry-network-policies';
import { TempoTraces, TracesOptions } from './tempo-traces';

/** Properties of {@link PlatformObservability}. */
export interface PlatformObservabilityProps extends KeelsonCommonProps {
  /** The cluster (with a kubectl provider). */
  readonly cluster: eks.ICluster;

  /** The cluster's namespace registry (`PlatformServices.namespaces`): the package registers its namespaces there. */
  readonly namespaces: PlatformNamespaces;

  /**
   * The External Secrets Operator (`PlatformServices.externalSecrets`), which
   * delivers the Slack webhook and the GitHub client secret.
   *
   * @default - none: Slack and GitHub sign-in cannot be configured
   */
  readonly externalSecrets?: ExternalSecretsOperator;

  /**
   * eks-core's platform services: each controller present (Karpenter, the
   * Cluster Autoscaler, the AWS Load Balancer Controller, External Secrets,
   * KEDA) gets a PodMonitor.
   *
   * @default - no monitors for eks-core's controllers
   */
  readonly services?: PlatformServices;

  /**
   * Add `allow-observability` NetworkPolicies to every workload namespace of
   * `namespaces` (Prometheus may scrape them; they may send OTLP to the
   * trace agent), for clusters whose workload namespaces deny by default.
   *
   * @default true
   */
  readonly workloadNetworkPolicies?: boolean;

  /**
   * The ports workload pods serve metrics on: the only ports Prometheus reaches in workload namespaces.
   *
   * @default TelemetryNetworkPolicies.DEFAULT_METRICS_PORTS
   */
  readonly workloadMetricsPorts?: number[];

  /**
   * Prometheus, Alertmanager, kube-state-metrics and node-exporter.
   *
   * @default - see MetricsOptions
   */
  readonly metrics?: MetricsOptions;

  /**
   * Alert routing (Slack, SNS) and runbooks.
   *
   * @default - an encrypted SNS topic is created for critical alerts; no Slack
   */
  readonly alerts?: AlertRoutingOptions;

  /**
   * Loki and the Fluent Bit log shipper.
   *
   * @default - on, see LogsOptions
   */
  readonly logs?: LogsOptions;

  /**
   * Traces: the OpenTelemetry Operator with an agent DaemonSet and a gateway, to Tempo on S3.
   *
   * @default - on, see TracesOptions
   */
  readonly traces?: TracesOptions;

  /**
   * Grafana with the package's dashboards.
   *
   * @default - on, see GrafanaOptions
   */
  readonly grafana?: GrafanaOptions;
}

/**
 * The platform's observability on one cluster, one toggle per part: metrics
 * and Alertmanager (`PrometheusStack`), the platform alert rules with their
 * runbooks (`PlatformAlertRules`), logs (`LokiLogs` + `FluentBitShipper`),
 * traces (`OpenTelemetryCollectors` to `TempoTraces`) and Grafana with
 * dashboards as code (`Grafana`). Critical alerts go to an
 * encrypted SNS topic (given, or created here) and, when configured, Slack.
 *
 * `prometheusUrl` is what eks-core's `PredictiveScaler` reads.
 */
export class PlatformObservability extends Construct {
  /** Metrics and Alertmanager. */
  public readonly metrics: PrometheusStack;
  /** The platform alert rules. */
  public readonly rules: PlatformAlertRules;
  /** The topic critical alerts are published to. */
  public readonly alertTopic: sns.ITopic;
  /** Loki, when logs are on. */
  public readonly logs?: LokiLogs;
  /** The log shipper, when logs are on. */
  public readonly logShipper?: FluentBitShipper;
  /** Tempo, when traces are on. */
  public readonly traces?: TempoTraces;
  /** The OpenTelemetry Operator and its collectors, when traces are on. */
  public readonly collectors?: OpenTelemetryCollectors;
  /** Grafana, when on. */
  public readonly grafana?: Grafana;
  /** The workload namespaces' `allow-observability` NetworkPolicies, when on. */
  public readonly networkPolicies?: TelemetryNetworkPolicies;
  /** PodMonitors of eks-core's controllers, when `services` is given. */
  public readonly monitors?: PlatformMonitors;
  /** In-cluster URL of Prometheus's HTTP API (for `PredictiveScaler.prometheusAddress`). */
  public readonly prometheusUrl: string;

  constructor(scope: Construct, id: string, props: PlatformObservabilityProps) {
    super(scope, id);
    KeelsonTags.component(this, 'observability');
    const alerts = props.alerts ?? {};
    if (alerts.topic) {
      this.alertTopic = alerts.topic;
    } else {
      const removal = StatefulRemoval.of(props.removalPolicy);
      const key = new kms.Key(this, 'AlertTopicKey', {
        description: 'Keelson observability: encrypts the critical-alerts topic',
        enableKeyRotation: true,
        ...removal.key,
      });
      this.alertTopic = new sns.Topic(this, 'AlertTopic', {
        topicName: ResourceNaming.of(this, props.environmentSuffix).name('observability-alerts'),
        displayName: 'Keelson critical platform alerts',
        masterKey: key,
        enforceSSL: true,
      });
    }

    if (!alerts.topic && (alerts.alertEmails ?? []).length === 0) {
      Annotations.of(this).addWarningV2('@keelson/observability:alertTopicWithoutSubscriber',
        'the critical-alerts topic created here has no subscriber: give alerts.alertEmails, or subscribe to PlatformObservability.alertTopic, or critical alerts reach no one outside Slack');
    }

    this.metrics = new PrometheusStack(this, 'Metrics', {
      ...props.metrics,
      cluster: props.cluster,
      namespaces: props.namespaces,
      externalSecrets: props.externalSecrets,
      alerts: { ...alerts, topic: this.alertTopic },
    });
    this.prometheusUrl = this.metrics.prometheusUrl;
    this.rules = new PlatformAlertRules(this, 'Rules', {
      cluster: props.cluster,
      namespaces: props.namespaces,
      runbookBaseUrl: alerts.runbookBaseUrl,
      dependsOn: [this.metrics.chart],
    });

    if (props.workloadNetworkPolicies ?? true) {
      this.networkPolicies = new TelemetryNetworkPolicies(this, 'NetworkPolicies', {
        cluster: props.cluster, namespaces: props.namespaces, metricsPorts: props.workloadMetricsPorts,
      });
    }
    if (props.services) {
      this.monitors = new PlatformMonitors(this, 'Monitors', { cluster: props.cluster, services: props.services, dependsOn: [this.metrics.chart] });
      const keda = props.services.keda;
      if (keda?.platformChart.traffic) {
        // KEDA's Prometheus scalers (PredictiveScaler) query this Prometheus: the operator's egress and Prometheus's ingress, on 9090.
        // why: kedacore/charts keda/templates/manager/deployment.yaml labels the operator's pods app.kubernetes.io/name =
        // values.yaml `operator.name: keda-operator`, v2.20.2 and main.
        const operator = { 'app.kubernetes.io/name': 'keda-operator' };
        const port = [TrafficPort.tcp(PrometheusStack.PORT)];
        keda.platformChart.traffic.allowEgress({ name: 'prometheus', pods: operator, peers: [TrafficPeer.namespace(OBSERVABILITY_NAMESPACE, PROMETHEUS_POD_LABELS)], ports: port });
        props.namespaces.traffic(OBSERVABILITY_NAMESPACE).allowIngress({
          name: 'prometheus-from-keda', pods: PROMETHEUS_POD_LABELS, peers: [TrafficPeer.namespace(keda.platformChart.namespace, operator)], ports: port,
        });
      }
    }

    const dataSources: GrafanaDataSource[] = [
      { name: 'Prometheus', type: 'prometheus', uid: 'prometheus', url: this.metrics.prometheusUrl },
      { name: 'Alertmanager', type: 'alertmanager', uid: 'alertmanager', url: this.metrics.alertmanagerUrl },
    ];
    if (props.logs?.enabled ?? true) {
      this.logs = new LokiLogs(this, 'Logs', {
        ...props.logs,
        environmentSuffix: props.environmentSuffix,
        removalPolicy: props.removalPolicy,
        cluster: props.cluster,
        namespaces: props.namespaces,
        dependsOn: [this.metrics.chart],
      });
      this.logShipper = new FluentBitShipper(this, 'LogShipper', {
        cluster: props.cluster,
        namespaces: props.namespaces,
        lokiUrl: this.logs.url,
        dependsOn: [this.logs.chart, this.metrics.chart],
      });
      dataSources.push({ name: 'Loki', type: 'loki', uid: 'loki', url: this.logs.url });
    }
    const traces = props.traces ?? {};
    if (traces.enabled ?? true) {
      this.traces = new TempoTraces(this, 'Traces', {
        environmentSuffix: props.environmentSuffix,
        removalPolicy: props.removalPolicy,
        cluster: props.cluster,
        namespaces: props.namespaces,
        retention: traces.retention,
        identity: traces.identity,
        chartVersion: traces.tempoChartVersion,
        valueOverrides: traces.tempoValueOverrides,
        dependsOn: [this.metrics.chart],
      });
      this.collectors = new OpenTelemetryCollectors(this, 'Collectors', {
        cluster: props.cluster,
        namespaces: props.namespaces,
        tracesEndpoint: TempoTraces.OTLP_GRPC_ENDPOINT,
        samplingRatio: traces.samplingRatio,
        chartVersion: traces.operatorChartVersion,
        dependsOn: [this.metrics.chart],
      });
      dataSources.push({
        name: 'Tempo',
        type: 'tempo',
        uid: 'tempo',
        url: this.traces.url,
        jsonData: {
          serviceMap: { datasourceUid: 'prometheus' },
          nodeGraph: { enabled: true },
          // From a span to its service's log lines around it (Fluent Bit's namespace and app labels).
          ...(this.logs ? {
            tracesToLogsV2: {
              datasourceUid: 'loki',
              spanStartTimeShift: '-5m',
              spanEndTimeShift: '5m',
              filterByTraceID: true,
              tags: [{ key: 'k8s.namespace.name', value: 'namespace' }, { key: 'app', value: 'app' }],
            },
          } : {}),
        },
      });
    }
    if (props.grafana?.enabled ?? true) {
      this.grafana = new Grafana(this, 'Grafana', {
        ...props.grafana,
        cluster: props.cluster,
        namespaces: props.namespaces,
        externalSecrets: props.externalSecrets,
        dataSources,
        dependsOn: [this.metrics.chart],
      });
    }
  }
}
