import { KeelsonTags, StatefulRemoval } from '@keelson/conventions';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EksCoreVersions } from '../eks-core-versions';
import { VersionCatalogue } from '../kit/version-pin';
import { WorkloadIdentity } from '../kit/workload-identity';
import { WorkloadRole } from '../kit/workload-role';

/** Options of CloudWatch Container Insights (also used by `PlatformServices`). */
export interface ContainerInsightsOptions {
  /**
   * Install it (read by `PlatformServices` only).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Add-on version.
   *
   * @default EksCoreVersions.CLOUDWATCH_OBSERVABILITY
   */
  readonly version?: string;

  /**
   * How the CloudWatch agent gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;
}

/** Properties of {@link ContainerInsights}. */
export interface ContainerInsightsProps extends ContainerInsightsOptions {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * Removal policy of the add-on.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * CloudWatch Container Insights with enhanced observability, through the
 * pinned `amazon-cloudwatch-observability` managed add-on and a workload role
 * for `amazon-cloudwatch/cloudwatch-agent` with `CloudWatchAgentServerPolicy`.
 */
export class ContainerInsights extends Construct {
  /** The add-on. */
  public readonly addon: eks.Addon;
  /** The CloudWatch agent's workload role. */
  public readonly role: WorkloadRole;

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'container-insights');
    const version = props.version ?? EksCoreVersions.CLOUDWATCH_OBSERVABILITY.version;
    VersionCatalogue.checkAddonVersion(this, 'version', version);
    this.role = new WorkloadRole(this, 'Role', {
      cluster: props.cluster,
      namespace: 'amazon-cloudwatch',
      serviceAccount: 'cloudwatch-agent',
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')],
      description: 'CloudWatch agent of Container Insights (amazon-cloudwatch/cloudwatch-agent)',
    });
    Validations.of(this.role.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy]',
      reason: 'CloudWatchAgentServerPolicy is the AWS-maintained policy the amazon-cloudwatch-observability add-on documents for its agent (metrics, the /aws/containerinsights/* log groups, X-Ray segments, EC2 tags); it follows new agent features that a hand-written copy would miss',
    });
    this.addon = new eks.Addon(this, 'Addon', {
      cluster: props.cluster,
      addonName: 'amazon-cloudwatch-observability',
      addonVersion: version,
      removalPolicy: StatefulRemoval.of(props.removalPolicy).policy,
      configurationValues: {
        agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } } },
        containerLogs: { enabled: true },
      },
    });
    const cfn = this.addon.node.defaultChild as eks.CfnAddon;
    if (this.role.identity === WorkloadIdentity.IRSA) {
      cfn.serviceAccountRoleArn = this.role.role.roleArn;
    }
    this.addon.node.addDependency(this.role);
  }
}
