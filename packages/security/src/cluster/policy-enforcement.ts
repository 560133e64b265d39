import { IConstruct } from 'constructs';
import { checkNamespaceNames } from '../private/cluster';

/** What an admission policy does with an object that breaks it. */
export enum AdmissionAction {
  /** Reject it. */
  DENY = 'deny',
  /** Admit it with a warning to the client (and record it in audit). */
  WARN = 'warn',
  /** Admit it silently; audit records the violation. */
  DRY_RUN = 'dryrun',
}

/** The workload namespaces that get one admission action. */
export interface NamespaceActionGroup {
  /** The action. */
  readonly action: AdmissionAction;
  /** The namespaces, in registry order. */
  readonly namespaces: string[];
}

/**
 * How Gatekeeper constraints and Kyverno policies treat the workload
 * namespaces: one value, shared by every policy engine. Keelson's default,
 * `byEnvironment()`, denies in every workload namespace except `dev`, which
 * only warns.
 */
export class PolicyEnforcement {
  /**
   * Deny everywhere except in `warnNamespaces`, which only warn.
   *
   * @param warnNamespaces the namespaces that warn instead of denying (default `['dev']`)
   */
  public static byEnvironment(warnNamespaces?: string[]): PolicyEnforcement {
    return new PolicyEnforcement(AdmissionAction.DENY, warnNamespaces ?? ['dev']);
  }

  /** Deny in every workload namespace. */
  public static deny(): PolicyEnforcement {
    return new PolicyEnforcement(AdmissionAction.DENY, []);
  }

  /** Warn in every workload namespace (nothing is rejected). */
  public static warn(): PolicyEnforcement {
    return new PolicyEnforcement(AdmissionAction.WARN, []);
  }

  /** Only record violations in audit (nothing is rejected or reported to clients). */
  public static dryRun(): PolicyEnforcement {
    return new PolicyEnforcement(AdmissionAction.DRY_RUN, []);
  }

  /** The namespaces that warn whatever the action elsewhere. */
  public readonly warnNamespaces: string[];

  private constructor(private readonly action: AdmissionAction, warnNamespaces: string[]) {
    this.warnNamespaces = warnNamespaces;
  }

  /** The action in one namespace. */
  public actionFor(namespace: string): AdmissionAction {
    return this.warnNamespaces.includes(namespace) ? AdmissionAction.WARN : this.action;
  }

  /**
   * The namespaces grouped by action (deny, then warn, then dry run), empty groups left out.
   *
   * @param scope where a bad namespace name is reported
   * @param namespaces the workload namespaces
   */
  public groups(scope: IConstruct, namespaces: string[]): NamespaceActionGroup[] {
    checkNamespaceNames(scope, 'enforcement.warnNamespaces', this.warnNamespaces);
    return [AdmissionAction.DENY, AdmissionAction.WARN, AdmissionAction.DRY_RUN]
      .map((action) => ({ action, namespaces: namespaces.filter((n) => this.actionFor(n) === action) }))
      .filter((g) => g.namespaces.length > 0);
  }
}
