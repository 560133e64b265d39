import * as fs from 'fs';
import * as path from 'path';
import { KeelsonCommonProps, KeelsonTags, KeyPolicies, PropsCheck, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import {
  ExternalSecret, ExternalSecretsOperator, NagNames, NamespaceTraffic, PlatformChart, PlatformNamespaces, PodSecurityLevel, TrafficPeer, TrafficPort,
  WorkloadIdentity, WorkloadRole,
} from '@keelson/eks-core';
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FalcoFindingsImporter } from './falco-findings-importer';
import { PlatformKey } from '../../baseline/platform-key';
import { SecurityVersions } from '../security-versions';

/** Where the shipped rules file lives (the package's `policies/falco/`). */
const RULES_FILE = path.join(__dirname, '..', '..', '..', 'policies', 'falco', 'keelson-rules.yaml');

/** Falco priorities, lowest first (Falcosidekick's `minimumpriority` values). */
export enum FalcoPriority {
  /** debug */
  DEBUG = 'debug',
  /** informational */
  INFORMATIONAL = 'informational',
  /** notice */
  NOTICE = 'notice',
  /** warning */
  WARNING = 'warning',
  /** error */
  ERROR = 'error',
  /** critical */
  CRITICAL = 'critical',
  /** alert */
  ALERT = 'alert',
  /** emergency */
  EMERGENCY = 'emergency',
}

/** Options of {@link Falco} (also used by `ClusterSecurity`). */
export interface FalcoOptions {
  /**
   * Secrets Manager name of the Slack incoming-webhook URL (under the External
   * Secrets path prefix). It reaches Falcosidekick through an ExternalSecret;
   * no template holds the value.
   *
   * @default - no Slack output
   */
  readonly slackWebhookSecretName?: string;

  /**
   * JSON property of the Slack secret holding the URL, when the secret is JSON.
   *
   * @default - the whole secret string is the URL
   */
  readonly slackWebhookSecretProperty?: string;

  /**
   * Lowest priority sent to Slack and Security Hub.
   *
   * @default FalcoPriority.WARNING
   */
  readonly alertPriority?: FalcoPriority;

  /**
   * Send every event (notice and above) to a CloudWatch Logs group through a workload role limited to that group.
   *
   * @default true
   */
  readonly cloudWatchLogs?: boolean;

  /**
   * Retention of the events log group.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Import alerts into Security Hub as ASFF findings (Falcosidekick → SNS → SQS → importer function).
   *
   * @default true
   */
  readonly securityHub?: boolean;

  /**
   * Topic the alarm on the Security Hub importer's dead-letter queue notifies:
   * the alert email (`SecurityAlerts.deliveryFailureTopic`), not Slack.
   * @default - the alarm has no action
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * How Falcosidekick gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Falco chart version.
   *
   * @default SecurityVersions.FALCO
   */
  readonly chartVersion?: string;

  /**
   * Falcosidekick chart version.
   *
   * @default SecurityVersions.FALCOSIDEKICK
   */
  readonly sidekickChartVersion?: string;

  /**
   * Falco Helm values merged over Keelson's.
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };

  /**
   * Falcosidekick Helm values merged over Keelson's.
   *
   * @default {}
   */
  readonly sidekickValueOverrides?: { [key: string]: any };
}

/** Properties of {@link Falco}. */
export interface FalcoProps extends FalcoOptions, KeelsonCommonProps {
  /** The cluster's namespace registry: `falco` is registered there, and the rules watch its workload namespaces. */
  readonly namespaces: PlatformNamespaces;

  /**
   * The External Secrets Operator that delivers the Slack webhook (needed with `slackWebhookSecretName`).
   *
   * @default - none
   */
  readonly externalSecrets?: ExternalSecretsOperator;

  /**
   * Key encrypting the events log group, the findings topic and the importer.
   *
   * @default - a key is created (alias `alias/falco-<suffix>`)
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Falco (Helm, pinned, modern eBPF driver) on every node, with Keelson's
 * rules file shipped in the package, and Falcosidekick (its own pinned
 * release) sending events to Slack (webhook from Secrets Manager through an
 * ExternalSecret), to a CloudWatch Logs group (through a workload role
 * limited to that group) and to Security Hub as ASFF findings
 * (`FalcoFindingsImporter`).
 */
export class Falco extends Construct {
  /** Falco's namespace. */
  public static readonly NAMESPACE = 'falco';
  /** Falcosidekick's service account (the chart names it after the release). */
  public static readonly SIDEKICK_SERVICE_ACCOUNT = 'falcosidekick';
  /** Falcosidekick's HTTP input, where Falco posts its events. */
  // why: falcosecurity/charts charts/falcosidekick/templates/deployment.yaml containerPort 2801 (Service `service.port:
  // 2801`), tag falcosidekick-0.14.0, the pinned chart.
  public static readonly SIDEKICK_PORT = 2801;
  /** The selector labels of Falco's pods (the chart's, release `falco`). */
  // why: falcosecurity/charts charts/falco/templates/_helpers.tpl `falco.selectorLabels` (name = chart name, instance =
  // release), tag falco-9.1.0, the newest stored (the pin is 9.2.0); the sidekick's: `falcosidekick.selectorLabels`, 0.14.0.
  public static readonly FALCO_POD_LABELS: { [key: string]: string } = { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' };
  /** The selector labels of Falcosidekick's pods (the chart's, release `falcosidekick`). */
  public static readonly SIDEKICK_POD_LABELS: { [key: string]: string } = { 'app.kubernetes.io/name': 'falcosidekick', 'app.kubernetes.io/instance': 'falcosidekick' };
  /** The Secret the ExternalSecret writes and Falcosidekick reads (`SLACK_WEBHOOKURL`). */
  public static readonly SLACK_SECRET = 'falcosidekick-slack';

  /** The Falco chart. */
  public readonly falcoChart: PlatformChart;
  /** The Falcosidekick chart. */
  public readonly sidekickChart: PlatformChart;
  /** Falcosidekick's workload role. */
  public readonly sidekickRole: WorkloadRole;
  /** The events log group, when CloudWatch Logs is on. */
  public readonly logGroup?: logs.LogGroup;
  /** The Security Hub path, when on. */
  public readonly findingsImporter?: FalcoFindingsImporter;
  /** The ExternalSecret delivering the Slack webhook, when Slack is on. */
  public readonly slackSecret?: eks.KubernetesManifest;
  /** The rules Falco loads after its defaults: the registry's workload namespaces, then the shipped file. */
  public readonly rules: string;

  constructor(scope: Construct, id: string, props: FalcoProps) {
    super(scope, id);
    KeelsonTags.component(this, 'falco');
    const cluster = props.namespaces.cluster;
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const removal = StatefulRemoval.of(props.removalPolicy);
    const stack = Stack.of(this);
    if (props.slackWebhookSecretName && !props.externalSecrets) {
      PropsCheck.fail(this, 'externalSecrets', 'is missing while slackWebhookSecretName is set', 'pass the cluster\'s ExternalSecretsOperator (PlatformServices.externalSecrets), which delivers the webhook');
    }
    const key = props.encryptionKey ?? new PlatformKey(this, 'Key', {
      purpose: 'falco', environmentSuffix: props.environmentSuffix, removalPolicy: props.removalPolicy, description: 'Keelson Falco events: log group, findings topic, importer',
    }).key;
    const minimum = props.alertPriority ?? FalcoPriority.WARNING;

    const statements: iam.PolicyStatement[] = [];
    const logGroupName = `/keelson/${naming.environmentSuffix}/falco`;
    if (props.cloudWatchLogs ?? true) {
      KeyPolicies.allowCloudWatchLogs(key, logGroupName);
      this.logGroup = new logs.LogGroup(this, 'Events', {
        logGroupName,
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        encryptionKey: key,
        removalPolicy: removal.policy,
      });
      statements.push(new iam.PolicyStatement({
        sid: 'WriteFalcoEventsLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [this.logGroup.logGroupArn],
      }));
    }
    if (props.securityHub ?? true) {
      this.findingsImporter = new FalcoFindingsImporter(this, 'SecurityHub', {
        environmentSuffix: props.environmentSuffix,
        removalPolicy: props.removalPolicy,
        clusterName: cluster.clusterName,
        encryptionKey: key,
        alarmTopic: props.alarmTopic,
      });
      statements.push(
        new iam.PolicyStatement({ sid: 'PublishFindingsTopic', actions: ['sns:Publish'], resources: [this.findingsImporter.topic.topicArn] }),
        // Publishing to the encrypted topic needs the key.
        new iam.PolicyStatement({ sid: 'EncryptForTopic', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
      );
    }
    this.sidekickRole = new WorkloadRole(this, 'SidekickRole', {
      cluster,
      namespace: Falco.NAMESPACE,
      serviceAccount: Falco.SIDEKICK_SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `Falcosidekick (${Falco.NAMESPACE}/${Falco.SIDEKICK_SERVICE_ACCOUNT}): one log group and the findings topic`,
      statements,
    });
    NagNames.acknowledgeWildcardResources(this.sidekickRole.role, statements.map((statement) => ({
      statement,
      reason: 'The only wildcard is the log-stream part of the Falco events log group ARN: Falcosidekick creates its stream in that one group',
    })));

    const workloads = props.namespaces.workloadNamespaces;
    this.rules = [
      '# Generated by Keelson from the namespace registry: the workload namespaces the rules watch.',
      '- list: keelson_workload_namespaces',
      `  items: [${workloads.join(', ')}]`,
      '',
      fs.readFileSync(RULES_FILE, 'utf8'),
    ].join('\n');

    this.falcoChart = new PlatformChart(this, 'Falco', {
      cluster,
      pin: SecurityVersions.FALCO,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'falco',
      namespace: Falco.NAMESPACE,
      namespaces: props.namespaces,
      // Falco's DaemonSet reads every node's kernel events: it needs host access.
      podSecurity: PodSecurityLevel.PRIVILEGED,
      backup: false,
      // A DaemonSet on every node, system pool included: it tolerates every taint instead.
      systemPool: false,
      values: {
        driver: { kind: 'modern_ebpf' },
        tolerations: [{ operator: 'Exists' }],
        customRules: { 'keelson-rules.yaml': this.rules },
        falcosidekick: { enabled: false },
        falco: {
          json_output: true,
          json_include_output_property: true,
          http_output: { enabled: true, url: `http://${Falco.SIDEKICK_SERVICE_ACCOUNT}.${Falco.NAMESPACE}.svc.cluster.local:${Falco.SIDEKICK_PORT}/` },
        },
      },
      valueOverrides: props.valueOverrides,
    });

    if (props.slackWebhookSecretName && props.externalSecrets) {
      this.slackSecret = new ExternalSecret(this, 'FalcoSlackWebhook', {
        operator: props.externalSecrets,
        namespace: Falco.NAMESPACE,
        name: Falco.SLACK_SECRET,
        remoteRef: props.slackWebhookSecretName,
        secretKeys: [{ secretKey: 'SLACK_WEBHOOKURL', property: props.slackWebhookSecretProperty }],
      });
      this.slackSecret.node.addDependency(this.falcoChart.namespaceManifest!);
    }

    const irsa = this.sidekickRole.identity === WorkloadIdentity.IRSA;
    this.sidekickChart = new PlatformChart(this, 'Sidekick', {
      cluster,
      pin: SecurityVersions.FALCOSIDEKICK,
      version: props.sidekickChartVersion,
      versionField: 'sidekickChartVersion',
      component: 'falco',
      namespace: Falco.NAMESPACE,
      createNamespace: false,
      serviceAccount: { role: this.sidekickRole, create: false },
      dependsOn: [this.falcoChart.namespaceManifest!, ...(this.slackSecret ? [this.slackSecret] : []), ...(this.logGroup ? [this.logGroup] : [])],
      values: {
        config: {
          ...(this.slackSecret ? { existingSecret: Falco.SLACK_SECRET, slack: { minimumpriority: minimum, outputformat: 'all' } } : {}),
          aws: {
            useirsa: irsa,
            ...(irsa ? { rolearn: this.sidekickRole.role.roleArn } : {}),
            region: stack.region,
            ...(this.logGroup ? { cloudwatchlogs: { loggroup: logGroupName, minimumpriority: FalcoPriority.NOTICE } } : {}),
            ...(this.findingsImporter ? { sns: { topicarn: this.findingsImporter.topic.topicArn, rawjson: true, minimumpriority: minimum } } : {}),
          },
        },
      },
      valueOverrides: props.sidekickValueOverrides,
    });
    this.declareTraffic(this.falcoChart.traffic);
  }

  /**
   * Falcosidekick's HTTP input takes unauthenticated events: only Falco may
   * reach it, on its port. Falco reaches the sidekick and, through falcoctl,
   * the rules registry (HTTPS); the sidekick reaches AWS (CloudWatch Logs, SNS)
   * and Slack over HTTPS, and its Pod Identity credentials on the node agent.
   */
  private declareTraffic(traffic?: NamespaceTraffic): void {
    if (!traffic) return;
    const port = [TrafficPort.tcp(Falco.SIDEKICK_PORT)];
    traffic.allowIngress({ name: 'sidekick-from-falco', pods: Falco.SIDEKICK_POD_LABELS, peers: [TrafficPeer.podsInNamespace(Falco.FALCO_POD_LABELS)], ports: port });
    traffic.allowEgress({ name: 'falco-to-sidekick', pods: Falco.FALCO_POD_LABELS, peers: [TrafficPeer.podsInNamespace(Falco.SIDEKICK_POD_LABELS)], ports: port });
    traffic.allowEgress({ name: 'https', peers: [TrafficPeer.anywhere()], ports: [TrafficPort.tcp(443)] });
    traffic.allowEgress({ name: 'pod-identity', pods: Falco.SIDEKICK_POD_LABELS, peers: [TrafficPeer.podIdentityAgent()], ports: [TrafficPort.tcp(80)] });
  }
}
