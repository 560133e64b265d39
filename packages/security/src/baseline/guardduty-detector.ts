import { KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';

/** How often GuardDuty publishes updates of active findings to EventBridge. */
export class FindingPublishingFrequency {
  /** Every 15 minutes (the fastest). */
  public static readonly FIFTEEN_MINUTES = new FindingPublishingFrequency('FIFTEEN_MINUTES');
  /** Every hour. */
  public static readonly ONE_HOUR = new FindingPublishingFrequency('ONE_HOUR');
  /** Every six hours (the GuardDuty default). */
  public static readonly SIX_HOURS = new FindingPublishingFrequency('SIX_HOURS');

  private constructor(/** The CloudFormation value. */ public readonly value: string) {}
}

/** Options of {@link GuardDutyDetector}, shared with the {@link SecurityBaseline} facade. */
export interface GuardDutyDetectorOptions {
  /**
   * Reuse the region's existing detector instead of creating one (a region
   * holds one detector per account). Nothing is created; `detectorId` is this value.
   * @default - a detector is created
   */
  readonly existingDetectorId?: string;

  /**
   * EKS audit-log protection (`EKS_AUDIT_LOGS`).
   * @default true
   */
  readonly eksAuditLogs?: boolean;

  /**
   * Runtime Monitoring (`RUNTIME_MONITORING`) with the GuardDuty security agent
   * managed as an EKS add-on (`EKS_ADDON_MANAGEMENT`).
   * @default true
   */
  readonly runtimeMonitoring?: boolean;

  /**
   * S3 protection (`S3_DATA_EVENTS`).
   * @default true
   */
  readonly s3Protection?: boolean;

  /**
   * Malware protection for EC2/EBS (`EBS_MALWARE_PROTECTION`).
   * @default true
   */
  readonly malwareProtection?: boolean;

  /**
   * How often updated findings are published.
   * @default FindingPublishingFrequency.FIFTEEN_MINUTES
   */
  readonly publishingFrequency?: FindingPublishingFrequency;
}

/** Props of {@link GuardDutyDetector}. */
export interface GuardDutyDetectorProps extends GuardDutyDetectorOptions, KeelsonCommonProps {}

/**
 * The region's GuardDuty detector, configured with `Features` (not the legacy
 * `DataSources`): EKS audit logs, Runtime Monitoring with EKS add-on
 * management, S3 protection and malware protection.
 */
export class GuardDutyDetector extends Construct {
  /** The detector id (created or reused). */
  public readonly detectorId: string;
  /** The created detector; undefined when an existing one is reused. */
  public readonly detector?: guardduty.CfnDetector;

  constructor(scope: Construct, id: string, props: GuardDutyDetectorProps = {}) {
    super(scope, id);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    KeelsonTags.component(this, 'guardduty');

    if (props.existingDetectorId !== undefined) {
      if (!/^[a-z0-9]{1,300}$/.test(props.existingDetectorId)) {
        PropsCheck.fail(this, 'existingDetectorId', `"${props.existingDetectorId}" is not a GuardDuty detector id`,
          'give the id printed by `aws guardduty list-detectors` (lowercase letters and digits)');
      }
      this.detectorId = props.existingDetectorId;
      return;
    }

    const status = (on: boolean | undefined) => (on ?? true ? 'ENABLED' : 'DISABLED');
    const runtime = props.runtimeMonitoring ?? true;
    this.detector = new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      findingPublishingFrequency: (props.publishingFrequency ?? FindingPublishingFrequency.FIFTEEN_MINUTES).value,
      features: [
        { name: 'EKS_AUDIT_LOGS', status: status(props.eksAuditLogs) },
        {
          name: 'RUNTIME_MONITORING',
          status: status(runtime),
          additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: status(runtime) }],
        },
        { name: 'S3_DATA_EVENTS', status: status(props.s3Protection) },
        { name: 'EBS_MALWARE_PROTECTION', status: status(props.malwareProtection) },
      ],
      tags: [{ key: 'Name', value: naming.name('guardduty') }],
    });
    this.detectorId = this.detector.ref;
  }
}
