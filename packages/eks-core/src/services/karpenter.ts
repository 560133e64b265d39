import { KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { Aws, CfnResource, Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NodePoolDefaults } from '../cluster/node-pool-defaults';
import { PlatformNodePoolsOptions } from '../cluster/node-pool-options';
import { EksCoreVersions } from '../eks-core-versions';
import { NagNames } from '../kit/nag-names';
import { PlatformChart } from '../kit/platform-chart';
import { PlatformNamespaces } from '../kit/platform-namespaces';
import { WorkloadIdentity } from '../kit/workload-identity';
import { WorkloadRole } from '../kit/workload-role';
import { CRITICAL_ADDONS_TAINT, GPU_TAINT, SYSTEM_POOL_LABEL } from '../private/pool-defaults';
import { effectiveTags } from '../private/tags';

/** Which controller scales nodes. */
export enum NodeAutoscaler {
  /** Cluster Autoscaler over the managed node groups (Keelson's default). */
  CLUSTER_AUTOSCALER = 'CLUSTER_AUTOSCALER',
  /** Karpenter: NodePools on a Bottlerocket EC2NodeClass, with spot interruption handling. */
  KARPENTER = 'KARPENTER',
}

/** Options of Karpenter (also used by `PlatformServices`). */
export interface KarpenterOptions {
  /**
   * Helm chart version.
   *
   * @default EksCoreVersions.KARPENTER
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };

  /**
   * How the controller gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * CPU limit of the `app` NodePool (spot + on-demand).
   *
   * @default 200
   */
  readonly appCpuLimit?: number;

  /**
   * CPU limit of the `gpu` NodePool (0 leaves the pool out).
   *
   * @default 32
   */
  readonly gpuCpuLimit?: number;

  /**
   * Instance families the `app` NodePool may use.
   *
   * @default - the families of the app pool's on-demand and spot instance types (`nodePools.app`)
   */
  readonly appInstanceFamilies?: string[];

  /**
   * The system/app/gpu pool definitions the NodePools and EC2NodeClasses derive
   * from: instance families from the instance types, data volume sizes from
   * `dataVolumeSizeGiB`. `PlatformServices` passes the cluster's (`PlatformCluster.nodePoolOptions`).
   *
   * @default NodePoolDefaults.resolve()
   */
  readonly nodePools?: PlatformNodePoolsOptions;
}

/** Properties of {@link Karpenter}. */
export interface KarpenterProps extends KarpenterOptions, KeelsonCommonProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's name. */
  readonly clusterName: string;
  /**
   * The cluster's namespace registry: the `karpenter` namespace is registered there.
   *
   * @default - the namespace is created by the chart construct
   */
  readonly namespaces?: PlatformNamespaces;

  /**
   * Security groups every Karpenter node carries beside the EKS cluster
   * security group (`PlatformCluster.nodeSecurityGroups`), selected by id.
   *
   * @default - groups tagged `karpenter.sh/discovery=<cluster>` and the EKS cluster security group
   */
  readonly nodeSecurityGroups?: ec2.ISecurityGroup[];
}

const NAMESPACE = 'karpenter';
const SERVICE_ACCOUNT = 'karpenter';
const DISCOVERY_TAG = 'karpenter.sh/discovery';

/**
 * Karpenter (Helm, pinned) as the node autoscaler: a controller role and a
 * node role (with an EC2_LINUX access entry), an encrypted TLS-only SQS
 * interruption queue fed by EventBridge rules (spot interruption, rebalance
 * recommendation, instance state change, AWS Health scheduled change), a
 * Bottlerocket `EC2NodeClass` (IMDSv2, encrypted volumes, subnets and security
 * groups found by the `karpenter.sh/discovery` tag) and `system`, `app`
 * (spot + on-demand) and `gpu` NodePools.
 */
export class Karpenter extends Construct {
  /** Prefix of the EC2NodeClasses: one per pool, `bottlerocket-<pool>` (each with its pool's data volume size). */
  public static readonly NODE_CLASS = 'bottlerocket';

  /** The controller's workload role. */
  public readonly controllerRole: WorkloadRole;
  /** The role of the nodes Karpenter launches. */
  public readonly nodeRole: iam.Role;
  /** The nodes' access entry (EC2_LINUX). */
  public readonly nodeAccessEntry: eks.AccessEntry;
  /** The interruption queue. */
  public readonly interruptionQueue: sqs.Queue;
  /** The EventBridge rules feeding the queue. */
  public readonly interruptionRules: events.Rule[] = [];
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart with its namespace, service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The controller's service account manifest. */
  public readonly serviceAccountManifest: eks.KubernetesManifest;
  /** The EC2NodeClasses and NodePools. */
  public readonly nodePools: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    KeelsonTags.component(this, 'karpenter');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const stack = Stack.of(this);
    const appCpu = props.appCpuLimit ?? 200;
    const gpuCpu = props.gpuCpuLimit ?? 32;
    PropsCheck.inRange(this, 'appCpuLimit', appCpu, 1, 100000);
    PropsCheck.inRange(this, 'gpuCpuLimit', gpuCpu, 0, 100000);
    const pools = NodePoolDefaults.resolve(props.nodePools);
    const families = props.appInstanceFamilies
      ?? NodePoolDefaults.families([...pools.app!.onDemandInstanceTypes!, ...pools.app!.spotInstanceTypes!]);
    if (families.length < 2) {
      PropsCheck.fail(this, 'appInstanceFamilies', `${families.length} instance family cannot keep spot capacity available`, 'list at least two instance families');
    }
    const name = props.clusterName;

    // Subnets where nodes go: found by tag.
    for (const subnet of props.cluster.vpc.privateSubnets) Tags.of(subnet).add(DISCOVERY_TAG, name);

    this.interruptionQueue = new sqs.Queue(this, 'InterruptionQueue', {
      queueName: naming.name('karpenter-interruption', 80),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.minutes(5),
    });
    Validations.of(this.interruptionQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'the Karpenter interruption queue carries EC2/Health notices that are useless after minutes (5-minute retention); Karpenter deletes what it reads and a dead-letter queue would only keep stale notices',
    });
    const sources: [string, string, string[]][] = [
      ['SpotInterruption', 'aws.ec2', ['EC2 Spot Instance Interruption Warning']],
      ['RebalanceRecommendation', 'aws.ec2', ['EC2 Instance Rebalance Recommendation']],
      ['InstanceStateChange', 'aws.ec2', ['EC2 Instance State-change Notification']],
      ['ScheduledChange', 'aws.health', ['AWS Health Event']],
    ];
    for (const [rid, source, detailType] of sources) {
      this.interruptionRules.push(new events.Rule(this, `${rid}Rule`, {
        description: `Karpenter (${name}): ${detailType[0]} to the interruption queue`,
        eventPattern: { source: [source], detailType },
        targets: [new targets.SqsQueue(this.interruptionQueue)],
      }));
    }

    this.nodeRole = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal(`ec2.${stack.urlSuffix}`),
      description: `Nodes launched by Karpenter in ${name}`,
      managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']
        .map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
    });
    Validations.of(this.nodeRole).acknowledge(
      ...[
        ['AmazonEKSWorkerNodePolicy', 'the kubelet must describe the cluster and its instance to join, which EKS grants through this AWS-managed node policy'],
        ['AmazonEKS_CNI_Policy', 'the VPC CNI on Karpenter nodes assigns prefixes/ENIs before any pod identity exists, so the node role carries the AWS-managed CNI policy as on the managed node groups'],
        ['AmazonEC2ContainerRegistryPullOnly', 'nodes pull the EKS system images (pause, CNI, pod identity agent) from ECR with the AWS-managed pull-only policy'],
        ['AmazonSSMManagedInstanceCore', 'Bottlerocket\'s control container is reached through SSM Session Manager, which needs the AWS-managed core policy'],
      ].map(([p, reason]) => ({ id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`, reason: `Karpenter node role: ${reason}` })),
    );
    this.nodeAccessEntry = new eks.AccessEntry(this, 'NodeAccessEntry', {
      cluster: props.cluster,
      principal: this.nodeRole.roleArn,
      accessPolicies: [],
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
    });

    const region = stack.region;
    const ec2Arn = (resource: string, account = '*') => `arn:${Aws.PARTITION}:ec2:${region}:${account}:${resource}`;
    const owned = { [`aws:RequestTag/kubernetes.io/cluster/${name}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': name };
    const launched = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map((r) => ec2Arn(r));
    const profileArn = `arn:${Aws.PARTITION}:iam::${stack.account}:instance-profile/*`;
    const statements = [
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2InstanceAccessActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [ec2Arn('image/*', ''), ec2Arn('snapshot/*', ''), ec2Arn('security-group/*'), ec2Arn('subnet/*'), ec2Arn('capacity-reservation/*')],
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [ec2Arn('launch-template/*')],
        conditions: { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${name}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2InstanceActionsWithTags',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        resources: launched,
        conditions: { StringEquals: owned, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedResourceCreationTagging',
        actions: ['ec2:CreateTags'],
        resources: launched,
        conditions: { StringEquals: { ...owned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] }, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedResourceTagging',
        actions: ['ec2:CreateTags'],
        resources: [ec2Arn('instance/*')],
        conditions: { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${name}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedDeletion',
        actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        resources: [ec2Arn('instance/*'), ec2Arn('launch-template/*')],
        conditions: { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${name}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowRegionalReadActions',
        actions: [
          'ec2:DescribeAvailabilityZones', 'ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances',
          'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets',
        ],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': region } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowSSMReadActions',
        actions: ['ssm:GetParameter'],
        resources: [`arn:${Aws.PARTITION}:ssm:${region}::parameter/aws/service/*`],
      }),
      new iam.PolicyStatement({ sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'AllowInterruptionQueueActions',
        actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        resources: [this.interruptionQueue.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'AllowPassingInstanceRole',
        actions: ['iam:PassRole'],
        resources: [this.nodeRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', `ec2.${stack.urlSuffix}`] } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileCreationActions',
        actions: ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile'],
        resources: [profileArn],
        conditions: {
          StringEquals: { [`aws:RequestTag/kubernetes.io/cluster/${name}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': name, 'aws:RequestTag/topology.kubernetes.io/region': region },
          StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileActions',
        actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
        resources: [profileArn],
        conditions: {
          StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${name}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      }),
      new iam.PolicyStatement({ sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile', 'iam:ListInstanceProfiles'], resources: [profileArn] }),
      new iam.PolicyStatement({
        sid: 'AllowAPIServerEndpointDiscovery',
        actions: ['eks:DescribeCluster'],
        resources: [stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: name })],
      }),
    ];
    this.controllerRole = new WorkloadRole(this, 'ControllerRole', {
      cluster: props.cluster,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `Karpenter controller of ${name} (${NAMESPACE}/${SERVICE_ACCOUNT})`,
      statements,
    });
    NagNames.acknowledgeWildcardResources(this.controllerRole.role, statements.map((statement) => ({
      statement,
      reason: 'Karpenter launches and removes instances, launch templates and instance profiles with generated ids at run time: every write is limited by kubernetes.io/cluster/<cluster>=owned and karpenter.sh tags (the upstream controller policy), reads are limited to this region, and public AMI/SSM/pricing lookups cannot be scoped further',
    })));

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: EksCoreVersions.KARPENTER,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'karpenter',
      namespace: NAMESPACE,
      namespaces: props.namespaces,
      // The controller's state is its NodePools (cluster-scoped, reapplied by CDK) and the nodes themselves.
      backup: false,
      serviceAccount: { role: this.controllerRole },
      // The NodePools below need its CRDs and webhooks.
      wait: true,
      values: {
        settings: { clusterName: name, interruptionQueue: this.interruptionQueue.queueName },
        serviceAccount: { create: false, name: SERVICE_ACCOUNT },
        replicas: 2,
      },
      valueOverrides: props.valueOverrides,
    });
    this.chart = this.platformChart.chart;
    this.serviceAccountManifest = this.platformChart.serviceAccountManifest!;
    // The controller calls EC2, SSM, pricing and the interruption queue (SQS).
    this.platformChart.traffic?.allowAwsApis();

    const nodeGroups = props.nodeSecurityGroups ?? [];
    const disruption = { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' };
    const req = (key: string, values: string[]) => ({ key, operator: 'In', values });
    const linux = [req('kubernetes.io/os', ['linux']), req('kubernetes.io/arch', ['amd64'])];
    // One EC2NodeClass per pool: the data volume size is the pool's, as on the managed node groups.
    const nodeClass = (poolName: string, dataVolumeGiB: number) => ({
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: `${Karpenter.NODE_CLASS}-${poolName}` },
      spec: {
        amiSelectorTerms: [{ alias: 'bottlerocket@latest' }],
        role: this.nodeRole.roleName,
        subnetSelectorTerms: [{ tags: { [DISCOVERY_TAG]: name } }],
        securityGroupSelectorTerms: nodeGroups.length > 0
          // The same groups as the managed node groups' launch templates: the cluster group and the given ones.
          ? [{ id: props.cluster.clusterSecurityGroupId }, ...nodeGroups.map((g) => ({ id: g.securityGroupId }))]
          // Tagged groups, plus the cluster security group EKS tags with the cluster name.
          : [{ tags: { [DISCOVERY_TAG]: name } }, { tags: { 'aws:eks:cluster-name': name } }],
        metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
          { deviceName: '/dev/xvdb', ebs: { volumeSize: `${dataVolumeGiB}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
        ],
        // The platform's tag set (Environment, Project, Owner, Component...) on the instances, volumes and launch templates Karpenter makes.
        tags: effectiveTags(this.nodeRole.node.defaultChild as CfnResource, { 'keelson:cluster': name, [DISCOVERY_TAG]: name, 'keelson:node-pool': poolName }),
      },
    });
    const nodePool = (poolName: string, requirements: any[], cpu: number, labels: Record<string, string>, taints: any[] = []) => ({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: poolName },
      spec: {
        template: {
          metadata: { labels },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: `${Karpenter.NODE_CLASS}-${poolName}` },
            requirements,
            taints,
            expireAfter: '720h',
          },
        },
        limits: { cpu: String(cpu) },
        disruption,
      },
    });
    const system = pools.system!;
    const objects: any[] = [
      nodeClass('system', system.dataVolumeSizeGiB!),
      nodeClass('app', pools.app!.dataVolumeSizeGiB!),
      // The system pool's CPU ceiling is the managed pool's: its maximum node count times its largest instance type's vCPUs.
      nodePool('system', [...linux, req('karpenter.sh/capacity-type', ['on-demand']), req('karpenter.k8s.aws/instance-family', NodePoolDefaults.families(system.instanceTypes!))],
        NodePoolDefaults.maxVcpus(system.instanceTypes!) * system.maxSize!, { [SYSTEM_POOL_LABEL.key]: SYSTEM_POOL_LABEL.value }, [{ key: CRITICAL_ADDONS_TAINT.key, value: CRITICAL_ADDONS_TAINT.value, effect: 'NoSchedule' }]),
      nodePool('app', [...linux, req('karpenter.sh/capacity-type', ['spot', 'on-demand']), req('karpenter.k8s.aws/instance-family', families)], appCpu,
        { [SYSTEM_POOL_LABEL.key]: 'app' }),
    ];
    if (gpuCpu > 0) {
      objects.push(nodeClass('gpu', pools.gpu!.dataVolumeSizeGiB!));
      objects.push(nodePool('gpu', [...linux, req('karpenter.sh/capacity-type', ['spot', 'on-demand']), req('karpenter.k8s.aws/instance-family', NodePoolDefaults.families(pools.gpu!.instanceTypes!))], gpuCpu,
        { [SYSTEM_POOL_LABEL.key]: 'gpu' }, [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NoSchedule' }]));
    }
    this.nodePools = new eks.KubernetesManifest(this, 'NodePools', { cluster: props.cluster, manifest: objects, overwrite: true });
    this.nodePools.node.addDependency(this.chart);
    this.nodePools.node.addDependency(this.nodeAccessEntry);
  }
}
