import * as fs from 'fs';
import * as path from 'path';
import { publishedPackages, workspaceRoot } from '../src';

// The operations runbooks (docs/operations): each listed in the index, each linked from the packages
// the index names, and every relative link in them and in the package READMEs resolving to a file.
const root = workspaceRoot();
const ops = path.join(root, 'docs', 'operations');
const index = fs.readFileSync(path.join(ops, 'README.md'), 'utf8');
const rows = index.split('\n').filter((l) => /^\| \[/.test(l)).map((l) => ({
  runbook: /\]\(([a-z0-9-]+\.md)/.exec(l)![1],
  packages: [...l.split('|')[3].matchAll(/packages\/([a-z-]+)/g)].map((m) => m[1]),
}));

/** Relative markdown links of a file that do not resolve (anchors are not checked). */
function brokenLinks(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1])
    .filter((href) => !/^[a-z]+:/.test(href))
    .filter((href) => !fs.existsSync(path.resolve(path.dirname(file), href)))
    .map((href) => `${path.relative(root, file)}: ${href}`);
}

describe('operations runbooks', () => {
  test('the index lists the runbooks the platform needs, and every runbook file is listed', () => {
    expect(rows.map((r) => r.runbook).sort()).toEqual([
      'argocd-incident-response.md', 'dr-failover-and-failback.md', 'kubernetes-upgrade.md', 'restore-from-backup.md',
      'secret-rotation.md', 'spot-and-node-pools.md', 'waf-tuning.md',
    ]);
    const files = fs.readdirSync(ops).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
    expect(files).toEqual(rows.map((r) => r.runbook).sort());
  });

  test.each(rows.map((r) => [r.runbook, r] as const))('%s is linked from the README of every package it concerns', (_name, row) => {
    expect(row.packages.length).toBeGreaterThan(0);
    for (const pkg of row.packages) {
      const readme = fs.readFileSync(path.join(root, 'packages', pkg, 'README.md'), 'utf8');
      expect({ pkg, links: readme.includes(`../../docs/operations/${row.runbook}`) }).toEqual({ pkg, links: true });
    }
  });

  test('every relative link in the runbooks and the package READMEs resolves', () => {
    const files = [
      ...fs.readdirSync(ops).map((f) => path.join(ops, f)),
      ...publishedPackages(root).map((p) => path.join(p.dir, 'README.md')),
    ];
    expect(files.flatMap(brokenLinks)).toEqual([]);
  });
});

describe('the root README', () => {
  test('names the cfn-lint version .ci/python-tools installs, wherever it names one', () => {
    const pin = /^cfn-lint==(\S+)$/m.exec(fs.readFileSync(path.join(root, '.ci', 'python-tools.txt'), 'utf8'))![1];
    const named = [...fs.readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/cfn-lint (\d+\.\d+\.\d+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(named)).toEqual(new Set([pin]));
  });
});
