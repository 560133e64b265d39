/**
 * README examples as jsii-rosetta translated them to Go, made into a Go program.
 *
 * Rosetta's Go is a sketch, not a program (its own README calls the Go target "best effort"): the
 * translation of every example, in every version up to 6.0.17 (the newest; its Go visitor changed
 * only snippet-local classes), has the same mechanical defects. Each is repaired here by one rule,
 * narrowly: a static rule rewrites one exact pattern; a compiler-driven rule acts only where the Go
 * compiler reports one exact error, at the position it reports. Anything else the compiler says is
 * the example's own defect and fails its test. The rules and where upstream tracks each:
 *
 * | rule | rosetta writes | Go needs | upstream |
 * | --- | --- | --- | --- |
 * | `imports` | `import s3 "github.com/aws/aws-cdk-go/awscdk"` for `aws-cdk-lib/aws-s3`: no major-version suffix, submodule lost | `s3 "github.com/aws/aws-cdk-go/awscdk/v2/awss3"` | aws/jsii#3928 lists it as left over: "import paths (in Go) may not be computed correctly" |
 * | `program` | bare statements, `jsii.String` without importing jsii | `package main`, a function, the jsii runtime import | by design: rosetta translates snippets (aws/jsii#2439) |
 * | `selector-deref` | `platform.*Cluster` | `platform.Cluster` | no upstream issue found: `goName` prefixes `*` to a cached name in a pointer context |
 * | `bool-helper` | `jsii.Boolean(true)` | `jsii.Bool(true)` (the runtime's name) | no upstream issue found |
 * | `number-type` | `map[string]*f64` | `map[string]*float64` | no upstream issue found: `renderType` writes `f64` for a number |
 * | `struct-slice` | `[]Key{&Key{...}}` | `[]*Key{&Key{...}}` | no upstream issue found (a jsii struct is a Go struct passed by pointer, aws/jsii#2600) |
 * | `qualify-type` | `&BucketProps{` (compiler: `undefined: BucketProps`) | `&awss3.BucketProps{` | aws/jsii#3928 (left over: "struct type names in Go" lack qualification); hashicorp/terraform-cdk#2800 (open) |
 * | `optional-args` | `awscdk.NewApp()` (compiler: `not enough arguments`) | `awscdk.NewApp(nil)` | no upstream issue found: Go has no optional parameters and rosetta drops trailing ones |
 * | `shorthand` | `{ vpc }` as `Vpc: Vpc` (compiler: `undefined: Vpc`, and the example declares `vpc`) | `Vpc: vpc` | no upstream issue found: `goName` caches the key's exported name and reuses it for the value |
 * | `string-literal` | `[]*string{"kube-system"}` for an inferred `string[]` (compiler: `untyped string constant`) | `jsii.String("kube-system")` | no upstream issue found: literals are wrapped only where a jsii type is expected |
 * | `getter` | `stack.availabilityZones`, `services.Keda` as a value (compiler: `has no field or method`, `value of type func()`) | `stack.AvailabilityZones()` | aws/jsii#3771 (open, the same for Java's getters); none found for Go |
 * | `map-key` | `nodePools[jsii.String("system")]` (compiler: `*string ... in map index`) | `["system"]` | no upstream issue found |
 * | `collection-pointer` | `[]*string{...}` for a `*[]*string` field (compiler: `cannot use ... as *[]...`) | `&[]*string{...}` | no upstream issue found (jsii lists are `*[]` in Go) |
 *
 * What a README controls is not repaired: an unused variable (`declared and not used`), a name
 * that shadows an imported package (`const network = new PlatformNetwork(...)` in Go is
 * `network := network.NewPlatformNetwork(...)`), a function declared inside the example (Go has no
 * nested functions). Those are fixed in the README.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The Go package an npm module specifier maps to, from the npm package's jsii Go target. */
export interface GoImport {
  /** The name the example's code uses (the TypeScript alias, else the Go package name). */
  readonly name: string;
  readonly path: string;
}

/** An npm package's manifest fields that decide its Go import path. */
export interface JsiiGoManifest {
  readonly version: string;
  readonly jsii?: { readonly targets?: { readonly go?: { readonly moduleName: string; readonly packageName?: string } } };
}

/**
 * The Go import path of `specifier` (an npm package, or one of its submodules: `aws-cdk-lib/aws-s3`),
 * as jsii-pacmak names it: `<moduleName>/<packageName>`, `/v<major>` from major version 2 on, then
 * the submodule's folder (its name without punctuation).
 */
export function goImportPath(specifier: string, manifest: JsiiGoManifest): { path: string; packageName: string } {
  const parts = specifier.split('/');
  const npmName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const submodule = specifier.slice(npmName.length).replace(/^\//, '');
  const go = manifest.jsii?.targets?.go;
  if (!go) throw new Error(`${npmName} has no Go target: a README example may import only jsii packages`);
  const packageName = go.packageName ?? npmName.replace(/[^a-z0-9]/gi, '').toLowerCase();
  const major = Number(manifest.version.split('.')[0]);
  const root = `${go.moduleName}/${packageName}${major >= 2 ? `/v${major}` : ''}`;
  if (!submodule) return { path: root, packageName };
  const sub = submodule.replace(/[^a-z0-9]/gi, '').toLowerCase();
  return { path: `${root}/${sub}`, packageName: sub };
}

/** The Go imports a TypeScript example's `import` statements need. */
export function goImports(typescript: string, manifestOf: (npmName: string) => JsiiGoManifest): GoImport[] {
  const imports: GoImport[] = [];
  const statement = /^import\s+(?:\*\s+as\s+(\w+)|\{[^}]*\})\s+from\s+'([^']+)';/gm;
  for (let m = statement.exec(typescript); m; m = statement.exec(typescript)) {
    const specifier = m[2];
    const npmName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
    const { path: importPath, packageName } = goImportPath(specifier, manifestOf(npmName));
    imports.push({ name: m[1] ?? packageName, path: importPath });
  }
  return imports;
}

/** The jsii runtime for Go: `jsii.String`, `jsii.Number` ... */
export const JSII_RUNTIME_GO = 'github.com/aws/jsii-runtime-go';

/** The Go function that runs an example (`example_eks_core_1`). */
export function goExampleFunction(id: string): string {
  return `example_${id}`;
}

/**
 * The static rules: rosetta's Go translation of an example (its own imports dropped) as a file of
 * package main, with the imports its TypeScript names (only those the code uses, as Go requires),
 * the body in a function of its own, and the exact-pattern repairs.
 */
export function goExampleFile(id: string, rosettaGo: string, imports: GoImport[]): string {
  let body = rosettaGo.split('\n').filter((l) => !/^import\s/.test(l)).join('\n').trim();
  body = body
    .replace(/\.\*([A-Z]\w*)/g, '.$1') // selector-deref
    .replace(/\bf64\b/g, 'float64') // number-type
    .replace(/\bjsii\.Boolean\(/g, 'jsii.Bool('); // bool-helper
  body = repairStructSlices(body);
  const indented = body.split('\n').map((l) => (l ? `\t${l}` : l)).join('\n');
  const file = `// README example ${id}, as jsii-rosetta translated it to Go (repairs: src/go-examples.ts).\npackage main\n\nimport (\n)\n\nfunc ${goExampleFunction(id)}() {\n${indented}\n}\n`;
  return withImports(file, imports);
}

/**
 * The file with the imports its code uses, of `imports` and the jsii runtime (Go refuses an unused
 * import; a repair can make one used).
 */
export function withImports(file: string, imports: GoImport[]): string {
  const start = file.indexOf('\nfunc ');
  const body = file.slice(start);
  // Uses in code only: a string (`"http://prometheus.observability.svc"`) or a comment is not one.
  const code = body.replace(/"(?:[^"\\\n]|\\.)*"|`[^`]*`|\/\/.*$/gm, '""');
  const used = [{ name: 'jsii', path: JSII_RUNTIME_GO }, ...imports]
    .filter((i, n, all) => all.findIndex((o) => o.name === i.name) === n && new RegExp(`\\b${i.name}\\.`).test(code));
  const importLines = used.map((i) => `\t${i.name} ${JSON.stringify(i.path)}\n`).join('');
  return file.slice(0, start).replace(/import \([\s\S]*?\)/, `import (\n${importLines})`) + body;
}

/** struct-slice: a list of struct literals is a slice of pointers (`[]*T{&T{`). */
export function repairStructSlices(go: string): string {
  return go.replace(/\[\]([\w.]+)\{(\s*)&\1\{/g, '[]*$1{$2&$1{');
}

/** The program's entry point: runs the example named by its first argument. */
export function goMainFile(ids: string[]): string {
  const entries = ids.map((id) => `\t${JSON.stringify(id)}: ${goExampleFunction(id)},`).join('\n');
  return `// Every README example in one program (one build, one link): \`readme-examples <id>\` runs one.\npackage main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nvar examples = map[string]func(){\n${entries}\n}\n\nfunc main() {\n\tif len(os.Args) != 2 || examples[os.Args[1]] == nil {\n\t\tfmt.Fprintln(os.Stderr, "usage: readme-examples <example id>")\n\t\tos.Exit(2)\n\t}\n\texamples[os.Args[1]]()\n}\n`;
}

/** One error of `go build`, at a file's 1-based line and byte column. */
export interface GoCompileError {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The message, with its continuation lines (`have (...)`, `want (...)`). */
  readonly message: string;
}

/** The errors in `go build` output (`./file.go:12:5: message`, continuation lines indented). */
export function parseGoErrors(output: string): GoCompileError[] {
  const errors: GoCompileError[] = [];
  for (const line of output.split('\n')) {
    const m = /^([\w./-]+\.go):(\d+):(\d+): (.*)$/.exec(line);
    if (m) {
      errors.push({ file: path.basename(m[1]), line: Number(m[2]), col: Number(m[3]), message: m[4] });
    } else if (line.startsWith('\t') && errors.length > 0) {
      const last = errors.pop()!;
      errors.push({ ...last, message: `${last.message}\n${line}` });
    }
  }
  return errors;
}

/** One repair: replace `remove` characters at a position with `insert`. */
interface Edit {
  readonly line: number;
  readonly col: number;
  readonly remove: number;
  readonly insert: string;
  readonly rule: string;
}

/** Count a Go parameter list's parameters (top-level commas). */
function paramCount(list: string): number {
  if (!list.trim()) return 0;
  let depth = 0;
  let count = 1;
  for (const ch of list) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) count++;
  }
  return count;
}

/**
 * The compiler-driven rules: the edits that answer one compile error of rosetta's known kinds at
 * the reported position, or none. `typesOf(name)` lists the imports (by the file's name for them)
 * that declare a Go type of that name.
 */
export function repairFor(error: GoCompileError, source: string[], typesOf: (name: string) => string[]): Edit | undefined {
  const text = source[error.line - 1] ?? '';
  const at = error.col - 1;
  let m: RegExpExecArray | null;
  if ((m = /^undefined: ([A-Z]\w*)$/.exec(error.message))) {
    // shorthand: `{ vpc }` became `Vpc: Vpc`; the value is the example's own variable.
    // (`*Role` where rosetta took the name for a pointer.)
    const local = m[1][0].toLowerCase() + m[1].slice(1);
    const star = text[at - 1] === '*' ? 1 : 0;
    if (text.slice(0, at - star).trim() === `${m[1]}:` && source.some((l) => new RegExp(`^\\s*${local} :?= `).test(l))) {
      return { line: error.line, col: error.col - star, remove: m[1].length + star, insert: local, rule: 'shorthand' };
    }
    const owners = typesOf(m[1]);
    if (owners.length === 1 && text.startsWith(m[1], at) && text[at - 1] !== '.') {
      return { line: error.line, col: error.col, remove: 0, insert: `${owners[0]}.`, rule: 'qualify-type' };
    }
    return undefined;
  }
  if ((m = /^not enough arguments in call to [^\n]*\n\s*have \((.*)\)\n\s*want \((.*)\)$/.exec(error.message))) {
    // The compiler points at the last argument (at the call when there is none); the arguments
    // end at the first parenthesis closing more than it opened from there.
    const have = paramCount(m[1]);
    const missing = paramCount(m[2]) - have;
    const close = closingParen(source, error.line, at, have === 0 ? 0 : 1);
    if (missing > 0 && close) {
      const nils = Array(missing).fill('nil').join(', ');
      return { ...close, remove: 0, insert: paramCount(m[1]) > 0 ? `, ${nils}` : nils, rule: 'optional-args' };
    }
    return undefined;
  }
  if ((m = /has no field or method (\w+), but does have method (\w+)\)$/.exec(error.message))) {
    if (text.startsWith(m[1], at) && text[at - 1] === '.') {
      return { line: error.line, col: error.col, remove: m[1].length, insert: `${m[2]}()`, rule: 'getter' };
    }
    return undefined;
  }
  if ((m = /^(\S+) undefined \(type func\(\) [^\n]* has no field or method (\w+)\)$/.exec(error.message))) {
    // `a.B.C` where B is a getter: call it before selecting C.
    const selector = `.${m[2]}`;
    const end = text.startsWith(m[2], at) ? at - 1 : text.indexOf(selector, at);
    if (end > 0 && text[end] === '.') return { line: error.line, col: end + 1, remove: 0, insert: '()', rule: 'getter' };
    return undefined;
  }
  if ((m = /^cannot use ("(?:[^"\\]|\\.)*") \(untyped string constant\) as \*string value/.exec(error.message))) {
    if (text.startsWith(m[1], at)) return { line: error.line, col: error.col, remove: m[1].length, insert: `jsii.String(${m[1]})`, rule: 'string-literal' };
    return undefined;
  }
  if ((m = /^cannot index ([\w.()]+) \(value of type func\(\) \*map\[/.exec(error.message))) {
    // A map property is a getter returning a pointer to the map (the compiler points at the index).
    const start = text.startsWith(m[1], at) ? at : text.slice(0, at).endsWith(m[1]) ? at - m[1].length : -1;
    if (start >= 0) return { line: error.line, col: start + 1, remove: m[1].length, insert: `(*${m[1]}())`, rule: 'getter' };
    return undefined;
  }
  if ((m = /^cannot use jsii\.String\(("(?:[^"\\]|\\.)*")\) \(value of type \*string\) as string value in map index/.exec(error.message))) {
    // map-key: Go's maps are keyed by string, not *string.
    const call = `jsii.String(${m[1]})`;
    if (text.startsWith(call, at)) return { line: error.line, col: error.col, remove: call.length, insert: m[1], rule: 'map-key' };
    return undefined;
  }
  if ((m = /^cannot use ([\w.()]+) \(value of type func\(\) /.exec(error.message))) {
    if (text.startsWith(m[1], at)) return { line: error.line, col: error.col + m[1].length, remove: 0, insert: '()', rule: 'getter' };
    return undefined;
  }
  if ((m = /^cannot use (\S+) \((?:value|variable) of type ((?:\[\]|map\[)[^)]*)\) as \*(\S+) value in /.exec(error.message)) && m[2] === m[3]) {
    const literal = m[1].startsWith('[]') || m[1].startsWith('map[');
    if (literal ? text[at] === '[' || text.startsWith('map[', at) : text.startsWith(m[1], at)) {
      return { line: error.line, col: error.col, remove: 0, insert: '&', rule: 'collection-pointer' };
    }
    return undefined;
  }
  return undefined;
}

/**
 * The position of the first `)` at or after a position that closes `open` more parentheses than it
 * opened (0: the one matching the first `(`; string literals skipped).
 */
function closingParen(source: string[], line: number, at: number, open: number): { line: number; col: number } | undefined {
  let depth = open;
  let quote = '';
  for (let l = line - 1; l < source.length; l++) {
    const text = source[l];
    for (let i = l === line - 1 ? at : 0; i < text.length; i++) {
      const ch = text[i];
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
      } else if (ch === '"' || ch === '`') {
        quote = ch;
      } else if (ch === '(') {
        depth++;
      } else if (ch === ')' && --depth === 0) {
        return { line: l + 1, col: i + 1 };
      }
    }
  }
  return undefined;
}

/** Apply edits to a file's lines, last position first so earlier positions stay valid. */
export function applyEdits(source: string[], edits: Edit[]): string[] {
  const lines = [...source];
  const seen = new Set<string>();
  for (const e of [...edits].sort((a, b) => b.line - a.line || b.col - a.col)) {
    const key = `${e.line}:${e.col}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const l = lines[e.line - 1];
    lines[e.line - 1] = l.slice(0, e.col - 1) + e.insert + l.slice(e.col - 1 + e.remove);
  }
  return lines;
}

/** The exported type names each Go package folder declares (`type Name ...`). */
export function goTypeNames(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))) {
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^type ([A-Z]\w*) /gm)) names.add(m[1]);
  }
  return names;
}
