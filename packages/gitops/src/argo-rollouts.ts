import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import {
  NagNames, PlatformChart, PlatformNamespaces, PodSecurityLevel, SystemPool, TrafficPeer, TrafficPort, WorkloadIdentity,
  WorkloadRole,
} from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GitOpsVersions } from './gitops-versions';

/** Properties of {@link ArgoRollouts}. */
export interface ArgoRolloutsProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * The cluster's namespace registry: the `argo-rollouts` namespace is
   * registered there and `Rollout`/`AnalysisTemplate` objects are added to the workload Roles.
   *
   * @default - the namespace is created by the chart construct, no RBAC rules are added
   */
  readonly namespaces?: PlatformNamespaces;

  /**
   * How the controller gets its IAM role (it reads target groups to verify ALB traffic shifts).
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Controller replicas (one leads; the others stand by).
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Helm chart version.
   *
   * @default GitOpsVersions.ARGO_ROLLOUTS
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** Options of {@link ArgoRollouts.canaryRollout}: a Deployment-like workload behind an ALB Ingress. */
export interface CanaryRolloutOptions {
  /** Name of the Rollout (and prefix of its Services and AnalysisTemplate). */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Container image. */
  readonly image: string;
  /** The ALB Ingress (class `alb`) whose backend is the stable Service; the controller adds the weighted action. */
  readonly ingress: string;
  /**
   * Container and Service port.
   *
   * @default 8080
   */
  readonly port?: number;
  /**
   * Replicas.
   *
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Traffic weights of the canary steps, in percent; each is followed by an analysis.
   *
   * @default [10, 25, 50]
   */
  readonly steps?: number[];
  /**
   * Prometheus address the analysis queries.
   *
   * @default 'http://prometheus-operated.observability.svc:9090'
   */
  readonly prometheusAddress?: string;
  /**
   * Lowest acceptable share of non-5xx responses of the canary (0–1).
   *
   * @default 0.99
   */
  readonly successRate?: number;
}

const NAMESPACE = 'argo-rollouts';
const SERVICE_ACCOUNT = 'argo-rollouts';

/**
 * Argo Rollouts (Helm, pinned) on the system pool: two controllers with a
 * PodDisruptionBudget, ALB traffic routing through the AWS Load Balancer
 * Controller with target-group verification (a workload role that may only
 * describe load balancers and target groups), and RBAC for the ALB provider
 * only. `canaryRollout()` writes the documented canary template.
 */
export class ArgoRollouts extends Construct {
  /** The namespace. */
  public static readonly NAMESPACE = NAMESPACE;

  /**
   * A canary `Rollout` shifting ALB traffic in steps, each gated by an
   * `AnalysisTemplate` that queries the canary's 5xx rate in Prometheus,
   * and its stable and canary Services. Apply them with
   * `cluster.addManifest` or commit them to the GitOps repository.
   *
   * @returns the AnalysisTemplate, the two Services and the Rollout
   */
  public static canaryRollout(options: CanaryRolloutOptions): { [key: string]: any }[] {
    const port = options.port ?? 8080;
    const steps = options.steps ?? [10, 25, 50];
    const rate = options.successRate ?? 0.99;
    if (steps.some((w, i) => w <= 0 || w >= 100 || (i > 0 && w <= steps[i - 1]))) {
      throw new Error(`ArgoRollouts.canaryRollout(${options.name}): invalid steps: ${JSON.stringify(steps)} must rise strictly between 0 and 100. Fix: list weights such as [10, 25, 50]`);
    }
    if (!(rate > 0 && rate <= 1)) {
      throw new Error(`ArgoRollouts.canaryRollout(${options.name}): invalid successRate: ${rate}. Fix: use a share between 0 and 1 such as 0.99`);
    }
    const labels = { 'app.kubernetes.io/name': options.name };
    const meta = (name: string) => ({ name, namespace: options.namespace, labels });
    const service = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name),
      spec: { selector: labels, ports: [{ name: 'http', port, targetPort: port }] },
    });
    const analysis = `${options.name}-success-rate`;
    const stable = `${options.name}-stable`;
    const canary = `${options.name}-canary`;
    const selector = `service="${canary}",namespace="${options.namespace}"`;
    return [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: meta(analysis),
        spec: {
          metrics: [{
            name: 'success-rate',
            interval: '1m',
            count: 3,
            failureLimit: 1,
            successCondition: `len(result) == 0 || isNaN(result[0]) || result[0] >= ${rate}`,
            provider: {
              prometheus: {
                address: options.prometheusAddress ?? 'http://prometheus-operated.observability.svc:9090',
                query: `sum(rate(http_requests_total{${selector},code!~"5.."}[2m])) / sum(rate(http_requests_total{${selector}}[2m]))`,
              },
            },
          }],
        },
      },
      service(stable),
      service(canary),
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: meta(options.name),
        spec: {
          replicas: options.replicas ?? 3,
          revisionHistoryLimit: 3,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [{
                name: options.name,
                image: options.image,
                ports: [{ name: 'http', containerPort: port }],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              }],
            },
          },
          strategy: {
            canary: {
              stableService: stable,
              canaryService: canary,
              trafficRouting: { alb: { ingress: options.ingress, servicePort: port, rootService: stable } },
              steps: steps.flatMap((setWeight) => [
                { setWeight },
                { analysis: { templates: [{ templateName: analysis }] } },
              ]),
            },
          },
        },
      },
    ];
  }

  /** The controller's workload role. */
  public readonly role: WorkloadRole;
  /** The chart with its namespace, service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: ArgoRolloutsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'argo-rollouts');
    const replicas = props.replicas ?? 2;
    PropsCheck.inRange(this, 'replicas', replicas, 1, 5);
    // Target-group verification (awsVerifyTargetGroup) reads load balancers, listeners, rules and target health.
    const describe = new iam.PolicyStatement({
      sid: 'DescribeLoadBalancing',
      actions: [
        'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTargetHealth',
      ],
      resources: ['*'],
    });
    this.role = new WorkloadRole(this, 'Role', {
      cluster: props.cluster,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `Argo Rollouts controller (${NAMESPACE}/${SERVICE_ACCOUNT}): reads ALB target groups to verify traffic shifts`,
      statements: [describe],
    });
    NagNames.acknowledgeWildcardResources(this.role.role, [{
      statement: describe,
      reason: 'Elastic Load Balancing Describe* actions support no resource-level permissions; the role can only read, and the controller reads the target groups of the Ingresses its Rollouts name',
    }]);

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: GitOpsVersions.ARGO_ROLLOUTS,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'argo-rollouts',
      namespace: NAMESPACE,
      namespaces: props.namespaces,
      // The controller holds no state: Rollouts live (and are backed up) in workload namespaces.
      backup: false,
      podSecurity: PodSecurityLevel.RESTRICTED,
      serviceAccount: { role: this.role },
      // The chart places the controller under `controller`, not at the top level.
      systemPool: false,
      values: {
        installCRDs: true,
        keepCRDs: true,
        serviceAccount: { create: false, name: SERVICE_ACCOUNT },
        controller: {
          replicas,
          ...SystemPool.placement(),
          pdb: { enabled: true, maxUnavailable: 1 },
          awsVerifyTargetGroup: true,
          awsTargetGroupBindingAPIVersion: 'elbv2.k8s.aws/v1beta1',
          albTagKeyResourceID: 'ingress.k8s.aws/resource',
        },
        // RBAC for the ALB provider only.
        providerRBAC: {
          enabled: true,
          providers: {
            istio: false,
            smi: false,
            ambassador: false,
            awsLoadBalancerController: true,
            awsAppMesh: false,
            traefik: false,
            apisix: false,
            contour: false,
            glooPlatform: false,
            gatewayAPI: false,
          },
        },
        dashboard: { enabled: false },
      },
      valueOverrides: props.valueOverrides,
    });
    // The controller verifies ALB target groups (AWS APIs) and its analyses query Prometheus (9090).
    const traffic = this.platformChart.traffic;
    traffic?.allowAwsApis();
    traffic?.allowEgress({ name: 'prometheus', peers: [TrafficPeer.anywhere()], ports: [TrafficPort.tcp(9090)] });
    // The default analysis address is the observability namespace's Prometheus: admit the controller there.
    // why: the label is the Prometheus Operator's on the pods it runs (prometheus-operator/prometheus-operator
    // pkg/prometheus/server/operator.go makeSelectorLabels, v0.93.0); 9090 is kube-prometheus-stack's Service and pod port.
    if (traffic && props.namespaces?.isolatedNamespaces.includes('observability')) {
      props.namespaces.traffic('observability').allowIngress({
        name: 'prometheus-from-argo-rollouts', pods: { 'app.kubernetes.io/name': 'prometheus' }, peers: [TrafficPeer.namespace(NAMESPACE)], ports: [TrafficPort.tcp(9090)],
      });
    }
    this.chart = this.platformChart.chart;
    props.namespaces?.addWorkloadRule({ apiGroups: ['argoproj.io'], resources: ['rollouts', 'analysistemplates', 'analysisruns', 'experiments'] });
  }
}
