import { InheritedTags, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Fn, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { NodePoolTemplate } from './node-pool-template';
import { NodeTaint } from './node-taint';
import { readUserDataTemplate, renderNodeUserData } from '../private/user-data';
import { checkGpuInstanceTypes, checkInstanceTypes, commonArchitecture } from '../private/validation';

/** Properties of a {@link NodePool}. */
export interface NodePoolProps {
  /** The cluster the nodes join. */
  readonly cluster: eks.ICluster;

  /**
   * The cluster's name as a plain string (user data and Cluster Autoscaler
   * tag keys need it at synth).
   */
  readonly clusterName: string;

  /** Name of the managed node group. */
  readonly nodegroupName: string;

  /** Which `userdata/*.toml` template to render; GPU selects the Bottlerocket NVIDIA AMI. */
  readonly template: NodePoolTemplate;

  /** EC2 instance types; SPOT needs at least two, GPU only GPU families. */
  readonly instanceTypes: string[];

  /**
   * On-demand or spot.
   *
   * @default eks.CapacityType.ON_DEMAND
   */
  readonly capacityType?: eks.CapacityType;

  /** Minimum number of nodes. */
  readonly minSize: number;

  /** Maximum number of nodes (at least 1). */
  readonly maxSize: number;

  /** Desired number of nodes at creation. */
  readonly desiredSize: number;

  /**
   * Kubernetes labels of every node (written to the node group and to the user data).
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Kubernetes taints of every node (written to the node group and to the user data).
   *
   * @default - none
   */
  readonly taints?: NodeTaint[];

  /**
   * Size of the Bottlerocket data volume (`/dev/xvdb`: images, containers, logs) in GiB.
   *
   * @default 50
   */
  readonly dataVolumeSizeGiB?: number;

  /**
   * IMDSv2 hop limit. 1 keeps pods (other than host-network daemons) away
   * from the instance metadata service; they get credentials through IRSA or Pod Identity.
   *
   * @default 1
   */
  readonly imdsHopLimit?: number;

  /**
   * kubelet `max-pods`. 110 fits VPC CNI prefix delegation.
   *
   * @default 110
   */
  readonly maxPods?: number;

  /**
   * CPU reserved for Kubernetes daemons (`kube-reserved`).
   *
   * @default '90m'
   */
  readonly kubeReservedCpu?: string;

  /**
   * Memory reserved for Kubernetes daemons (`kube-reserved`).
   *
   * @default - the EKS formula for the pod density: `(255 + 11 × maxPods)Mi` (1465Mi at 110 pods)
   */
  readonly kubeReservedMemory?: string;

  /**
   * Security groups of the nodes beside the EKS cluster security group. When
   * any is given, the launch template names them together with the cluster
   * group (a launch template's groups replace the ones EKS would attach).
   * @default - only the EKS cluster security group, attached by EKS
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Subnets of the nodes.
   *
   * @default - the VPC's private subnets
   */
  readonly subnets?: ec2.SubnetSelection;
}

/**
 * One EKS managed node group of Bottlerocket nodes on a launch template:
 * no image id (EKS picks the AMI for the cluster version), user data rendered
 * from the package's TOML template, IMDSv2 required, encrypted gp3 volumes,
 * and Cluster Autoscaler discovery tags.
 *
 * The launch template's `TagSpecifications` carry the pool's tags (the
 * Keelson tag set and `Component`, as the tag aspects apply them here) to the
 * EC2 instances, EBS volumes and network interfaces the node group starts:
 * CloudFormation tags none of them, and they are the platform's largest cost.
 */
export class NodePool extends Construct {
  /** The managed node group. */
  public readonly nodegroup: eks.Nodegroup;
  /** The launch template. */
  public readonly launchTemplate: ec2.CfnLaunchTemplate;
  /** The rendered Bottlerocket TOML user data. */
  public readonly userData: string;
  /** The AMI type chosen for the instance types. */
  public readonly amiType: eks.NodegroupAmiType;
  /** The tags the launch template gives the instances, volumes and network interfaces. */
  public readonly instanceTags: InheritedTags;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    KeelsonTags.component(this, 'eks-node-pool');
    const capacityType = props.capacityType ?? eks.CapacityType.ON_DEMAND;
    const gpu = props.template === NodePoolTemplate.GPU;

    if (capacityType === eks.CapacityType.SPOT && props.instanceTypes.length < 2) {
      PropsCheck.fail(this, 'instanceTypes', `a spot node group with ${props.instanceTypes.length} instance type(s) has no capacity diversity and is interrupted all at once`,
        'list at least 2 instance types of similar size for spot (for example m7i.xlarge, m6i.xlarge, m6a.xlarge)');
    }
    checkInstanceTypes(this, 'instanceTypes', props.instanceTypes);
    if (gpu) checkGpuInstanceTypes(this, 'instanceTypes', props.instanceTypes);
    const arch = commonArchitecture(this, 'instanceTypes', props.instanceTypes);
    PropsCheck.inRange(this, 'maxSize', props.maxSize, 1, 1000);
    PropsCheck.scalingOrder(this, 'minSize/desiredSize/maxSize', props.minSize, props.desiredSize, props.maxSize);
    PropsCheck.inRange(this, 'imdsHopLimit', props.imdsHopLimit ?? 1, 1, 2);
    PropsCheck.inRange(this, 'maxPods', props.maxPods ?? 110, 8, 737);
    PropsCheck.inRange(this, 'dataVolumeSizeGiB', props.dataVolumeSizeGiB ?? 50, 20, 16384);

    if (gpu) {
      this.amiType = arch === 'arm64' ? eks.NodegroupAmiType.BOTTLEROCKET_ARM_64_NVIDIA : eks.NodegroupAmiType.BOTTLEROCKET_X86_64_NVIDIA;
    } else {
      this.amiType = arch === 'arm64' ? eks.NodegroupAmiType.BOTTLEROCKET_ARM_64 : eks.NodegroupAmiType.BOTTLEROCKET_X86_64;
    }

    const labels = props.labels ?? {};
    const taints = props.taints ?? [];
    this.userData = renderNodeUserData(readUserDataTemplate(props.template), {
      clusterName: props.clusterName,
      maxPods: props.maxPods ?? 110,
      kubeReservedCpu: props.kubeReservedCpu ?? '90m',
      kubeReservedMemory: props.kubeReservedMemory ?? `${255 + 11 * (props.maxPods ?? 110)}Mi`,
      labels,
      taints: taints.map((t) => ({ key: t.key, value: t.value, effect: kubernetesEffect(t.effect) })),
    });

    const ebs = (size?: number): ec2.CfnLaunchTemplate.EbsProperty => ({
      volumeType: 'gp3', encrypted: true, deleteOnTermination: true, volumeSize: size,
    });
    this.instanceTags = new InheritedTags(this, 'InstanceTags', { resourceTypeName: 'AWS::EC2::Instance' });
    this.launchTemplate = new ec2.CfnLaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateData: {
        tagSpecifications: this.instanceTags.launchTemplateTagSpecifications(NODE_RESOURCE_TYPES),
        // No ImageId: EKS picks the Bottlerocket AMI of the node group's amiType and merges this TOML.
        userData: Fn.base64(ec2.UserData.custom(this.userData).render()),
        blockDeviceMappings: [
          // Bottlerocket OS volume: size comes from the AMI snapshot.
          { deviceName: '/dev/xvda', ebs: ebs() },
          // Bottlerocket data volume: container images, ephemeral storage, logs.
          { deviceName: '/dev/xvdb', ebs: ebs(props.dataVolumeSizeGiB ?? 50) },
        ],
        ...(props.securityGroups && props.securityGroups.length > 0 ? {
          securityGroupIds: [props.cluster.clusterSecurityGroupId, ...props.securityGroups.map((g) => g.securityGroupId)],
        } : {}),
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpTokens: 'required',
          httpPutResponseHopLimit: props.imdsHopLimit ?? 1,
        },
      },
    });

    this.nodegroup = new eks.Nodegroup(this, 'Nodegroup', {
      cluster: props.cluster,
      nodegroupName: props.nodegroupName,
      amiType: this.amiType,
      capacityType,
      instanceTypes: props.instanceTypes.map((t) => new ec2.InstanceType(t)),
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredSize: props.desiredSize,
      labels,
      taints,
      subnets: props.subnets,
      launchTemplateSpec: { id: this.launchTemplate.ref, version: this.launchTemplate.attrLatestVersionNumber },
      tags: {
        'k8s.io/cluster-autoscaler/enabled': 'true',
        [`k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned',
      },
    });

    const nodePolicies = 'EKS managed node groups need the AWS managed node policies on the node role (EKS validates them); aws-eks-v2 attaches them';
    Validations.of(this.nodegroup.role).acknowledge(
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy]', reason: `${nodePolicies}: AmazonEKSWorkerNodePolicy lets the kubelet describe the cluster and its instance` },
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly]', reason: `${nodePolicies}: AmazonEC2ContainerRegistryReadOnly lets the node pull images from ECR` },
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKS_CNI_Policy]', reason: `${nodePolicies}: AmazonEKS_CNI_Policy lets the VPC CNI (aws-node, host network) attach ENIs and assign prefixes` },
    );
  }
}

/**
 * What a node pool's launch template starts, each tagged through `TagSpecifications`.
 * EC2 launch templates accept `network-interface` (API `LaunchTemplateTagSpecificationRequest`),
 * and the EKS guide ("Customize managed nodes with launch templates") prohibits no tag resource
 * type, only a subnet in the network interfaces, the instance profile and shutdown behaviour;
 * eksctl's and terraform-aws-eks's managed node group launch templates tag the same three types.
 */
const NODE_RESOURCE_TYPES = ['instance', 'volume', 'network-interface'];

function kubernetesEffect(effect: eks.TaintEffect): string {
  switch (effect) {
    case eks.TaintEffect.NO_SCHEDULE: return 'NoSchedule';
    case eks.TaintEffect.PREFER_NO_SCHEDULE: return 'PreferNoSchedule';
    case eks.TaintEffect.NO_EXECUTE: return 'NoExecute';
    default: return String(effect);
  }
}
