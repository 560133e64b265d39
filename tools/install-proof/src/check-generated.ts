/**
 * `.ci/run` runs this after `npx projen`: it fails when a generated file differs from what
 * `.projenrc.ts` generates, and tells a lock file npm merely completed from a changed one.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compareLockFiles, LockFile } from './lock-file';

const LOCK = 'package-lock.json';

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Returns the problems found (empty when the tree is what projen generates). */
export function checkGenerated(root: string): string[] {
  const changed = git(root, 'status', '--porcelain', '--untracked-files=all')
    .split('\n').filter(Boolean).map((line) => ({ status: line.slice(0, 2), file: line.slice(3) }));
  const problems: string[] = [];
  for (const { status, file } of changed) {
    if (file === LOCK && status.trim() === 'M') {
      const committed = JSON.parse(git(root, 'show', `HEAD:${LOCK}`)) as LockFile;
      const current = JSON.parse(fs.readFileSync(path.join(root, LOCK), 'utf8')) as LockFile;
      const { completed, drift } = compareLockFiles(committed, current);
      if (drift.length === 0) {
        console.log(`${LOCK}: npm only completed it (${completed.length} optional entries added: ${completed.join(', ')}); not drift.`);
        continue;
      }
      problems.push(...drift.map((d) => `${LOCK}: ${d}`));
      continue;
    }
    problems.push(`${status} ${file}`);
  }
  return problems;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? process.cwd());
  const problems = checkGenerated(root);
  if (problems.length > 0) {
    console.error("Generated files differ from .projenrc.ts; run 'npx projen' and commit:");
    for (const p of problems) console.error(`  ${p}`);
    process.exitCode = 1;
  }
}
