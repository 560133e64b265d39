import { WORKLOAD_KINDS } from '../../../private/cluster';
import { GatekeeperKinds, GatekeeperPolicy } from '../gatekeeper-policy';

/** Workload objects carry non-empty env, owner and component labels. */
export class RequiredLabels extends GatekeeperPolicy {
  public readonly kind: string = 'KeelsonRequiredLabels';
  public readonly description: string = 'Workload objects carry non-empty env, owner and component labels.';
  public readonly regoFile: string = 'required-labels.rego';
  public readonly matchKinds: GatekeeperKinds[] = WORKLOAD_KINDS;

  /** The label keys every workload object carries. */
  public readonly labels: string[];

  /** @param labels the required label keys (default `env`, `owner`, `component`) */
  constructor(labels?: string[]) {
    super();
    this.labels = labels ?? ['env', 'owner', 'component'];
  }

  public parametersSchema(): { [key: string]: any } | undefined {
    return { type: 'object', properties: { labels: { type: 'array', items: { type: 'string' } } } };
  }

  public parameters(): { [key: string]: any } | undefined {
    return { labels: this.labels };
  }
}
