import * as fs from 'fs';
import * as path from 'path';
import {
  CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, NestedStack, PolicyValidationPluginReport, PolicyViolation, Stack,
  Validations,
} from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { cacheKey, sha256, ValidationCacheStats, ValidationReportStore } from './validation-cache';

const JSII_RTTI = Symbol.for('jsii.rtti');

/**
 * A cdk-nag pack with each stack's report reused by content.
 *
 * cdk-nag 3 does not read templates: its `validate` walks the construct tree
 * (the context's `appConstruct`), runs its rules on every `CfnResource`, and
 * leaves out what `Validations.of(scope).acknowledge(...)` acknowledged on the
 * resource or any of its scopes. So a stack's nag report is a function of
 * (the key):
 *   - the stack's template bytes and those of its nested stacks (the resolved
 *     properties the rules read);
 *   - for each construct in the stack and each of its scopes: the construct
 *     path, the construct's class (rules test classes such as `CfnBucket`) and
 *     the acknowledgements recorded on it;
 *   - for a resource with raw overrides, its properties before the overrides
 *     (the rules read those; the template shows them after);
 *   - the stack's account and region;
 *   - the pack (its class and settings such as `verbose`) and the versions of
 *     cdk-nag, aws-cdk-lib and Node.
 * On a miss the pack validates that stack alone (`validateScope`), and the
 * stacks' reports are merged in construct-tree order as cdk-nag merges them
 * (one violation per rule). A stack with another non-nested stack inside it is
 * never stored: the pack's walk from it would cross into the inner stack.
 *
 * The pack is made on the first miss: loading cdk-nag and the aws-cdk-lib
 * modules its rules import costs 0.3-1 s, which a synth whose stacks all hit
 * does not pay.
 */
export class CachedNagPack implements IPolicyValidationPlugin {
  /** Wrap a pack already made; its class and settings (`verbose`, the pack name) are its identity in the key. */
  public static of(pack: NagPack, store: ValidationReportStore): CachedNagPack {
    return new CachedNagPack({ name: pack.name, identity: { pack: classId(pack), settings: ownSettings(pack) }, create: () => pack }, store);
  }

  public readonly name: string;
  private readonly identity: unknown;
  private readonly create: () => NagPack;
  private readonly beforeValidate?: (context: IPolicyValidationContext) => void;
  private made?: NagPack;
  private hits = 0;
  private misses = 0;

  /**
   * @param pack `name`: the pack's plugin name; `identity`: what decides its rules and their
   *   wording (its class and props), in the key; `create`: makes the pack, on the first miss only.
   */
  constructor(pack: CachedNagPackSource, private readonly store: ValidationReportStore) {
    this.name = pack.name;
    this.identity = pack.identity;
    this.create = pack.create;
    this.beforeValidate = pack.beforeValidate;
  }

  /** Stacks answered from the store and stacks validated, since this plugin was created. */
  public get stats(): ValidationCacheStats {
    return { plugin: this.name, hits: this.hits, misses: this.misses };
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.beforeValidate?.(context);
    const root = context.appConstruct;
    const stacks = new Map<string, { stack: Stack; order: number }>();
    root.node.findAll().forEach((c, order) => {
      if (Stack.isStack(c) && !c.nestedStackParent) stacks.set(c.node.path, { stack: c, order });
    });
    const found = context.stackTemplates.map((t) => ({ template: t, ...stacks.get(t.stackConstructPath) }));
    // Not a tree this wrapper understands (a stack it cannot find): the pack as is, over the whole app.
    if (found.some((f) => !f.stack)) return this.pack().validate(context);

    const reports = found.sort((a, b) => a.order! - b.order!).map(({ template, stack }) => {
      const fingerprint = stackFingerprint(stack!, path.dirname(template.templatePath));
      const key = fingerprint && cacheKey({
        pack: this.identity,
        stack: { path: template.stackConstructPath, account: template.accountId ?? null, region: template.region ?? null },
        template: sha256(fs.readFileSync(template.templatePath)),
        tree: fingerprint.hash,
      });
      const stored = key ? this.store.get<PolicyViolation[]>(key) : undefined;
      if (stored) {
        this.hits += 1;
        return stored;
      }
      this.misses += 1;
      const own = new Set(fingerprint?.resources ?? resourcePaths(stack!));
      const violations = this.pack().validateScope(stack!).violations
        .map((v) => ({ ...v, violatingResources: v.violatingResources.filter((r) => r.constructPath !== undefined && own.has(r.constructPath)) }))
        .filter((v) => v.violatingResources.length > 0);
      const copy: PolicyViolation[] = JSON.parse(JSON.stringify(violations));
      if (key) this.store.put(key, copy);
      return copy;
    });

    // cdk-nag keeps one violation per rule name, the first description, resources in walk order.
    const violations: PolicyViolation[] = [];
    for (const violation of reports.flat()) {
      const same = violations.find((v) => v.ruleName === violation.ruleName);
      if (same) (same.violatingResources as unknown[]).push(...violation.violatingResources);
      else violations.push(violation);
    }
    return { success: violations.length === 0, violations };
  }

  private pack(): NagPack {
    if (!this.made) {
      this.made = this.create();
      if (this.made.name !== this.name) throw new Error(`CachedNagPack: expected the pack "${this.name}", made "${this.made.name}"`);
    }
    return this.made;
  }
}

/** A cdk-nag pack to cache, made only when a stack misses. */
export interface CachedNagPackSource {
  /** The pack's plugin name (`AwsSolutions`), which acknowledgements and reports use. */
  readonly name: string;
  /** Everything that decides the pack's rules and their wording (its class and props); part of the key. */
  readonly identity: unknown;
  /** Makes the pack. */
  readonly create: () => NagPack;
  /**
   * Called first in each `validate`: `proofApp` hands the CloudFormation
   * validation's changed stacks to its prewarmed engine here, so they are
   * validated in the engine's thread while this pack runs in the main one.
   * @default - nothing
   */
  readonly beforeValidate?: (context: IPolicyValidationContext) => void;
}

/**
 * Everything in the construct tree a nag rule on `stack` can see besides its
 * template, hashed; `undefined` when the stack contains another non-nested
 * stack (not stored). `resources` are the paths of the stack's own resources.
 */
function stackFingerprint(stack: Stack, assemblyDir: string): { hash: string; resources: string[] } | undefined {
  const lines: string[] = [];
  const resources: string[] = [];
  for (let scope = stack.node.scope; scope; scope = scope.node.scope) lines.push(describe(scope));
  for (const c of stack.node.findAll()) {
    if (c !== stack && Stack.isStack(c) && !c.nestedStackParent) return undefined;
    lines.push(describe(c));
    if (NestedStack.isNestedStack(c)) {
      const nestedTemplate = path.join(assemblyDir, c.templateFile);
      if (!fs.existsSync(nestedTemplate)) return undefined;
      lines.push(`nested ${c.templateFile} ${sha256(fs.readFileSync(nestedTemplate))}`);
    }
    if (CfnResource.isCfnResource(c)) {
      resources.push(c.node.path);
      const overrides = (c as unknown as { rawOverrides?: object }).rawOverrides;
      if (overrides && Object.keys(overrides).length > 0) {
        lines.push(`raw ${JSON.stringify(Stack.of(c).resolve((c as unknown as { cfnProperties: object }).cfnProperties))}`);
      }
    }
  }
  return { hash: sha256(lines.join('\n')), resources };
}

function describe(c: IConstruct): string {
  const acks = c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data);
  return `${c.node.path}\t${classId(c)}${acks.length ? `\t${JSON.stringify(acks)}` : ''}`;
}

function resourcePaths(stack: Stack): string[] {
  return stack.node.findAll().filter(CfnResource.isCfnResource).map((c) => c.node.path);
}

/** The class name and the jsii type it is or extends (`CfnBucket aws-cdk-lib.aws_s3.CfnBucket`). */
function classId(o: object): string {
  const ctor = o.constructor as unknown as Record<symbol, { fqn?: string }> & { name: string };
  return `${ctor.name} ${ctor[JSII_RTTI]?.fqn ?? ''}`;
}

/** The pack's own settings (`verbose`, pack name), not its per-run state. */
function ownSettings(pack: NagPack): Record<string, unknown> {
  return Object.fromEntries(Object.entries(pack).filter(([k, v]) => k !== 'violations' && typeof v !== 'function' && typeof v !== 'object'));
}
