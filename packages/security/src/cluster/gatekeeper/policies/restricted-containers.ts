import { WORKLOAD_KINDS } from '../../../private/cluster';
import { GatekeeperKinds, GatekeeperPolicy } from '../gatekeeper-policy';

/** Containers meet Pod Security restricted: no privilege or escalation, non-root, ALL capabilities dropped, a seccomp profile, no host namespaces, ports or paths. */
export class RestrictedContainers extends GatekeeperPolicy {
  public readonly kind: string = 'KeelsonRestrictedContainers';
  public readonly description: string = 'Containers meet Pod Security restricted: no privilege or escalation, non-root, ALL capabilities dropped, a seccomp profile, no host namespaces, ports or paths.';
  public readonly regoFile: string = 'restricted-containers.rego';
  public readonly matchKinds: GatekeeperKinds[] = WORKLOAD_KINDS;
}
