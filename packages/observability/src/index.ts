// The public API of @keelson/observability.
export * from './observability-versions';
export * from './alert-routing';
export * from './prometheus-stack';
export * from './platform-alert-rules';
export * from './platform-monitors';
export * from './loki-logs';
export * from './fluent-bit-shipper';
export * from './telemetry-network-policies';
export * from './tempo-traces';
export * from './opentelemetry-collectors';
export * from './grafana';
export * from './managed-grafana';
export * from './platform-observability';
