import * as fs from 'fs';
import * as path from 'path';

// Facts with one definition that every package and the app's schema read (issue 32). Each is
// written once in source (packages/*/src, apps/*/src); a copy elsewhere fails here, naming the file.
const ROOT = path.join(__dirname, '..', '..', '..');

function sources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push({ file: path.relative(ROOT, p).split(path.sep).join('/'), text: fs.readFileSync(p, 'utf8') });
    }
  };
  for (const base of ['packages', 'apps']) {
    for (const pkg of fs.readdirSync(path.join(ROOT, base))) {
      const src = path.join(ROOT, base, pkg, 'src');
      if (fs.existsSync(src)) walk(src);
    }
  }
  return out;
}

const files = sources();
const writtenIn = (pattern: RegExp) => files.filter((f) => pattern.test(f.text)).map((f) => f.file).sort();

describe('facts written once in source', () => {
  test.each([
    ['the managed-by label', /['"`]app\.kubernetes\.io\/managed-by['"`]/, ['packages/conventions/src/kubernetes-labels.ts']],
    ['Keelson\'s own label prefix', /['"]keelson\.dev\//, ['packages/conventions/src/kubernetes-labels.ts']],
    ['the DNS-label rule', /\[a-z0-9\]\((?:\?:)?\[-a-z0-9\]/, ['packages/conventions/src/dns-label.ts']],
    ['the Slack channel rule', /\[a-z0-9_-\]/, ['packages/conventions/src/slack-channel.ts']],
    ['the DR channel suffix', /['"`]-dr['"`]/, ['packages/conventions/src/slack-channel.ts']],
    ['the chart-version check', /checkChartVersion\(/, ['packages/eks-core/src/kit/platform-chart.ts', 'packages/eks-core/src/kit/version-pin.ts']],
  ])('%s', (_fact, pattern, expected) => {
    expect(writtenIn(pattern)).toEqual(expected);
  });

  test('the kit\'s `Default` id is explained once, in PlatformChart', () => {
    expect(writtenIn(/before the kit/)).toEqual([]);
    expect(writtenIn(/gives it the id `Default`/)).toEqual(['packages/eks-core/src/kit/platform-chart.ts']);
  });
});
