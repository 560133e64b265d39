import { CRITICAL_ADDONS_TAINT, SYSTEM_POOL_LABEL } from '../private/pool-defaults';

/**
 * Where platform controllers run: the `system` node pool, which carries the
 * label `node-pool=system` and the taint `CriticalAddonsOnly=true:NoSchedule`.
 * `PlatformChart` applies this placement to a chart's values; use the helpers
 * below for values paths a chart nests elsewhere.
 */
export class SystemPool {
  /** The label key every system-pool node carries. */
  public static readonly LABEL_KEY = SYSTEM_POOL_LABEL.key;
  /** The label value of system-pool nodes. */
  public static readonly LABEL_VALUE = SYSTEM_POOL_LABEL.value;
  /** The key of the system pool's taint. */
  public static readonly TAINT_KEY = CRITICAL_ADDONS_TAINT.key;

  /** The node selector of pods placed on the system pool. */
  public static nodeSelector(): { [key: string]: string } {
    return { [SYSTEM_POOL_LABEL.key]: SYSTEM_POOL_LABEL.value };
  }

  /** The tolerations of pods placed on the system pool (its taint, any value). */
  public static tolerations(): { [key: string]: string }[] {
    return [{ key: CRITICAL_ADDONS_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }];
  }

  /**
   * `nodeSelector` and `tolerations`, as most charts take them at the top of
   * their values (or under a component key).
   */
  public static placement(): { [key: string]: any } {
    return { nodeSelector: SystemPool.nodeSelector(), tolerations: SystemPool.tolerations() };
  }

  private constructor() {}
}
