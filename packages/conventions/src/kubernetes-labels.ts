import { MANAGED_BY } from './tagging';

/**
 * The labels Keelson puts on the Kubernetes objects it creates, and the keys
 * of its own labels: one definition that every package's objects, and every
 * policy that matches them (the managed-object guard, Gatekeeper, Kyverno),
 * read. The Kubernetes counterpart of {@link KeelsonTags}.
 */
export class KeelsonLabels {
  /** `app.kubernetes.io/managed-by`: on every object Keelson creates, with the value {@link KeelsonLabels.MANAGED_BY_VALUE}. */
  public static readonly MANAGED_BY_KEY = 'app.kubernetes.io/managed-by';
  /** `keelson`, the value of the `ManagedBy` tag on AWS resources too. */
  public static readonly MANAGED_BY_VALUE = MANAGED_BY;
  /** `app.kubernetes.io/component`: the part of the platform an object belongs to. */
  public static readonly COMPONENT_KEY = 'app.kubernetes.io/component';
  /** `app.kubernetes.io/name`: the application's name (charts select their pods by it). */
  public static readonly NAME_KEY = 'app.kubernetes.io/name';
  /** `app.kubernetes.io/part-of`: the larger application an object belongs to. */
  public static readonly PART_OF_KEY = 'app.kubernetes.io/part-of';
  /** The prefix of Keelson's own label keys (`keelson.dev/preview`, `keelson.dev/restore-drill` ...). */
  public static readonly PREFIX = 'keelson.dev/';

  /** `{ 'app.kubernetes.io/managed-by': 'keelson' }`: the platform's mark on an object. */
  public static managed(): { [key: string]: string } {
    return { [KeelsonLabels.MANAGED_BY_KEY]: KeelsonLabels.MANAGED_BY_VALUE };
  }

  /**
   * The platform's mark and the component: the labels of an object one Keelson component creates.
   *
   * @param component the `app.kubernetes.io/component` value, for example `gatekeeper`
   */
  public static component(component: string): { [key: string]: string } {
    return { ...KeelsonLabels.managed(), [KeelsonLabels.COMPONENT_KEY]: component };
  }

  /**
   * A label key of Keelson's own: `keelson.dev/<name>`.
   *
   * @param name the key's name, for example `preview`
   */
  public static key(name: string): string {
    return `${KeelsonLabels.PREFIX}${name}`;
  }

  private constructor() {}
}
