import * as ts from 'typescript';

/**
 * A version catalogue read from its source text: every `static readonly X: VersionPin` of its
 * classes, with where in the file its `version` string literal is. Renovate edits that literal, so
 * the coverage test asks which manager match covers it. Entries built by helpers (eks-core's
 * `addon(...)`, mesh's `istio(name)`) are followed into the helper; a literal a helper shares
 * (one Istio version for four charts) is one location for all the entries that use it.
 */
export interface SourcePin {
  /** `ClassName.MEMBER`. */
  readonly member: string;
  /** The class the member belongs to. */
  readonly className: string;
  readonly name: string;
  readonly kind: string;
  readonly version: string;
  readonly repository?: string;
  readonly kubernetesVersions: string[];
  /** Offsets of the version literal's text (inside the quotes) in the file. */
  readonly versionStart: number;
  readonly versionEnd: number;
}

type Value =
  | { t: 'str'; value: string; start?: number; end?: number }
  | { t: 'obj'; props: Map<string, Value> }
  | { t: 'arr'; items: Value[] }
  | { t: 'unknown' };

const UNKNOWN: Value = { t: 'unknown' };

/** Reads the catalogue entries of a `*-versions.ts` source text. Throws on an entry it cannot evaluate. */
export function cataloguePins(text: string, fileName: string): SourcePin[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const consts = new Map<string, ts.Expression>();
  const functions = new Map<string, ts.FunctionLikeDeclaration>();
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        if (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer)) functions.set(d.name.text, d.initializer);
        else consts.set(d.name.text, d.initializer);
      }
    } else if (ts.isFunctionDeclaration(st) && st.name) {
      functions.set(st.name.text, st);
    }
  }

  const evaluate = (e: ts.Expression, env: Map<string, Value>): Value => {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
      return { t: 'str', value: e.text, start: e.getStart(sf) + 1, end: e.getEnd() - 1 };
    }
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return evaluate(e.expression, env);
    if (ts.isCallExpression(e) && e.expression.getText(sf) === 'PlatformKubernetesVersion.supportedNames') {
      // The supported Kubernetes versions' one definition, read where it lives (eks-core).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const names: string[] = require('@keelson/eks-core').PlatformKubernetesVersion.supportedNames();
      return { t: 'arr', items: names.map((value): Value => ({ t: 'str', value })) };
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'PinKind') {
      return { t: 'str', value: e.name.text };
    }
    if (ts.isIdentifier(e)) {
      if (env.has(e.text)) return env.get(e.text)!;
      const c = consts.get(e.text);
      return c ? evaluate(c, new Map()) : UNKNOWN;
    }
    if (ts.isArrayLiteralExpression(e)) return { t: 'arr', items: e.elements.map((x) => evaluate(x, env)) };
    if (ts.isObjectLiteralExpression(e)) {
      const props = new Map<string, Value>();
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
          props.set(p.name.text, evaluate(p.initializer, env));
        } else if (ts.isShorthandPropertyAssignment(p)) {
          props.set(p.name.text, evaluate(p.name, env));
        }
      }
      return { t: 'obj', props };
    }
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
      const fn = functions.get(e.expression.text);
      if (!fn) return UNKNOWN;
      const scope = new Map<string, Value>();
      fn.parameters.forEach((p, i) => {
        if (!ts.isIdentifier(p.name)) return;
        const arg = e.arguments[i];
        scope.set(p.name.text, arg ? evaluate(arg, env) : p.initializer ? evaluate(p.initializer, new Map()) : UNKNOWN);
      });
      const body = fn.body;
      if (!body) return UNKNOWN;
      if (!ts.isBlock(body)) return evaluate(body, scope);
      const ret = body.statements.find(ts.isReturnStatement);
      return ret?.expression ? evaluate(ret.expression, scope) : UNKNOWN;
    }
    return UNKNOWN;
  };

  const pins: SourcePin[] = [];
  for (const cls of sf.statements.filter(ts.isClassDeclaration)) {
    const className = cls.name?.text ?? '(anonymous)';
    for (const m of cls.members) {
      if (!ts.isPropertyDeclaration(m) || !m.initializer || !ts.isIdentifier(m.name)) continue;
      if (!m.type || !ts.isTypeReferenceNode(m.type) || m.type.typeName.getText(sf) !== 'VersionPin') continue;
      const member = `${className}.${m.name.text}`;
      const v = evaluate(m.initializer, new Map());
      if (v.t !== 'obj') throw new Error(`${fileName}: ${member}: the entry is not an object literal or a call of a helper in the file`);
      const str = (key: string) => {
        const x = v.props.get(key);
        return x?.t === 'str' ? x : undefined;
      };
      const version = str('version');
      if (!version || version.start === undefined || version.end === undefined) {
        throw new Error(`${fileName}: ${member}: its version is not a string literal in the file`);
      }
      const kv = v.props.get('kubernetesVersions');
      pins.push({
        member,
        className,
        name: str('name')?.value ?? '',
        kind: str('kind')?.value ?? '',
        version: version.value,
        repository: str('repository')?.value,
        kubernetesVersions: kv?.t === 'arr' ? kv.items.flatMap((i) => (i.t === 'str' ? [i.value] : [])) : [],
        versionStart: version.start,
        versionEnd: version.end,
      });
    }
  }
  return pins;
}
