import * as fs from 'fs';
import * as path from 'path';
import { KeelsonLabels } from '@keelson/conventions';
import { AdmissionAction } from '../policy-enforcement';

/** Where the shipped Rego v1 sources live (the package's `policies/gatekeeper/`). */
const REGO_DIR = path.join(__dirname, '..', '..', '..', 'policies', 'gatekeeper');

/** Kinds a constraint matches, as Gatekeeper's `match.kinds` lists them. */
export interface GatekeeperKinds {
  /** API groups (`''` is the core group). */
  readonly apiGroups: string[];
  /** Kinds in those groups. */
  readonly kinds: string[];
}

/**
 * One Gatekeeper policy: a ConstraintTemplate written in Rego v1 (its source
 * is a file shipped in the package, `policies/gatekeeper/<file>`), the kinds
 * its constraints match and the parameters they pass. Like a cdk-nag rule,
 * each policy is its own class in its own file; packs
 * (`GatekeeperPolicyPack`) compose them.
 */
export abstract class GatekeeperPolicy {
  /** The constraint kind the template defines (CamelCase, for example `KeelsonRequiredLabels`). */
  public abstract readonly kind: string;
  /** What the policy requires, in one sentence (the template's description annotation). */
  public abstract readonly description: string;
  /** The Rego file under `policies/gatekeeper/`. */
  public abstract readonly regoFile: string;
  /** The kinds its constraints match. */
  public abstract readonly matchKinds: GatekeeperKinds[];

  /** The ConstraintTemplate's name (Gatekeeper requires the kind, lowercased). */
  public get templateName(): string {
    return this.kind.toLowerCase();
  }

  /** The Rego v1 source. */
  public get rego(): string {
    return fs.readFileSync(path.join(REGO_DIR, this.regoFile), 'utf8');
  }

  /**
   * The OpenAPI v3 schema of the constraint's `parameters`.
   *
   * @default - the policy takes no parameters
   */
  public parametersSchema(): { [key: string]: any } | undefined {
    return undefined;
  }

  /**
   * The parameters Keelson's constraints pass.
   *
   * @default - none
   */
  public parameters(): { [key: string]: any } | undefined {
    return undefined;
  }

  /**
   * Replicated data the Rego reads under `data.inventory` (Gatekeeper's sync
   * Config must list these kinds, or the policy sees nothing).
   *
   * @default - none
   */
  public syncKinds(): SyncKind[] {
    return [];
  }

  /** The ConstraintTemplate object (`templates.gatekeeper.sh/v1`). */
  public template(): { [key: string]: any } {
    const schema = this.parametersSchema();
    return {
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: {
        name: this.templateName,
        labels: KeelsonLabels.component('gatekeeper'),
        annotations: { description: this.description },
      },
      spec: {
        crd: { spec: { names: { kind: this.kind }, ...(schema ? { validation: { openAPIV3Schema: schema } } : {}) } },
        targets: [{
          target: 'admission.k8s.gatekeeper.sh',
          code: [{ engine: 'Rego', source: { version: 'v1', rego: this.rego } }],
        }],
      },
    };
  }

  /**
   * A constraint of this policy (`constraints.gatekeeper.sh/v1beta1`) for some namespaces.
   *
   * @param action what Gatekeeper does with a violation
   * @param namespaces the namespaces it matches
   */
  public constraint(action: AdmissionAction, namespaces: string[]): { [key: string]: any } {
    const parameters = this.parameters();
    return {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: this.kind,
      metadata: {
        name: `${this.templateName}-${action}`,
        labels: KeelsonLabels.component('gatekeeper'),
      },
      spec: {
        enforcementAction: action,
        match: { kinds: this.matchKinds.map((k) => ({ apiGroups: k.apiGroups, kinds: k.kinds })), namespaces },
        ...(parameters ? { parameters } : {}),
      },
    };
  }
}

/** A kind Gatekeeper replicates into `data.inventory` (its Config's `sync.syncOnly`). */
export interface SyncKind {
  /** API group (`''` is the core group). */
  readonly group: string;
  /** Version. */
  readonly version: string;
  /** Kind. */
  readonly kind: string;
}
