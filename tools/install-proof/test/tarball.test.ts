import { packContents, publishedPackages, tarballProblems, trackedFiles } from '../src';

const packages = publishedPackages();

describe('tarball contents', () => {
  test('every published package is checked', () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining([
      '@keelson/conventions', '@keelson/network', '@keelson/eks-core', '@keelson/security', '@keelson/dr',
    ]));
  });

  test.each(packages.map((p) => [p.name, p] as const))('%s ships what a user needs and nothing else', (_name, pkg) => {
    const packed = packContents(pkg.dir);
    expect(tarballProblems(packed, trackedFiles(pkg.dir))).toEqual([]);
  });

  test("eks-core's tarball ships its user data and IAM policy files", () => {
    const eksCore = packages.find((p) => p.name === '@keelson/eks-core')!;
    const packed = packContents(eksCore.dir);
    expect(packed).toEqual(expect.arrayContaining([
      'userdata/system-node.toml', 'userdata/app-node.toml', 'userdata/gpu-node.toml',
    ]));
    expect(packed.some((f) => f.startsWith('policies/') && f.endsWith('.json'))).toBe(true);
  });
});

describe('tarballProblems', () => {
  const complete = ['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii', 'lib/index.js', 'lib/index.d.ts'];

  test('a complete tarball has no problems', () => {
    expect(tarballProblems(complete, ['src/index.ts', 'test/a.test.ts', 'README.md'])).toEqual([]);
  });

  test('a packed test report fails', () => {
    expect(tarballProblems([...complete, 'test-reports/jest-results.json'], [])).toEqual([
      'test-reports/jest-results.json is test output: exclude it in .npmignore (projenrc npmignore.exclude)',
    ]);
  });

  test('test sources, TypeScript sources and coverage fail', () => {
    const problems = tarballProblems([...complete, 'test/cluster.test.ts', 'src/index.ts', 'lib/x.test.js', 'coverage/lcov.info'], []);
    // src/index.ts matches two patterns and is reported once.
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/test\/cluster\.test\.ts is a test source/);
    expect(problems.join('\n')).toMatch(/lib\/x\.test\.js is a test source/);
    expect(problems.join('\n')).toMatch(/coverage\/lcov\.info is coverage output/);
  });

  test('a declaration file is not a TypeScript source', () => {
    expect(tarballProblems([...complete, 'lib/cluster.d.ts'], [])).toEqual([]);
  });

  test('a bundled dependency\'s own files are its publisher\'s, not checked as this package\'s sources', () => {
    expect(tarballProblems([...complete, 'node_modules/fastest-levenshtein/test.ts', 'node_modules/fastest-levenshtein/mod.js'], [])).toEqual([]);
    expect(tarballProblems([...complete, 'lib/test.ts'], [])).toHaveLength(1);
  });

  test('a missing required file fails', () => {
    expect(tarballProblems(complete.filter((f) => f !== '.jsii'), [])).toEqual([
      '.jsii is missing: build the package (jsii + docgen) before packing',
    ]);
  });

  test('a shipped asset left out fails, naming the folder', () => {
    expect(tarballProblems(complete, ['userdata/system-node.toml', 'src/user-data.ts'])).toEqual([
      "userdata/system-node.toml is a shipped asset (userdata/) missing from the tarball: add 'userdata' to the library's shippedPaths in projenrc",
    ]);
  });
});
