import { nodeGroupLaunchTemplates } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

/** Node launch templates require IMDSv2 with a hop limit of 1 (pods cannot reach the node's credentials). */
export class EksNodeImdsv2 extends EksCheck {
  public readonly id: string = 'Keelson-EKS4';
  public readonly description: string = 'Every node group launch template requires IMDSv2 (HttpTokens required) with a hop limit of 1';
  public readonly fix: string = 'give the node group a launch template with MetadataOptions HttpTokens: required and HttpPutResponseHopLimit: 1 (Keelson node pools do)';

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    return nodeGroupLaunchTemplates(resources).flatMap(({ nodeGroup, template }) => {
      if (!template) return [{ logicalId: nodeGroup.logicalId, problem: 'the node group has no launch template in this stack, so IMDS stays at its defaults', location: 'LaunchTemplate' }];
      const md = template.properties.LaunchTemplateData?.MetadataOptions ?? {};
      const problems = [
        ...(md.HttpTokens === 'required' ? [] : [`HttpTokens is ${md.HttpTokens ?? 'unset'}`]),
        ...(md.HttpPutResponseHopLimit === 1 ? [] : [`HttpPutResponseHopLimit is ${md.HttpPutResponseHopLimit ?? 'unset'}`]),
      ];
      return problems.length ? [{ logicalId: template.logicalId, problem: problems.join('; '), location: 'LaunchTemplateData.MetadataOptions' }] : [];
    });
  }
}
