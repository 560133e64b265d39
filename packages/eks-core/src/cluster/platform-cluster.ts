import { IamRoleArn, KeelsonCommonProps, KeelsonTags, KeyPolicies, LibraryFunctions, PropsCheck, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { CfnCondition, CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EKS_USE_NATIVE_OIDC_PROVIDER } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { ClusterAccessGroups } from './access-groups';
import { PlatformAddonsOptions } from './addon-options';
import { ClusterAccessOptions } from './cluster-access-options';
import { EndpointAccessMode } from './endpoint-access-mode';
import { PlatformKubernetesVersion } from './kubernetes-version';
import { ManagedAddons } from './managed-addons';
import { NodePool } from './node-pool';
import { NodePoolDefaults } from './node-pool-defaults';
import { AppNodePoolOptions, GpuNodePoolOptions, PlatformNodePoolsOptions } from './node-pool-options';
import { NodePoolTemplate } from './node-pool-template';
import { CRITICAL_ADDONS_TAINT, GPU_TAINT, SYSTEM_POOL_LABEL } from '../private/pool-defaults';
import { DEFAULT_WORKLOAD_NAMESPACES } from '../private/services';
import { checkPublicAccessCidrs } from '../private/validation';

/** Properties of a {@link PlatformCluster}. */
export interface PlatformClusterProps extends KeelsonCommonProps {
  /** The VPC: control plane ENIs and nodes go in its private subnets. */
  readonly vpc: ec2.IVpc;

  /**
   * Kubernetes version and its kubectl layer.
   *
   * @default PlatformKubernetesVersion.DEFAULT
   */
  readonly version?: PlatformKubernetesVersion;

  /**
   * Cluster name (1–100 letters, digits, hyphens, underscores).
   *
   * @default `platform-<environmentSuffix>`
   */
  readonly clusterName?: string;

  /**
   * Endpoint access.
   *
   * @default EndpointAccessMode.PUBLIC_AND_PRIVATE
   */
  readonly endpointAccess?: EndpointAccessMode;

  /**
   * CIDR blocks allowed to reach the public endpoint. Required (non-empty)
   * while the public endpoint is on; `0.0.0.0/0` only if you write it.
   *
   * @default - none (fails unless endpointAccess is PRIVATE)
   */
  readonly publicAccessCidrs?: string[];

  /**
   * KMS key for envelope encryption of Kubernetes secrets.
   *
   * @default - a new key with rotation, removed per `removalPolicy`
   */
  readonly secretsKey?: kms.IKey;

  /**
   * Retention of the control-plane log group `/aws/eks/<name>/cluster`.
   *
   * @default logs.RetentionDays.ONE_WEEK
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Access entries by persona.
   *
   * @default - only the deploying principal (cluster creator) is admin
   */
  readonly access?: ClusterAccessOptions;

  /**
   * Node pools.
   *
   * @default - system, app (on-demand + spot) and gpu pools with their defaults
   */
  readonly nodePools?: PlatformNodePoolsOptions;

  /**
   * The control plane's additional security group (aws-eks-v2 `securityGroup`:
   * on the cluster's ENIs beside the EKS cluster security group), for example
   * `PlatformNetwork.securityGroups.controlPlane`.
   * @default - aws-eks-v2 creates one that admits nothing and allows all egress
   */
  readonly securityGroup?: ec2.ISecurityGroup;

  /**
   * Security groups every node carries beside the EKS cluster security group:
   * the managed node groups' launch templates and Karpenter's EC2NodeClasses
   * name them all, for example the platform's nodes group and the peering group.
   * @default - the nodes carry only the EKS cluster security group
   */
  readonly nodeSecurityGroups?: ec2.ISecurityGroup[];

  /**
   * Managed add-ons.
   *
   * @default - all on, pinned versions
   */
  readonly addons?: PlatformAddonsOptions;
}

/** Control-plane log types Keelson turns on: all of them. */
const CONTROL_PLANE_LOGS = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

/**
 * A production EKS cluster (aws-eks-v2): managed node groups on Bottlerocket
 * (no Auto Mode), API authentication through access entries, secrets
 * envelope-encrypted with KMS, every control-plane log type in a KMS-encrypted
 * log group, an IAM OIDC provider for IRSA, pinned managed add-ons and one
 * kubectl provider for manifests and charts.
 */
export class PlatformCluster extends Construct {
  /** The cluster (aws-eks-v2); pass it wherever an `eks.ICluster` is asked for. */
  public readonly cluster: eks.Cluster;
  /** The cluster's name. */
  public readonly clusterName: string;
  /** The Kubernetes version. */
  public readonly version: PlatformKubernetesVersion;
  /** The key encrypting Kubernetes secrets. */
  public readonly secretsKey: kms.IKey;
  /** The key encrypting the control-plane log group. */
  public readonly logKey: kms.Key;
  /** The control-plane log group `/aws/eks/<name>/cluster`. */
  public readonly logGroup: logs.LogGroup;
  /** The IAM OIDC provider (IRSA). */
  public readonly openIdConnectProvider: iam.IOpenIdConnectProvider;
  /**
   * The managed node pools, by node group name (each `NodePool` holds its
   * `nodegroup`; one attribute per concept, so there is no separate map of node groups).
   */
  public readonly nodePools: { [name: string]: NodePool };
  /** The system/app/gpu pool definitions with every default filled in (`NodePoolDefaults.resolve`): Karpenter and dr read them. */
  public readonly nodePoolOptions: PlatformNodePoolsOptions;
  /** The managed add-ons. */
  public readonly addons: ManagedAddons;
  /** The namespaces developers may edit (`access.developerNamespaces`): the access entry's scope, and where `PlatformNamespaces` binds the developer Role. */
  public readonly developerNamespaces: string[];
  /** The cluster's single kubectl provider (every manifest and chart goes through it). */
  public readonly kubectlProvider?: eks.IKubectlProvider;
  /** The role of the kubectl provider's handler (it has a cluster-admin access entry). */
  public readonly kubectlRole?: iam.IRole;
  /** Security groups the nodes carry beside the EKS cluster security group (empty: that group alone). */
  public readonly nodeSecurityGroups: ec2.ISecurityGroup[];

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    KeelsonTags.component(this, 'eks-cluster');
    // A native AWS::IAM::OIDCProvider instead of aws-cdk-lib's custom resource (one Lambda fewer).
    this.node.setContext(EKS_USE_NATIVE_OIDC_PROVIDER, true);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const removal = StatefulRemoval.of(props.removalPolicy);

    this.version = props.version ?? PlatformKubernetesVersion.DEFAULT;
    if (Number.isNaN(this.version.minor)) {
      PropsCheck.fail(this, 'version', `"${this.version.version}" is not a Kubernetes version`, `write it as 1.<minor>, for example ${PlatformKubernetesVersion.DEFAULT.version}`);
    }
    if (!this.version.hasKubectlLayer) {
      PropsCheck.fail(this, 'version', `Kubernetes ${this.version.version} has no kubectl layer, so manifests and Helm charts cannot be applied`,
        `use PlatformKubernetesVersion.DEFAULT, or pass the matching layer: PlatformKubernetesVersion.of('${this.version.version}', new KubectlV${this.version.minor}Layer(this, 'KubectlLayer')) from @aws-cdk/lambda-layer-kubectl-v${this.version.minor}`);
    }

    this.clusterName = props.clusterName ?? naming.name('platform', 100);
    if (!Token.isUnresolved(this.clusterName) && !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(this.clusterName)) {
      PropsCheck.fail(this, 'clusterName', `"${this.clusterName}" is not a valid EKS cluster name`, 'use 1–100 letters, digits, hyphens or underscores, starting with a letter or digit');
    }

    const mode = props.endpointAccess ?? EndpointAccessMode.PUBLIC_AND_PRIVATE;
    const publicAccess = mode === EndpointAccessMode.PUBLIC_AND_PRIVATE;
    checkPublicAccessCidrs(this, publicAccess, props.publicAccessCidrs);
    const endpointAccess = publicAccess
      ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...props.publicAccessCidrs!)
      : eks.EndpointAccess.PRIVATE;

    this.secretsKey = props.secretsKey ?? new kms.Key(this, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${this.clusterName}`,
      enableKeyRotation: true,
      ...removal.key,
    });

    const logGroupName = `/aws/eks/${this.clusterName}/cluster`;
    this.logKey = new kms.Key(this, 'LogKey', {
      description: `Encryption of the EKS control-plane log group ${logGroupName}`,
      enableKeyRotation: true,
      ...removal.key,
    });
    KeyPolicies.allowCloudWatchLogs(this.logKey, logGroupName);
    this.logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName,
      encryptionKey: this.logKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_WEEK,
      removalPolicy: removal.policy,
    });
    // The key policy must be in place before CloudWatch Logs checks it.
    this.logGroup.node.addDependency(this.logKey);

    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: this.clusterName,
      version: this.version.eksVersion,
      vpc: props.vpc,
      securityGroup: props.securityGroup,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: CONTROL_PLANE_LOGS,
      // Managed node groups below; no Auto Mode, no default capacity.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      kubectlProviderOptions: { kubectlLayer: this.version.kubectlLayer(this, 'KubectlLayer')! },
      tags: { 'keelson:cluster': this.clusterName },
    });
    // EKS writes into the log group we created (with our key and retention) only if it exists first.
    this.cluster.node.addDependency(this.logGroup);
    this.openIdConnectProvider = this.cluster.openIdConnectProvider;
    this.kubectlProvider = this.cluster.kubectlProvider;
    this.kubectlRole = this.kubectlProvider?.role;

    this.developerNamespaces = props.access?.developerNamespaces ?? DEFAULT_WORKLOAD_NAMESPACES;
    this.grantAccess(props.access ?? {});

    this.nodeSecurityGroups = props.nodeSecurityGroups ?? [];
    this.nodePools = {};
    this.nodePoolOptions = NodePoolDefaults.resolve(props.nodePools);
    this.addNodePools(this.nodePoolOptions);

    this.addons = new ManagedAddons(this, 'Addons', {
      cluster: this.cluster,
      kubernetesVersion: this.version.version,
      addons: props.addons,
    });
    // Nodes join with the CNI configured (prefix delegation sizes max-pods); pods that need nodes wait for the system pool.
    for (const pool of Object.values(this.nodePools)) {
      if (this.addons.vpcCni) pool.node.addDependency(this.addons.vpcCni);
    }
    const system = this.nodePools.system;
    for (const a of [this.addons.coreDns, this.addons.ebsCsi]) {
      if (a) a.node.addDependency(system);
    }

    this.acknowledgeLibraryFindings();
  }

  private grantAccess(access: ClusterAccessOptions): void {
    const namespaces = this.developerNamespaces;
    const developers = access.developerRoleArns ?? [];
    if (developers.length > 0 && namespaces.length === 0) {
      PropsCheck.fail(this, 'access.developerNamespaces', 'developer roles are given but no namespace to scope them to', 'list the namespaces developers may edit');
    }
    const personas: { field: string; id: string; arns: string[]; policy: eks.IAccessPolicy; groups?: string[] }[] = [
      {
        field: 'access.adminRoleArns',
        id: 'Admin',
        arns: access.adminRoleArns ?? [],
        policy: eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
      },
      {
        field: 'access.developerRoleArns',
        id: 'Developer',
        arns: developers,
        policy: eks.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces }),
        groups: [ClusterAccessGroups.DEVELOPERS],
      },
      {
        field: 'access.readOnlyRoleArns',
        id: 'ReadOnly',
        arns: access.readOnlyRoleArns ?? [],
        policy: eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
        groups: [ClusterAccessGroups.READ_ONLY],
      },
    ];
    for (const persona of personas) {
      persona.arns.forEach((arn, i) => {
        IamRoleArn.check(this, persona.field, arn);
        this.cluster.grantAccess(`${persona.id}Access${i}`, arn, [persona.policy]);
        // Kubernetes groups let namespaced RBAC (PlatformNamespaces) bind to the persona.
        const entry = this.cluster.node.tryFindChild(`${persona.id}Access${i}`);
        const cfnEntry = entry?.node.defaultChild as eks.CfnAccessEntry | undefined;
        if (persona.groups && cfnEntry) cfnEntry.kubernetesGroups = persona.groups;
      });
    }
  }

  private addNodePools(given: PlatformNodePoolsOptions): void {
    const options = NodePoolDefaults.resolve(given);
    const add = (pool: NodePool) => {
      const name = pool.node.id;
      this.nodePools[name] = pool;
    };
    const sys = options.system!;
    add(new NodePool(this, 'system', {
      cluster: this.cluster,
      clusterName: this.clusterName,
      securityGroups: this.nodeSecurityGroups,
      nodegroupName: 'system',
      template: NodePoolTemplate.SYSTEM,
      instanceTypes: sys.instanceTypes!,
      minSize: sys.minSize!,
      maxSize: sys.maxSize!,
      desiredSize: sys.desiredSize!,
      dataVolumeSizeGiB: sys.dataVolumeSizeGiB,
      imdsHopLimit: sys.imdsHopLimit,
      labels: { [SYSTEM_POOL_LABEL.key]: SYSTEM_POOL_LABEL.value },
      taints: [{ ...CRITICAL_ADDONS_TAINT, effect: eks.TaintEffect.NO_SCHEDULE }],
    }));

    const app = options.app!;
    if (app.enabled) this.addAppNodePools(app, add);
    this.addGpuNodePool(options.gpu!, add);
  }

  private addAppNodePools(app: AppNodePoolOptions, add: (pool: NodePool) => void): void {
    const spotPercentage = app.spotPercentage!;
    PropsCheck.inRange(this, 'nodePools.app.spotPercentage', spotPercentage, 0, 100);
    const min = app.minSize!;
    const max = app.maxSize!;
    const desired = app.desiredSize!;
    PropsCheck.scalingOrder(this, 'nodePools.app (minSize/desiredSize/maxSize)', min, desired, max);
    const spotShare = (n: number) => Math.round((n * spotPercentage) / 100);
    const appLabels = { [SYSTEM_POOL_LABEL.key]: 'app' };
    if (spotPercentage < 100) {
      add(new NodePool(this, 'app-on-demand', {
        cluster: this.cluster,
        clusterName: this.clusterName,
        securityGroups: this.nodeSecurityGroups,
        nodegroupName: 'app-on-demand',
        template: NodePoolTemplate.APP,
        capacityType: eks.CapacityType.ON_DEMAND,
        instanceTypes: app.onDemandInstanceTypes!,
        minSize: min - spotShare(min),
        desiredSize: desired - spotShare(desired),
        maxSize: Math.max(1, max - spotShare(max)),
        dataVolumeSizeGiB: app.dataVolumeSizeGiB,
        labels: appLabels,
      }));
    }
    if (spotPercentage > 0) {
      add(new NodePool(this, 'app-spot', {
        cluster: this.cluster,
        clusterName: this.clusterName,
        securityGroups: this.nodeSecurityGroups,
        nodegroupName: 'app-spot',
        template: NodePoolTemplate.APP,
        capacityType: eks.CapacityType.SPOT,
        instanceTypes: app.spotInstanceTypes!,
        minSize: spotShare(min),
        desiredSize: spotShare(desired),
        maxSize: Math.max(1, spotShare(max)),
        dataVolumeSizeGiB: app.dataVolumeSizeGiB,
        labels: appLabels,
      }));
    }
  }

  private addGpuNodePool(gpu: GpuNodePoolOptions, add: (pool: NodePool) => void): void {
    if (gpu.enabled) {
      add(new NodePool(this, 'gpu', {
        cluster: this.cluster,
        clusterName: this.clusterName,
        securityGroups: this.nodeSecurityGroups,
        nodegroupName: 'gpu',
        template: NodePoolTemplate.GPU,
        instanceTypes: gpu.instanceTypes!,
        minSize: gpu.minSize!,
        desiredSize: gpu.desiredSize!,
        maxSize: gpu.maxSize!,
        dataVolumeSizeGiB: gpu.dataVolumeSizeGiB,
        labels: { [SYSTEM_POOL_LABEL.key]: 'gpu' },
        taints: [{ ...GPU_TAINT, effect: eks.TaintEffect.NO_SCHEDULE }],
      }));
    }
  }

  /**
   * Findings caused by resources aws-cdk-lib's aws-eks-v2 creates, acknowledged
   * here (with the reason) so every user of PlatformCluster inherits them.
   */
  private acknowledgeLibraryFindings(): void {
    const iam4 = (policy: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`;
    Validations.of(this.cluster.role).acknowledge({
      id: iam4('AmazonEKSClusterPolicy'),
      reason: 'EKS requires the AWS managed AmazonEKSClusterPolicy on the cluster service role; aws-eks-v2 attaches it',
    });
    Validations.of(this.cluster.node.defaultChild as CfnElement).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason: 'aws-eks-v2 writes EncryptionConfig.Resources ["secrets"], the only value EKS accepts; the schema marks it deprecated but the cluster still needs it for envelope encryption',
    });

    const provider = this.cluster.node.tryFindChild('KubectlProvider');
    const handler = provider?.node.tryFindChild('Handler') as lambda.Function | undefined;
    if (!provider || !handler) return;
    const stack = Stack.of(this);
    const handlerId = stack.getLogicalId(handler.node.defaultChild as CfnElement);
    const ecrPublic = handler.node.tryFindChild('HasEcrPublic') as CfnCondition | undefined;
    const library = 'the kubectl provider (kubectl/helm handler and its custom resource framework) is created by aws-cdk-lib aws-eks-v2 and its code is not ours to change';
    LibraryFunctions.acknowledge(provider, {
      createdBy: library,
      inlinePolicies: 'the default policies of its roles allow assuming the kubectl role and invoking its own handler, nothing else',
    });
    const acks = [
      { id: iam4('service-role/AWSLambdaVPCAccessExecutionRole'), reason: `${library}; the functions run in the private subnets to reach the private endpoint, which needs AWSLambdaVPCAccessExecutionRole for their ENIs` },
      { id: iam4('AmazonEC2ContainerRegistryReadOnly'), reason: `${library}; helm pulls OCI charts from ECR with AmazonEC2ContainerRegistryReadOnly` },
      { id: `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`, reason: `${library}; the framework must invoke any version/alias of its own onEvent handler (<handler ARN>:*), no other function` },
    ];
    if (ecrPublic) {
      const conditional = JSON.stringify({
        'Fn::If': [stack.getLogicalId(ecrPublic), { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly']] }, { Ref: 'AWS::NoValue' }],
      });
      acks.push({ id: `AwsSolutions-IAM4[Policy::${conditional}]`, reason: `${library}; helm pulls public OCI charts from ECR Public (aws partition only) with AmazonElasticContainerRegistryPublicReadOnly` });
    }
    Validations.of(provider).acknowledge(...acks);
  }
}
