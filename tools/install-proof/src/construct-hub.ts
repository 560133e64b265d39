/**
 * What Construct Hub needs to list a package and show it well, checked before release.
 *
 * Discovery follows Construct Hub's own filter (cdklabs/construct-hub,
 * src/package-sources/npmjs/packument-processing.lambda-shared.ts, read 2026-12-01): a version is
 * a construct library when it has a `jsii` field and depends on `constructs`/`aws-cdk-lib` or
 * carries one of the keywords `cdk`, `aws-cdk`, `awscdk`, `cdk8s`, `cdktf`; its license must be on
 * the hub's allow list. Keelson asks for the three AWS CDK keywords so search finds every package
 * whichever one a user types.
 */

/** The keywords Construct Hub reads; Keelson packages carry the three AWS CDK ones. */
export const CONSTRUCT_HUB_KEYWORDS = ['cdk', 'aws-cdk', 'awscdk'] as const;

/** jsii's stability levels that Construct Hub shows as a badge. */
export const STABILITIES = ['experimental', 'stable', 'deprecated', 'external'] as const;

/** The `package.json` fields the readiness check reads. */
export interface HubManifest {
  readonly name: string;
  readonly description?: string;
  readonly keywords?: string[];
  readonly license?: string;
  readonly stability?: string;
  readonly repository?: { readonly url?: string; readonly directory?: string };
  readonly peerDependencies?: Record<string, string>;
  readonly jsii?: { readonly targets?: Record<string, unknown> };
}

/** The line at or before which a README's first runnable (```ts) example must start. */
export const EXAMPLE_WITHIN_LINES = 100;

/**
 * Everything that keeps a package from being listed on Construct Hub, or from reading well there,
 * one line each. `types` are the assembly's exported types, which API.md must document.
 */
export function constructHubProblems(manifest: HubManifest, readme: string, apiMd: string | undefined, types: string[]): string[] {
  const problems: string[] = [];
  const fix = '(projenrc: KeelsonLibrary options)';
  if (!manifest.jsii) problems.push(`package.json has no "jsii" field: Construct Hub lists jsii packages only ${fix}`);
  for (const lang of ['python', 'java', 'dotnet', 'go']) {
    if (manifest.jsii && !manifest.jsii.targets?.[lang]) problems.push(`jsii has no ${lang} target: Construct Hub would show no ${lang} docs ${fix}`);
  }
  for (const kw of CONSTRUCT_HUB_KEYWORDS) {
    if (!manifest.keywords?.includes(kw)) problems.push(`keywords lack "${kw}" ${fix}`);
  }
  for (const peer of ['aws-cdk-lib', 'constructs']) {
    if (!manifest.peerDependencies?.[peer]) problems.push(`no peer dependency on ${peer} ${fix}`);
  }
  if (manifest.license !== 'Apache-2.0') problems.push(`license is ${manifest.license ?? 'missing'}, not Apache-2.0 ${fix}`);
  if (!manifest.description || manifest.description.trim().length < 30) problems.push(`description is missing or under 30 characters ${fix}`);
  if (!STABILITIES.includes(manifest.stability as typeof STABILITIES[number])) {
    problems.push(`stability is ${manifest.stability ?? 'missing'}: one of ${STABILITIES.join(', ')} ${fix}`);
  }
  if (!manifest.repository?.url || !manifest.repository.directory) problems.push(`repository url and directory are required ${fix}`);
  problems.push(...readmeProblems(manifest.name, readme));
  if (apiMd === undefined) {
    problems.push('API.md is missing: the build generates it (jsii-docgen)');
  } else {
    if (!apiMd.startsWith('# API Reference')) problems.push('API.md is not jsii-docgen output (it starts "# API Reference")');
    for (const type of types) {
      if (!new RegExp(`^### ${type} <a name=`, 'm').test(apiMd)) problems.push(`API.md does not document ${type}: regenerate it (the build runs jsii-docgen)`);
    }
  }
  return problems;
}

/**
 * A README opens with the package's name, then prose saying what it does, and shows a runnable
 * TypeScript example early (every ```ts block is a whole program that tools/install-proof compiles
 * and synthesizes, and jsii-rosetta translates).
 */
export function readmeProblems(name: string, readme: string): string[] {
  const problems: string[] = [];
  const lines = readme.split('\n');
  if (lines[0] !== `# ${name}`) problems.push(`README.md must start with "# ${name}"`);
  const first = lines.slice(1).find((l) => l.trim() !== '');
  if (first === undefined || /^(#|```|\||!\[|\[!\[|<)/.test(first.trim())) {
    problems.push('README.md must say what the package does in prose right under its title');
  } else if (/not yet built/i.test(first)) {
    problems.push('README.md says the package is not yet built');
  }
  const example = lines.findIndex((l) => /^```(ts|typescript)\s*$/.test(l));
  if (example < 0) {
    problems.push('README.md has no runnable ```ts example');
  } else if (example + 1 > EXAMPLE_WITHIN_LINES) {
    problems.push(`README.md's first runnable example starts at line ${example + 1}; move one within the first ${EXAMPLE_WITHIN_LINES} lines`);
  }
  return problems;
}
