import * as fs from 'fs';
import * as path from 'path';
import { NamespaceTraffic, PlatformServices, PodSecurityLevel, PredictiveScaler, SystemPool, WorkloadIdentity } from '@keelson/eks-core';
import { kubernetesObjectsIn, kubernetesSchemaErrors, NagPack, NetworkPolicyModel, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { clusterFixture } from '@keelson/test-support';
import { Duration } from 'aws-cdk-lib';
import { promqlErrors } from './promql';
import {
  Grafana, ObservabilityVersions, OpenTelemetryCollectors, PlatformAlertRules, PlatformMonitors, PlatformObservability, TelemetryNetworkPolicies,
  TempoTraces,
} from '../src';

// The fake webhook and client secret exist only in this file's variables (as they would in
// Secrets Manager); neither may reach a template or any other file of the cloud assembly.
const FAKE_WEBHOOK = 'https://hooks.slack.example/services/T000/B000/FAKE-WEBHOOK-VALUE';
const FAKE_CLIENT_SECRET = 'FAKE-GITHUB-CLIENT-SECRET-VALUE';
const WORKSPACE = 'arn:aws:aps:ap-southeast-1:111111111111:workspace/ws-0123abcd-4567-89ef-0123-456789abcdef';

// One synth: a PlatformCluster with its services, and observability at non-default values with
// every part on: Slack, SNS (created), AMP remote write, Loki, Fluent Bit, Grafana with GitHub SSO,
// plus a PredictiveScaler reading this package's Prometheus.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const { stack, platform } = clusterFixture(app, { id: 'Observability' });
const services = new PlatformServices(stack, 'Services', { platform });
const observability = new PlatformObservability(stack, 'Observability', {
  cluster: platform.cluster,
  namespaces: services.namespaces!,
  externalSecrets: services.externalSecrets,
  services,
  metrics: { retention: Duration.days(10), storageGiB: 80, remoteWrite: { workspaceArn: WORKSPACE }, externalLabels: { cluster: 'dr', region_role: 'dr' } },
  alerts: { slackWebhookSecretName: 'keelson/dev/slack-webhook', slackChannel: '#dr-alerts', alertEmails: ['oncall@example.com'] },
  // Loki on IRSA, the rest on the default (Pod Identity): both bindings are exercised.
  logs: { retention: Duration.days(14), identity: WorkloadIdentity.IRSA },
  grafana: { github: { organization: 'keelson-platform', clientId: 'Iv1.0123456789abcdef', clientSecretName: 'keelson/dev/grafana-github' }, rootUrl: 'https://grafana.example.com' },
  traces: { retention: Duration.days(7), samplingRatio: 0.25 },
});
new PredictiveScaler(stack, 'WebScaler', {
  keda: services.keda!,
  namespace: 'dev',
  scaleTargetName: 'web',
  prometheusAddress: observability.prometheusUrl,
  metricQuery: 'sum(rate(http_requests_total{service="web"}[2m]))',
  targetPerReplica: 50,
});

const result = synthesize(app);
const json = result.template('Observability').toJSON();
const resources: Record<string, any> = json.Resources;
const objects = kubernetesObjectsIn(json);
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const PLACEHOLDER = 'RESOLVED-AT-DEPLOY';
const flat = (v: any): string => (typeof v === 'string' ? v
  : (v['Fn::Join'][1] as any[]).map((p) => (typeof p === 'string' ? p : PLACEHOLDER)).join(v['Fn::Join'][0]));
const helm: Record<string, any> = {};
for (const r of Object.values(resources)) {
  if (r.Type === 'Custom::AWSCDK-EKS-HelmChart') helm[r.Properties.Release] = { props: r.Properties, values: JSON.parse(flat(r.Properties.Values)) };
}
const ofType = (t: string) => Object.entries(resources).filter(([, r]) => r.Type === t).map(([id, r]) => ({ id, ...r }));
const roleWith = (action: string) => ofType('AWS::IAM::Policy').find((p) =>
  p.Properties.PolicyDocument.Statement.some((s: any) => [s.Action].flat().includes(action)));
const kps = () => helm['kube-prometheus-stack'];
const kmsBuckets = () => ofType('AWS::S3::Bucket')
  .filter((b) => b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === 'aws:kms');
const storeBucket = (bucket: { node: { defaultChild?: unknown } }) => {
  const id = stack.getLogicalId(bucket.node.defaultChild as any);
  return { id, ...resources[id] };
};
const storePolicy = (role: { role: { node: { tryFindChild(id: string): any } } }) => {
  const policy = role.role.node.tryFindChild('DefaultPolicy').node.defaultChild;
  return resources[stack.getLogicalId(policy)];
};
const podIdentity = (sa: string) => ofType('AWS::EKS::PodIdentityAssociation')
  .filter((a) => a.Properties.Namespace === 'observability' && a.Properties.ServiceAccount === sa);

describe('PlatformObservability: the gates', () => {
  testProofGates(result);

  test('every Kubernetes object valid', () => {
    expect(kubernetesSchemaErrors(objects)).toEqual([]);
  });

  test('the planted fake webhook and client secret appear in no file of the cloud assembly; only the secret names do', () => {
    const files = fs.readdirSync(app.outdir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      const text = fs.readFileSync(path.join(app.outdir, f), 'utf8');
      expect(text).not.toContain(FAKE_WEBHOOK);
      expect(text).not.toContain('FAKE-WEBHOOK-VALUE');
      expect(text).not.toContain(FAKE_CLIENT_SECRET);
    }
    const template = JSON.stringify(json);
    expect(template).toContain('keelson/dev/slack-webhook');
    expect(template).toContain('keelson/dev/grafana-github');
  });
});

describe('metrics: kube-prometheus-stack', () => {
  test('the pinned chart from the prometheus-community repository, with its own Grafana off', () => {
    expect(kps().props).toMatchObject({
      Chart: 'kube-prometheus-stack', Version: '92.3.0', Repository: ObservabilityVersions.KUBE_PROMETHEUS_STACK.repository, Namespace: 'observability', Wait: true,
    });
    expect(kps().values.grafana).toEqual({ enabled: false });
    expect(kps().values.fullnameOverride).toBe('kps');
  });

  test('fits the chart from 90.x: the Prometheus service account is created, no removed control-plane credential value is set', () => {
    // Chart 90 reads the control-plane monitors' token from a Secret of the Prometheus service
    // account and fails to render when that account is not created; it removed the file-based values.
    expect(kps().values.prometheus.serviceAccount).toMatchObject({ create: true });
    const removed = /"(bearerTokenFile|insecureSkipVerify|serverName|caSecret)"/;
    expect(JSON.stringify(kps().values)).not.toMatch(removed);
  });

  test('no monitor or rule for the control-plane parts EKS hides (scheduler, controller manager, etcd), so their Down alerts cannot fire forever', () => {
    expect(kps().values).toMatchObject({
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
    });
    // The API server and the kubelets are reachable on EKS and stay monitored.
    expect(kps().values.kubeApiServer?.enabled).not.toBe(false);
    expect(kps().values.kubelet?.enabled).not.toBe(false);
  });

  test('node-exporter alone in a privileged namespace; observability at baseline; both registered, not backed up', () => {
    expect(kps().values['prometheus-node-exporter']).toMatchObject({ namespaceOverride: 'node-exporter', tolerations: [{ operator: 'Exists' }] });
    const level = (n: string) => find('Namespace', n).metadata.labels['pod-security.kubernetes.io/enforce'];
    expect(level('node-exporter')).toBe(PodSecurityLevel.PRIVILEGED);
    expect(level('observability')).toBe(PodSecurityLevel.BASELINE);
    expect(level('log-shipper')).toBe(PodSecurityLevel.PRIVILEGED);
    const specs = services.namespaces!.platformNamespaces;
    expect(specs.filter((s) => s.podSecurity === PodSecurityLevel.PRIVILEGED).map((s) => s.name).sort()).toEqual(['log-shipper', 'node-exporter']);
    expect(specs.filter((s) => ['observability', 'node-exporter', 'log-shipper'].includes(s.name)).every((s) => s.backup === false)).toBe(true);
  });

  test('retention and a volume on eks-core\'s encrypted gp3 class; size-based retention below the volume', () => {
    const spec = kps().values.prometheus.prometheusSpec;
    expect(spec.retention).toBe('10d');
    expect(spec.retentionSize).toBe('72GB');
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({ storageClassName: 'gp3', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '80Gi' } } });
    expect(kps().values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName).toBe('gp3');
    const sc = objects.find((o) => o.kind === 'StorageClass');
    expect(sc).toMatchObject({ metadata: { name: 'gp3' }, parameters: { encrypted: 'true', type: 'gp3' } });
  });

  test('Prometheus, Alertmanager, the operator, its webhook job and kube-state-metrics on the system pool', () => {
    const placed = SystemPool.placement();
    const v = kps().values;
    for (const at of [v.prometheus.prometheusSpec, v.alertmanager.alertmanagerSpec, v.prometheusOperator, v.prometheusOperator.admissionWebhooks.patch, v['kube-state-metrics']]) {
      expect(at).toMatchObject(placed);
    }
  });

  test('selects every rule and monitor; external labels say which cluster alerts come from', () => {
    const spec = kps().values.prometheus.prometheusSpec;
    for (const k of ['rule', 'serviceMonitor', 'podMonitor', 'probe', 'scrapeConfig']) expect(spec[`${k}SelectorNilUsesHelmValues`]).toBe(false);
    expect(spec.externalLabels).toEqual({ cluster: 'dr', region_role: 'dr' });
  });

  test('remote write to the one AMP workspace through a role that may only aps:RemoteWrite there', () => {
    const [rw] = kps().values.prometheus.prometheusSpec.remoteWrite;
    expect(rw.url).toBe(`https://aps-workspaces.ap-southeast-1.${PLACEHOLDER}/workspaces/ws-0123abcd-4567-89ef-0123-456789abcdef/api/v1/remote_write`);
    expect(rw.sigv4).toEqual({ region: 'ap-southeast-1' });
    const policy = roleWith('aps:RemoteWrite')!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([expect.objectContaining({ Action: 'aps:RemoteWrite', Effect: 'Allow', Resource: WORKSPACE })]);
    expect(kps().values.prometheus.serviceAccount).toEqual({ create: true, name: 'prometheus' });
    expect(podIdentity('prometheus')).toHaveLength(1);
  });

  test('the Prometheus address PredictiveScaler reads is this package\'s attribute', () => {
    expect(observability.prometheusUrl).toBe('http://kps-prometheus.observability.svc:9090');
    const scaled = objects.find((o) => o.kind === 'ScaledObject');
    expect(scaled.spec.triggers[0].metadata.serverAddress).toBe(observability.prometheusUrl);
  });
});

describe('wiring: PodMonitors for eks-core\'s controllers', () => {
  const monitors = () => objects.filter((o) => o.kind === 'PodMonitor' && o.metadata.name.startsWith(PlatformMonitors.NAME_PREFIX));

  test('one PodMonitor per controller PlatformServices runs, selecting its pods in its own namespace by its chart\'s selector label', () => {
    expect(observability.monitors!.components).toEqual(['cluster-autoscaler', 'aws-load-balancer-controller', 'external-secrets', 'keda']);
    const byName = Object.fromEntries(monitors().map((m) => [m.metadata.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['keelson-aws-load-balancer-controller', 'keelson-cluster-autoscaler', 'keelson-external-secrets', 'keelson-keda']);
    const wiring = (name: string) => {
      const m = byName[`keelson-${name}`];
      return [m.metadata.namespace, m.spec.namespaceSelector.matchNames, m.spec.selector.matchLabels['app.kubernetes.io/name'], m.spec.podMetricsEndpoints[0]];
    };
    const at = { path: '/metrics', interval: '30s' };
    expect(wiring('cluster-autoscaler')).toEqual(['observability', ['kube-system'], 'aws-cluster-autoscaler', { portNumber: 8085, ...at }]);
    expect(wiring('aws-load-balancer-controller')).toEqual(['observability', ['kube-system'], 'aws-load-balancer-controller', { port: 'metrics-server', ...at }]);
    expect(wiring('external-secrets')).toEqual(['observability', [services.externalSecrets!.platformChart.namespace], 'external-secrets', { port: 'metrics', ...at }]);
    // The chart names the operator's metrics container port `metrics` (a PodMonitor on another name scrapes nothing).
    expect(wiring('keda')).toEqual(['observability', ['keda'], 'keda-operator', { port: 'metrics', ...at }]);
  });

  test('KEDA\'s operator serves the Prometheus metrics its PodMonitor scrapes (eks-core turns them on)', () => {
    expect(helm.keda.values.prometheus).toEqual({ operator: { enabled: true, port: 8080 } });
  });

  test('the monitors are applied after the Prometheus Operator (their CRD) and the controllers', () => {
    const manifest = ofType('Custom::AWSCDK-EKS-KubernetesResource').find((r) => JSON.stringify(r.Properties.Manifest).includes('keelson-keda'))!;
    const release = (name: string) => Object.entries(resources).find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Release === name)![0];
    for (const r of ['kube-prometheus-stack', 'keda', 'external-secrets']) expect(manifest.DependsOn).toContain(release(r));
  });
});

describe('wiring: workload namespaces may be scraped and may send OTLP', () => {
  test('an allow-observability NetworkPolicy in every workload namespace: ingress from Prometheus on the metrics ports only, egress to observability on 4317 and 4318 only', () => {
    const workloads = services.namespaces!.workloadNamespaces;
    expect(workloads.length).toBeGreaterThan(0);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === TelemetryNetworkPolicies.NAME);
    expect(policies.map((p) => p.metadata.namespace).sort()).toEqual([...workloads].sort());
    const observabilityNs = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } };
    for (const p of policies) {
      expect(p.spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ ...observabilityNs, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9090 }] }],
        egress: [{ to: [observabilityNs], ports: [{ protocol: 'TCP', port: 4317 }, { protocol: 'TCP', port: 4318 }] }],
      });
    }
    expect(TelemetryNetworkPolicies.DEFAULT_METRICS_PORTS).toEqual([9090]);
    // The ports are the agent's OTLP receivers.
    const agent = find('OpenTelemetryCollector', 'agent').spec.config.receivers.otlp.protocols;
    expect([agent.grpc.endpoint, agent.http.endpoint].map((e: string) => Number(e.split(':')[1]))).toEqual([4317, 4318]);
  });
});

describe('the observability namespaces deny by default', () => {
  const model = new NetworkPolicyModel(objects.filter((o) => o.kind === 'NetworkPolicy').map((policy) => ({ cluster: 'c', policy })),
    (_c, ns) => ({ 'kubernetes.io/metadata.name': ns }));
  const pod = (namespace: string, labels: Record<string, string> = {}) => ({ cluster: 'c', namespace, labels });
  const PROMETHEUS = { 'app.kubernetes.io/name': 'prometheus' };
  const ALERTMANAGER = { 'app.kubernetes.io/name': 'alertmanager' };
  const names = (ns: string) => objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns).map((o) => o.metadata.name);

  test('observability: default-deny, the baseline, its parts among themselves, AWS, the webhooks, and what other namespaces must reach', () => {
    expect(names('observability')).toEqual([
      ...NamespaceTraffic.BASELINE, 'allow-from-namespace', 'allow-to-namespace', 'allow-aws-apis', 'allow-pod-identity', 'allow-webhooks',
      'allow-prometheus-scrape', 'allow-otlp-from-workloads', 'allow-prometheus-from-keda', 'allow-logs-from-shipper',
    ]);
    expect(find('NetworkPolicy', 'allow-webhooks').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 10250 }, { protocol: 'TCP', port: 9443 }]);
    // node-exporter runs on the host network, where NetworkPolicies do not apply.
    expect(names('node-exporter')).toEqual([]);
    expect(services.namespaces!.isolatedNamespaces).not.toContain('node-exporter');
  });

  test('Alertmanager and Prometheus: a workload pod is refused; Prometheus, Grafana and KEDA\'s operator reach what they need', () => {
    const alertmanager = pod('observability', ALERTMANAGER);
    const prometheus = pod('observability', PROMETHEUS);
    expect(model.ingress(alertmanager, { ip: '10.0.8.1', pod: pod('dev') }, 9093, 'tcp').allowed).toBe(false);
    expect(model.ingress(prometheus, { ip: '10.0.8.1', pod: pod('dev') }, 9090, 'tcp').allowed).toBe(false);
    expect(model.ingress(alertmanager, { ip: '10.0.8.2', pod: prometheus }, 9093, 'tcp').allowed).toBe(true);
    expect(model.ingress(prometheus, { ip: '10.0.8.3', pod: pod('observability', { 'app.kubernetes.io/name': 'grafana' }) }, 9090, 'tcp').allowed).toBe(true);
    expect(model.ingress(prometheus, { ip: '10.0.8.4', pod: pod('keda', { 'app.kubernetes.io/name': 'keda-operator' }) }, 9090, 'tcp').allowed).toBe(true);
    expect(model.egress(pod('keda', { 'app.kubernetes.io/name': 'keda-operator' }), { ip: '10.0.8.5', pod: prometheus }, 9090, 'tcp').allowed).toBe(true);
  });

  test('Prometheus scrapes a workload pod\'s metrics port but no other; eks-core\'s controllers on their metrics ports only', () => {
    const prometheus = pod('observability', PROMETHEUS);
    expect(model.egress(prometheus, { ip: '10.0.9.1', pod: pod('dev') }, 9090, 'tcp').allowed).toBe(true);
    expect(model.ingress(pod('dev'), { ip: '10.0.8.2', pod: prometheus }, 9090, 'tcp').allowed).toBe(true);
    expect(model.ingress(pod('dev'), { ip: '10.0.8.2', pod: prometheus }, 8080, 'tcp').allowed).toBe(false);
    expect(model.ingress(pod('dev'), { ip: '10.0.8.6', pod: pod('observability', { 'app.kubernetes.io/name': 'grafana' }) }, 9090, 'tcp').allowed).toBe(false);
    const eso = pod('external-secrets', { 'app.kubernetes.io/name': 'external-secrets' });
    expect(model.ingress(eso, { ip: '10.0.8.2', pod: prometheus }, 8080, 'tcp').allowed).toBe(true);
    expect(model.ingress(eso, { ip: '10.0.8.2', pod: prometheus }, 10250, 'tcp').allowed).toBe(false);
    expect(find('NetworkPolicy', 'allow-scrape-keda').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
  });

  test('the log shipper sends to Loki on 3100 only, and is scraped on 2020', () => {
    const shipper = pod('log-shipper', { 'app.kubernetes.io/name': 'fluent-bit' });
    expect(model.egress(shipper, { ip: '10.0.8.7', pod: pod('observability', { 'app.kubernetes.io/name': 'loki' }) }, 3100, 'tcp').allowed).toBe(true);
    expect(model.ingress(pod('observability', { 'app.kubernetes.io/name': 'loki' }), { ip: '10.0.8.8', pod: shipper }, 3100, 'tcp').allowed).toBe(true);
    expect(model.ingress(pod('observability', { 'app.kubernetes.io/name': 'loki' }), { ip: '10.0.8.8', pod: shipper }, 9090, 'tcp').allowed).toBe(false);
    expect(find('NetworkPolicy', 'allow-scrape-fluent-bit').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 2020 }]);
  });
});

describe('alerts: Alertmanager routing, SNS, Slack, rules and runbooks', () => {
  const config = () => kps().values.alertmanager.config;

  test('critical alerts go to Slack (webhook read from the mounted Secret file) and SNS; warnings to Slack; Watchdog nowhere', () => {
    const routes = config().route.routes;
    expect(routes).toEqual([
      { receiver: 'null', matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
      { receiver: 'critical', matchers: ['severity="critical"'] },
      { receiver: 'slack', matchers: ['severity="warning"'] },
    ]);
    const critical = config().receivers.find((r: any) => r.name === 'critical');
    expect(critical.slack_configs[0]).toMatchObject({ api_url_file: '/etc/alertmanager/secrets/alertmanager-slack/webhook-url', channel: '#dr-alerts' });
    expect(critical.slack_configs[0].api_url).toBeUndefined();
    expect(critical.sns_configs[0]).toMatchObject({ topic_arn: PLACEHOLDER, sigv4: { region: 'ap-southeast-1' } });
    expect(critical.slack_configs[0].title).toContain('{{ .CommonLabels.cluster }}');
  });

  test('the alert topic has a subscriber: the alert email, by the topic\'s own reference', () => {
    const topicId = stack.resolve((observability.alertTopic.node.defaultChild as any).logicalId);
    const subscriptions = ofType('AWS::SNS::Subscription').filter((r) => r.Properties.TopicArn.Ref === topicId);
    expect(subscriptions.map((r) => r.Properties)).toEqual([{ Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: topicId } }]);
    // With a subscriber, no "topic without subscriber" warning.
    expect(observability.node.metadata.filter((m) => m.type === 'aws:cdk:warning')).toEqual([]);
  });

  test('the ExternalSecret writes the Secret Alertmanager mounts, with the key its config reads', () => {
    const es = find('ExternalSecret', 'alertmanager-slack');
    expect(es.metadata.namespace).toBe('observability');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
    expect(es.spec.data).toEqual([{ secretKey: 'webhook-url', remoteRef: { key: 'keelson/dev/slack-webhook' } }]);
    expect(kps().values.alertmanager.alertmanagerSpec.secrets).toEqual([es.spec.target.name]);
    // What ESO would write from the planted value, mounted where the config reads it.
    const written = { [es.spec.target.name]: { [es.spec.data[0].secretKey]: FAKE_WEBHOOK } };
    const file = config().receivers[1].slack_configs[0].api_url_file.split('/');
    expect(written[file[4]][file[5]]).toBe(FAKE_WEBHOOK);
  });

  test('an encrypted, TLS-only topic; Alertmanager may publish to it only, and use its key only through SNS', () => {
    const [topic] = ofType('AWS::SNS::Topic');
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    expect(topic.Properties.TopicName).toBe('observability-alerts-dev');
    const tls = ofType('AWS::SNS::TopicPolicy')[0].Properties.PolicyDocument.Statement[0];
    expect(tls).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const statements = roleWith('sns:Publish')!.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatchObject({ Action: 'sns:Publish', Resource: { Ref: topic.id } });
    expect(statements[1]).toMatchObject({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Condition: { StringEquals: { 'kms:ViaService': expect.anything() } } });
    // Pod Identity (the default): an association, no IRSA annotation.
    expect(kps().values.alertmanager.serviceAccount).toEqual({ create: true, name: 'alertmanager' });
    expect(podIdentity('alertmanager')).toHaveLength(1);
  });

  test('every platform rule is valid PromQL, has a severity Alertmanager routes, and links to a runbook file in this repository', () => {
    const rule = find('PrometheusRule', PlatformAlertRules.NAME);
    expect(rule.metadata.namespace).toBe('observability');
    const rules = rule.spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual([
      'KeelsonNodeNotReady', 'KeelsonPlatformDeploymentUnavailable', 'KeelsonPodCrashLooping', 'KeelsonPersistentVolumeFillingUp',
    ]);
    const repo = path.join(__dirname, '..', '..', '..');
    for (const r of rules) {
      expect(`${r.alert}: ${promqlErrors(r.expr)}`).toBe(`${r.alert}: `);
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.annotations.runbook_url).toMatch(/^https:\/\/github\.com\/keelson-platform\/keelson\/blob\/main\/docs\/runbooks\/[a-z-]+\.md$/);
      const file = path.join(repo, 'docs', 'runbooks', path.basename(r.annotations.runbook_url));
      expect(fs.existsSync(file)).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toContain(`# ${r.alert}`);
    }
  });

  test('the PromQL check rejects broken expressions (the parser is not vacuous)', () => {
    expect(promqlErrors('sum(rate(up[5m])').length).toBeGreaterThan(0);
    expect(promqlErrors('rate(up[5m]) >').length).toBeGreaterThan(0);
    expect(promqlErrors('sum by (job) (rate(up[5m]))')).toEqual([]);
  });

  test('the unavailable-controller rule watches every registered platform namespace, including ones registered after it', () => {
    const rule = find('PrometheusRule', PlatformAlertRules.NAME).spec.groups[0].rules[1];
    for (const ns of ['kube-system', 'external-secrets', 'keda', 'observability', 'node-exporter', 'log-shipper']) {
      expect(rule.expr).toContain(ns);
    }
  });
});

describe('logs: Loki and Fluent Bit', () => {
  test('Loki from the grafana-community repository, one binary on the system pool, S3 storage in its bucket, compactor retention', () => {
    const loki = helm.loki;
    expect(loki.props).toMatchObject({ Chart: 'loki', Version: '18.14.0', Repository: 'https://grafana-community.github.io/helm-charts', Namespace: 'observability' });
    expect(loki.values.deploymentMode).toBe('Monolithic');
    expect(loki.values.loki.storage).toEqual({ type: 's3', bucketNames: { chunks: PLACEHOLDER, ruler: PLACEHOLDER, admin: PLACEHOLDER }, s3: { region: 'ap-southeast-1' } });
    expect(loki.values.loki.limits_config.retention_period).toBe('336h');
    expect(loki.values.loki.compactor.retention_enabled).toBe(true);
    expect(loki.values.singleBinary).toMatchObject({ replicas: 1, ...SystemPool.placement(), persistence: { storageClass: 'gp3' } });
  });

  test('a KMS-encrypted hardened bucket, and a role limited to that bucket and key', () => {
    const bucket = storeBucket(observability.logs!.bucket);
    expect(bucket.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 15 });
    const statements = storePolicy(observability.logs!.role).Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['StoreObjects', 'StoreBucket', 'StoreKey']);
    expect(statements[0].Action).toEqual(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    expect(JSON.stringify(statements[0].Resource)).toContain(bucket.id);
    expect(JSON.stringify(statements[1].Resource)).toContain(bucket.id);
    expect(statements[1].Action).toBe('s3:ListBucket');
    // IRSA (set in this test): the chart's service account is annotated with the role, no association.
    expect(helm.loki.values.serviceAccount).toEqual({ create: true, name: 'loki', annotations: { 'eks.amazonaws.com/role-arn': PLACEHOLDER } });
    expect(podIdentity('loki')).toHaveLength(0);
  });

  test('Fluent Bit on every node in the privileged log-shipper namespace: JSON parsed, labelled with namespace, app and env, pushed to Loki', () => {
    const fb = helm['fluent-bit'];
    expect(fb.props).toMatchObject({ Chart: 'fluent-bit', Version: '0.58.2', Namespace: 'log-shipper' });
    expect(fb.values.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(fb.values.nodeSelector).toBeUndefined();
    expect(fb.values.config.filters).toMatch(/Merge_Log\s+On/);
    expect(fb.values.config.filters).toMatch(/Namespace_Labels\s+On/);
    const out = fb.values.config.outputs;
    expect(out).toMatch(/Host\s+loki\.observability\.svc/);
    expect(out).toMatch(/Port\s+3100/);
    for (const label of ['namespace=$kubernetes[\'namespace_name\']', 'app=$kubernetes[\'labels\'][\'app.kubernetes.io/name\']', 'env=$kubernetes_namespace[\'labels\'][\'env\']']) {
      expect(out).toContain(label);
    }
    expect(fb.values.serviceMonitor).toEqual({ enabled: true });
  });
});

describe('Grafana: dashboards as code and GitHub SSO', () => {
  test('the pinned chart, with Prometheus (default), Alertmanager, Loki and Tempo as data sources', () => {
    const g = helm.grafana;
    expect(g.props).toMatchObject({ Chart: 'grafana', Version: '13.5.0', Repository: 'https://grafana-community.github.io/helm-charts' });
    const ds = g.values.datasources['datasources.yaml'].datasources;
    expect(ds.map((d: any) => [d.uid, d.url, d.isDefault])).toEqual([
      ['prometheus', 'http://kps-prometheus.observability.svc:9090', true],
      ['alertmanager', 'http://kps-alertmanager.observability.svc:9093', false],
      ['loki', 'http://loki.observability.svc:3100', false],
      ['tempo', 'http://tempo.observability.svc:3200', false],
    ]);
    expect(g.values).toMatchObject(SystemPool.placement());
  });

  test('every shipped dashboard is valid JSON, in a labelled ConfigMap, and queries only data sources the package creates', () => {
    const shipped = Grafana.dashboards();
    expect(Object.keys(shipped)).toEqual([
      'argo-cd.json', 'cluster-health.json', 'control-plane.json', 'istio-golden-signals.json', 'keda-scaling.json', 'namespace-capacity.json',
      'node-pools-spot.json', 'preview-environments.json',
    ]);
    const uids = new Set(helm.grafana.values.datasources['datasources.yaml'].datasources.map((d: any) => d.uid));
    const sidecar = helm.grafana.values.sidecar.dashboards;
    for (const [file, dashboard] of Object.entries(shipped)) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.data?.[file]);
      expect(cm.metadata.labels[sidecar.label]).toBe(sidecar.labelValue);
      expect(cm.metadata.namespace).toBe(sidecar.searchNamespace);
      expect(JSON.parse(cm.data[file])).toEqual(dashboard);
      const d = dashboard as any;
      expect(d.panels.length).toBeGreaterThanOrEqual(6);
      for (const p of d.panels) {
        expect(uids.has(p.datasource.uid)).toBe(true);
        for (const t of p.targets) {
          expect(uids.has(t.datasource.uid)).toBe(true);
          expect(`${file} ${p.title}: ${promqlErrors(t.expr.replace(/\$cluster/g, 'x'))}`).toBe(`${file} ${p.title}: `);
        }
      }
    }
  });

  test('the node-pool and capacity-type labels the spot dashboard reads, and the namespace labels the preview dashboard reads, are exported', () => {
    expect(kps().values['kube-state-metrics'].metricLabelsAllowlist).toEqual([
      'nodes=[node-pool,eks.amazonaws.com/capacityType,karpenter.sh/capacity-type,node.kubernetes.io/instance-type]',
      'namespaces=[*]',
    ]);
    const previews = JSON.stringify(Grafana.dashboards()['preview-environments.json']);
    expect(previews).toContain('label_keelson_dev_preview=\\"true\\"');
  });

  test('the golden-signal, KEDA and Argo CD dashboards query the metrics those components export', () => {
    const exprs = (file: string) => (Grafana.dashboards()[file] as any).panels.flatMap((p: any) => p.targets.map((t: any) => t.expr)).join('\n');
    const istio = exprs('istio-golden-signals.json');
    for (const m of ['istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'istio_tcp_connections_opened_total']) expect(istio).toContain(m);
    expect(istio).toMatch(/response_code=~"5\.\."/);
    const keda = exprs('keda-scaling.json');
    expect(keda).toContain('keda_scaler_metrics_value');
    // PredictiveScaler names its ScaledObjects <target>-predictive: the trend panel selects them.
    expect(keda).toContain('scaledObject=~".+-predictive"');
    expect(keda).toContain('horizontalpodautoscaler=~"keda-hpa-.+"');
    expect(exprs('argo-cd.json')).toContain('argocd_app_info');
  });

  test('GitHub sign-in for the org, the login form off, the client secret read from a file an ExternalSecret writes', () => {
    const ini = helm.grafana.values['grafana.ini'];
    expect(ini['auth.github']).toMatchObject({
      enabled: true,
      allowed_organizations: 'keelson-platform',
      client_id: 'Iv1.0123456789abcdef',
      client_secret: '$__file{/etc/secrets/grafana-github/client-secret}',
    });
    expect(ini.auth).toEqual({ disable_login_form: true });
    expect(ini.server).toEqual({ root_url: 'https://grafana.example.com' });
    expect(helm.grafana.values.extraSecretMounts).toEqual([{ name: 'grafana-github', secretName: 'grafana-github', mountPath: '/etc/secrets/grafana-github', readOnly: true }]);
    expect(find('ExternalSecret', 'grafana-github').spec.data).toEqual([{ secretKey: 'client-secret', remoteRef: { key: 'keelson/dev/grafana-github' } }]);
  });

  test('fits chart 13 (distroless image, read-only root): no GF_*__FILE variable, no GF_INSTALL_PLUGINS, nothing written to a volume', () => {
    // The distroless image has no /run.sh to expand __FILE variables or install plugins at start.
    const values = JSON.stringify(helm.grafana.values);
    expect(values).not.toMatch(/GF_[A-Z0-9_]+__FILE|GF_INSTALL_PLUGINS/);
    expect(helm.grafana.values.persistence).toEqual({ enabled: false });
  });
});

describe('traces: the OpenTelemetry Operator, its collectors and Tempo', () => {
  const collector = (name: string) => find('OpenTelemetryCollector', name);

  test('the pinned operator chart, its webhook certificate generated by the chart: no cert-manager', () => {
    const op = helm['opentelemetry-operator'];
    expect(op.props).toMatchObject({
      Chart: 'opentelemetry-operator',
      Version: '0.123.1',
      Repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
      Namespace: 'observability',
      Wait: true,
    });
    expect(op.values.admissionWebhooks).toEqual({ certManager: { enabled: false }, autoGenerateCert: { enabled: true, recreate: true } });
    expect(op.values).toMatchObject(SystemPool.placement());
    // Nothing in the template asks for cert-manager.
    expect(objects.filter((o) => String(o.apiVersion).startsWith('cert-manager.io'))).toEqual([]);
    expect(JSON.stringify(op.values)).not.toContain('cert-manager.io');
  });

  test('an agent DaemonSet on every node, preferring the caller\'s node, adding pod metadata, forwarding to the gateway', () => {
    const agent = collector('agent');
    expect(agent.metadata.namespace).toBe('observability');
    expect(agent.spec).toMatchObject({ mode: 'daemonset', trafficDistribution: 'PreferSameNode', tolerations: [{ operator: 'Exists' }] });
    expect(agent.spec.nodeSelector).toBeUndefined();
    const traces = agent.spec.config.service.pipelines.traces;
    expect(traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter', 'k8sattributes', 'batch'], exporters: ['otlp_grpc'] });
    expect(agent.spec.config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(agent.spec.config.processors.k8sattributes.filter).toEqual({ node_from_env_var: 'K8S_NODE_NAME' });
    expect(agent.spec.env).toContainEqual({ name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
    expect(agent.spec.config.exporters.otlp_grpc.endpoint).toBe('gateway-collector.observability.svc:4317');
    // The processor's read access, bound to the service account the operator gives the agent.
    const binding = find('ClusterRoleBinding', 'keelson-otel-agent');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent-collector', namespace: 'observability' }]);
    expect(find('ClusterRole', 'keelson-otel-agent').rules.flatMap((r: any) => r.verbs)).not.toContain('create');
  });

  test('a two-replica gateway on the system pool exporting to Tempo', () => {
    const gateway = collector('gateway');
    expect(gateway.spec).toMatchObject({ mode: 'deployment', replicas: 2, podDisruptionBudget: { maxUnavailable: 1 }, ...SystemPool.placement() });
    expect(gateway.spec.config.exporters.otlp_grpc).toEqual({ endpoint: TempoTraces.OTLP_GRPC_ENDPOINT, tls: { insecure: true } });
    expect(TempoTraces.OTLP_GRPC_ENDPOINT).toBe('tempo.observability.svc:4317');
    expect(gateway.spec.config.service.pipelines.traces.exporters).toEqual(['otlp_grpc']);
    expect(gateway.spec.observability).toEqual({ metrics: { enableMetrics: true } });
  });

  test('the Instrumentation services opt in to propagates W3C traceparent and baggage, exports to the agent, samples by the parent', () => {
    const inst = find('Instrumentation', 'keelson');
    expect(OpenTelemetryCollectors.INSTRUMENTATION_REF).toBe(`${inst.metadata.namespace}/${inst.metadata.name}`);
    expect(inst.spec.propagators).toEqual(['tracecontext', 'baggage']);
    expect(inst.spec.exporter).toEqual({ endpoint: 'http://agent-collector.observability.svc:4318' });
    expect(inst.spec.sampler).toEqual({ type: 'parentbased_traceidratio', argument: '0.25' });
  });

  test('the collectors and the Instrumentation are checked against the upstream CRDs\' schemas, which reject mistakes', () => {
    const agent = collector('agent');
    const inst = find('Instrumentation', 'keelson');
    expect(kubernetesSchemaErrors([agent, collector('gateway'), inst])).toEqual([]);
    expect(kubernetesSchemaErrors([{ ...agent, spec: { ...agent.spec, mode: 'daemon' } }]).join()).toMatch(/mode/);
    expect(kubernetesSchemaErrors([{ ...agent, spec: { ...agent.spec, tolerationz: [] } }])).toHaveLength(1);
    expect(kubernetesSchemaErrors([{ ...agent, spec: { ...agent.spec, config: { ...agent.spec.config, service: {} } } }])).toHaveLength(1);
    expect(kubernetesSchemaErrors([{ ...inst, spec: { ...inst.spec, propagators: ['w3c'] } }])).toHaveLength(1);
  });

  test('the collectors are applied after the operator, whose webhooks validate them', () => {
    const pipeline = ofType('Custom::AWSCDK-EKS-KubernetesResource')
      .find((r) => JSON.stringify(r.Properties.Manifest).includes('OpenTelemetryCollector'))!;
    const operator = Object.entries(resources).find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Release === 'opentelemetry-operator')![0];
    expect(pipeline.DependsOn).toContain(operator);
  });

  test('Tempo from the grafana-community repository, one binary on the system pool, S3 storage in its bucket, compactor retention', () => {
    const tempo = helm.tempo;
    expect(tempo.props).toMatchObject({ Chart: 'tempo', Version: '2.4.0', Repository: 'https://grafana-community.github.io/helm-charts', Namespace: 'observability' });
    expect(tempo.values.tempo.storage.trace).toMatchObject({
      backend: 's3', s3: { bucket: PLACEHOLDER, endpoint: `s3.ap-southeast-1.${PLACEHOLDER}`, region: 'ap-southeast-1' },
    });
    expect(tempo.values.tempo.retention).toBe('168h');
    expect(tempo.values.persistence).toEqual({ enabled: true, storageClassName: 'gp3', size: '10Gi' });
    expect(tempo.values).toMatchObject(SystemPool.placement());
    expect(tempo.values.serviceAccount).toEqual({ create: true, name: 'tempo' });
  });

  test('Tempo\'s bucket is KMS-encrypted with an expiry backstop; its role reaches that bucket and key only (Pod Identity)', () => {
    expect(kmsBuckets()).toHaveLength(2);
    const bucket = storeBucket(observability.traces!.bucket);
    expect(bucket.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 8 });
    const statements = storePolicy(observability.traces!.role).Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['StoreObjects', 'StoreBucket', 'StoreKey']);
    expect(statements[0].Action).toEqual(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging', 's3:PutObjectTagging']);
    expect(JSON.stringify(statements[0].Resource)).toContain(bucket.id);
    expect(JSON.stringify(statements[1].Resource)).toContain(bucket.id);
    const key = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    expect(statements[2].Resource).toEqual(key);
    expect(podIdentity('tempo')).toHaveLength(1);
  });

  test('Grafana has Tempo as a data source, linked to Loki (trace to logs) and Prometheus (service map)', () => {
    const ds = helm.grafana.values.datasources['datasources.yaml'].datasources;
    const tempo = ds.find((d: any) => d.uid === 'tempo');
    expect(tempo).toMatchObject({ type: 'tempo', url: 'http://tempo.observability.svc:3200', isDefault: false });
    expect(tempo.jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: 'loki', filterByTraceID: true });
    expect(tempo.jsonData.serviceMap).toEqual({ datasourceUid: 'prometheus' });
    // The linked sources exist, and the namespace tag maps to the label Fluent Bit sets.
    const uids = ds.map((d: any) => d.uid);
    expect(uids).toEqual(expect.arrayContaining([tempo.jsonData.tracesToLogsV2.datasourceUid, tempo.jsonData.serviceMap.datasourceUid]));
    expect(tempo.jsonData.tracesToLogsV2.tags).toContainEqual({ key: 'k8s.namespace.name', value: 'namespace' });
    expect(helm['fluent-bit'].values.config.outputs).toContain('namespace=$kubernetes[\'namespace_name\']');
  });
});
