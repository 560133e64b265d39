import { GatekeeperPolicyPack } from '../gatekeeper-policy-pack';
import { ContainerProbes } from '../policies/container-probes';
import { ContainerResources } from '../policies/container-resources';
import { NamespaceNetworkPolicy } from '../policies/namespace-network-policy';
import { NoDefaultServiceAccount } from '../policies/no-default-service-account';
import { RequiredLabels } from '../policies/required-labels';
import { RestrictedContainers } from '../policies/restricted-containers';

/**
 * Keelson's workload policies: required labels (`env`, `owner`,
 * `component`), containers as Pod Security restricted requires them,
 * requests and limits, liveness and readiness probes, no `default` service
 * account, and a NetworkPolicy in every namespace a workload runs in.
 */
export class WorkloadPolicyPack extends GatekeeperPolicyPack {
  constructor() {
    super('keelson-workloads', [
      new RequiredLabels(),
      new RestrictedContainers(),
      new ContainerResources(),
      new ContainerProbes(),
      new NoDefaultServiceAccount(),
      new NamespaceNetworkPolicy(),
    ]);
  }
}
