import { KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EksCoreVersions } from '../eks-core-versions';
import { NagNames } from '../kit/nag-names';
import { PlatformChart } from '../kit/platform-chart';
import { PlatformNamespaces } from '../kit/platform-namespaces';
import { VersionCatalogue } from '../kit/version-pin';
import { externalSecretObject } from '../private/external-secret-object';
import { WorkloadIdentity } from '../workload-identity';
import { WorkloadRole } from '../workload-role';
import { ExternalSecret } from './external-secret';

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
}

/** Properties of {@link ExternalSecretsOperator}. */
export interface ExternalSecretsOperatorProps extends ExternalSecretsOptions, KeelsonCommonProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * The cluster's namespace registry: the `external-secrets` namespace is
   * registered there, and `ExternalSecret` objects are added to the workload Roles.
   *
   * @default - the namespace is created by the chart construct, no RBAC rules are added
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
 */
export class ExternalSecretsOperator extends Construct {
  /** Name of the Secrets Manager ClusterSecretStore. */
  public static readonly SECRETS_MANAGER_STORE = 'aws-secrets-manager';
  /** Name of the Parameter Store ClusterSecretStore. */
  public static readonly PARAMETER_STORE = 'aws-parameter-store';

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

  constructor(scope: Construct, id: string, props: ExternalSecretsOperatorProps) {
    super(scope, id);
    KeelsonTags.component(this, 'external-secrets');
    this.cluster = props.cluster;
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

    if (props.chartVersion !== undefined) VersionCatalogue.checkChartVersion(this, 'chartVersion', props.chartVersion);
    // Id `Default`: the chart and service account keep the logical ids they had before the kit.
    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: EksCoreVersions.EXTERNAL_SECRETS,
      version: props.chartVersion,
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
    props.namespaces?.addWorkloadRule({ apiGroups: ['external-secrets.io'], resources: ['externalsecrets'] });

    const auth = this.role.identity === WorkloadIdentity.IRSA
      ? { auth: { jwt: { serviceAccountRef: { name: SERVICE_ACCOUNT, namespace: NAMESPACE } } } }
      : {}; // Pod Identity: the controller's own credentials.
    const store = (name: string, service: string) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name },
      spec: { provider: { aws: { service, region: stack.region, ...auth } } },
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
  }

  /**
   * Declare an ExternalSecret in this operator's scope (and stack): a
   * Kubernetes Secret in `namespace` filled from one remote secret (or
   * parameter) under the path prefix. A component in another stack creates
   * `new ExternalSecret(scope, id, { operator, ... })` in its own scope instead.
   */
  public addExternalSecret(id: string, options: ExternalSecretOptions): eks.KubernetesManifest {
    // Checked here first, so a failure names this method and its id.
    externalSecretObject(this, `addExternalSecret(${id})`, { ...options, operator: this });
    return new ExternalSecret(this, `ExternalSecret-${id}`, { ...options, operator: this });
  }
}
