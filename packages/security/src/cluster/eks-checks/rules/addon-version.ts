import { ofType } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

/** Every EKS managed add-on names its version. */
export class EksAddonVersionPinned extends EksCheck {
  public readonly id: string = 'Keelson-EKS8';
  public readonly description: string = 'Every EKS managed add-on pins its version';
  public readonly fix: string = 'set AddonVersion (v<major>.<minor>.<patch>-eksbuild.<n>) on every add-on (ManagedAddons pins each from EksCoreVersions)';

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    return ofType(resources, 'AWS::EKS::Addon')
      .filter((a) => !a.properties.AddonVersion)
      .map((a) => ({ logicalId: a.logicalId, problem: `add-on ${typeof a.properties.AddonName === 'string' ? a.properties.AddonName : ''} has no AddonVersion (EKS installs its default, which moves)`.replace('  ', ' '), location: 'AddonVersion' }));
  }
}
