import { EksCheckResource } from '../cluster/eks-checks/eks-check';

/** True for a CloudFormation intrinsic (`Ref`, `Fn::*`), whose value is known only at deploy time. */
export function isIntrinsic(value: any): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && Object.keys(value).length === 1 && /^(Ref|Fn::)/.test(Object.keys(value)[0]);
}

/** The resources of one type. */
export function ofType(resources: EksCheckResource[], type: string): EksCheckResource[] {
  return resources.filter((r) => r.type === type);
}

/** The logical id a `Ref` or `Fn::GetAtt` points at. */
export function referencedId(value: any): string | undefined {
  if (value && typeof value.Ref === 'string') return value.Ref;
  if (value && Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  return undefined;
}

/** Launch templates used by node groups, with the node groups that use them. */
export function nodeGroupLaunchTemplates(resources: EksCheckResource[]): { template?: EksCheckResource; nodeGroup: EksCheckResource }[] {
  return ofType(resources, 'AWS::EKS::Nodegroup').map((nodeGroup) => {
    const lt = nodeGroup.properties.LaunchTemplate ?? {};
    const id = referencedId(lt.Id) ?? referencedId(lt.Name);
    return { nodeGroup, template: resources.find((r) => r.logicalId === id && r.type === 'AWS::EC2::LaunchTemplate') };
  });
}
