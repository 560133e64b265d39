import { ofType } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

/** Node groups run Bottlerocket; any other OS is a named, acknowledged exception. */
export class EksNodeBottlerocket extends EksCheck {
  public readonly id: string = 'Keelson-EKS6';
  public readonly description: string = 'Node groups run Bottlerocket (AmiType BOTTLEROCKET_*)';
  public readonly fix: string = 'use a BOTTLEROCKET_* AMI type, or acknowledge Keelson-EKS::Keelson-EKS6 on the node group with the reason it needs another OS';

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    return ofType(resources, 'AWS::EKS::Nodegroup')
      .filter((n) => typeof n.properties.AmiType !== 'string' || !n.properties.AmiType.startsWith('BOTTLEROCKET_'))
      .map((n) => ({ logicalId: n.logicalId, problem: `AmiType is ${typeof n.properties.AmiType === 'string' ? n.properties.AmiType : 'not set (EKS picks Amazon Linux)'}`, location: 'AmiType' }));
  }
}
