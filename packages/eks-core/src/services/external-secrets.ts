import { KeelsonCommonProps, KeelsonLabels, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { ArnFormat, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EksCoreVersions } from '../eks-core-versions';
import { ExternalSecret } from './external-secret';
import { NagNames } from '../kit/nag-names';
import { PlatformChart } from '../kit/platform-chart';
import { PlatformNamespaces } from '../kit/platform-namespaces';
import { WorkloadIdentity } from '../kit/workload-identity';
import { WorkloadRole } from '../kit/workload-role';
import { externalSecretObject } from '../private/external-secret-object';

/** Which ClusterSecretStore an ExternalSecret reads from. */
export enum SecretStoreKind {
  /** AWS Secrets Manager (`aws-secrets-manager` ClusterSecretStore). */
  SECRETS_MANAGER = 'SECRETS_MANAGER',
  /** AWS Systems Manager Parameter Store (`aws-parameter-store` ClusterSecretStore). */
  PARAMETER_STORE = 'PARAMETER_STORE',
}

/** Options of the External Secrets Operator (also used by `PlatformServices`). */
export interface ExternalSecretsOptions {
  /**
   * Install it (read by `PlatformServices` only).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Path prefix of the secrets and parameters the operator may read (no leading slash, ends with `/`).
   *
   * @default `keelson/<environmentSuffix>/`
   */
  readonly pathPrefix?: string;

  /**
   * KMS key that encrypts those secrets/parameters; the role may decrypt with it
   * only through Secrets Manager and SSM.
   *
   * @default - none (secrets use the AWS managed key)
   */
  readonly kmsKey?: kms.IKey;

  /**
   * How the operator gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Helm chart version.
   *
   * @default EksCoreVersions.EXTERNAL_SECRETS
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };

  /**
   * Give each workload namespace of the registry its own stores, limited to
   * `<pathPrefix>workloads/<namespace>/` (see `ExternalSecretsOperator.workloadPathPrefix`).
   *
   * @default true (needs `namespaces`)
   */
  readonly workloadStores?: boolean;
}

/** Properties of {@link ExternalSecretsOperator}. */
export interface ExternalSecretsOperatorProps extends ExternalSecretsOptions, KeelsonCommonProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * The cluster's namespace registry: the `external-secrets` namespace is
   * registered there, the ClusterSecretStores serve its platform namespaces,
   * each workload namespace gets its own stores, and `ExternalSecret` objects
   * are added to the workload Roles.
   *
   * @default - the namespace is created by the chart construct, the
   * ClusterSecretStores serve only the namespaces of `addExternalSecret`,
   * no workload stores and no RBAC rules are added
   */
  readonly namespaces?: PlatformNamespaces;
}

/** One key of the Kubernetes Secret an ExternalSecret writes. */
export interface ExternalSecretKey {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /**
   * JSON property of the remote secret to copy.
   *
   * @default - the whole remote value
   */
  readonly property?: string;
}

/** Options of {@link ExternalSecretsOperator.addExternalSecret}. */
export interface ExternalSecretOptions {
  /** Namespace of the ExternalSecret and the Secret it writes. */
  readonly namespace: string;
  /** Name of the ExternalSecret and of the Kubernetes Secret it writes. */
  readonly name: string;
  /** Name of the remote secret or parameter; must start with the operator's path prefix. */
  readonly remoteRef: string;
  /** Keys of the Kubernetes Secret. */
  readonly secretKeys: ExternalSecretKey[];
  /**
   * Which store.
   *
   * @default SecretStoreKind.SECRETS_MANAGER
   */
  readonly store?: SecretStoreKind;
  /**
   * How often the operator re-reads the remote value.
   *
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /**
   * Labels of the Kubernetes Secret the operator writes, for consumers that
   * only read labelled Secrets (Argo CD reads a Secret named in its
   * configuration only when it carries `app.kubernetes.io/part-of: argocd`).
   *
   * @default - no labels
   */
  readonly secretLabels?: { [key: string]: string };
}

const NAMESPACE = 'external-secrets';
const SERVICE_ACCOUNT = 'external-secrets';

/**
 * External Secrets Operator (Helm, pinned) with a role limited to Secrets
 * Manager secrets and SSM parameters under one path prefix (plus kms:Decrypt
 * through those services), and two ClusterSecretStores (`external-secrets.io/v1`):
 * `aws-secrets-manager` and `aws-parameter-store`.
 *
 * Platform secrets stay with the platform: the ClusterSecretStores serve only
 * the registry's platform namespaces (and those `addExternalSecret` writes
 * to), through `spec.conditions`, so an ExternalSecret in a workload
 * namespace cannot use them. Each workload namespace instead gets its own
 * `SecretStore`s of the same names, backed by its own IAM role that reads only
 * `<pathPrefix>workloads/<namespace>/`. That role is bound through IRSA to the
 * `workload-secrets` service account of the namespace (the store authenticates
 * as it, `auth.jwt`), so IAM itself, not only who may write a store, keeps one
 * namespace from another's secrets. IRSA, not Pod Identity: the operator
 * cannot act as another service account bound through Pod Identity.
 */
export class ExternalSecretsOperator extends Construct {
  /** The webhook's container port (the chart's `webhook.port`). */
  // why: external-secrets/external-secrets deploy/charts/external-secrets/values.yaml `webhook.port: 10250`, the
  // webhook Deployment's containerPort (templates/webhook-deployment.yaml), chart 2.9.0, the newest stored (pin 2.12.0).
  public static readonly WEBHOOK_PORT = 10250;

  /** Name of the Secrets Manager ClusterSecretStore (and of each workload namespace's SecretStore). */
  public static readonly SECRETS_MANAGER_STORE = 'aws-secrets-manager';
  /** Name of the Parameter Store ClusterSecretStore (and of each workload namespace's SecretStore). */
  public static readonly PARAMETER_STORE = 'aws-parameter-store';
  /** Service account in each workload namespace whose IAM role the namespace's stores use. */
  public static readonly WORKLOAD_SERVICE_ACCOUNT = 'workload-secrets';
  /** Segment under the path prefix where workload namespaces keep their secrets. */
  public static readonly WORKLOADS_SEGMENT = 'workloads/';

  /** The operator's workload role. */
  public readonly role: WorkloadRole;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart with its namespace, service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The operator's service account manifest. */
  public readonly serviceAccount: eks.KubernetesManifest;
  /** The two ClusterSecretStores. */
  public readonly stores: eks.KubernetesManifest;
  /** The path prefix the role may read. */
  public readonly pathPrefix: string;
  /** The cluster it runs in. */
  public readonly cluster: eks.ICluster;
  /** Each workload namespace's role, reading only its own prefix, by namespace. */
  public readonly workloadRoles: { [namespace: string]: WorkloadRole } = {};
  /** Each workload namespace's service account and SecretStores, by namespace. */
  public readonly workloadStores: { [namespace: string]: eks.KubernetesManifest } = {};
  private readonly namespaces?: PlatformNamespaces;
  private readonly secretNamespaces = new Set<string>();

  constructor(scope: Construct, id: string, props: ExternalSecretsOperatorProps) {
    super(scope, id);
    KeelsonTags.component(this, 'external-secrets');
    this.cluster = props.cluster;
    this.namespaces = props.namespaces;
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    this.pathPrefix = props.pathPrefix ?? `keelson/${naming.environmentSuffix}/`;
    if (!Token.isUnresolved(this.pathPrefix) && !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/$/.test(this.pathPrefix)) {
      PropsCheck.fail(this, 'pathPrefix', `"${this.pathPrefix}" is not a path prefix`, 'write it like keelson/prod/ (no leading slash, ending with a slash, letters, digits, _ . -)');
    }
    const stack = Stack.of(this);

    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadSecretsUnderPrefix',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'],
        resources: [stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${this.pathPrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
      new iam.PolicyStatement({
        sid: 'ReadParametersUnderPrefix',
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${this.pathPrefix}*` })],
      }),
    ];
    if (props.kmsKey) {
      statements.push(new iam.PolicyStatement({
        sid: 'DecryptThroughSecretsManagerAndSsm',
        actions: ['kms:Decrypt'],
        resources: [props.kmsKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': [`secretsmanager.${stack.region}.${stack.urlSuffix}`, `ssm.${stack.region}.${stack.urlSuffix}`] } },
      }));
    }
    this.role = new WorkloadRole(this, 'Role', {
      cluster: props.cluster,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `External Secrets Operator (${NAMESPACE}/${SERVICE_ACCOUNT}), reads ${this.pathPrefix}*`,
      statements,
    });
    const reason = `External Secrets reads every secret and parameter under the ${this.pathPrefix} prefix (names are chosen by workload teams after deployment, and Secrets Manager appends a random suffix to secret ARNs), so the resources end in the prefix followed by *; nothing outside the prefix is readable`;
    NagNames.acknowledgeWildcardResources(this.role.role, statements.map((statement) => ({ statement, reason })));

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: EksCoreVersions.EXTERNAL_SECRETS,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'external-secrets',
      namespace: NAMESPACE,
      namespaces: props.namespaces,
      // The operator holds no state: ExternalSecrets live (and are backed up) in workload namespaces.
      backup: false,
      serviceAccount: { role: this.role },
      // Its admission webhooks must serve before the custom resources below are applied.
      wait: true,
      systemPoolPaths: ['webhook', 'certController'],
      values: {
        installCRDs: true,
        serviceAccount: { create: false, name: SERVICE_ACCOUNT },
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
    this.serviceAccount = this.platformChart.serviceAccountManifest!;
    // The controller reads Secrets Manager and Parameter Store; the API server calls the webhook on its pod port.
    this.platformChart.traffic?.allowAwsApis();
    this.platformChart.traffic?.allowFromKubernetesApi('webhook', {}, ExternalSecretsOperator.WEBHOOK_PORT);
    props.namespaces?.addWorkloadRule({ apiGroups: ['external-secrets.io'], resources: ['externalsecrets'] });

    const auth = this.role.identity === WorkloadIdentity.IRSA
      ? { auth: { jwt: { serviceAccountRef: { name: SERVICE_ACCOUNT, namespace: NAMESPACE } } } }
      : {}; // Pod Identity: the controller's own credentials.
    // Platform namespaces only: workload namespaces have their own stores (below).
    const served = Lazy.list({ produce: () => this.platformStoreNamespaces() });
    const store = (name: string, service: string) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name },
      spec: { provider: { aws: { service, region: stack.region, ...auth } }, conditions: [{ namespaces: served }] },
    });
    this.stores = new eks.KubernetesManifest(this, 'ClusterSecretStores', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        store(ExternalSecretsOperator.SECRETS_MANAGER_STORE, 'SecretsManager'),
        store(ExternalSecretsOperator.PARAMETER_STORE, 'ParameterStore'),
      ],
    });
    this.stores.node.addDependency(this.chart);

    if (props.namespaces && (props.workloadStores ?? true) && props.namespaces.workloadNamespaces.length > 0) {
      try {
        void props.cluster.openIdConnectProvider;
      } catch {
        PropsCheck.fail(this, 'workloadStores', 'the workload namespaces\' stores need IRSA, and this imported cluster has no OpenID Connect provider',
          'import the cluster with its openIdConnectProvider, or set workloadStores: false');
      }
      for (const namespace of props.namespaces.workloadNamespaces) this.addWorkloadStores(namespace, props.kmsKey);
    }
  }

  /** The path prefix a workload namespace's stores may read: `<pathPrefix>workloads/<namespace>/`. */
  public workloadPathPrefix(namespace: string): string {
    return `${this.pathPrefix}${ExternalSecretsOperator.WORKLOADS_SEGMENT}${namespace}/`;
  }

  private platformStoreNamespaces(): string[] {
    const registered = (this.namespaces?.platformNamespaces ?? []).map((n) => n.name);
    return [...new Set([...registered, ...this.secretNamespaces])].sort();
  }

  private addWorkloadStores(namespace: string, kmsKey: kms.IKey | undefined): void {
    const stack = Stack.of(this);
    const prefix = this.workloadPathPrefix(namespace);
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadNamespaceSecrets',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'],
        resources: [stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${prefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
      new iam.PolicyStatement({
        sid: 'ReadNamespaceParameters',
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${prefix}*` })],
      }),
    ];
    if (kmsKey) {
      statements.push(new iam.PolicyStatement({
        sid: 'DecryptThroughSecretsManagerAndSsm',
        actions: ['kms:Decrypt'],
        resources: [kmsKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': [`secretsmanager.${stack.region}.${stack.urlSuffix}`, `ssm.${stack.region}.${stack.urlSuffix}`] } },
      }));
    }
    const role = new WorkloadRole(this, `Workload-${namespace}`, {
      cluster: this.cluster,
      namespace,
      serviceAccount: ExternalSecretsOperator.WORKLOAD_SERVICE_ACCOUNT,
      identity: WorkloadIdentity.IRSA,
      description: `Secrets of workload namespace ${namespace} (${namespace}/${ExternalSecretsOperator.WORKLOAD_SERVICE_ACCOUNT}), reads ${prefix}*`,
      statements,
    });
    NagNames.acknowledgeWildcardResources(role.role, statements.map((statement) => ({
      statement,
      reason: `The ${namespace} namespace's store reads the secrets and parameters its team puts under ${prefix} (named after deployment; Secrets Manager appends a random suffix), so the resources end in that prefix followed by *; nothing of the platform or of another namespace is readable`,
    })));
    const secretStore = (name: string, service: string) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name, namespace, labels: KeelsonLabels.component('external-secrets') },
      spec: {
        provider: {
          aws: {
            service,
            region: stack.region,
            auth: { jwt: { serviceAccountRef: { name: ExternalSecretsOperator.WORKLOAD_SERVICE_ACCOUNT } } },
          },
        },
      },
    });
    const manifest = new eks.KubernetesManifest(this, `WorkloadStores-${namespace}`, {
      cluster: this.cluster,
      overwrite: true,
      manifest: [
        role.serviceAccountObject('external-secrets'),
        secretStore(ExternalSecretsOperator.SECRETS_MANAGER_STORE, 'SecretsManager'),
        secretStore(ExternalSecretsOperator.PARAMETER_STORE, 'ParameterStore'),
      ],
    });
    manifest.node.addDependency(this.chart);
    const created = this.namespaces?.manifests[namespace];
    if (created) manifest.node.addDependency(created);
    this.workloadRoles[namespace] = role;
    this.workloadStores[namespace] = manifest;
  }

  /**
   * Declare an ExternalSecret of the platform in this operator's scope (and
   * stack): a Kubernetes Secret in a platform `namespace` filled from one
   * remote secret (or parameter) under the path prefix, through the
   * ClusterSecretStores (which then serve that namespace). A workload
   * namespace is refused: platform secrets never land where developers work.
   * A component in another stack creates
   * `new ExternalSecret(scope, id, { operator, ... })` in its own scope instead.
   */
  public addExternalSecret(id: string, options: ExternalSecretOptions): eks.KubernetesManifest {
    // Checked here first, so a failure names this method and its id.
    externalSecretObject(this, `addExternalSecret(${id})`, { ...options, operator: this });
    return new ExternalSecret(this, `ExternalSecret-${id}`, { ...options, operator: this });
  }

  /**
   * Refuse a platform secret bound for a workload namespace or read from the
   * workloads' prefix, and serve `namespace` from the ClusterSecretStores.
   * Every ExternalSecret of the platform passes here, whichever stack it is in.
   * @internal
   */
  public _admitPlatformSecret(scope: Construct, field: string, namespace: string, remote: string): void {
    if (!Token.isUnresolved(namespace) && this.namespaces?.workloadNamespaces.includes(namespace)) {
      PropsCheck.fail(scope, `${field}.namespace`, `"${namespace}" is a workload namespace, where developers could read a platform secret`,
        `keep platform secrets in a platform namespace; a workload reads its own under ${this.workloadPathPrefix(namespace)} through the namespace's SecretStore ${ExternalSecretsOperator.SECRETS_MANAGER_STORE}`);
    }
    const workloads = `${this.pathPrefix}${ExternalSecretsOperator.WORKLOADS_SEGMENT}`;
    if (!Token.isUnresolved(remote) && remote.startsWith(workloads)) {
      PropsCheck.fail(scope, `${field}.remoteRef`, `"${remote}" is under ${workloads}, which belongs to workload namespaces`,
        `store platform secrets elsewhere under ${this.pathPrefix}`);
    }
    this.secretNamespaces.add(namespace);
  }
}
