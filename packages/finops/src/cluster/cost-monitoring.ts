import { KeelsonCommonProps, KeelsonTags, PropsCheck } from '@keelson/conventions';
import {
  AwsLoadBalancerController, ExternalSecret, ExternalSecretsOperator, ManagedAddons, NagNames, PlatformChart, PlatformNamespaces, PodSecurityLevel,
  ReasonedStatement, VersionPin, WorkloadIdentity, WorkloadRole,
} from '@keelson/eks-core';
import { Duration, Size, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { FinOpsVersions } from './finops-versions';
import { CostQuerySource } from '../analytics/cost-analytics';

/** Which in-cluster cost tool {@link CostMonitoring} installs. */
export enum CostEngine {
  /** Kubecost 3.x (chart `kubecost`): the free tier, see the README for its limits. */
  KUBECOST = 'KUBECOST',
  /** OpenCost, the fully open-source (Apache-2.0, CNCF) cost model and UI. */
  OPENCOST = 'OPENCOST',
}

/**
 * Sign-in in front of the cost UI: the ALB's own OpenID Connect
 * authentication (`authenticate-oidc`), so no request reaches the UI before
 * the identity provider has signed the user in.
 */
export interface CostMonitoringOidcOptions {
  /** The identity provider's issuer URL (`https://...`). */
  readonly issuer: string;
  /** The provider's authorization endpoint (`https://...`). */
  readonly authorizationEndpoint: string;
  /** The provider's token endpoint (`https://...`). */
  readonly tokenEndpoint: string;
  /** The provider's user info endpoint (`https://...`). */
  readonly userInfoEndpoint: string;

  /**
   * The Secrets Manager secret holding the OIDC client (a JSON object); it
   * reaches the namespace through an ExternalSecret, never a template.
   *
   * @default `<externalSecrets.pathPrefix>cost-monitoring/oidc`
   */
  readonly clientSecretName?: string;

  /**
   * The JSON key of the client id in that secret.
   *
   * @default 'clientId'
   */
  readonly clientIdKey?: string;

  /**
   * The JSON key of the client secret in that secret.
   *
   * @default 'clientSecret'
   */
  readonly clientSecretKey?: string;

  /**
   * The claims requested (space-separated scopes).
   *
   * @default 'openid email'
   */
  readonly scope?: string;

  /**
   * How long a sign-in lasts before the ALB sends the user to the provider again.
   *
   * @default Duration.hours(12)
   */
  readonly sessionTimeout?: Duration;
}

/** How the cost UI is reached: an ALB Ingress with an ACM certificate, the WAF and OIDC sign-in. */
export interface CostMonitoringIngressOptions {
  /** The Route 53 hosted zone id that validates the certificate (no context lookup). */
  readonly hostedZoneId: string;

  /** The hosted zone's name (the platform domain, for example `platform.example.com`). */
  readonly zoneName: string;

  /**
   * The host name of the UI.
   *
   * @default `cost.<clusterName>.<zoneName>`
   */
  readonly hostname?: string;

  /**
   * ARN of the regional WAFv2 web ACL attached to the load balancer, for
   * example `PlatformWebAcl.webAclArn` of `@keelson/security`.
   *
   * @default - no web ACL
   */
  readonly webAclArn?: string;

  /** The cluster's AWS Load Balancer Controller: it is granted `get` on the OIDC client secret, and nothing else. */
  readonly loadBalancerController: AwsLoadBalancerController;

  /** The cluster's External Secrets Operator: it delivers the OIDC client from Secrets Manager. */
  readonly externalSecrets: ExternalSecretsOperator;

  /** The OpenID Connect provider users sign in with (required: cost data is never served without sign-in). */
  readonly oidc: CostMonitoringOidcOptions;
}

/** Properties of {@link CostMonitoring}. */
export interface CostMonitoringProps extends KeelsonCommonProps {
  /** The cluster (with a kubectl provider). */
  readonly cluster: eks.ICluster;

  /** The cluster's name (the tool's cluster id, and the default host name). */
  readonly clusterName: string;

  /**
   * Kubecost or OpenCost.
   *
   * @default CostEngine.KUBECOST
   */
  readonly engine?: CostEngine;

  /**
   * The CUR 2.0 export's Athena workgroup and table (`CostAnalytics.querySource`):
   * the tool reconciles its estimates with the bill, through a workload role
   * that may query that workgroup, read that table and those buckets, and nothing else.
   *
   * @default - no cloud bill integration: list prices only
   */
  readonly querySource?: CostQuerySource;

  /**
   * The cluster's namespace registry (the namespace is registered there, so RBAC, NetworkPolicies and backups see it).
   *
   * @default - the namespace is created by the chart construct and registered nowhere
   */
  readonly namespaces?: PlatformNamespaces;

  /**
   * IRSA or EKS Pod Identity for the tool's workload role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * The StorageClass of the tool's volumes.
   *
   * @default ManagedAddons.DEFAULT_STORAGE_CLASS (eks-core's encrypted gp3 class)
   */
  readonly storageClass?: string;

  /**
   * Size of the tool's metrics volume (Kubecost's local store, OpenCost's exporter volume).
   *
   * @default Size.gibibytes(32)
   */
  readonly storageSize?: Size;

  /**
   * The ALB Ingress (ACM TLS, WAF, OIDC sign-in).
   *
   * @default - no Ingress: the UI is a ClusterIP Service, reached with `kubectl port-forward` by those the cluster's RBAC lets in
   */
  readonly ingress?: CostMonitoringIngressOptions;

  /**
   * Chart version, overriding the catalogue's (`FinOpsVersions`).
   *
   * @default - the catalogue's version of the engine's chart
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** What differs between the engines. */
interface EngineShape {
  readonly pin: VersionPin;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The UI's Service and port (for the Ingress). */
  readonly uiService: string;
  readonly uiPort: number;
}

const ENGINES: Record<CostEngine, EngineShape> = {
  // Service names follow the charts' templates for a release named after the chart:
  // kubecost `<release>-frontend` port 9090; opencost `<release>` with the UI on 9090.
  [CostEngine.KUBECOST]: { pin: FinOpsVersions.KUBECOST, namespace: 'kubecost', serviceAccount: 'kubecost', uiService: 'kubecost-frontend', uiPort: 9090 },
  [CostEngine.OPENCOST]: { pin: FinOpsVersions.OPENCOST, namespace: 'opencost', serviceAccount: 'opencost', uiService: 'opencost', uiPort: 9090 },
};

/** The Kubernetes Secret (in the tool's namespace) the ALB reads the OIDC client from. */
const OIDC_SECRET = 'cost-monitoring-oidc';

/**
 * Kubecost 3.x (default) or OpenCost on the cluster, through eks-core's
 * add-on kit: a pinned chart in its own namespace on the system pool, its
 * volumes on the encrypted gp3 class, a workload role that may query only the
 * CUR 2.0 export's Athena workgroup and table (and read prices), and,
 * optionally, an ALB Ingress with an ACM certificate, the WAF and the ALB's
 * OIDC sign-in in front of the UI. Without an Ingress the UI is reachable only
 * inside the cluster; with one, only after sign-in.
 */
export class CostMonitoring extends Construct {
  /** The engine installed. */
  public readonly engine: CostEngine;
  /** The namespace of the tool. */
  public readonly namespace: string;
  /** The chart (release, namespace, service account). */
  public readonly platformChart: PlatformChart;
  /** The tool's workload role. */
  public readonly role: WorkloadRole;
  /** The Helm values passed to the chart. */
  public readonly values: { [key: string]: any };
  /** The Ingress and the RBAC letting the load balancer controller read the OIDC client, when there is an Ingress. */
  public readonly ingress?: eks.KubernetesManifest;
  /** The ExternalSecret delivering the OIDC client, when there is an Ingress. */
  public readonly oidcSecret?: eks.KubernetesManifest;
  /** The ACM certificate of the host name, when there is an Ingress. */
  public readonly certificate?: acm.ICertificate;
  /** `https://<hostname>`, when there is an Ingress. */
  public readonly url?: string;

  constructor(scope: Construct, id: string, props: CostMonitoringProps) {
    super(scope, id);
    KeelsonTags.component(this, 'cost-monitoring');
    this.engine = props.engine ?? CostEngine.KUBECOST;
    const shape = ENGINES[this.engine];
    if (!shape) PropsCheck.fail(this, 'engine', `"${String(props.engine)}" is not a cost engine`, 'use CostEngine.KUBECOST or CostEngine.OPENCOST');
    this.namespace = shape.namespace;
    const storageClass = props.storageClass ?? ManagedAddons.DEFAULT_STORAGE_CLASS;
    if (!Token.isUnresolved(storageClass) && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(storageClass)) {
      PropsCheck.fail(this, 'storageClass', `"${storageClass}" is not a StorageClass name`, 'use a lowercase DNS subdomain name such as gp3');
    }
    const storageGiB = (props.storageSize ?? Size.gibibytes(32)).toGibibytes();
    PropsCheck.inRange(this, 'storageSize (GiB)', storageGiB, 1, 16384);

    const statements = costStatements(props.querySource);
    this.role = new WorkloadRole(this, 'Role', {
      cluster: props.cluster,
      namespace: shape.namespace,
      serviceAccount: shape.serviceAccount,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `${this.engine === CostEngine.KUBECOST ? 'Kubecost' : 'OpenCost'} of ${props.clusterName}: prices, and Athena queries over the cost export`,
      statements: statements.map((s) => s.statement),
    });
    NagNames.acknowledgeWildcardResources(this.role.role, statements);

    const integration = props.querySource ? cloudIntegration(this, props.querySource) : undefined;
    const values = this.engine === CostEngine.KUBECOST
      ? kubecostValues(props.clusterName, shape, storageClass, storageGiB, integration)
      : opencostValues(props.clusterName, shape, storageClass, storageGiB, integration);

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: shape.pin,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'cost-monitoring',
      namespace: shape.namespace,
      // Neither chart documents restricted-compliant security contexts on every container; baseline is enforced.
      podSecurity: PodSecurityLevel.BASELINE,
      // Not in the platform's backups: the bill is re-read from the CUR export, and the in-cluster
      // metrics are re-collected (the same choice observability makes for its metrics).
      backup: false,
      namespaces: props.namespaces,
      // The UI is reached from its ALB's addresses and reads the platform's Prometheus: not isolated until those
      // paths are declared (the namespace holds cost data only).
      networkIsolation: false,
      serviceAccount: { role: this.role },
      values,
      // Kubecost places each component separately.
      systemPoolPaths: this.engine === CostEngine.KUBECOST
        ? ['frontend', 'localStore', 'aggregator', 'cloudCost', 'forecasting', 'finopsagent']
        : [],
      valueOverrides: props.valueOverrides,
    });
    this.values = this.platformChart.values;

    if (props.ingress) {
      const ing = props.ingress;
      const hostname = ing.hostname ?? `cost.${props.clusterName}.${ing.zoneName}`;
      if (!Token.isUnresolved(hostname) && !Token.isUnresolved(ing.zoneName) && !hostname.endsWith(`.${ing.zoneName}`)) {
        PropsCheck.fail(this, 'ingress.hostname', `"${hostname}" is not inside the hosted zone ${ing.zoneName}, so its certificate cannot be validated there`,
          `use a name ending in .${ing.zoneName}`);
      }
      const oidc = ing.oidc;
      if (!oidc) PropsCheck.fail(this, 'ingress.oidc', 'is missing; cost data must not be reachable without signing in', 'give oidc: { issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint }, or drop ingress to keep the UI inside the cluster');
      for (const field of ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'userInfoEndpoint'] as const) {
        const url = oidc[field];
        if (!Token.isUnresolved(url) && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(url ?? '')) {
          PropsCheck.fail(this, `ingress.oidc.${field}`, `"${url}" is not an https URL`, 'give the provider\'s https URL from its OpenID configuration (.well-known/openid-configuration)');
        }
      }
      const sessionSeconds = (oidc.sessionTimeout ?? Duration.hours(12)).toSeconds();
      // The ALB's bounds for the session timeout: 1 second to 7 days.
      PropsCheck.inRange(this, 'ingress.oidc.sessionTimeout (seconds)', sessionSeconds, 1, 604800);
      this.url = `https://${hostname}`;

      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: ing.hostedZoneId, zoneName: ing.zoneName });
      const certificate = new acm.Certificate(this, 'Certificate', { domainName: hostname, validation: acm.CertificateValidation.fromDns(zone) });
      this.certificate = certificate;

      const eso = ing.externalSecrets;
      this.oidcSecret = new ExternalSecret(this, 'OidcSecret', {
        operator: eso,
        namespace: shape.namespace,
        name: OIDC_SECRET,
        remoteRef: oidc.clientSecretName ?? `${eso.pathPrefix}cost-monitoring/oidc`,
        // The keys the load balancer controller reads.
        secretKeys: [
          { secretKey: 'clientID', property: oidc.clientIdKey ?? 'clientId' },
          { secretKey: 'clientSecret', property: oidc.clientSecretKey ?? 'clientSecret' },
        ],
      });
      if (this.platformChart.namespaceManifest) this.oidcSecret.node.addDependency(this.platformChart.namespaceManifest);

      const lbc = ing.loadBalancerController.role;
      this.ingress = new eks.KubernetesManifest(this, 'Ingress', {
        cluster: props.cluster,
        overwrite: true,
        manifest: [
          // The controller reads the OIDC client secret it names in the Ingress; it gets `get` on that one Secret only.
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'Role',
            metadata: { name: 'cost-monitoring-oidc-reader', namespace: shape.namespace },
            rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [OIDC_SECRET], verbs: ['get'] }],
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'cost-monitoring-oidc-reader', namespace: shape.namespace },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cost-monitoring-oidc-reader' },
            subjects: [{ kind: 'ServiceAccount', name: lbc.serviceAccount, namespace: lbc.namespace }],
          },
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: {
              name: 'cost-monitoring',
              namespace: shape.namespace,
              annotations: {
                ...ing.loadBalancerController.ingressAnnotations(certificate.certificateArn),
                'alb.ingress.kubernetes.io/auth-type': 'oidc',
                'alb.ingress.kubernetes.io/auth-idp-oidc': Stack.of(this).toJsonString({
                  issuer: oidc.issuer,
                  authorizationEndpoint: oidc.authorizationEndpoint,
                  tokenEndpoint: oidc.tokenEndpoint,
                  userInfoEndpoint: oidc.userInfoEndpoint,
                  secretName: OIDC_SECRET,
                }),
                'alb.ingress.kubernetes.io/auth-on-unauthenticated-request': 'authenticate',
                'alb.ingress.kubernetes.io/auth-scope': oidc.scope ?? 'openid email',
                'alb.ingress.kubernetes.io/auth-session-timeout': String(sessionSeconds),
                ...(ing.webAclArn ? { 'alb.ingress.kubernetes.io/wafv2-acl-arn': ing.webAclArn } : {}),
              },
            },
            spec: {
              ingressClassName: AwsLoadBalancerController.INGRESS_CLASS,
              rules: [{
                host: hostname,
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: shape.uiService, port: { number: shape.uiPort } } } }] },
              }],
            },
          },
        ],
      });
      // The Service exists once the chart is applied; the secret must exist before the controller reconciles.
      this.ingress.node.addDependency(this.platformChart.chart, this.oidcSecret, ing.loadBalancerController);
    }
  }
}

/** The workload role's statements: prices always, Athena/Glue/S3/KMS on the export's workgroup, table and buckets when given. */
function costStatements(source?: CostQuerySource): ReasonedStatement[] {
  const out: ReasonedStatement[] = [{
    statement: new iam.PolicyStatement({ actions: ['pricing:GetProducts'], resources: ['*'] }),
    reason: 'the AWS Price List API (pricing:GetProducts) supports no resource-level permissions; it reads public list prices only',
  }];
  if (!source) return out;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${source.region}:${source.account}:${resource}`;
  out.push(
    {
      statement: new iam.PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
        resources: [arn('athena', `workgroup/${source.workGroupName}`)],
      }),
      reason: 'no wildcard',
    },
    {
      statement: new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
        resources: [arn('glue', 'catalog'), arn('glue', `database/${source.databaseName}`), arn('glue', `table/${source.databaseName}/${source.tableName}`)],
      }),
      reason: 'no wildcard',
    },
    {
      statement: new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket'],
        resources: [`arn:aws:s3:::${source.exportBucketName}`, `arn:aws:s3:::${source.resultsBucketName}`],
      }),
      reason: 'no wildcard',
    },
    {
      statement: new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [`arn:aws:s3:::${source.exportBucketName}/${source.exportDataPrefix}/*`],
      }),
      reason: 'Athena reads the export\'s Parquet objects under its data prefix with the caller\'s credentials; the object keys (one per billing period and refresh) are written by AWS Data Exports and not known in advance',
    },
    {
      statement: new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [`arn:aws:s3:::${source.resultsBucketName}/results/*`],
      }),
      reason: 'Athena writes and the tool reads query results under the workgroup\'s enforced results/ prefix, one object per query id generated at run time',
    },
    {
      statement: new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [source.resultsKeyArn] }),
      reason: 'no wildcard',
    },
  );
  return out;
}

/**
 * The cloud integration both charts read (`cloud-integration.json`): Athena
 * over the export, authorized by the pod's workload identity
 * (`AWSServiceAccount`), so it carries no key.
 */
function cloudIntegration(scope: Construct, source: CostQuerySource): string {
  return Stack.of(scope).toJsonString({
    aws: {
      athena: [{
        bucket: `s3://${source.resultsBucketName}`,
        region: source.region,
        database: source.databaseName,
        table: source.tableName,
        workgroup: source.workGroupName,
        account: source.account,
        authorizer: { authorizerType: 'AWSServiceAccount' },
      }],
    },
  });
}

function kubecostValues(
  clusterName: string, shape: EngineShape, storageClass: string, storageGiB: number, integration?: string,
): { [key: string]: any } {
  return {
    global: { clusterId: clusterName, defaultStorageClass: storageClass },
    // The service account is the kit's (bound to the workload role); aggregator and cloud-cost use it.
    serviceAccount: { create: false, name: shape.serviceAccount },
    localStore: { persistentVolume: { enabled: true, size: `${storageGiB}Gi`, storageClass } },
    aggregator: { persistentConfigsStorage: { storageClass }, aggregatorDbStorage: { storageClass } },
    cloudCost: { enabled: integration !== undefined, ...(integration ? { cloudIntegrationJSON: integration } : {}) },
    // Cost data stays in the account.
    telemetry: { enabled: false },
    // The cluster controller (automated right-sizing and turndown) writes workloads and node
    // groups cluster-wide; capacity is the platform's autoscaler's, so it is not installed.
    clusterController: { enabled: false },
    // The chart's own Ingress is off: the construct's Ingress carries TLS, WAF and OIDC sign-in.
    ingress: { enabled: false },
    frontend: { service: { type: 'ClusterIP' } },
  };
}

function opencostValues(
  clusterName: string, shape: EngineShape, storageClass: string, storageGiB: number, integration?: string,
): { [key: string]: any } {
  return {
    clusterName,
    serviceAccount: { create: false, name: shape.serviceAccount },
    service: { type: 'ClusterIP' },
    opencost: {
      exporter: {
        defaultClusterId: clusterName,
        // The collector data source: OpenCost scrapes the cluster itself, no Prometheus needed.
        collectorDataSource: { enabled: true },
        persistence: { enabled: true, storageClass, size: `${storageGiB}Gi`, accessMode: 'ReadWriteOnce' },
      },
      cloudCost: { enabled: integration !== undefined },
      ...(integration ? { cloudIntegrationJSON: integration } : {}),
      prometheus: { internal: { enabled: false } },
      ui: { enabled: true },
    },
  };
}
