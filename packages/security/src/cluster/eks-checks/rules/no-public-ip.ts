import { nodeGroupLaunchTemplates } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

/** Nodes get no public IP address. */
export class EksNodeNoPublicIp extends EksCheck {
  public readonly id: string = 'Keelson-EKS5';
  public readonly description: string = 'Nodes get no public IP address and no SSH remote access';
  public readonly fix: string = 'place node groups in private subnets, drop AssociatePublicIpAddress from their launch templates and RemoteAccess from the node group';

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    return nodeGroupLaunchTemplates(resources).flatMap(({ nodeGroup, template }) => [
      ...(nodeGroup.properties.RemoteAccess ? [{ logicalId: nodeGroup.logicalId, problem: 'RemoteAccess opens SSH to the nodes (and gives them public IPs in public subnets)', location: 'RemoteAccess' }] : []),
      ...((template?.properties.LaunchTemplateData?.NetworkInterfaces ?? []) as any[])
        .filter((n) => n.AssociatePublicIpAddress === true)
        .map(() => ({ logicalId: template!.logicalId, problem: 'a network interface associates a public IP address', location: 'LaunchTemplateData.NetworkInterfaces' })),
    ]);
  }
}
