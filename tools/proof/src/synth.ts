import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, IPolicyValidationContext, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type * as cdkNag from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CachedCloudFormationValidatePlugin } from './cached-cloudformation-validate';
import { CachedNagPack } from './cached-nag-pack';
import { VALIDATION_RESIDENT_ENV } from './resident-validation-engine';
import { ValidationCacheStats, ValidationReportStore } from './validation-cache';

/** The cdk-nag packs Keelson runs. */
export enum NagPack {
  AWS_SOLUTIONS = 'AwsSolutions',
  NIST_800_53_R5 = 'NIST.800.53.R5',
}

/** The context flag that makes aws-cdk-lib's CloudFormation validation errors fail synth. */
export const VALIDATE_AGAINST_DEFAULT_RULES = '@aws-cdk/core:validateAgainstDefaultRules';

export interface ProofAppOptions extends AppProps {
  /**
   * cdk-nag packs to register as validation plugins.
   * @default [NagPack.AWS_SOLUTIONS]
   */
  readonly nagPacks?: NagPack[];
  /**
   * Turn on `@aws-cdk/core:validateAgainstDefaultRules`.
   * @default true
   */
  readonly validateAgainstDefaultRules?: boolean;
  /**
   * Reuse each stack's validation reports (CloudFormation validation and the
   * nag packs) by content, from this directory. `false` validates every stack
   * every time. `KEELSON_VALIDATION_CACHE=off` turns the cache off whatever
   * this says; `KEELSON_VALIDATION_CACHE_DIR` moves it.
   * @default - `node_modules/.cache/keelson-validation` of the working directory's package
   */
  readonly validationCache?: string | false;
  /**
   * With the validation cache on, start aws-cdk-lib's CloudFormation
   * validation engine in a worker thread when the app is made, so a synth
   * where a stack changed does not wait for the engine to be built
   * (`PrewarmedValidationEngine`); the changed stacks are validated there
   * while the nag packs run. A synth where every stack hits stops the worker.
   * `'whenIdle'` starts it only when the host has a core idle for it.
   * `KEELSON_VALIDATION_PREWARM` (`on`, `off`, `whenIdle`) decides when this is not given.
   * @default - 'whenIdle'; false inside a jest worker, where test files already
   *   keep every core busy and a speculative engine would only compete with them
   */
  readonly prewarmValidationEngine?: boolean | 'whenIdle';
  /**
   * With the validation cache on, keep aws-cdk-lib's CloudFormation validation
   * engine in a process of its own between synths (`ResidentValidationEngine`):
   * a synth that had to build the engine leaves one running, later synths hand
   * their changed stacks to it, and it exits after 15 idle minutes.
   * It is opt-in: a process that outlives its command must be asked for. When
   * one starts, the synth prints a line saying so and how to stop it.
   * `KEELSON_VALIDATION_RESIDENT` (`on`, `off`) decides when this is not given.
   * @default false
   */
  readonly residentValidationEngine?: boolean;
}

const cachingPlugins = new WeakMap<App, { stats: ValidationCacheStats }[]>();

/**
 * An App with Keelson's proof gates registered: cdk-nag packs and
 * CloudFormation validation, both reusing each stack's report while its
 * template, tree and acknowledgements are unchanged (`validationCache`).
 *
 * The CloudFormation validation is aws-cdk-lib's own, registered here in place
 * of the built-in instance; it is off, as the built-in one would be, under
 * `CDK_VALIDATION=false` or `builtinCloudFormationValidation: false`.
 */
export function proofApp(options: ProofAppOptions = {}): App {
  const app = new App({
    ...options,
    context: {
      [VALIDATE_AGAINST_DEFAULT_RULES]: options.validateAgainstDefaultRules ?? true,
      ...options.context,
    },
  });
  const store = options.validationCache === false ? undefined : ValidationReportStore.fromEnvironment(options.validationCache);
  const cfnValidation = process.env.CDK_VALIDATION !== 'false' && options.builtinCloudFormationValidation !== false;
  const cfnPlugin = store && cfnValidation
    ? new CachedCloudFormationValidatePlugin(store, {
      prewarmEngine: options.prewarmValidationEngine ?? prewarmFromEnvironment(),
      residentEngine: options.residentValidationEngine ?? residentFromEnvironment(),
    })
    : undefined;
  // The nag packs are registered first, and the first of them hands the changed stacks to the
  // prewarmed engine, so that CloudFormation validation runs in the worker while they run here.
  addNagPacks(app, options.nagPacks ?? [NagPack.AWS_SOLUTIONS], store, cfnPlugin && ((context) => cfnPlugin.prefetch(context)));
  if (cfnPlugin) {
    Validations.of(app).addPlugins(cfnPlugin);
    cachingPlugins.set(app, [cfnPlugin, ...cachingPlugins.get(app) ?? []]);
  }
  return app;
}

/** Set to `on`, `off` or `whenIdle` to choose when `proofApp` prewarms the CloudFormation validation engine. */
export const VALIDATION_PREWARM_ENV = 'KEELSON_VALIDATION_PREWARM';

function prewarmFromEnvironment(): boolean | 'whenIdle' {
  const value = process.env[VALIDATION_PREWARM_ENV];
  if (value === undefined || value === '') return process.env.JEST_WORKER_ID === undefined ? 'whenIdle' : false;
  if (/^(on|true|1|yes)$/i.test(value)) return true;
  if (/^(off|false|0|no)$/i.test(value)) return false;
  if (value === 'whenIdle') return 'whenIdle';
  throw new Error(`${VALIDATION_PREWARM_ENV}=${value}: expected on, off or whenIdle`);
}

function residentFromEnvironment(): boolean {
  const value = process.env[VALIDATION_RESIDENT_ENV];
  if (value === undefined || value === '') return false;
  if (/^(on|true|1|yes)$/i.test(value)) return true;
  if (/^(off|false|0|no)$/i.test(value)) return false;
  throw new Error(`${VALIDATION_RESIDENT_ENV}=${value}: expected on or off`);
}

/**
 * Register cdk-nag packs on an app (cdk-nag 3 is a validation plugin, not an
 * Aspect), each reusing its per-stack reports from `store` when one is given;
 * then a pack is made only when a stack misses.
 */
export function addNagPacks(
  app: App, packs: NagPack[], store?: ValidationReportStore, beforeValidate?: (context: IPolicyValidationContext) => void,
): void {
  const plugins = packs.map((pack, i) => {
    const create = () => makeNagPack(app, pack);
    // The packs are made with their default props, so the pack's name is all that tells them apart.
    return store ? new CachedNagPack({ name: pack, identity: { pack, props: 'default' }, create, beforeValidate: i === 0 ? beforeValidate : undefined }, store) : create();
  });
  if (plugins.length === 0) return;
  Validations.of(app).addPlugins(...plugins);
  const cached = plugins.filter((p): p is CachedNagPack => p instanceof CachedNagPack);
  cachingPlugins.set(app, [...cachingPlugins.get(app) ?? [], ...cached]);
}

function makeNagPack(app: App, pack: NagPack): cdkNag.NagPack {
  // Required here, not imported: loading cdk-nag (and the aws-cdk-lib modules its rules use) costs
  // 0.3-1 s, which a synth whose stacks all hit the validation cache never pays.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nag: typeof cdkNag = require('cdk-nag');
  return pack === NagPack.AWS_SOLUTIONS ? new nag.AwsSolutionsChecks(app) : new nag.NIST80053R5Checks(app);
}

/** How many stacks each caching validation plugin of `app` answered from the cache and validated, since the app was created. */
export function validationCacheStats(app: App): ValidationCacheStats[] {
  return (cachingPlugins.get(app) ?? []).map((p) => p.stats);
}

/** One unacknowledged rule violation reported by a validation plugin. */
export interface Finding {
  /** Plugin name: `AwsSolutions`, `NIST.800.53.R5` or `CloudFormation Validate`. */
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly constructPaths: string[];
}

/** A rule acknowledged somewhere in the construct tree, with its reason. */
export interface Acknowledgement {
  readonly constructPath: string;
  readonly id: string;
  readonly reason: string;
}

export interface SynthResult {
  readonly assembly: CloudAssembly;
  /** Unacknowledged violations from every registered plugin (empty when the gates pass). */
  readonly findings: Finding[];
  /** Every acknowledgement in the app, so a test can budget them. */
  readonly acknowledgements: Acknowledgement[];
  /** Absolute paths of every synthesized template. */
  readonly templatePaths: string[];
  /** Per caching validation plugin: stacks answered from the cache and stacks validated in this synth (empty with the cache off). */
  readonly validationCache: ValidationCacheStats[];
  /** The `Template` of a stack, by artifact id or stack name. */
  template(stackId: string): Template;
}

interface ReportJson {
  pluginReports: {
    pluginName: string;
    violations: {
      ruleName: string;
      description: string;
      severity?: string;
      violatingConstructs: { constructPath?: string; resourceLogicalId?: string; templatePath?: string }[];
    }[];
  }[];
}

/**
 * Synthesize an app and collect what its validation plugins found.
 *
 * A plugin violation makes `app.synth()` throw "Validation failed"; the
 * violations are read back from `validation-report.json` and returned, so a
 * test can assert on them. Any other synth error is rethrown.
 */
export function synthesize(app: App): SynthResult {
  const before = validationCacheStats(app);
  let assembly: CloudAssembly | undefined;
  try {
    assembly = app.synth();
  } catch (error) {
    if (!(error instanceof Error) || !/Validation ?failed/i.test(`${error.name} ${error.message}`)) throw error;
  }
  const outdir = assembly?.directory ?? app.outdir;
  assembly = assembly ?? new CloudAssembly(outdir, { skipVersionCheck: true });
  const findings = readFindings(path.join(outdir, 'validation-report.json'));
  const templatePaths = assembly.stacksRecursively.map((s) => path.join(s.assembly.directory, s.templateFile));
  const stacks = assembly.stacksRecursively;
  return {
    assembly,
    findings,
    acknowledgements: acknowledgementsIn(app),
    templatePaths,
    validationCache: validationCacheStats(app).map((s, i) => ({
      ...s,
      hits: s.hits - before[i].hits,
      misses: s.misses - before[i].misses,
      ...s.inWorker !== undefined ? { inWorker: s.inWorker - (before[i].inWorker ?? 0) } : {},
    })),
    template(stackId: string) {
      const stack = stacks.find((s) => s.id === stackId || s.stackName === stackId);
      if (!stack) throw new Error(`no stack "${stackId}" in the assembly; have ${stacks.map((s) => s.id).join(', ')}`);
      return Template.fromJSON(stack.template);
    },
  };
}

function readFindings(reportPath: string): Finding[] {
  if (!fs.existsSync(reportPath)) return [];
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as ReportJson;
  return report.pluginReports.flatMap((plugin) => plugin.violations.map((v) => ({
    plugin: plugin.pluginName,
    rule: v.ruleName,
    severity: v.severity ?? 'error',
    description: v.description,
    constructPaths: v.violatingConstructs.map((c) => c.constructPath ?? `${c.templatePath}#${c.resourceLogicalId}`),
  })));
}

/** Every `Validations.of(x).acknowledge(...)` under `scope`. */
export function acknowledgementsIn(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => toArray(m.data).map((ack: { id: string; reason: string }) => ({
      constructPath: c.node.path, id: ack.id, reason: ack.reason,
    }))));
}

function toArray(data: unknown): any[] {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    if ('id' in record) return [record];
    return Object.entries(record).map(([id, reason]) => ({ id: id.replace(/^Annotation::/, ''), reason: typeof reason === 'string' ? reason : (reason as any)?.reason }));
  }
  return [];
}

/** Findings as readable lines, for assertion messages. */
export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `[${f.plugin}] ${f.rule} (${f.severity}): ${f.description}\n    at ${f.constructPaths.join('\n    at ')}`).join('\n');
}
