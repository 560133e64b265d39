import { KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { NagNames, ReasonedStatement } from '@keelson/eks-core';
import { Aws, Stack, Token, Validations } from 'aws-cdk-lib';
import * as grafana from 'aws-cdk-lib/aws-grafana';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of {@link ManagedGrafana}. */
export interface ManagedGrafanaProps extends KeelsonCommonProps {
  /**
   * Amazon Managed Service for Prometheus workspaces Grafana may query (for
   * example the one `metrics.remoteWrite` writes to): the workspace role may
   * run queries on these workspaces only.
   *
   * @default - no Prometheus data source
   */
  readonly prometheusWorkspaceArns?: string[];

  /**
   * Read CloudWatch metrics and this account's logs in this region (Container
   * Insights, load balancers, the cluster's control-plane logs).
   *
   * @default true
   */
  readonly cloudWatch?: boolean;

  /**
   * Description of the workspace.
   *
   * @default 'Keelson platform dashboards'
   */
  readonly description?: string;
}

/**
 * Amazon Managed Grafana, the managed option beside the in-cluster `Grafana`:
 * an `AWS::Grafana::Workspace` in this account, signed in to through IAM
 * Identity Center, with customer-managed permissions: its role may query the
 * given Amazon Managed Service for Prometheus workspaces and read CloudWatch
 * (the actions of the AWS managed policy `AmazonGrafanaCloudWatchAccess`, logs
 * narrowed to this account and region, cross-account `oam:` actions left out),
 * and nothing else. Only the Grafana service, for workspaces of this account,
 * may assume it.
 */
export class ManagedGrafana extends Construct {
  /** The workspace. */
  public readonly workspace: grafana.CfnWorkspace;
  /** The role the workspace reads its data sources with. */
  public readonly role: iam.Role;
  /** The workspace's URL (`<id>.grafana-workspace.<region>.amazonaws.com`). */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: ManagedGrafanaProps = {}) {
    super(scope, id);
    KeelsonTags.component(this, 'managed-grafana');
    const amp = props.prometheusWorkspaceArns ?? [];
    amp.forEach((arn, i) => {
      if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:aps:[a-z0-9-]+:\d{12}:workspace\/ws-[A-Za-z0-9-]+$/.test(arn)) {
        PropsCheck.fail(this, `prometheusWorkspaceArns[${i}]`, `"${arn}" is not an Amazon Managed Service for Prometheus workspace ARN`,
          'give arn:<partition>:aps:<region>:<account>:workspace/ws-<id>');
      }
    });
    const cloudWatch = props.cloudWatch ?? true;
    if (!cloudWatch && amp.length === 0) {
      PropsCheck.fail(this, 'cloudWatch', 'the workspace would have no data source', 'keep cloudWatch on or give prometheusWorkspaceArns');
    }
    const { account, region } = Stack.of(this);

    this.role = new iam.Role(this, 'Role', {
      description: 'Keelson Amazon Managed Grafana: reads its data sources',
      assumedBy: new iam.ServicePrincipal('grafana.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:grafana:${region}:${account}:/workspaces/*` },
        },
      }),
    });
    const statements: ReasonedStatement[] = [];
    if (amp.length) {
      statements.push({
        statement: new iam.PolicyStatement({
          sid: 'QueryPrometheus', actions: ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata'], resources: amp,
        }),
        reason: 'the given workspaces only',
      });
    }
    if (cloudWatch) {
      const noResource = 'CloudWatch metric, alarm, EC2 describe and tag look-ups accept no resource ARN (AmazonGrafanaCloudWatchAccess grants them on *); all are read-only';
      statements.push(
        {
          statement: new iam.PolicyStatement({
            sid: 'ReadMetrics',
            actions: [
              'cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms', 'cloudwatch:ListMetrics',
              'cloudwatch:GetMetricStatistics', 'cloudwatch:GetMetricData', 'cloudwatch:GetInsightRuleReport',
              'ec2:DescribeTags', 'ec2:DescribeInstances', 'ec2:DescribeRegions', 'tag:GetResources',
            ],
            resources: ['*'],
          }),
          reason: noResource,
        },
        {
          statement: new iam.PolicyStatement({
            sid: 'ReadLogs',
            actions: ['logs:DescribeLogGroups', 'logs:GetLogGroupFields', 'logs:StartQuery', 'logs:StopQuery', 'logs:GetQueryResults', 'logs:GetLogEvents'],
            resources: [`arn:${Aws.PARTITION}:logs:${region}:${account}:log-group:*`],
          }),
          reason: 'Logs Insights queries read whichever log group a dashboard names (control-plane, Container Insights, flow logs); read-only, this account and region only',
        },
      );
    }
    statements.forEach((s) => this.role.addToPrincipalPolicy(s.statement));
    NagNames.acknowledgeWildcardResources(this.role, statements);
    Validations.of(this.role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'the statements belong to this one workspace role: inline keeps them deleted with it and never attachable elsewhere',
    });

    this.workspace = new grafana.CfnWorkspace(this, 'Workspace', {
      name: ResourceNaming.of(this, props.environmentSuffix).name('grafana'),
      description: props.description ?? 'Keelson platform dashboards',
      accountAccessType: 'CURRENT_ACCOUNT',
      authenticationProviders: ['AWS_SSO'],
      permissionType: 'CUSTOMER_MANAGED',
      roleArn: this.role.roleArn,
      dataSources: [...amp.length ? ['PROMETHEUS'] : [], ...cloudWatch ? ['CLOUDWATCH'] : []],
    });
    this.workspace.node.addDependency(this.role);
    // aws-cdk-lib renders the platform's tags on the workspace, but cfn-lint's schema of
    // AWS::Grafana::Workspace (1.51) has no Tags property and fails the template (E3002): the
    // workspace goes untagged so the lint gate keeps checking every other property of it.
    this.workspace.addPropertyDeletionOverride('Tags');
    this.url = `https://${this.workspace.attrEndpoint}`;
  }
}
