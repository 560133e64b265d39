import { WORKLOAD_KINDS } from '../../../private/cluster';
import { GatekeeperKinds, GatekeeperPolicy } from '../gatekeeper-policy';

/** Every container and init container sets CPU and memory requests and limits. */
export class ContainerResources extends GatekeeperPolicy {
  public readonly kind: string = 'KeelsonContainerResources';
  public readonly description: string = 'Every container and init container sets CPU and memory requests and limits.';
  public readonly regoFile: string = 'container-resources.rego';
  public readonly matchKinds: GatekeeperKinds[] = WORKLOAD_KINDS;
}
