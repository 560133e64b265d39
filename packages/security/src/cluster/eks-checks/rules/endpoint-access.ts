import { ofType } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

const EVERYWHERE = ['0.0.0.0/0', '::/0'];

/** The API endpoint is private, or public with an allow-list that is not the whole internet. */
export class EksEndpointAccess extends EksCheck {
  public readonly id: string = 'Keelson-EKS1';
  public readonly description: string = 'The cluster API endpoint is private, or public only to an allow-list that is not 0.0.0.0/0';
  public readonly fix: string = 'set the endpoint to private, or list the CIDRs that may reach it (PlatformCluster publicAccessCidrs / endpointAccess.onlyFrom(...))';

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    return ofType(resources, 'AWS::EKS::Cluster').flatMap((c) => {
      const vpc = c.properties.ResourcesVpcConfig ?? {};
      if (vpc.EndpointPublicAccess === false) return [];
      const cidrs: any[] = vpc.PublicAccessCidrs ?? [];
      if (cidrs.length === 0) return [{ logicalId: c.logicalId, problem: 'the endpoint is public to every address (no PublicAccessCidrs)', location: 'ResourcesVpcConfig.PublicAccessCidrs' }];
      const open = cidrs.filter((x) => EVERYWHERE.includes(x));
      return open.length ? [{ logicalId: c.logicalId, problem: `the endpoint is public to ${open.join(', ')}`, location: 'ResourcesVpcConfig.PublicAccessCidrs' }] : [];
    });
  }
}
