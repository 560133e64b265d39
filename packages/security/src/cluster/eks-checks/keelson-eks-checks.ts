import * as fs from 'fs';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { EksCheck, EksCheckResource } from './eks-check';
import { EksAccessEntries } from './rules/access-entries';
import { EksAddonVersionPinned } from './rules/addon-version';
import { EksNodeBottlerocket } from './rules/bottlerocket';
import { EksControlPlaneLogging } from './rules/control-plane-logging';
import { EksEndpointAccess } from './rules/endpoint-access';
import { EksNodeImdsv2 } from './rules/imdsv2';
import { EksKubernetesVersion } from './rules/kubernetes-version';
import { EksNodeNoPublicIp } from './rules/no-public-ip';
import { EksSecretsEncryption } from './rules/secrets-encryption';

/** Properties of {@link KeelsonEksChecks}. */
export interface KeelsonEksChecksProps {
  /**
   * The checks to run.
   *
   * @default KeelsonEksChecks.defaultChecks()
   */
  readonly checks?: EksCheck[];
}

/**
 * The Keelson EKS checks: a policy-validation plugin (cdk-nag 3 style, one
 * rule per file) for the native resources of `aws-eks-v2` clusters, which
 * cdk-nag's own EKS rules never see. Register it on any app:
 * `Validations.of(app).addPlugins(new KeelsonEksChecks())`. A finding fails
 * synth like a cdk-nag error; acknowledge one with
 * `Validations.of(scope).acknowledge({ id: 'Keelson-EKS::Keelson-EKS6', reason })` (the plugin
 * name, `::`, the rule id).
 *
 * It implements `IPolicyValidationPlugin`, the interface `addPlugins` takes (not the deprecated
 * `IPolicyValidationPluginBeta1`), so Go and Java accept it there too: unlike TypeScript, they do
 * not match an interface by its shape.
 */
export class KeelsonEksChecks implements IPolicyValidationPlugin {
  /** Every check, in rule order. */
  public static defaultChecks(): EksCheck[] {
    return [
      new EksEndpointAccess(), new EksSecretsEncryption(), new EksControlPlaneLogging(), new EksNodeImdsv2(), new EksNodeNoPublicIp(),
      new EksNodeBottlerocket(), new EksKubernetesVersion(), new EksAddonVersionPinned(), new EksAccessEntries(),
    ];
  }

  /** The plugin's name (the report's heading). */
  public readonly name: string = 'Keelson-EKS';
  /** The rule ids. */
  public readonly ruleIds?: string[];
  private readonly checks: EksCheck[];

  constructor(props: KeelsonEksChecksProps = {}) {
    this.checks = props.checks ?? KeelsonEksChecks.defaultChecks();
    this.ruleIds = this.checks.map((c) => c.id);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
      const resources: EksCheckResource[] = Object.entries<any>(template.Resources ?? {})
        .map(([logicalId, r]) => ({ logicalId, type: r.Type, properties: r.Properties ?? {} }));
      for (const check of this.checks) {
        for (const finding of check.check(resources)) {
          violations.push({
            ruleName: check.id,
            description: `${check.description}: ${finding.problem}`,
            fix: check.fix,
            severity: 'error',
            violatingResources: [{ resourceLogicalId: finding.logicalId, templatePath, locations: finding.location ? [finding.location] : [] }],
          });
        }
      }
    }
    return { success: violations.length === 0, violations };
  }
}
