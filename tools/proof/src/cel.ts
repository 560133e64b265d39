import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * A function the expressions call that the evaluator does not have (Kyverno's
 * `verifyImageSignatures`, for example), stood in for by a lookup table.
 */
export interface CelFunctionStub {
  /** The CEL overload, as cel-js declares it: `verifyImageSignatures(string, list): int`. */
  readonly signature: string;
  /** Result by first argument. */
  readonly results: Record<string, unknown>;
  /** Result for any other first argument. */
  readonly otherwise: unknown;
}

/** One expression and what it is evaluated with. */
export interface CelCase {
  /** The CEL expression. */
  readonly expression: string;
  /** The variables (JSON; whole numbers become CEL ints). */
  readonly variables?: Record<string, unknown>;
  /** Stubs for functions the expression calls. */
  readonly functions?: CelFunctionStub[];
}

/** The value an expression produced (ints as numbers), or why it failed. */
export interface CelResult {
  readonly value?: unknown;
  readonly error?: string;
}

const WORKER = path.join(__dirname, '..', 'bin', 'evaluate-cel.mjs');

/**
 * Evaluate CEL expressions on plain JSON with `@marcbachmann/cel-js` (no
 * Kubernetes CEL libraries). A compile or evaluation error is a result, not
 * an exception, so tests can assert on it.
 */
export function evaluateCel(cases: CelCase[]): CelResult[] {
  if (cases.length === 0) return [];
  // cel-js is an ES module only; jest's CommonJS runtime cannot import it, a child Node can.
  const run = spawnSync(process.execPath, [WORKER], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`CEL evaluation failed to run: ${run.stderr}`);
  return JSON.parse(run.stdout) as CelResult[];
}
