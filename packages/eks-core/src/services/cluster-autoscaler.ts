import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EksCoreVersions } from '../eks-core-versions';
import { PlatformChart } from '../kit/platform-chart';
import { WorkloadIdentity } from '../kit/workload-identity';
import { WorkloadRole } from '../kit/workload-role';
import { PlatformKubernetesVersion } from '../cluster/kubernetes-version';

/** How Cluster Autoscaler picks the node group to grow (`--expander`). */
export class AutoscalerExpander {
  /** The group that leaves the least idle CPU/memory after the scale-up (Keelson's default). */
  public static readonly LEAST_WASTE = new AutoscalerExpander('least-waste');
  /** Groups in the order of the `cluster-autoscaler-priority-expander` ConfigMap. */
  public static readonly PRIORITY = new AutoscalerExpander('priority');
  /** A random group. */
  public static readonly RANDOM = new AutoscalerExpander('random');
  /** The group that schedules the most pending pods. */
  public static readonly MOST_PODS = new AutoscalerExpander('most-pods');
  /** The cheapest group (cloud pricing model). */
  public static readonly PRICE = new AutoscalerExpander('price');

  private constructor(/** The `--expander` value. */ public readonly name: string) {}
}

/** Options of Cluster Autoscaler (also used by `PlatformServices`). */
export interface ClusterAutoscalerOptions {
  /**
   * Install it (read by `PlatformServices` only).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Expander.
   *
   * @default AutoscalerExpander.LEAST_WASTE
   */
  readonly expander?: AutoscalerExpander;

  /**
   * How the controller gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Helm chart version.
   *
   * @default EksCoreVersions.CLUSTER_AUTOSCALER
   */
  readonly chartVersion?: string;

  /**
   * Image tag (must match the cluster's Kubernetes minor version).
   *
   * @default - the catalogue's image for `kubernetesVersion` (`EksCoreVersions.clusterAutoscalerImageTag`)
   */
  readonly imageTag?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** Properties of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerProps extends ClusterAutoscalerOptions {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's name as a literal (it appears in tag keys and IAM conditions). */
  readonly clusterName: string;
  /**
   * The cluster's Kubernetes version, `1.<minor>` (selects the image).
   *
   * @default - the version of `PlatformKubernetesVersion.DEFAULT`
   */
  readonly kubernetesVersion?: string;
}

/** Namespace and service account of Cluster Autoscaler. */
const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'cluster-autoscaler';

/**
 * Cluster Autoscaler (Helm, pinned) discovering the managed node groups' Auto
 * Scaling groups by tag, on the system pool, with a role that may describe
 * everything but only change Auto Scaling groups tagged as owned by this cluster.
 */
export class ClusterAutoscaler extends Construct {
  /** The controller's workload role. */
  public readonly role: WorkloadRole;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart with its namespace, service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The controller's service account manifest. */
  public readonly serviceAccount: eks.KubernetesManifest;
  /** The `--node-group-auto-discovery` value. */
  public readonly autoDiscovery: string;
  /** The expander in use. */
  public readonly expander: AutoscalerExpander;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    KeelsonTags.component(this, 'cluster-autoscaler');
    const kubernetesVersion = props.kubernetesVersion ?? PlatformKubernetesVersion.DEFAULT.version;
    const imageTag = props.imageTag ?? EksCoreVersions.clusterAutoscalerImageTag(kubernetesVersion);
    if (!imageTag) {
      PropsCheck.fail(this, 'imageTag', `Keelson pins no Cluster Autoscaler image for Kubernetes ${kubernetesVersion}`,
        `set imageTag to the cluster-autoscaler-1.${kubernetesVersion.split('.')[1]}.x release tag`);
    }
    this.expander = props.expander ?? AutoscalerExpander.LEAST_WASTE;
    const ownedTag = `k8s.io/cluster-autoscaler/${props.clusterName}`;
    const tags = ['k8s.io/cluster-autoscaler/enabled', ownedTag];
    this.autoDiscovery = `asg:tag=${tags.join(',')}`;

    this.role = new WorkloadRole(this, 'Role', {
      cluster: props.cluster,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `Cluster Autoscaler of ${props.clusterName} (${NAMESPACE}/${SERVICE_ACCOUNT})`,
      statements: [
        new iam.PolicyStatement({
          sid: 'Describe',
          actions: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
            'eks:DescribeNodegroup',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ScaleOwnedGroups',
          actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          resources: ['*'],
          conditions: { StringEquals: { [`aws:ResourceTag/${ownedTag}`]: 'owned' } },
        }),
      ],
    });
    Validations.of(this.role.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Cluster Autoscaler discovers node groups at run time: the Describe*/DescribeNodegroup/DescribeInstanceTypes read actions support no resource scoping, and SetDesiredCapacity/TerminateInstanceInAutoScalingGroup are limited by the aws:ResourceTag/k8s.io/cluster-autoscaler/<cluster>=owned condition to this cluster\'s groups',
    });

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: EksCoreVersions.CLUSTER_AUTOSCALER,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'cluster-autoscaler',
      namespace: NAMESPACE,
      createNamespace: false,
      serviceAccount: { role: this.role },
      values: {
        cloudProvider: 'aws',
        awsRegion: Stack.of(this).region,
        autoDiscovery: { clusterName: props.clusterName, tags },
        image: { tag: imageTag },
        rbac: { serviceAccount: { create: false, name: SERVICE_ACCOUNT } },
        extraArgs: {
          'expander': this.expander.name,
          'balance-similar-node-groups': true,
          'skip-nodes-with-system-pods': false,
          'skip-nodes-with-local-storage': false,
        },
        replicaCount: 1,
        priorityClassName: 'system-cluster-critical',
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
    this.serviceAccount = this.platformChart.serviceAccountManifest!;
  }
}
