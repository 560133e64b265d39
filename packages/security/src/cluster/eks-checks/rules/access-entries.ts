import { ofType } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';

/** Cluster access is granted with access entries, not the aws-auth ConfigMap. */
export class EksAccessEntries extends EksCheck {
  public readonly id: string = 'Keelson-EKS9';
  public readonly description: string = 'Cluster access uses access entries only (authentication mode API), never the aws-auth ConfigMap';
  public readonly fix: string = 'set AccessConfig.AuthenticationMode to API and grant access with access entries (PlatformCluster does); remove any aws-auth ConfigMap';

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    const clusters = ofType(resources, 'AWS::EKS::Cluster')
      .filter((c) => c.properties.AccessConfig?.AuthenticationMode !== 'API')
      .map((c) => ({ logicalId: c.logicalId, problem: `AuthenticationMode is ${c.properties.AccessConfig?.AuthenticationMode ?? 'unset (CONFIG_MAP unless set)'}`, location: 'AccessConfig.AuthenticationMode' }));
    const awsAuth = ofType(resources, MANIFEST)
      .filter((m) => /"kind":"ConfigMap"[^}]*"name":"aws-auth"|"name":"aws-auth"[^}]*"namespace":"kube-system"/.test(JSON.stringify(m.properties.Manifest ?? '').replace(/\\"/g, '"')))
      .map((m) => ({ logicalId: m.logicalId, problem: 'applies the aws-auth ConfigMap', location: 'Manifest' }));
    return [...clusters, ...awsAuth];
  }
}
