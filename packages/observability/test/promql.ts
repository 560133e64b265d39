/** The PromQL syntax check: Prometheus's own grammar (`@prometheus-io/lezer-promql`, the one its UI uses). */

interface SyntaxNode { readonly type: { readonly isError: boolean }; readonly from: number }
interface Tree { iterate(spec: { enter: (node: SyntaxNode) => void }): void }

// The grammar is an ES module with a CommonJS build (dist/index.cjs); jest's CommonJS runtime and
// the CommonJS type-check of the tests load it through require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: { parse(input: string): Tree } };

/** Offsets of the syntax errors in a PromQL expression (empty when it parses). */
export function promqlErrors(expr: string): number[] {
  const errors: number[] = [];
  parser.parse(expr).iterate({ enter: (n) => { if (n.type.isError) errors.push(n.from); } });
  return errors;
}
