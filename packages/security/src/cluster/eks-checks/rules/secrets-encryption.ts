import { ofType } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

/** Kubernetes Secrets are envelope-encrypted with a KMS key. */
export class EksSecretsEncryption extends EksCheck {
  public readonly id: string = 'Keelson-EKS2';
  public readonly description: string = 'Kubernetes Secrets are envelope-encrypted with a KMS key';
  public readonly fix: string = 'give the cluster a secretsEncryptionKey (PlatformCluster creates one unless given)';

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    return ofType(resources, 'AWS::EKS::Cluster')
      .filter((c) => !((c.properties.EncryptionConfig ?? []) as any[]).some((e) => (e.Resources ?? []).includes('secrets') && e.Provider?.KeyArn))
      .map((c) => ({ logicalId: c.logicalId, problem: 'no EncryptionConfig with a KMS key for secrets', location: 'EncryptionConfig' }));
  }
}
