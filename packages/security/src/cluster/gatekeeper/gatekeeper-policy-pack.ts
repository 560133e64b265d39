import { GatekeeperPolicy, SyncKind } from './gatekeeper-policy';

/**
 * A named set of Gatekeeper policies, applied together (cdk-nag's packs
 * compose its rules the same way). Extend it, or build one from any policies.
 */
export class GatekeeperPolicyPack {
  /** The pack's name (shown in docs and errors). */
  public readonly name: string;
  /** Its policies. */
  public readonly policies: GatekeeperPolicy[];

  constructor(name: string, policies: GatekeeperPolicy[]) {
    this.name = name;
    this.policies = policies;
  }

  /** The kinds its policies need replicated, without repeats. */
  public syncKinds(): SyncKind[] {
    const seen = new Map<string, SyncKind>();
    for (const p of this.policies) for (const k of p.syncKinds()) seen.set(`${k.group}/${k.version}/${k.kind}`, k);
    return [...seen.values()];
  }
}
