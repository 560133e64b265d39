// Evaluates CEL expressions on plain JSON with @marcbachmann/cel-js.
// Reads a JSON array of cases on stdin; writes a JSON array of results on stdout.
// Its own Node process because cel-js is an ES module only, which jest's
// CommonJS runtime cannot load.
import { Environment } from '@marcbachmann/cel-js';

/** JSON numbers that are whole become CEL ints (BigInt); others stay doubles. */
function toCel(value) {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

function fromCel(value) {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, fromCel(v)]));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  return value;
}

function evaluate({ expression, variables, functions }) {
  try {
    const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
    for (const f of functions ?? []) {
      // A stub: the result is looked up by the first argument, else the default.
      env.registerFunction(f.signature, (first) => toCel(Object.prototype.hasOwnProperty.call(f.results, first) ? f.results[first] : f.otherwise));
    }
    return { value: fromCel(env.evaluate(expression, toCel(variables ?? {}))) };
  } catch (e) {
    return { error: String(e?.message ?? e) };
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(evaluate)));
});
