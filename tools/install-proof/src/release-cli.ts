/**
 * `npx projen release` / `npx projen release:dry-run` at the workspace root.
 *
 * Both bump every releasable package from its conventional commits (projen's `bump`), rewrite the
 * `@keelson/*` ranges between them to the versions being released, and print the plan. The dry run
 * does it in a throw-away clone and copies each package's version, changelog and rewritten
 * package.json to `.release-dry-run/<package>/`; nothing is tagged or published. The release (the
 * release workflow, from main) does it in place and lists the new tags in `dist/release-tags.txt`;
 * the workflow then packages every language, publishes, and pushes the tags.
 */
import * as fs from 'fs';
import * as path from 'path';
import { bumpAll, cloneWorkspace, releasablePackages, releaseSummary, rewriteAll, RELEASE_DIR } from './release';
import { workspaceRoot } from './workspace';

const dryRun = process.argv.includes('--dry-run');
const root = workspaceRoot(process.cwd());
const work = dryRun ? cloneWorkspace(root) : root;
try {
  const releases = bumpAll(work, releasablePackages(root), root);
  rewriteAll(work, releases);
  console.log(releaseSummary(releases));
  if (dryRun) {
    const out = path.join(root, '.release-dry-run');
    fs.rmSync(out, { recursive: true, force: true });
    for (const r of releases) {
      const dest = path.join(out, path.basename(r.dir));
      fs.mkdirSync(dest, { recursive: true });
      for (const f of ['version.txt', 'releasetag.txt', 'changelog.md']) fs.copyFileSync(path.join(work, r.dir, RELEASE_DIR, f), path.join(dest, f));
      fs.copyFileSync(path.join(work, r.dir, 'package.json'), path.join(dest, 'package.json'));
    }
    console.log(`\nDry run: nothing tagged or published. Versions, changelogs and rewritten package.json files in ${path.relative(process.cwd(), out) || '.'}/`);
  } else {
    const tags = releases.filter((r) => r.released).map((r) => r.tag);
    fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'release-tags.txt'), tags.map((t) => `${t}\n`).join(''));
    console.log(`\n${tags.length} package(s) to release; tags in dist/release-tags.txt`);
  }
} finally {
  if (dryRun) fs.rmSync(work, { recursive: true, force: true });
}
