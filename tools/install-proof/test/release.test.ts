import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { bumpAll, cloneWorkspace, PackageRelease, publishedPackages, releasablePackages, rewriteAll, rewriteInternalRanges, workspaceRoot } from '../src';

// A release dry run in a clone with history of its own: every package tagged 1.0.0, then a
// feature in network, a fix in dr and a docs change outside any package. The bump is projen's
// (conventional commits, limited to each package's folder); nothing is pushed or published.
const root = workspaceRoot();
const names = ['@keelson/conventions', '@keelson/network', '@keelson/eks-core', '@keelson/security', '@keelson/dr'];
const packages = releasablePackages(root).filter((p) => names.includes(p.name));
let clone: string;
let releases: Record<string, PackageRelease>;
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(clone, file), 'utf8'));

beforeAll(() => {
  clone = cloneWorkspace(root);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' });
  for (const p of publishedPackages(root)) git('tag', `${p.name}@v1.0.0`);
  const commit = (file: string, message: string) => {
    fs.appendFileSync(path.join(clone, file), `\n<!-- ${message} -->\n`);
    git('commit', '--quiet', '-am', message);
  };
  commit('packages/network/README.md', 'feat(network): an option for the flow log format');
  commit('packages/dr/README.md', 'fix(dr): the replica bucket keeps backups a week past their TTL');
  commit('README.md', 'docs: how the platform is released');
  const bumped = bumpAll(clone, packages, root);
  rewriteAll(clone, bumped);
  releases = Object.fromEntries(bumped.map((r) => [r.name, r]));
});

afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

describe('release dry run', () => {
  test('each package gets its own version from the conventional commits touching it', () => {
    expect(Object.fromEntries(Object.values(releases).map((r) => [r.name, `${r.version} ${r.released ? 'release' : 'unchanged'}`]))).toEqual({
      '@keelson/conventions': '1.0.0 unchanged',
      '@keelson/network': '1.1.0 release',
      '@keelson/eks-core': '1.0.0 unchanged',
      '@keelson/security': '1.0.0 unchanged',
      '@keelson/dr': '1.0.1 release',
    });
    expect(releases['@keelson/network'].tag).toBe('@keelson/network@v1.1.0');
    expect(releases['@keelson/network'].previousTag).toBe('@keelson/network@v1.0.0');
  });

  test("each package's changelog holds its own commits only", () => {
    const network = releases['@keelson/network'].changelog;
    expect(network).toContain('an option for the flow log format');
    expect(network).toMatch(/^#+ .*1\.1\.0/m);
    expect(network).not.toContain('replica bucket');
    expect(network).not.toContain('how the platform is released');
    expect(releases['@keelson/dr'].changelog).toContain('the replica bucket keeps backups a week past their TTL');
    expect(releases['@keelson/dr'].changelog).not.toContain('flow log format');
  });

  test('the ranges between packages are rewritten to the released versions', () => {
    const dr = read('packages/dr/package.json');
    expect(dr.version).toBe('1.0.1');
    expect(dr.peerDependencies).toMatchObject({
      '@keelson/network': '^1.1.0',
      '@keelson/conventions': '^1.0.0',
      '@keelson/eks-core': '^1.0.0',
      'aws-cdk-lib': expect.stringMatching(/^\^2\./),
    });
    // dr composes network and eks-core only: it does not depend on security.
    expect(dr.peerDependencies['@keelson/security']).toBeUndefined();
    expect(dr.devDependencies['@keelson/network']).toBe('1.1.0');
    expect(dr.devDependencies['@keelson/proof']).toBe('^0.0.0');
    expect(read('packages/network/package.json').peerDependencies['@keelson/conventions']).toBe('^1.0.0');
  });
});

describe('rewriteInternalRanges', () => {
  test('peers become caret ranges, dev dependencies exact; others are left alone', () => {
    expect(rewriteInternalRanges({
      name: '@keelson/x',
      peerDependencies: { '@keelson/a': '^0.0.0', 'aws-cdk-lib': '^2.269.0' },
      devDependencies: { '@keelson/a': '0.0.0', 'jest': '^30' },
    }, { '@keelson/a': '2.3.4' })).toEqual({
      name: '@keelson/x',
      peerDependencies: { '@keelson/a': '^2.3.4', 'aws-cdk-lib': '^2.269.0' },
      devDependencies: { '@keelson/a': '2.3.4', 'jest': '^30' },
    });
  });
});
