import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import type { PlatformConfig } from './platform-config';
import { fixes, PlatformConfigSchema } from './schema';
import { ConfigProblem, semanticChecks, semanticWarnings } from './semantic-checks';

/** Invalid configuration: one line per error, each naming the field and the fix. */
export class ConfigError extends Error {
  /** The errors, one per line of the message. */
  public readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** `config.<path>: <problem>. Fix: <fix>` */
export function formatProblem(p: ConfigProblem): string {
  return `config${p.path ? `.${p.path}` : ''}: ${p.problem}. Fix: ${p.fix}`;
}

/**
 * Every error in `input`, schema and cross-field checks together, in field order.
 * Empty when the configuration is valid.
 */
export function configProblems(input: unknown): ConfigProblem[] {
  const result = PlatformConfigSchema.safeParse(input);
  const schemaProblems = result.success ? []
    : result.error.issues.flatMap((issue) => describeIssue(issue, input).map((p) => withoutSecret(p, issue.path, input)));
  const invalid = schemaProblems.map((p) => p.path);
  // A path is valid when no error sits on it, inside it, or on an object holding it.
  const valid = (...paths: string[]) => paths.every((path) =>
    !invalid.some((bad) => bad === path || bad.startsWith(`${path}.`) || bad.startsWith(`${path}[`) || path.startsWith(`${bad}.`) || path.startsWith(`${bad}[`)));
  const crossProblems = isObject(input) ? semanticChecks(input as PlatformConfig, valid) : [];
  return sortByPath([...schemaProblems, ...crossProblems]);
}

/** The parsed configuration, or a {@link ConfigError} listing every error. */
export function validateConfig(input: unknown): PlatformConfig {
  const problems = configProblems(input);
  if (problems.length > 0) throw new ConfigError(problems);
  return PlatformConfigSchema.parse(input);
}

/**
 * Settings of a valid configuration that have no effect with the rest of it
 * (`semanticWarnings`), each with the field and what would make it work.
 * Empty when the configuration is invalid: its errors come first.
 */
export function configWarnings(input: unknown): ConfigProblem[] {
  return configProblems(input).length > 0 ? [] : sortByPath(semanticWarnings(PlatformConfigSchema.parse(input)));
}

/** Fields whose name says they hold a secret (or a secret's name, where a secret may be pasted by mistake). */
const SECRET_FIELD = /secret|password|credential|private.?key/i;

/** A problem of a secret field, with the field's value, if any, replaced: errors reach logs and CI output. */
function withoutSecret(problem: ConfigProblem, issuePath: PropertyKey[], input: unknown): ConfigProblem {
  if (!issuePath.some((k) => typeof k === 'string' && SECRET_FIELD.test(k))) return problem;
  const value = valueAt(input, issuePath);
  if (value === null || value === undefined || typeof value === 'object' || String(value) === '') return problem;
  const hidden = [JSON.stringify(value), String(value)].reduce((text, v) => text.split(v).join('(value not shown)'), problem.problem);
  return { ...problem, problem: hidden };
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): ConfigProblem[] {
  const path = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  const fix = fixAt(issue.path) ?? 'see keelson.config.schema.json';
  if (value === null && issue.code !== 'unrecognized_keys' && issue.code !== 'custom') {
    return [{ path, problem: 'is null', fix: `give a value or leave the key out to keep the default: ${fix}` }];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(issue.path, key));
    case 'invalid_type':
      if (value === undefined) return [{ path, problem: 'is missing', fix: `set it (${issue.expected}): ${fix}` }];
      return [{ path, problem: `is ${describe(value)}, not ${article(issue.expected === 'array' ? 'list' : issue.expected)}`, fix }];
    case 'too_small':
      if (typeof value === 'string' && value.length === 0) return [{ path, problem: 'is an empty string', fix }];
      if (Array.isArray(value)) return [{ path, problem: `lists ${value.length} entr${value.length === 1 ? 'y' : 'ies'}, at least ${issue.minimum} needed`, fix }];
      return [{ path, problem: `${JSON.stringify(value)} is below ${issue.inclusive ? '' : 'or at '}${issue.minimum}`, fix }];
    case 'too_big':
      if (Array.isArray(value)) return [{ path, problem: `lists ${value.length} entries, at most ${issue.maximum} allowed`, fix }];
      return [{ path, problem: `${JSON.stringify(value)} is above ${issue.maximum}`, fix }];
    case 'invalid_value':
      return [{ path, problem: `${JSON.stringify(value)} is not allowed`, fix }];
    case 'invalid_format':
      return [{ path, problem: `${JSON.stringify(value)} is not valid here`, fix }];
    case 'not_multiple_of':
      return [{ path, problem: `${JSON.stringify(value)} is not a whole number`, fix }];
    case 'custom': {
      const [problem, given] = issue.message.split('. Fix: ');
      return [{ path, problem, fix: given ?? fix }];
    }
    default:
      return [{ path, problem: issue.message, fix }];
  }
}

/** "did you mean": the nearest key the object takes, when it is close enough to be a typo. */
function unknownKey(objectPath: PropertyKey[], key: string): ConfigProblem {
  const where = objectPath.length ? formatPath(objectPath) : 'the top level';
  const known = Object.keys(objectShapeAt(objectPath) ?? {});
  const nearest = known.length ? closest(key, known) : undefined;
  const path = formatPath([...objectPath, key]);
  if (nearest && distance(key.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, Math.floor(nearest.length / 3))) {
    return { path, problem: `is not a setting of ${where}`, fix: `did you mean \`${nearest}\`?` };
  }
  return { path, problem: `is not a setting of ${where}`, fix: `remove it; ${where} takes ${known.join(', ')}` };
}

/** The schema at `path`, through objects, arrays and optionals. */
function schemaAt(path: PropertyKey[]): z.core.$ZodType | undefined {
  let schema: z.core.$ZodType | undefined = PlatformConfigSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    const def: any = schema?._zod.def;
    if (def?.type === 'object') schema = def.shape[segment as string];
    else if (def?.type === 'array') schema = def.element;
    else return undefined;
  }
  return schema;
}

function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let s = schema;
  while (s && ['optional', 'nullable', 'default'].includes((s._zod.def as any).type)) s = (s._zod.def as any).innerType;
  return s;
}

function objectShapeAt(path: PropertyKey[]): Record<string, unknown> | undefined {
  const def: any = unwrap(schemaAt(path))?._zod.def;
  return def?.type === 'object' ? def.shape : undefined;
}

function fixAt(path: PropertyKey[]): string | undefined {
  const schema = schemaAt(path);
  return (schema && fixes.get(schema as z.ZodType)?.fix) ?? (schema && fixes.get(unwrap(schema) as z.ZodType)?.fix);
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  return path.reduce<any>((v, seg) => (v !== null && typeof v === 'object' ? v[seg as any] : undefined), input);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Errors in the order the fields appear in the schema, so output is stable. */
function sortByPath(problems: ConfigProblem[]): ConfigProblem[] {
  const order = new Map<string, number>();
  const walk = (schema: z.core.$ZodType | undefined, prefix: string) => {
    const def: any = unwrap(schema)?._zod.def;
    if (def?.type !== 'object') return;
    for (const key of Object.keys(def.shape)) {
      const path = prefix ? `${prefix}.${key}` : key;
      order.set(path, order.size);
      walk(def.shape[key], path);
    }
  };
  walk(PlatformConfigSchema, '');
  const rank = (path: string) => {
    for (let p = path.replace(/\[\d+\]/g, ''); p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      if (order.has(p)) return order.get(p)!;
    }
    return Number.MAX_SAFE_INTEGER;
  };
  return problems.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p.path) - rank(b.p.path) || a.i - b.i).map(({ p }) => p);
}
