import { ofType } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

const ALL = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** All five control-plane log types go to CloudWatch Logs. */
export class EksControlPlaneLogging extends EksCheck {
  public readonly id: string = 'Keelson-EKS3';
  public readonly description: string = 'All five control-plane log types (api, audit, authenticator, controllerManager, scheduler) are enabled';
  public readonly fix: string = 'enable every ClusterLoggingTypes value on the cluster (PlatformCluster does by default)';

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    return ofType(resources, 'AWS::EKS::Cluster').flatMap((c) => {
      const enabled = ((c.properties.Logging?.ClusterLogging?.EnabledTypes ?? []) as any[]).map((t) => t.Type);
      const missing = ALL.filter((t) => !enabled.includes(t));
      return missing.length ? [{ logicalId: c.logicalId, problem: `log types not enabled: ${missing.join(', ')}`, location: 'Logging.ClusterLogging.EnabledTypes' }] : [];
    });
  }
}
