/** Names the package's parts share (namespaces, releases, service accounts, services). */

/** The namespace of Prometheus, Alertmanager, the operator, kube-state-metrics, Loki and Grafana. */
export const OBSERVABILITY_NAMESPACE = 'observability';
/** node-exporter reads the host's /proc, /sys and root filesystem: its own namespace at `privileged`. */
export const NODE_EXPORTER_NAMESPACE = 'node-exporter';
/** The log shipper mounts the node's /var/log: its own namespace at `privileged`. */
export const LOG_SHIPPER_NAMESPACE = 'log-shipper';

/** `fullnameOverride` of kube-prometheus-stack: its services are `kps-prometheus` and `kps-alertmanager`. */
export const KPS_FULLNAME = 'kps';
export const PROMETHEUS_SERVICE_ACCOUNT = 'prometheus';
/** The label the Prometheus Operator puts on the Prometheus pods it runs (NetworkPolicies select them by it). */
// why: prometheus-operator/prometheus-operator pkg/prometheus/server/operator.go makeSelectorLabels
// (app.kubernetes.io/name = applicationNameLabelValue "prometheus"), tag v0.93.0, the newest stored (kube-prometheus-stack
// 92.3.0 ships v0.94.1). Alertmanager's pods carry "alertmanager" (pkg/alertmanager/operator.go); no policy selects them.
export const PROMETHEUS_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' };
export const ALERTMANAGER_SERVICE_ACCOUNT = 'alertmanager';
export const LOKI_SERVICE_ACCOUNT = 'loki';
/** Loki's HTTP port (push and query), on its pods and its Service. */
// why: grafana-community/helm-charts charts/loki/values.yaml `loki.server.http_listen_port: 3100`, the containerPort
// (templates/_pod.tpl) and the Service port (templates/_service.tpl), tag loki-18.11.0, the newest stored (pin 18.14.0).
export const LOKI_PORT = 3100;

/** The Secret (written by an ExternalSecret) that holds the Slack webhook, and its key. */
export const SLACK_SECRET = 'alertmanager-slack';
export const SLACK_SECRET_KEY = 'webhook-url';
/** Where the Prometheus Operator mounts a secret listed in `alertmanagerSpec.secrets`. */
export const SLACK_WEBHOOK_FILE = `/etc/alertmanager/secrets/${SLACK_SECRET}/${SLACK_SECRET_KEY}`;

/** The annotation IRSA reads on a service account. */
export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

export const TEMPO_SERVICE_ACCOUNT = 'tempo';
/** The OpenTelemetryCollector resources; the operator names their Services `<name>-collector`. */
export const AGENT_COLLECTOR = 'agent';
export const GATEWAY_COLLECTOR = 'gateway';
/** The Instrumentation resource services opt in to with `instrumentation.opentelemetry.io/inject-<language>: observability/keelson`. */
export const INSTRUMENTATION = 'keelson';
