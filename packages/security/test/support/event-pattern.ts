/**
 * A small EventBridge event-pattern evaluator for tests, following the
 * documented matching semantics:
 * - every field named in the pattern must match (AND); `$or` lists alternatives;
 * - a pattern leaf is an array of alternatives (OR);
 * - a nested object in the pattern matches a nested object in the event;
 * - when the event value is an array, the field matches if any element matches;
 * - content filters: `prefix`, `suffix`, `equals-ignore-case`, `numeric`, `exists`, `anything-but`.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') {
      if (!Array.isArray(rule)) throw new Error('$or must be an array');
      return rule.some((alternative) => matchesPattern(alternative as Record<string, unknown>, event));
    }
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(rule)) return matchesLeaf(rule, value, key in (isObject(event) ? event : {}));
    if (isObject(rule)) {
      const candidates = Array.isArray(value) ? value : [value];
      return candidates.some((candidate) => isObject(candidate) && matchesPattern(rule, candidate));
    }
    throw new Error(`pattern field "${key}" must be an array or an object, got ${JSON.stringify(rule)}`);
  });
}

function matchesLeaf(alternatives: unknown[], value: unknown, present: boolean): boolean {
  return alternatives.some((alternative) => {
    if (isObject(alternative) && 'exists' in alternative) {
      return alternative.exists === (present && value !== undefined);
    }
    if (!present || value === undefined) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => matchesValue(alternative, v));
  });
}

function matchesValue(alternative: unknown, value: unknown): boolean {
  if (!isObject(alternative)) return alternative === value;
  const [[op, arg], ...rest] = Object.entries(alternative);
  if (rest.length > 0) throw new Error(`one content filter per object: ${JSON.stringify(alternative)}`);
  switch (op) {
    case 'prefix': return typeof value === 'string' && typeof arg === 'string' && value.startsWith(arg);
    case 'suffix': return typeof value === 'string' && typeof arg === 'string' && value.endsWith(arg);
    case 'equals-ignore-case': return typeof value === 'string' && typeof arg === 'string' && value.toLowerCase() === arg.toLowerCase();
    case 'numeric': return typeof value === 'number' && numeric(arg as unknown[], value);
    case 'anything-but': {
      if (Array.isArray(arg)) return !arg.includes(value);
      if (isObject(arg)) return !matchesValue(arg, value);
      return arg !== value;
    }
    default: throw new Error(`unsupported content filter "${op}"`);
  }
}

function numeric(conditions: unknown[], value: number): boolean {
  if (conditions.length === 0 || conditions.length % 2 !== 0) throw new Error(`bad numeric filter ${JSON.stringify(conditions)}`);
  for (let i = 0; i < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = conditions[i + 1];
    if (typeof bound !== 'number') throw new Error(`numeric bound must be a number: ${JSON.stringify(conditions)}`);
    const ok = op === '>' ? value > bound
      : op === '>=' ? value >= bound
        : op === '<' ? value < bound
          : op === '<=' ? value <= bound
            : op === '=' ? value === bound
              : (() => { throw new Error(`unknown numeric operator ${String(op)}`); })();
    if (!ok) return false;
  }
  return true;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
