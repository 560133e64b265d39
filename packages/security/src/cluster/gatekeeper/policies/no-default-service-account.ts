import { WORKLOAD_KINDS } from '../../../private/cluster';
import { GatekeeperKinds, GatekeeperPolicy } from '../gatekeeper-policy';

/** Workloads run as a dedicated service account, never the namespace default one. */
export class NoDefaultServiceAccount extends GatekeeperPolicy {
  public readonly kind: string = 'KeelsonNoDefaultServiceAccount';
  public readonly description: string = 'Workloads run as a dedicated service account, never the namespace default one.';
  public readonly regoFile: string = 'no-default-service-account.rego';
  public readonly matchKinds: GatekeeperKinds[] = WORKLOAD_KINDS;
}
