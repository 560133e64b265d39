import * as fs from 'fs';
import * as path from 'path';
import { HardenedBucket, HardenedBucketEncryption, KeelsonCommonProps, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Aws, CfnResource, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { EksCoreVersions } from '../eks-core-versions';
import { PlatformChart } from '../kit/platform-chart';
import { WorkloadIdentity } from '../kit/workload-identity';
import { WorkloadRole } from '../kit/workload-role';
import { effectiveTags } from '../private/tags';

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
   * @default EksCoreVersions.AWS_LOAD_BALANCER_CONTROLLER
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };

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

  /**
   * ALB access logs through the `alb` IngressClassParams, to an S3 bucket
   * encrypted with S3-managed keys (the only encryption ALB log delivery supports).
   *
   * @default true
   */
  readonly accessLogs?: boolean;

  /**
   * The bucket ALB access logs go to (it must allow Elastic Load Balancing log delivery).
   *
   * @default - a new `HardenedBucket` (SSE-S3, versioned, TLS-only, its server access logs in a bucket of their own) with a 90-day lifecycle, removed per `removalPolicy`; the stack must then have an explicit region
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * The frontend security groups of the platform's ALBs, for example
   * `PlatformNetwork.securityGroups.alb`. `ingressAnnotations()` names them
   * (`alb.ingress.kubernetes.io/security-groups`) and has the controller
   * manage the backend rules to the targets.
   *
   * @default - none: the controller creates a frontend group per ALB from `listen-ports`
   */
  readonly albSecurityGroups?: ec2.ISecurityGroup[];
}

/** Properties of {@link AwsLoadBalancerController}. */
export interface AwsLoadBalancerControllerProps extends LoadBalancerControllerOptions, KeelsonCommonProps {
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
 * The AWS Load Balancer Controller (Helm, pinned, 3.x) with the upstream IAM
 * policy of the pinned release, WAFv2 and Shield integration on, `vpcId`/`region`
 * set explicitly, the platform's tags on every load balancer it creates
 * (`defaultTags`), and an `alb` IngressClass whose IngressClassParams carry
 * TLS 1.3 defaults and turn on access logs to an encrypted S3 bucket.
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

  /**
   * The annotations Keelson recommends, beside `recommendedIngressAnnotations`,
   * on an Ingress of class `alb` whose responses stay open for a long time:
   * server-sent events, gRPC streams, log tails, websockets. They are the ALB
   * counterparts of the NGINX ingress settings such services usually need:
   *
   * - `proxy-read-timeout` and `proxy-send-timeout`: the ALB has one idle
   *   timeout for both directions (`idle_timeout.timeout_seconds`, 60 s unless
   *   set); a stream silent for longer is cut. It is raised to `idleTimeout`.
   * - HTTP client keep-alive (`client_keep_alive.seconds`) is kept at least as
   *   long, so the ALB does not recycle a client connection mid-stream.
   * - `proxy-buffering: off`: nothing to set, an ALB forwards response bytes as
   *   they arrive and never buffers a response body.
   * - A target leaving (rollout, scale-in) keeps its open streams for the
   *   deregistration delay (`deregistration_delay.timeout_seconds`, the
   *   smaller of `idleTimeout` and 5 minutes) before the ALB closes them.
   *
   * Load-balancer attributes belong to the whole ALB: every Ingress of an
   * IngressGroup must agree on them, and the `alb` IngressClassParams'
   * own attributes (access logs, header checks) are merged in and win a conflict.
   *
   * @param idleTimeout how long a stream may stay silent (1 second to 4000 seconds)
   * @default idleTimeout Duration.hours(1)
   */
  public static streamingIngressAnnotations(idleTimeout?: Duration): { [key: string]: string } {
    const idle = (idleTimeout ?? Duration.hours(1)).toSeconds();
    if (!Number.isInteger(idle) || idle < 1 || idle > 4000) {
      throw new Error(`AwsLoadBalancerController.streamingIngressAnnotations: invalid idleTimeout: ${idle} s is outside the ALB idle timeout range. Fix: use 1 to 4000 seconds`);
    }
    return {
      'alb.ingress.kubernetes.io/load-balancer-attributes': `idle_timeout.timeout_seconds=${idle},client_keep_alive.seconds=${Math.max(idle, 60)}`,
      'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${Math.min(idle, 300)}`,
    };
  }

  /**
   * The annotations that put an ALB in the given frontend security groups and
   * have the controller add the backend rules from its shared backend group
   * to the targets (without the second annotation it adds none).
   */
  public static securityGroupAnnotations(securityGroups: ec2.ISecurityGroup[]): { [key: string]: string } {
    if (securityGroups.length === 0) return {};
    return {
      'alb.ingress.kubernetes.io/security-groups': securityGroups.map((g) => g.securityGroupId).join(','),
      'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
    };
  }

  /** The controller's workload role. */
  public readonly role: WorkloadRole;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart with its service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The controller's service account manifest. */
  public readonly serviceAccount: eks.KubernetesManifest;
  /** The `alb` IngressClass and its IngressClassParams. */
  public readonly ingressClass: eks.KubernetesManifest;
  /** The bucket receiving ALB access logs (when access logs are on). */
  public readonly accessLogsBucket?: s3.IBucket;
  /** The key prefix of the access logs in that bucket. */
  public readonly accessLogsPrefix: string;
  /** The frontend security groups every Ingress written with `ingressAnnotations()` names. */
  public readonly albSecurityGroups: ec2.ISecurityGroup[];

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    KeelsonTags.component(this, 'aws-load-balancer-controller');
    const scheme = props.scheme ?? 'internet-facing';
    if (!['internet-facing', 'internal'].includes(scheme)) {
      PropsCheck.fail(this, 'scheme', `"${scheme}" is not a load balancer scheme`, "use 'internet-facing' or 'internal'");
    }
    this.albSecurityGroups = props.albSecurityGroups ?? [];
    const createsBucket = (props.accessLogs ?? true) && !props.accessLogsBucket;
    if (createsBucket && Token.isUnresolved(Stack.of(this).region)) {
      // Which principal delivers the logs depends on the region (see createAccessLogsBucket); aws-cdk-lib's elbv2 refuses the same way.
      PropsCheck.fail(this, 'accessLogs', 'the stack has no explicit region, and the principal that delivers ALB access logs (a regional Elastic Load Balancing account, or the log delivery service) depends on it',
        'give the stack env.region, pass accessLogsBucket with its own delivery policy, or set accessLogs: false');
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

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: EksCoreVersions.AWS_LOAD_BALANCER_CONTROLLER,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'aws-load-balancer-controller',
      namespace: NAMESPACE,
      createNamespace: false,
      serviceAccount: { role: this.role },
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
        // The platform's tag set (Environment, Project, Owner, Component...) on every load balancer, target group and security group it makes.
        defaultTags: effectiveTags(this.role.role.node.defaultChild as CfnResource),
        priorityClassName: 'system-cluster-critical',
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
    this.serviceAccount = this.platformChart.serviceAccountManifest!;

    this.accessLogsPrefix = `alb/${props.clusterName}`;
    if (props.accessLogs ?? true) {
      this.accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket(props);
    }
    const accessLogAttributes = this.accessLogsBucket ? [
      { key: 'access_logs.s3.enabled', value: 'true' },
      { key: 'access_logs.s3.bucket', value: this.accessLogsBucket.bucketName },
      { key: 'access_logs.s3.prefix', value: this.accessLogsPrefix },
    ] : [];
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
              ...accessLogAttributes,
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
    // ELB checks that it may write to the bucket when the attribute is set.
    if (this.accessLogsBucket) this.ingressClass.node.addDependency(this.accessLogsBucket);
  }

  /**
   * The annotations of an Ingress of class `alb` on this controller:
   * `recommendedIngressAnnotations` plus the platform's ALB security groups
   * (`albSecurityGroups`) with controller-managed backend rules.
   *
   * @param certificateArn ACM certificate for the listener (omit to let the controller discover one by host)
   */
  public ingressAnnotations(certificateArn?: string): { [key: string]: string } {
    return {
      ...AwsLoadBalancerController.recommendedIngressAnnotations(certificateArn),
      ...AwsLoadBalancerController.securityGroupAnnotations(this.albSecurityGroups),
    };
  }

  /**
   * A `HardenedBucket` with SSE-S3 that Elastic Load Balancing may deliver this
   * cluster's ALB access logs to, with its own server access-log bucket.
   */
  private createAccessLogsBucket(props: AwsLoadBalancerControllerProps): s3.Bucket {
    const stack = Stack.of(this);
    const logs = new HardenedBucket(this, 'AccessLogs', {
      // ALB access log delivery supports SSE-S3 only, not SSE-KMS.
      encryption: HardenedBucketEncryption.S3_MANAGED,
      removalPolicy: props.removalPolicy,
      accessLogsPrefix: 'alb-access-logs-bucket/',
      lifecycleRules: [{
        id: 'expire',
        expiration: Duration.days(90),
        noncurrentVersionExpiration: Duration.days(7),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      notReplicatedReason: 'this bucket receives ALB access logs: region-local request logs of region-local load balancers, expired after 90 days; the DR region\'s load balancers log to their own bucket',
    });
    Validations.of(logs.bucket).acknowledge({
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason: 'this bucket receives ALB access logs; Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3, not SSE-KMS',
    });
    // Regions opened before August 2022 deliver from a regional ELB account; newer ones through the log delivery service.
    const elbAccount = RegionInfo.get(stack.region).elbv2Account;
    logs.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ElbAccessLogDelivery',
      actions: ['s3:PutObject'],
      principals: [elbAccount ? new iam.AccountPrincipal(elbAccount) : new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
      resources: [logs.bucket.arnForObjects(`${this.accessLogsPrefix}/AWSLogs/${stack.account}/*`)],
    }));
    return logs.bucket;
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
