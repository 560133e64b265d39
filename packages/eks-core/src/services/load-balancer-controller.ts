import * as fs from 'fs';
import * as path from 'path';
import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Aws, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ChartVersions } from './chart-versions';
import { SYSTEM_SCHEDULING, checkChartVersion, serviceAccountManifest } from '../private/services';
import { WorkloadIdentity } from '../workload-identity';
import { WorkloadRole } from '../workload-role';

/** Options of the AWS Load Balancer Controller (also used by `PlatformServices`). */
export interface LoadBalancerControllerOptions {
  /**
   * Install it (read by `PlatformServices` only).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How the controller gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Helm chart version (the IAM policy shipped in `policies/` matches the default).
   *
   * @default ChartVersions.AWS_LOAD_BALANCER_CONTROLLER
   */
  readonly chartVersion?: string;

  /**
   * Controller replicas.
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Scheme of load balancers made through the `alb` IngressClass (`internet-facing` or `internal`).
   *
   * @default 'internet-facing'
   */
  readonly scheme?: string;
}

/** Properties of {@link AwsLoadBalancerController}. */
export interface AwsLoadBalancerControllerProps extends LoadBalancerControllerOptions {
  /** The cluster (its VPC id is passed to the controller). */
  readonly cluster: eks.ICluster;
  /** The cluster's name. */
  readonly clusterName: string;
}

// src/services or lib/services -> package root.
const POLICY_FILE = path.join(__dirname, '..', '..', 'policies', 'aws-load-balancer-controller.json');
const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'aws-load-balancer-controller';

/**
 * The AWS Load Balancer Controller (Helm, pinned) with the upstream IAM policy
 * of the pinned release, WAFv2 and Shield integration on, `vpcId`/`region`
 * set explicitly, and an `alb` IngressClass whose IngressClassParams carry
 * TLS 1.3 defaults.
 */
export class AwsLoadBalancerController extends Construct {
  /** The TLS policy Keelson uses for HTTPS listeners (TLS 1.3 and 1.2 only). */
  public static readonly DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
  /** The IngressClass name. */
  public static readonly INGRESS_CLASS = 'alb';

  /**
   * The annotations Keelson recommends on an Ingress of class `alb`: HTTPS
   * only on 443 with the TLS 1.3 policy, HTTP redirected, IP targets.
   *
   * @param certificateArn ACM certificate for the listener (omit to let the controller discover one by host)
   */
  public static recommendedIngressAnnotations(certificateArn?: string): { [key: string]: string } {
    return {
      'alb.ingress.kubernetes.io/ssl-policy': AwsLoadBalancerController.DEFAULT_SSL_POLICY,
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
      ...(certificateArn ? { 'alb.ingress.kubernetes.io/certificate-arn': certificateArn } : {}),
    };
  }

  /** The controller's workload role. */
  public readonly role: WorkloadRole;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The controller's service account manifest. */
  public readonly serviceAccount: eks.KubernetesManifest;
  /** The `alb` IngressClass and its IngressClassParams. */
  public readonly ingressClass: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    KeelsonTags.component(this, 'aws-load-balancer-controller');
    const version = props.chartVersion ?? ChartVersions.AWS_LOAD_BALANCER_CONTROLLER;
    checkChartVersion(this, 'chartVersion', version);
    const scheme = props.scheme ?? 'internet-facing';
    if (!['internet-facing', 'internal'].includes(scheme)) {
      PropsCheck.fail(this, 'scheme', `"${scheme}" is not a load balancer scheme`, "use 'internet-facing' or 'internal'");
    }

    this.role = new WorkloadRole(this, 'Role', {
      cluster: props.cluster,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `AWS Load Balancer Controller of ${props.clusterName} (${NAMESPACE}/${SERVICE_ACCOUNT})`,
      statements: upstreamPolicyStatements(),
    });
    const reason = 'the statement comes from the AWS Load Balancer Controller\'s official iam_policy.json of the pinned release (policies/aws-load-balancer-controller.json): load balancers, target groups, listeners and security groups are created at run time with generated names, so writes are scoped by the elbv2.k8s.aws/cluster tag conditions and these ARN patterns, and Describe/WAF/Shield/ACM lookups support no resource scoping';
    Validations.of(this.role.role).acknowledge(...upstreamWildcardResources().map((r) => ({
      id: `AwsSolutions-IAM5[Resource::${r}]`,
      reason,
    })));

    this.serviceAccount = serviceAccountManifest(this, 'ServiceAccount', props.cluster, this.role, 'aws-load-balancer-controller');
    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster,
      chart: 'aws-load-balancer-controller',
      repository: 'https://aws.github.io/eks-charts',
      version,
      namespace: NAMESPACE,
      release: 'aws-load-balancer-controller',
      // Its admission webhooks must serve before the custom resources below are applied.
      wait: true,
      values: {
        clusterName: props.clusterName,
        region: Stack.of(this).region,
        vpcId: props.cluster.vpc.vpcId,
        replicaCount: props.replicas ?? 2,
        enableWafv2: true,
        enableShield: true,
        enableWaf: false,
        serviceAccount: { create: false, name: SERVICE_ACCOUNT },
        createIngressClassResource: false,
        ingressClass: AwsLoadBalancerController.INGRESS_CLASS,
        defaultSSLPolicy: AwsLoadBalancerController.DEFAULT_SSL_POLICY,
        priorityClassName: 'system-cluster-critical',
        ...SYSTEM_SCHEDULING,
      },
    });
    this.chart.node.addDependency(this.serviceAccount);

    const paramsName = `${AwsLoadBalancerController.INGRESS_CLASS}-tls`;
    this.ingressClass = new eks.KubernetesManifest(this, 'IngressClass', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'elbv2.k8s.aws/v1beta1',
          kind: 'IngressClassParams',
          metadata: { name: paramsName },
          spec: {
            scheme,
            ipAddressType: 'ipv4',
            sslPolicy: AwsLoadBalancerController.DEFAULT_SSL_POLICY,
            loadBalancerAttributes: [
              { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
              { key: 'deletion_protection.enabled', value: 'false' },
            ],
          },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'IngressClass',
          metadata: {
            name: AwsLoadBalancerController.INGRESS_CLASS,
            annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
          },
          spec: {
            controller: 'ingress.k8s.aws/alb',
            parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: paramsName },
          },
        },
      ],
    });
    // IngressClassParams is a CRD the chart installs.
    this.ingressClass.node.addDependency(this.chart);
  }
}

/** The wildcard resources of the upstream policy, as cdk-nag names them. */
function upstreamWildcardResources(): string[] {
  const doc = JSON.parse(fs.readFileSync(POLICY_FILE, 'utf8')) as { Statement: any[] };
  const all = doc.Statement.flatMap((s) => ([] as string[]).concat(s.Resource));
  return [...new Set(all.filter((r) => r.includes('*')).map((r) => r.replace(/^arn:aws:/, 'arn:<AWS::Partition>:')))];
}

/** The upstream iam_policy.json shipped in `policies/`, with the partition resolved at deploy time. */
function upstreamPolicyStatements(): iam.PolicyStatement[] {
  const text = fs.readFileSync(POLICY_FILE, 'utf8').split('arn:aws:').join(`arn:${Aws.PARTITION}:`);
  const doc = JSON.parse(text) as { Statement: any[] };
  return doc.Statement.map((s) => iam.PolicyStatement.fromJson(s));
}
