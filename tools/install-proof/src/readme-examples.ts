import * as fs from 'fs';
import * as path from 'path';

/** One TypeScript example from a package README: a whole program a user can copy. */
export interface ReadmeExample {
  /** npm name of the package whose README holds it. */
  readonly packageName: string;
  /** A file name for the example, unique across the workspace (`eks-core-1`). */
  readonly id: string;
  /** 1-based line of the opening fence in the README, for messages. */
  readonly line: number;
  readonly code: string;
}

/** Fences that mark an example as TypeScript; every such block must be a complete program. */
const OPENING = /^```(ts|typescript)\s*$/;

/** Every ```ts block of a README, in order. */
export function readmeExamples(packageName: string, markdown: string): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  const lines = markdown.split('\n');
  const base = packageName.replace(/^@[^/]+\//, '');
  for (let i = 0; i < lines.length; i++) {
    if (!OPENING.test(lines[i])) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i === lines.length) throw new Error(`${packageName} README line ${start + 1}: code block never closed`);
    examples.push({ packageName, id: `${base}-${examples.length + 1}`, line: start + 1, code: body.join('\n') + '\n' });
  }
  return examples;
}

/** The examples of a package folder's README.md (none when it has no README). */
export function packageReadmeExamples(packageName: string, packageDir: string): ReadmeExample[] {
  const readme = path.join(packageDir, 'README.md');
  return fs.existsSync(readme) ? readmeExamples(packageName, fs.readFileSync(readme, 'utf8')) : [];
}
