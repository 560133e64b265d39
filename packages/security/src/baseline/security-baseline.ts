import { KeelsonCommonProps, KeelsonTags } from '@keelson/conventions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GuardDutyDetector, GuardDutyDetectorOptions } from './guardduty-detector';
import { PlatformTrail, PlatformTrailOptions } from './platform-trail';
import { PlatformWebAcl, PlatformWebAclOptions } from './platform-web-acl';
import { SecurityAlerts, SecurityAlertsOptions } from './security-alerts';
import { SecurityHub, SecurityHubOptions } from './security-hub';

/** Props of {@link SecurityBaseline}. Every part is on unless switched off. */
export interface SecurityBaselineProps extends KeelsonCommonProps {
  /**
   * Create (or reuse) the GuardDuty detector.
   * @default true
   */
  readonly guardDuty?: boolean;
  /**
   * GuardDuty settings.
   * @default - EKS audit logs, Runtime Monitoring, S3 and malware protection on; 15-minute publishing
   */
  readonly guardDutyOptions?: GuardDutyDetectorOptions;

  /**
   * Enable Security Hub CSPM with standards.
   * @default true
   */
  readonly securityHub?: boolean;
  /**
   * Security Hub settings.
   * @default - hub created; FSBP and CIS v3.0.0
   */
  readonly securityHubOptions?: SecurityHubOptions;

  /**
   * Route findings to the alerts topic.
   * @default true
   */
  readonly alerts?: boolean;
  /**
   * Finding-routing settings: thresholds, email, Slack.
   * @default - GuardDuty > 4 and Security Hub HIGH/CRITICAL to a new topic, no email, no Slack
   */
  readonly alertsOptions?: SecurityAlertsOptions;

  /**
   * Create the CloudTrail trail. It is multi-region: one trail, in the primary region, records every
   * region of the account. Switch it off in every other region's baseline (the DR region's) and where
   * an organization trail already records this account; a second trail records and bills every
   * management event twice.
   * @default true
   */
  readonly trail?: boolean;
  /**
   * Trail settings.
   * @default - CloudWatch Logs on; IA after 30 days, Glacier after 90, expiry after 365
   */
  readonly trailOptions?: PlatformTrailOptions;

  /**
   * Create the regional WAF web ACL for the platform's ALBs.
   * @default true
   */
  readonly webAcl?: boolean;
  /**
   * WAF settings.
   * @default - 2000 requests per IP per 5 minutes
   */
  readonly webAclOptions?: PlatformWebAclOptions;
}

/**
 * The account-and-region security baseline: GuardDuty, Security Hub,
 * finding routing to SNS (email, Slack), CloudTrail and a regional WAF web
 * ACL. Deploy it once per region the platform runs in.
 */
export class SecurityBaseline extends Construct {
  /** The GuardDuty detector construct, when enabled. */
  public readonly guardDuty?: GuardDutyDetector;
  /** The GuardDuty detector id, when enabled. */
  public readonly detectorId?: string;
  /** Security Hub, when enabled. */
  public readonly securityHub?: SecurityHub;
  /** Finding routing, when enabled. */
  public readonly alerts?: SecurityAlerts;
  /** The alerts topic, when alerts are enabled. */
  public readonly alertsTopic?: sns.ITopic;
  /** The key encrypting the alerts topic, when alerts are enabled. */
  public readonly alertsKey?: kms.IKey;
  /**
   * The CloudTrail trail with its bucket (`trail.trail`, `trail.trailBucket`), when enabled: one
   * attribute, named like the `trail` switch.
   */
  public readonly trail?: PlatformTrail;
  /** The WAF construct, when enabled. */
  public readonly platformWebAcl?: PlatformWebAcl;
  /** The web ACL, when enabled. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The web ACL's ARN, when enabled. */
  public readonly webAclArn?: string;

  constructor(scope: Construct, id: string, props: SecurityBaselineProps = {}) {
    super(scope, id);
    KeelsonTags.component(this, 'security-baseline');
    const common: KeelsonCommonProps = { environmentSuffix: props.environmentSuffix, removalPolicy: props.removalPolicy };

    if (props.guardDuty ?? true) {
      this.guardDuty = new GuardDutyDetector(this, 'GuardDuty', { ...props.guardDutyOptions, ...common });
      this.detectorId = this.guardDuty.detectorId;
    }
    if (props.securityHub ?? true) {
      this.securityHub = new SecurityHub(this, 'SecurityHub', { ...props.securityHubOptions, ...common });
    }
    if (props.alerts ?? true) {
      this.alerts = new SecurityAlerts(this, 'Alerts', {
        forwardGuardDuty: props.guardDuty ?? true,
        forwardSecurityHub: props.securityHub ?? true,
        ...props.alertsOptions,
        ...common,
      });
      this.alertsTopic = this.alerts.alertsTopic;
      this.alertsKey = this.alerts.alertsKey;
    }
    if (props.trail ?? true) {
      this.trail = new PlatformTrail(this, 'Trail', { ...props.trailOptions, ...common });
    }
    if (props.webAcl ?? true) {
      this.platformWebAcl = new PlatformWebAcl(this, 'WebAcl', { ...props.webAclOptions, ...common });
      this.webAcl = this.platformWebAcl.webAcl;
      this.webAclArn = this.platformWebAcl.webAclArn;
    }
  }
}
