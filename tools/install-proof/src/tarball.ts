import { execFileSync } from 'child_process';
import * as path from 'path';

/** What a jsii package's tarball must hold, whatever the package. */
export const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii', 'lib/index.js', 'lib/index.d.ts'];

/** Development output and sources: never in a tarball. */
export const FORBIDDEN: ReadonlyArray<{ readonly pattern: RegExp; readonly what: string }> = [
  { pattern: /^test-reports\//, what: 'test output' },
  { pattern: /^coverage\//, what: 'coverage output' },
  { pattern: /(^|\/)__snapshots__\//, what: 'test snapshots' },
  { pattern: /^test\//, what: 'a test source' },
  { pattern: /\.test\.(js|ts|d\.ts)$/, what: 'a test source' },
  { pattern: /^src\//, what: 'TypeScript source (lib/ ships the compiled code)' },
  { pattern: /(?<!\.d)\.ts$/, what: 'TypeScript source (lib/ ships the compiled code)' },
  { pattern: /\.tsbuildinfo$/, what: 'compiler state' },
  { pattern: /^\.(projen|nx|github|vscode|idea)\//, what: 'tooling state' },
  { pattern: /^(tsconfig\.dev\.json|\.eslintrc\.json|\.npmignore|\.gitignore|\.gitattributes)$/, what: 'tooling configuration' },
];

/**
 * Top-level folders a package uses for development (`scripts/` holds build-time generators). Any
 * other top-level folder in git holds something the package reads at run time (`userdata/`,
 * `policies/`) and must ship whole.
 */
export const DEVELOPMENT_DIRS = new Set(['src', 'test', 'scripts', 'lib', 'dist', 'node_modules', 'test-reports', 'coverage', '.projen']);

/** The files `npm pack` would put in the package's tarball (paths relative to the package). */
export function packContents(packageDir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [result] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return result.files.map((f) => f.path).sort();
}

/** The package's files tracked by git, relative to the package folder. */
export function trackedFiles(packageDir: string): string[] {
  return execFileSync('git', ['ls-files', '-z', '--', '.'], { cwd: packageDir, encoding: 'utf8' })
    .split('\0').filter(Boolean).map((f) => f.split(path.sep).join('/')).sort();
}

/**
 * Everything wrong with a tarball's contents, one line each: development output or sources
 * that would ship, required files that would not, and shipped assets left out.
 */
export function tarballProblems(packed: string[], tracked: string[]): string[] {
  const problems: string[] = [];
  const inTarball = new Set(packed);
  for (const file of packed) {
    // A bundled dependency ships the files its own publisher chose (fastest-levenshtein's test.ts);
    // these rules are about this package's development files.
    if (file.startsWith('node_modules/')) continue;
    const forbidden = FORBIDDEN.find((f) => f.pattern.test(file));
    if (forbidden) problems.push(`${file} is ${forbidden.what}: exclude it in .npmignore (projenrc npmignore.exclude)`);
  }
  for (const file of REQUIRED_FILES) {
    if (!inTarball.has(file)) problems.push(`${file} is missing: build the package (jsii + docgen) before packing`);
  }
  for (const file of tracked) {
    const top = file.includes('/') ? file.slice(0, file.indexOf('/')) : undefined;
    if (top === undefined || top.startsWith('.') || DEVELOPMENT_DIRS.has(top)) continue;
    if (!inTarball.has(file)) {
      problems.push(`${file} is a shipped asset (${top}/) missing from the tarball: add '${top}' to the library's shippedPaths in projenrc`);
    }
  }
  return problems;
}
