import { EmailAddress, KeelsonTags, PropsCheck } from '@keelson/conventions';
import {
  ExternalSecret, ExternalSecretsOperator, ManagedAddons, PlatformChart, PlatformNamespaces, PodSecurityLevel, SystemPool, TrafficPeer, TrafficPort,
  WorkloadIdentity, WorkloadRole,
} from '@keelson/eks-core';
import { Arn, ArnFormat, Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlertRoutingOptions } from './alert-routing';
import { ObservabilityVersions } from './observability-versions';
import { alertmanagerConfig } from './private/alertmanager-config';
import {
  ALERTMANAGER_SERVICE_ACCOUNT, IRSA_ANNOTATION, KPS_FULLNAME, NODE_EXPORTER_NAMESPACE, OBSERVABILITY_NAMESPACE,
  PROMETHEUS_POD_LABELS, PROMETHEUS_SERVICE_ACCOUNT, SLACK_SECRET, SLACK_SECRET_KEY,
} from './private/names';
import { observabilityNamespace } from './private/namespace';

/** Remote write to an Amazon Managed Service for Prometheus workspace. */
export interface AmpRemoteWriteOptions {
  /**
   * ARN of the workspace (`arn:<partition>:aps:<region>:<account>:workspace/<id>`). Prometheus's
   * workload role may call `aps:RemoteWrite` on this workspace only.
   */
  readonly workspaceArn: string;
}

/** Options of the metrics stack (also used by `PlatformObservability`). */
export interface MetricsOptions {
  /**
   * How long Prometheus keeps samples on its volume.
   *
   * @default Duration.days(15)
   */
  readonly retention?: Duration;

  /**
   * Size of Prometheus's volume (a PersistentVolumeClaim on `storageClass`).
   * Prometheus deletes the oldest blocks at 90% of it (`retentionSize`).
   *
   * @default 50
   */
  readonly storageGiB?: number;

  /**
   * StorageClass of the Prometheus and Alertmanager volumes.
   *
   * @default ManagedAddons.DEFAULT_STORAGE_CLASS (eks-core's encrypted gp3 class)
   */
  readonly storageClass?: string;

  /**
   * Also write every sample to Amazon Managed Service for Prometheus.
   *
   * @default - no remote write
   */
  readonly remoteWrite?: AmpRemoteWriteOptions;

  /**
   * Labels added to every series and alert leaving this Prometheus (the
   * `cluster` label names the cluster in every Slack and SNS notification).
   *
   * @default { cluster: <the cluster's name> }
   */
  readonly externalLabels?: { [key: string]: string };

  /**
   * How Prometheus (remote write) and Alertmanager (SNS) get their IAM roles.
   * Pod Identity, like the rest of the platform: it needs no IAM OIDC
   * condition resources (IRSA's trust policy takes a CloudFormation custom
   * resource, a Lambda function per stack).
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Helm chart version.
   *
   * @default ObservabilityVersions.KUBE_PROMETHEUS_STACK
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** Properties of {@link PrometheusStack}. */
export interface PrometheusStackProps extends MetricsOptions {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * The cluster's namespace registry: `observability` (baseline) and
   * `node-exporter` (privileged) are registered there.
   */
  readonly namespaces: PlatformNamespaces;

  /**
   * Where Alertmanager sends alerts.
   *
   * @default - no receivers: alerts are visible in Alertmanager only
   */
  readonly alerts?: AlertRoutingOptions;

  /**
   * The External Secrets Operator that delivers the Slack webhook (needed
   * with `alerts.slackWebhookSecretName`).
   *
   * @default - none
   */
  readonly externalSecrets?: ExternalSecretsOperator;
}

/**
 * Metrics and alerting: the pinned `kube-prometheus-stack` chart (Prometheus
 * Operator, Prometheus, Alertmanager, kube-state-metrics, node-exporter) on
 * the system pool, with Prometheus's retention and volume on the encrypted
 * gp3 class, node-exporter alone in a `privileged` namespace (it reads the
 * host), everything else in `observability` at `baseline`. Alertmanager
 * routes critical alerts to Slack (webhook through an ExternalSecret) and to
 * an encrypted SNS topic with a role that may publish there only; Prometheus
 * optionally remote-writes to Amazon Managed Service for Prometheus.
 *
 * Prometheus selects every ServiceMonitor, PodMonitor and PrometheusRule in
 * the cluster, so packages add their own monitors and rules.
 */
export class PrometheusStack extends Construct {
  /** Prometheus's port (its pods' and its Service's). */
  // why: prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml `prometheus.service.port: 9090`,
  // `targetPort: 9090` (the operator's `web` port), tag kube-prometheus-stack-88.5.3, the newest stored (pin 92.3.0).
  public static readonly PORT = 9090;

  /** The namespace of Prometheus, Alertmanager and the operator. */
  public static readonly NAMESPACE = OBSERVABILITY_NAMESPACE;
  /** The privileged namespace of node-exporter. */
  public static readonly NODE_EXPORTER_NAMESPACE = NODE_EXPORTER_NAMESPACE;

  /** In-cluster URL of Prometheus's HTTP API (for example `PredictiveScaler.prometheusAddress`). */
  public readonly prometheusUrl: string;
  /** In-cluster URL of Alertmanager. */
  public readonly alertmanagerUrl: string;
  /** Alertmanager's workload role (SNS publish), when it sends to a topic. */
  public readonly alertmanagerRole?: WorkloadRole;
  /** Prometheus's workload role (`aps:RemoteWrite`), when it remote-writes. */
  public readonly prometheusRole?: WorkloadRole;
  /** The chart with its namespace and placement. */
  public readonly platformChart: PlatformChart;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The ExternalSecret of the Slack webhook, when Slack is configured. */
  public readonly slackSecret?: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: PrometheusStackProps) {
    super(scope, id);
    KeelsonTags.component(this, 'metrics');
    const alerts = props.alerts ?? {};
    if (alerts.slackWebhookSecretName !== undefined && !props.externalSecrets) {
      PropsCheck.fail(this, 'alerts.slackWebhookSecretName', 'the Slack webhook reaches Alertmanager through External Secrets, and no operator is given',
        'pass externalSecrets (PlatformServices.externalSecrets) or leave slackWebhookSecretName unset');
    }
    const emails = alerts.alertEmails ?? [];
    if (emails.length > 0 && !alerts.topic) {
      PropsCheck.fail(this, 'alerts.alertEmails', 'are given, but there is no alert topic to subscribe them to', 'pass alerts.topic (PlatformObservability creates one), or drop alertEmails');
    }
    emails.forEach((address, i) => EmailAddress.check(this, `alerts.alertEmails[${i}]`, address));
    const retentionDays = (props.retention ?? Duration.days(15)).toDays({ integral: false });
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      PropsCheck.fail(this, 'retention', `${retentionDays} days is not a whole number of days of at least 1`, 'give Duration.days(n) with n >= 1');
    }
    const storageGiB = props.storageGiB ?? 50;
    if (!Number.isInteger(storageGiB) || storageGiB < 10) {
      PropsCheck.fail(this, 'storageGiB', `${storageGiB} is not a whole number of GiB of at least 10`, 'give at least 10 (Prometheus needs room for its WAL and two hours of blocks)');
    }
    const identity = props.identity ?? WorkloadIdentity.POD_IDENTITY;
    const storageClass = props.storageClass ?? ManagedAddons.DEFAULT_STORAGE_CLASS;
    const ns = OBSERVABILITY_NAMESPACE;

    const namespace = observabilityNamespace(props.namespaces);
    // node-exporter's namespace, registered before the chart that deploys into it.
    const nodeExporterNamespace = props.namespaces.register({
      name: NODE_EXPORTER_NAMESPACE,
      component: 'node-exporter',
      podSecurity: PodSecurityLevel.PRIVILEGED,
      backup: false,
      // node-exporter runs on the host network (the chart's default), where NetworkPolicies do not apply.
      networkIsolation: false,
    });
    // Prometheus scrapes pods in every namespace and every node (the kubelet's 10250, node-exporter's 9100 on the
    // host network), so its egress is open; what it may reach is decided by each namespace's scrape ingress.
    const traffic = props.namespaces.traffic(ns);
    traffic.allowEgress({ name: 'prometheus-scrape', pods: PROMETHEUS_POD_LABELS, peers: [TrafficPeer.anywhere()], ports: [TrafficPort.tcpRange(1, 65535)] });
    props.namespaces.addMetricsScraper(TrafficPeer.namespace(ns, PROMETHEUS_POD_LABELS));

    if (alerts.topic) {
      const statements = [new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [alerts.topic.topicArn] })];
      if (alerts.topic.masterKey) {
        statements.push(new iam.PolicyStatement({
          sid: 'EncryptAlerts',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [alerts.topic.masterKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.${Aws.URL_SUFFIX}` } },
        }));
      }
      // Critical alerts reach people by mail as well as through Slack (or where there is no Slack).
      emails.forEach((address, i) => new sns.Subscription(this, `AlertEmail${i}`, {
        topic: alerts.topic!, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: address,
      }));
      this.alertmanagerRole = new WorkloadRole(this, 'AlertmanagerRole', {
        cluster: props.cluster,
        namespace: ns,
        serviceAccount: ALERTMANAGER_SERVICE_ACCOUNT,
        identity,
        statements,
        description: `Alertmanager (${ns}/${ALERTMANAGER_SERVICE_ACCOUNT}): publishes alerts to one SNS topic`,
      });
    }

    let remoteWrite: Record<string, any>[] = [];
    if (props.remoteWrite) {
      const arn = props.remoteWrite.workspaceArn;
      if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:aps:[a-z0-9-]+:\d{12}:workspace\/ws-[A-Za-z0-9-]+$/.test(arn)) {
        PropsCheck.fail(this, 'remoteWrite.workspaceArn', `"${arn}" is not an Amazon Managed Service for Prometheus workspace ARN`,
          'give arn:<partition>:aps:<region>:<account>:workspace/ws-<id>');
      }
      const parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
      this.prometheusRole = new WorkloadRole(this, 'PrometheusRole', {
        cluster: props.cluster,
        namespace: ns,
        serviceAccount: PROMETHEUS_SERVICE_ACCOUNT,
        identity,
        statements: [new iam.PolicyStatement({ sid: 'RemoteWrite', actions: ['aps:RemoteWrite'], resources: [arn] })],
        description: `Prometheus (${ns}/${PROMETHEUS_SERVICE_ACCOUNT}): remote write to one Amazon Managed Service for Prometheus workspace`,
      });
      remoteWrite = [{
        url: `https://aps-workspaces.${parts.region}.${Aws.URL_SUFFIX}/workspaces/${parts.resourceName}/api/v1/remote_write`,
        sigv4: { region: parts.region },
        queueConfig: { maxSamplesPerSend: 1000, maxShards: 200, capacity: 2500 },
      }];
    }

    const irsa = identity === WorkloadIdentity.IRSA;
    const serviceAccount = (name: string, role?: WorkloadRole) => ({
      create: true,
      name,
      ...(role && irsa ? { annotations: { [IRSA_ANNOTATION]: role.role.roleArn } } : {}),
    });
    const placement = SystemPool.placement();
    const volume = (gib: number) => ({
      volumeClaimTemplate: {
        spec: { storageClassName: storageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${gib}Gi` } } },
      },
    });
    const slack = alerts.slackWebhookSecretName !== undefined;

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: ObservabilityVersions.KUBE_PROMETHEUS_STACK,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'metrics',
      namespace: ns,
      // Registered once for every part (private/namespace.ts).
      createNamespace: false,
      serviceAccount: this.alertmanagerRole ? { role: this.alertmanagerRole, create: false } : undefined,
      dependsOn: [namespace, nodeExporterNamespace, ...(this.prometheusRole ? [this.prometheusRole] : [])],
      // Its admission webhook must serve before PrometheusRules are applied.
      wait: true,
      timeout: Duration.minutes(15),
      systemPoolPaths: [
        'prometheusOperator', 'prometheusOperator.admissionWebhooks.patch', 'prometheusOperator.admissionWebhooks.deployment',
        'kube-state-metrics',
      ],
      values: {
        'fullnameOverride': KPS_FULLNAME,
        // Grafana comes from its own pinned chart (Grafana construct).
        'grafana': { enabled: false },
        // Windows and non-Linux node-exporter variants: Bottlerocket is Linux only.
        'windowsMonitoring': { enabled: false },
        // EKS runs the scheduler, the controller manager and etcd out of the cluster's reach: their
        // monitors would find no endpoints, and their rules (KubeSchedulerDown,
        // KubeControllerManagerDown, etcd*) would fire forever (prometheus-community/helm-charts#4106).
        'kubeControllerManager': { enabled: false },
        'kubeScheduler': { enabled: false },
        'kubeEtcd': { enabled: false },
        'nodeExporter': { operatingSystems: { aix: { enabled: false }, darwin: { enabled: false } } },
        'prometheus-node-exporter': {
          namespaceOverride: NODE_EXPORTER_NAMESPACE,
          // On every node, whatever its taints.
          tolerations: [{ operator: 'Exists' }],
        },
        // The node labels the node-pool and spot dashboard groups by, and every namespace label
        // (few series: the preview dashboard selects previews by theirs, keelson.dev/preview).
        'kube-state-metrics': {
          metricLabelsAllowlist: [
            'nodes=[node-pool,eks.amazonaws.com/capacityType,karpenter.sh/capacity-type,node.kubernetes.io/instance-type]',
            'namespaces=[*]',
          ],
        },
        'prometheus': {
          serviceAccount: serviceAccount(PROMETHEUS_SERVICE_ACCOUNT, this.prometheusRole),
          prometheusSpec: {
            ...placement,
            retention: `${retentionDays}d`,
            // Blocks are deleted before the volume fills (90% of it).
            retentionSize: `${Math.floor(storageGiB * 0.9)}GB`,
            storageSpec: volume(storageGiB),
            externalLabels: props.externalLabels ?? { cluster: props.cluster.clusterName },
            remoteWrite,
            // Select every rule and monitor in the cluster, not only this release's.
            ruleSelectorNilUsesHelmValues: false,
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            probeSelectorNilUsesHelmValues: false,
            scrapeConfigSelectorNilUsesHelmValues: false,
          },
        },
        'alertmanager': {
          serviceAccount: serviceAccount(ALERTMANAGER_SERVICE_ACCOUNT, this.alertmanagerRole),
          config: alertmanagerConfig({
            slackChannel: slack ? alerts.slackChannel ?? '#platform-alerts' : undefined,
            topicArn: alerts.topic?.topicArn,
            region: Stack.of(this).region,
          }),
          alertmanagerSpec: {
            ...placement,
            storage: volume(5),
            // Mounted at /etc/alertmanager/secrets/<name>/: the config reads the webhook from the file.
            secrets: slack ? [SLACK_SECRET] : [],
          },
        },
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;

    if (slack && props.externalSecrets) {
      this.slackSecret = new ExternalSecret(this, 'AlertmanagerSlack', {
        operator: props.externalSecrets,
        namespace: ns,
        name: SLACK_SECRET,
        remoteRef: alerts.slackWebhookSecretName!,
        secretKeys: [{ secretKey: SLACK_SECRET_KEY }],
      });
      this.slackSecret.node.addDependency(namespace);
      this.chart.node.addDependency(this.slackSecret);
    }

    this.prometheusUrl = `http://${KPS_FULLNAME}-prometheus.${ns}.svc:${PrometheusStack.PORT}`;
    this.alertmanagerUrl = `http://${KPS_FULLNAME}-alertmanager.${ns}.svc:9093`;
  }
}
