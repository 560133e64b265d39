import { GatekeeperKinds, GatekeeperPolicy } from '../gatekeeper-policy';

/** Every long-running container has a liveness and a readiness probe. */
export class ContainerProbes extends GatekeeperPolicy {
  public readonly kind: string = 'KeelsonContainerProbes';
  public readonly description: string = 'Every long-running container has a liveness and a readiness probe.';
  public readonly regoFile: string = 'container-probes.rego';
  public readonly matchKinds: GatekeeperKinds[] = [
    { apiGroups: [''], kinds: ['Pod'] },
    { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
  ];
}
