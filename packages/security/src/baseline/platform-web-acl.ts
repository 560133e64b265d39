import { KeelsonCommonProps, KeelsonTags, KeyPolicies, PropsCheck, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PlatformKey } from './platform-key';
import { checkOneOf } from '../private/validation';

/** WAF's smallest allowed rate-based limit (requests per evaluation window). */
const MIN_RATE_LIMIT = 10;
/** WAF's largest allowed rate-based limit. */
const MAX_RATE_LIMIT = 2_000_000_000;
/** The evaluation windows WAF accepts, in seconds. */
const RATE_WINDOWS = [60, 120, 300, 600];

/** Options of {@link PlatformWebAcl}, shared with the {@link SecurityBaseline} facade. */
export interface PlatformWebAclOptions {
  /**
   * Requests one client IP may send per `rateLimitWindow` before it is
   * blocked. WAF accepts 10 to 2,000,000,000.
   * @default 2000
   */
  readonly rateLimit?: number;

  /**
   * The window the rate limit counts over: 1, 2, 5 or 10 minutes.
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;

  /**
   * Rules of AWSManagedRulesCommonRuleSet to switch to COUNT (for example
   * `SizeRestrictions_BODY` for services accepting uploads over 8 KB).
   * @default - every rule blocks
   */
  readonly commonRuleSetCountOnly?: string[];

  /**
   * Retention of the WAF log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Key for the WAF log group. An imported key must already allow CloudWatch Logs.
   * @default - a key is created (alias `alias/waf-logs-<suffix>`)
   */
  readonly encryptionKey?: kms.IKey;
}

/** Props of {@link PlatformWebAcl}. */
export interface PlatformWebAclProps extends PlatformWebAclOptions, KeelsonCommonProps {}

/**
 * A regional WAF web ACL for the platform's Application Load Balancers: AWS
 * managed rule groups (IP reputation, common rule set, known bad inputs), a
 * per-IP rate limit, metrics and sampled requests, and logging to an
 * encrypted `aws-waf-logs-` log group.
 */
export class PlatformWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The web ACL's ARN, for associations (`alb.ingress.kubernetes.io/wafv2-acl-arn`). */
  public readonly webAclArn: string;
  /** The WAF log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformWebAclProps = {}) {
    super(scope, id);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    KeelsonTags.component(this, 'waf');

    const rateLimit = props.rateLimit ?? 2000;
    PropsCheck.inRange(this, 'rateLimit', rateLimit, MIN_RATE_LIMIT, MAX_RATE_LIMIT);
    const windowSeconds = (props.rateLimitWindow ?? Duration.minutes(5)).toSeconds();
    checkOneOf(this, 'rateLimitWindow (seconds)', windowSeconds, RATE_WINDOWS);

    const name = naming.name('platform-web-acl', 128);
    const metric = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName,
    });
    const managed = (priority: number, ruleName: string, countOnly: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
      name: ruleName,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: ruleName,
          ruleActionOverrides: countOnly.length > 0 ? countOnly.map((r) => ({ name: r, actionToUse: { count: {} } })) : undefined,
        },
      },
      visibilityConfig: metric(ruleName),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name,
      description: 'Keelson platform ALBs: AWS managed rules and a per-IP rate limit',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: metric(name),
      rules: [
        managed(0, 'AWSManagedRulesAmazonIpReputationList'),
        {
          name: 'RateLimitPerIp',
          priority: 1,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: rateLimit, evaluationWindowSec: windowSeconds, aggregateKeyType: 'IP' } },
          visibilityConfig: metric('RateLimitPerIp'),
        },
        managed(2, 'AWSManagedRulesCommonRuleSet', props.commonRuleSetCountOnly),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });
    this.webAclArn = this.webAcl.attrArn;

    const logGroupName = `aws-waf-logs-${naming.name('platform', 512 - 'aws-waf-logs-'.length)}`;
    let key = props.encryptionKey;
    if (!key) {
      key = new PlatformKey(this, 'Key', { purpose: 'waf-logs', environmentSuffix: props.environmentSuffix, removalPolicy: props.removalPolicy, description: 'Keelson WAF logs' }).key;
    }
    KeyPolicies.allowCloudWatchLogs(key, logGroupName);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: StatefulRemoval.of(props.removalPolicy).policy,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAclArn,
      // WAF wants the log group ARN without the trailing `:*`.
      logDestinationConfigs: [Stack.of(this).formatArn({
        service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
    logging.node.addDependency(this.logGroup);
  }

  /**
   * Attach the web ACL to a regional resource (an ALB, API Gateway stage,
   * AppSync API or Cognito user pool).
   *
   * @param scope where to create the association
   * @param id its construct id
   * @param resourceArn the resource's ARN
   */
  public associate(scope: Construct, id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    return new wafv2.CfnWebACLAssociation(scope, id, { resourceArn, webAclArn: this.webAclArn });
  }
}
