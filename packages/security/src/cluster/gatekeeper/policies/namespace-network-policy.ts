import { WORKLOAD_KINDS } from '../../../private/cluster';
import { GatekeeperKinds, GatekeeperPolicy, SyncKind } from '../gatekeeper-policy';

/** Workloads are admitted only into a namespace that has a NetworkPolicy (read from replicated data). */
export class NamespaceNetworkPolicy extends GatekeeperPolicy {
  public readonly kind: string = 'KeelsonNamespaceNetworkPolicy';
  public readonly description: string = 'Workloads are admitted only into a namespace that has a NetworkPolicy (read from replicated data).';
  public readonly regoFile: string = 'namespace-network-policy.rego';
  public readonly matchKinds: GatekeeperKinds[] = WORKLOAD_KINDS;

  /** NetworkPolicies are replicated into `data.inventory`, where the Rego looks for them. */
  public syncKinds(): SyncKind[] {
    return [{ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' }];
  }
}
