import { KeelsonCommonProps, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct, IConstruct } from 'constructs';

/** A Security Hub (CSPM) standard, addressed by its regional ARN. */
export class SecurityHubStandard {
  /** AWS Foundational Security Best Practices v1.0.0. */
  public static readonly AWS_FOUNDATIONAL_SECURITY_BEST_PRACTICES = new SecurityHubStandard('aws-foundational-security-best-practices/v/1.0.0');
  /** CIS AWS Foundations Benchmark v3.0.0. */
  public static readonly CIS_AWS_FOUNDATIONS_V3 = new SecurityHubStandard('cis-aws-foundations-benchmark/v/3.0.0');
  /** NIST SP 800-53 Revision 5. */
  public static readonly NIST_800_53_REV5 = new SecurityHubStandard('nist-800-53/v/5.0.0');

  /**
   * Another regional standard, by the part of its ARN after `standards/`,
   * for example `pci-dss/v/4.0.1`.
   */
  public static of(standardPath: string): SecurityHubStandard {
    return new SecurityHubStandard(standardPath);
  }

  private constructor(/** The part of the ARN after `standards/`. */ public readonly standardPath: string) {}

  /** The standard's ARN in the stack's partition and region. */
  public arnIn(scope: IConstruct): string {
    const stack = Stack.of(scope);
    return `arn:${stack.partition}:securityhub:${stack.region}::standards/${this.standardPath}`;
  }
}

/** Options of {@link SecurityHub}, shared with the {@link SecurityBaseline} facade. */
export interface SecurityHubOptions {
  /**
   * Standards to subscribe to. Only these are on (`EnableDefaultStandards: false`).
   * @default [AWS_FOUNDATIONAL_SECURITY_BEST_PRACTICES, CIS_AWS_FOUNDATIONS_V3]
   */
  readonly standards?: SecurityHubStandard[];

  /**
   * Create the `AWS::SecurityHub::Hub`. Set false where Security Hub is
   * already enabled (for example by an organization's delegated administrator);
   * the standards are still subscribed.
   * @default true
   */
  readonly enableHub?: boolean;
}

/** Props of {@link SecurityHub}. */
export interface SecurityHubProps extends SecurityHubOptions, KeelsonCommonProps {}

/**
 * Security Hub CSPM with consolidated control findings and only the chosen
 * standards enabled.
 */
export class SecurityHub extends Construct {
  /** The hub; undefined when `enableHub` is false. */
  public readonly hub?: securityhub.CfnHub;
  /** The standards subscriptions. */
  public readonly standards: securityhub.CfnStandard[];

  constructor(scope: Construct, id: string, props: SecurityHubProps = {}) {
    super(scope, id);
    KeelsonTags.component(this, 'security-hub');
    const standards = props.standards ?? [
      SecurityHubStandard.AWS_FOUNDATIONAL_SECURITY_BEST_PRACTICES,
      SecurityHubStandard.CIS_AWS_FOUNDATIONS_V3,
    ];
    const paths = standards.map((s) => s.standardPath);
    const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
    if (duplicate) {
      PropsCheck.fail(this, 'standards', `"${duplicate}" is listed twice`, 'list each standard once');
    }
    if (props.enableHub ?? true) {
      this.hub = new securityhub.CfnHub(this, 'Hub', {
        controlFindingGenerator: 'SECURITY_CONTROL',
        enableDefaultStandards: false,
        autoEnableControls: true,
      });
    }
    this.standards = standards.map((standard) => {
      const standardId = standard.standardPath.replace(/[^A-Za-z0-9]/g, '-');
      const subscription = new securityhub.CfnStandard(this, standardId, { standardsArn: standard.arnIn(this) });
      if (this.hub) subscription.addResourceDependency(this.hub, 'standards can only be subscribed once Security Hub is enabled');
      return subscription;
    });
  }
}
