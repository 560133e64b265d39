import { PlatformNamespaces, PodSecurityLevel, TrafficPeer, TrafficPort } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { OBSERVABILITY_NAMESPACE } from './names';

/**
 * Register the shared `observability` namespace (baseline; not backed up:
 * metrics are re-scraped, logs live in S3, dashboards are code). Every part
 * registers the same spec, so the registry returns the one manifest whichever
 * part comes first.
 */
export function observabilityNamespace(namespaces: PlatformNamespaces): eks.KubernetesManifest {
  const manifest = namespaces.register({
    name: OBSERVABILITY_NAMESPACE, component: 'observability', podSecurity: PodSecurityLevel.BASELINE, backup: false,
  });
  const traffic = namespaces.traffic(OBSERVABILITY_NAMESPACE);
  if (!traffic.policyNames.includes('allow-from-namespace')) {
    // The stack's parts talk among themselves (Grafana and Prometheus to Alertmanager, the OTel gateway to
    // Tempo, Grafana to Loki...): the namespace is one trust zone, walled off from the rest of the cluster.
    const here = [TrafficPeer.podsInNamespace()];
    traffic.allowIngress({ name: 'from-namespace', peers: here });
    traffic.allowEgress({ name: 'to-namespace', peers: here });
    // Alertmanager (SNS, Slack), Loki and Tempo (S3), Grafana (GitHub sign-in) reach AWS and the internet on 443;
    // Pod Identity credentials come from the node agent on 80.
    traffic.allowEgress({ name: 'aws-apis', peers: [TrafficPeer.anywhere()], ports: [TrafficPort.tcp(443)] });
    traffic.allowEgress({ name: 'pod-identity', peers: [TrafficPeer.podIdentityAgent()], ports: [TrafficPort.tcp(80)] });
    // Admission webhooks: the Prometheus Operator's (container port 10250) and the OpenTelemetry Operator's (9443).
    // why: prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml `prometheusOperator.tls.internalPort:
    // 10250`, the operator's containerPort (templates/prometheus-operator/deployment.yaml), tag kube-prometheus-stack-88.5.3,
    // the newest stored (pin 92.3.0); open-telemetry/opentelemetry-helm-charts charts/opentelemetry-operator/values.yaml
    // `manager.ports.webhookPort: 9443` (templates/deployment.yaml), tag opentelemetry-operator-0.122.0 (pin 0.123.1).
    traffic.allowIngress({ name: 'webhooks', peers: [TrafficPeer.kubernetesApi()], ports: [TrafficPort.tcp(10250), TrafficPort.tcp(9443)] });
  }
  return manifest;
}
