import * as fs from 'fs';
import {
  CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport, PolicyValidationStack, PolicyViolation,
} from 'aws-cdk-lib';
import type { ValidationRuleSet } from './engine-protocol';
import { PrewarmedValidationEngine } from './prewarmed-validation-engine';
import { ResidentValidationEngine } from './resident-validation-engine';
import { cacheKey, sha256, validationVersions, ValidationCacheStats, ValidationReportStore } from './validation-cache';

/** The `CloudFormationValidatePluginProps` a cached plugin accepts (the schema-overlay directory is internal and not keyed). */
export interface CachedCloudFormationValidateProps extends ValidationRuleSet {
  /**
   * Start the validation engine in a worker thread as soon as the plugin is
   * made, so that a synth where a stack changed finds it built (see
   * `PrewarmedValidationEngine`); a synth where every stack hits stops it.
   * `'whenIdle'` starts it only when the host has an idle core for it.
   * @default false
   */
  readonly prewarmEngine?: boolean | 'whenIdle';

  /**
   * Keep the validation engine in a process of its own between synths (see
   * `ResidentValidationEngine`): a synth that had to build an engine starts
   * one, and later synths hand their changed stacks to it, whatever the
   * host's load (carrying batches to it costs no build).
   * @default false
   */
  readonly residentEngine?: boolean;
}

/** Where a template's own path stands in a stored report, so a report is reused whatever directory the assembly is in. */
const TEMPLATE_PATH = '<template>';

/**
 * aws-cdk-lib's CloudFormation validation with each template's report reused
 * by content.
 *
 * Registering a `CloudFormationValidatePlugin` on the App is aws-cdk-lib's
 * supported way to replace the built-in instance (an App may hold one; it runs
 * even without `@aws-cdk/core:validateAgainstDefaultRules`, which only decides
 * whether its errors fail synth). This subclass is that plugin: for each stack
 * whose key is stored it returns the stored report, and it hands only the
 * other stacks to a real `CloudFormationValidatePlugin`, so the WASM engine is
 * not even loaded when every stack hits.
 *
 * A template's report is a function of (the key):
 *   - the template bytes, the stack's construct path, account and region
 *     (the engine's pseudo-parameter overrides), and the rule set (the built-in
 *     rules on or off, and the content of any Rego and Guard rules);
 *   - the versions of aws-cdk-lib (which ships the engine's rules, its
 *     excluded rule ids and the report mapping), of `@aws/cloudformation-validate`
 *     and of Node.
 * The built-in rules are chosen by the resource types present, so a template's
 * own types decide which rules can speak about it.
 *
 * Acknowledgements are not in the key because they never reach this plugin:
 * aws-cdk-lib applies `Validations.of(scope).acknowledge(...)` to the plugin's
 * report afterwards, on every synth, from the construct tree as it is then.
 * The stored report is the raw one, before acknowledgement and before
 * aws-cdk-lib turns errors into warnings when the flag is off.
 */
export class CachedCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  private readonly rules: ValidationRuleSet;
  private readonly ruleSet: object;
  private prewarmed?: PrewarmedValidationEngine;
  private prefetched?: { signature: string; id: number };
  private readonly residentAddress?: string;
  private hits = 0;
  private misses = 0;
  private inWorker = 0;
  private inResidentEngine = 0;

  constructor(private readonly store: ValidationReportStore, props: CachedCloudFormationValidateProps = {}) {
    const { prewarmEngine, residentEngine, ...rules } = props;
    super(rules);
    this.rules = rules;
    this.ruleSet = {
      includeDefaultRules: rules.includeDefaultRules ?? true,
      regoRules: (rules.regoRules ?? []).map((r) => ({ name: r.name, content: sha256(r.content) })),
      guardRules: (rules.guardRules ?? []).map((r) => ({ name: r.name, content: sha256(r.content) })),
    };
    this.residentAddress = residentEngine ? ResidentValidationEngine.address(rules) : undefined;
    const resident = this.residentAddress && ResidentValidationEngine.isListening(this.residentAddress) ? this.residentAddress : undefined;
    const buildLocally = prewarmEngine === true || (prewarmEngine === 'whenIdle' && PrewarmedValidationEngine.hasIdleCore());
    if (resident || buildLocally) {
      this.prewarmed = PrewarmedValidationEngine.start(rules, this.knownResourceTypes(), { residentAddress: resident, buildLocally });
    }
  }

  // The base class asks the engine (loading and compiling its WASM, ~2 s on a busy host) for the
  // version it was built from; the package's own manifest gives the same string without loading it.
  public get version(): string {
    return validationVersions().cloudFormationValidate;
  }

  public get ruleIds(): string[] {
    return [this.version];
  }

  /** Stacks answered from the store and stacks validated, since this plugin was created. */
  public get stats(): ValidationCacheStats {
    return { plugin: this.name, hits: this.hits, misses: this.misses, inWorker: this.inWorker, inResidentEngine: this.inResidentEngine };
  }

  /**
   * Hand this synth's changed stacks to the prewarmed engine now, without
   * waiting, so they are validated while other plugins run; `validate` then
   * collects the report. Stops the engine when every stack hits. Does nothing
   * without a prewarmed engine.
   */
  public prefetch(context: IPolicyValidationContext): void {
    if (!this.prewarmed) return;
    const missed = this.lookup(context).filter((e) => !e.violations);
    if (missed.length === 0) {
      this.stopEngine();
      return;
    }
    const id = this.prewarmed.submit(missed.map((e) => e.stack));
    if (id !== undefined) this.prefetched = { signature: signature(missed), id };
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const entries = this.lookup(context);
    const missed = entries.filter((e) => !e.violations);
    this.hits += entries.length - missed.length;
    this.misses += missed.length;
    const inResidentBefore = this.inResidentEngine;
    let unassigned: PolicyViolation[] = [];
    if (missed.length > 0) {
      const stackTemplates = missed.map((e) => e.stack);
      const report = this.validateMissed(missed)
        ?? delegateFor(this.rules).validate({ ...context, templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates });
      const byTemplate = splitByTemplate(report.violations, stackTemplates);
      unassigned = byTemplate.unassigned;
      for (const entry of missed) {
        entry.violations = byTemplate.perTemplate.get(entry.stack.templatePath) ?? [];
        // A report with a violation that names no template of this batch is returned but never stored.
        if (unassigned.length === 0) this.store.put(entry.key, toStored(entry.violations, entry.stack.templatePath));
      }
    }
    this.stopEngine();
    this.rememberResourceTypes(context);
    // This synth built an engine: leave one running for the next (started after the worker stopped,
    // so that the two builds never compete for a core).
    if (this.residentAddress && missed.length > 0 && this.inResidentEngine === inResidentBefore) {
      ResidentValidationEngine.start(this.residentAddress, this.rules, this.knownResourceTypes());
    }

    const violations = mergeViolations([...entries.map((e) => e.violations!), unassigned]);
    return { success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'), violations };
  }

  /** Each stack's key and, when stored, its report. */
  private lookup(context: IPolicyValidationContext) {
    return context.stackTemplates.map((stack) => {
      const key = cacheKey({
        plugin: this.name,
        ruleSet: this.ruleSet,
        stack: { path: stack.stackConstructPath, account: stack.accountId ?? null, region: stack.region ?? null },
        template: sha256(fs.readFileSync(stack.templatePath)),
      });
      const stored = this.store.get<PolicyViolation[]>(key);
      return { stack, key, violations: stored ? fromStored(stored, stack.templatePath) : undefined as PolicyViolation[] | undefined };
    });
  }

  /** The prewarmed engine's report for these stacks (prefetched or asked now); `undefined` without a usable engine. */
  private validateMissed(missed: { stack: PolicyValidationStack; key: string }[]): PolicyValidationPluginReport | undefined {
    if (!this.prewarmed?.usable) return undefined;
    const id = this.prefetched?.signature === signature(missed) ? this.prefetched.id : this.prewarmed.submit(missed.map((e) => e.stack));
    this.prefetched = undefined;
    const report = id === undefined ? undefined : this.prewarmed.result(id);
    if (report && this.prewarmed.resident) this.inResidentEngine += missed.length;
    else if (report) this.inWorker += missed.length;
    return report;
  }

  private stopEngine(): void {
    this.prewarmed?.dispose();
  }

  /**
   * Keep the resource types of this synth's templates, so the next prewarmed
   * engine is built for them (an engine built for fewer types is rebuilt on
   * the first batch, losing the head start). The list only grows: an engine
   * built for more types is reused for fewer, as aws-cdk-lib reuses its own.
   */
  private rememberResourceTypes(context: IPolicyValidationContext): void {
    const key = this.resourceTypesKey();
    const known = new Set(this.store.get<string[]>(key) ?? []);
    const before = known.size;
    for (const stack of context.stackTemplates) {
      const resources = JSON.parse(fs.readFileSync(stack.templatePath, 'utf8')).Resources ?? {};
      for (const resource of Object.values<{ Type?: string }>(resources)) if (resource.Type) known.add(resource.Type);
    }
    if (known.size !== before) this.store.put(key, [...known].sort());
  }

  private knownResourceTypes(): string[] {
    return this.store.get<string[]>(this.resourceTypesKey()) ?? [];
  }

  private resourceTypesKey(): string {
    return cacheKey({ plugin: this.name, ruleSet: this.ruleSet, engineResourceTypes: true });
  }
}

function signature(stacks: { key: string }[]): string {
  return stacks.map((s) => s.key).join(',');
}

/**
 * One real plugin per rule set for the whole process, as aws-cdk-lib keeps one
 * built-in instance: creating the engine costs seconds, and every App in a
 * test file shares it.
 */
const delegates = new Map<string, CloudFormationValidatePlugin>();
function delegateFor(props: ValidationRuleSet): CloudFormationValidatePlugin {
  const id = sha256(JSON.stringify([props.includeDefaultRules ?? true, props.regoRules ?? [], props.guardRules ?? []]));
  let plugin = delegates.get(id);
  if (!plugin) {
    plugin = new CloudFormationValidatePlugin(props);
    delegates.set(id, plugin);
  }
  return plugin;
}

/**
 * The engine reports each template in turn and merges a diagnostic into an
 * earlier violation with the same rule, severity and description. Split per
 * template, each keeping that order, so that merging the templates again in
 * the same order gives back exactly the report of one run over all of them.
 */
function splitByTemplate(violations: PolicyViolation[], stacks: PolicyValidationStack[]) {
  const perTemplate = new Map<string, PolicyViolation[]>(stacks.map((s) => [s.templatePath, []]));
  const unassigned: PolicyViolation[] = [];
  for (const violation of violations) {
    for (const resource of violation.violatingResources) {
      const list = resource.templatePath !== undefined ? perTemplate.get(resource.templatePath) : undefined;
      const target = list ?? unassigned;
      const same = target.find((v) => sameViolation(v, violation));
      if (same) (same.violatingResources as unknown[]).push(resource);
      else target.push({ ...violation, violatingResources: [resource] });
    }
  }
  return { perTemplate, unassigned };
}

/** Concatenate per-stack violation lists, merging a violation into an earlier one with the same rule, severity and description. */
export function mergeViolations(lists: PolicyViolation[][]): PolicyViolation[] {
  const merged: PolicyViolation[] = [];
  for (const violation of lists.flat()) {
    const same = merged.find((v) => sameViolation(v, violation));
    if (same) (same.violatingResources as unknown[]).push(...violation.violatingResources);
    else merged.push({ ...violation, violatingResources: [...violation.violatingResources] });
  }
  return merged;
}

/** The engine's grouping: one violation per rule, severity and description. */
function sameViolation(a: PolicyViolation, b: PolicyViolation): boolean {
  return a.ruleName === b.ruleName && a.severity === b.severity && a.description === b.description;
}

function toStored(violations: PolicyViolation[], templatePath: string): PolicyViolation[] {
  return JSON.parse(JSON.stringify(violations).split(JSON.stringify(templatePath).slice(1, -1)).join(TEMPLATE_PATH));
}

function fromStored(violations: PolicyViolation[], templatePath: string): PolicyViolation[] {
  return JSON.parse(JSON.stringify(violations).split(TEMPLATE_PATH).join(JSON.stringify(templatePath).slice(1, -1)));
}
