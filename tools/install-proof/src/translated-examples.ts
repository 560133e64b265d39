import * as fs from 'fs';
import * as path from 'path';
import { packageReadmeExamples } from './readme-examples';
import { PublishedPackage } from './workspace';

/** The languages a README example is run in besides TypeScript, by jsii-rosetta's names. */
export type ExampleLanguage = 'python' | 'java' | 'go';

/** One README example as jsii-rosetta translated it for the `package` task. */
export interface TranslatedExample {
  /** npm name of the package whose README holds it. */
  readonly packageName: string;
  /** A name unique across the workspace and valid in every language's file and package names (`eks_core_1`). */
  readonly id: string;
  /** 1-based line of the TypeScript example's opening fence in the README. */
  readonly line: number;
  readonly language: ExampleLanguage;
  readonly source: string;
}

interface Tablet {
  readonly snippets: Record<string, {
    readonly location?: { readonly api?: { readonly api?: string }; readonly field?: { readonly line?: number } };
    readonly translations: Record<string, { readonly source: string } | undefined>;
  }>;
}

/**
 * Every README example of a package in `language`, in README order, from the tablet the `package`
 * task wrote (`.jsii.tabl.json`). Fails when the package was not packaged, or when the tablet and
 * the README disagree on how many examples there are (a stale tablet).
 */
export function translatedReadmeExamples(pkg: PublishedPackage, language: ExampleLanguage): TranslatedExample[] {
  const file = path.join(pkg.dir, '.jsii.tabl.json');
  const readme = packageReadmeExamples(pkg.name, pkg.dir);
  if (readme.length === 0) return [];
  if (!fs.existsSync(file)) {
    throw new Error(`${pkg.name} has no .jsii.tabl.json: run its package task first (npx nx run ${pkg.name}:package)`);
  }
  const tablet = JSON.parse(fs.readFileSync(file, 'utf8')) as Tablet;
  const snippets = Object.values(tablet.snippets)
    .filter((s) => s.location?.api?.api === 'moduleReadme')
    .sort((a, b) => (a.location?.field?.line ?? 0) - (b.location?.field?.line ?? 0));
  if (snippets.length !== readme.length) {
    throw new Error(`${pkg.name}: the README has ${readme.length} example(s), its tablet ${snippets.length}: run its package task again`);
  }
  return readme.map((example, i) => {
    const source = snippets[i].translations[language]?.source;
    if (!source?.trim()) throw new Error(`${pkg.name} README line ${example.line}: no ${language} translation in the tablet`);
    return { packageName: pkg.name, id: example.id.replace(/-/g, '_'), line: example.line, language, source };
  });
}
