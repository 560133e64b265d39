import * as fs from 'fs';
import * as path from 'path';
import { constructHubProblems, exportedTypes, readmeProblems, releasablePackages, workspaceRoot } from '../src';

// A package with no exported API yet (its issue has not landed) is not released
// (releasablePackages), so Construct Hub never sees it.
const withApi = releasablePackages(workspaceRoot());

describe('Construct Hub readiness', () => {
  test('the packages with an API are the released ones, and include the platform core', () => {
    expect(withApi.map((p) => p.name)).toEqual(expect.arrayContaining([
      '@keelson/conventions', '@keelson/network', '@keelson/eks-core', '@keelson/security', '@keelson/dr',
    ]));
  });

  test.each(withApi.map((p) => [p.name, p] as const))('%s: keywords, description, stability, README and API.md', (_name, pkg) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'package.json'), 'utf8'));
    const readme = fs.readFileSync(path.join(pkg.dir, 'README.md'), 'utf8');
    const apiFile = path.join(pkg.dir, 'API.md');
    const apiMd = fs.existsSync(apiFile) ? fs.readFileSync(apiFile, 'utf8') : undefined;
    expect(constructHubProblems(manifest, readme, apiMd, exportedTypes(pkg.dir))).toEqual([]);
  });
});

describe('constructHubProblems', () => {
  const good = {
    name: '@keelson/x',
    description: 'Keelson X: a construct that does one useful thing',
    keywords: ['cdk', 'aws-cdk', 'awscdk'],
    license: 'Apache-2.0',
    stability: 'experimental',
    repository: { url: 'https://github.com/keelson-platform/keelson.git', directory: 'packages/x' },
    peerDependencies: { 'aws-cdk-lib': '^2.269.0', 'constructs': '^10.8.1' },
    jsii: { targets: { python: {}, java: {}, dotnet: {}, go: {} } },
  };
  const readme = '# @keelson/x\n\nX does one useful thing.\n\n```ts\nimport { App } from \'aws-cdk-lib\';\nnew App();\n```\n';
  const api = '# API Reference <a name="API Reference" id="api-reference"></a>\n\n### Thing <a name="Thing" id="@keelson/x.Thing"></a>\n';

  test('a ready package has no problems', () => {
    expect(constructHubProblems(good, readme, api, ['Thing'])).toEqual([]);
  });

  test('missing hub keyword, short description, unknown stability, no jsii targets', () => {
    const problems = constructHubProblems({
      ...good, keywords: ['cdk'], description: 'X', stability: 'beta', jsii: { targets: { python: {} } },
    }, readme, api, ['Thing']);
    expect(problems).toEqual([
      'jsii has no java target: Construct Hub would show no java docs (projenrc: KeelsonLibrary options)',
      'jsii has no dotnet target: Construct Hub would show no dotnet docs (projenrc: KeelsonLibrary options)',
      'jsii has no go target: Construct Hub would show no go docs (projenrc: KeelsonLibrary options)',
      'keywords lack "aws-cdk" (projenrc: KeelsonLibrary options)',
      'keywords lack "awscdk" (projenrc: KeelsonLibrary options)',
      'description is missing or under 30 characters (projenrc: KeelsonLibrary options)',
      'stability is beta: one of experimental, stable, deprecated, external (projenrc: KeelsonLibrary options)',
    ]);
  });

  test('a package that is not jsii, not Apache-2.0 and without peers is not listed', () => {
    const { jsii: _jsii, peerDependencies: _peers, ...rest } = good;
    expect(constructHubProblems({ ...rest, license: 'MIT' }, readme, api, ['Thing'])).toEqual([
      'package.json has no "jsii" field: Construct Hub lists jsii packages only (projenrc: KeelsonLibrary options)',
      'no peer dependency on aws-cdk-lib (projenrc: KeelsonLibrary options)',
      'no peer dependency on constructs (projenrc: KeelsonLibrary options)',
      'license is MIT, not Apache-2.0 (projenrc: KeelsonLibrary options)',
    ]);
  });

  test('a missing or stale API.md fails', () => {
    expect(constructHubProblems(good, readme, undefined, ['Thing'])).toEqual(['API.md is missing: the build generates it (jsii-docgen)']);
    expect(constructHubProblems(good, readme, api, ['Thing', 'Other'])).toEqual([
      'API.md does not document Other: regenerate it (the build runs jsii-docgen)',
    ]);
  });

  test('a README must open with the name, prose, and an early runnable example', () => {
    expect(readmeProblems('@keelson/x', '# x\n\nProse.\n\n```ts\nx\n```\n')).toEqual(['README.md must start with "# @keelson/x"']);
    expect(readmeProblems('@keelson/x', '# @keelson/x\n\n## Usage\n\n```ts\nx\n```\n')).toEqual([
      'README.md must say what the package does in prose right under its title',
    ]);
    expect(readmeProblems('@keelson/x', '# @keelson/x\n\n**Not yet built**: soon.\n')).toEqual([
      'README.md says the package is not yet built',
      'README.md has no runnable ```ts example',
    ]);
    const late = `# @keelson/x\n\nProse.\n${'\n'.repeat(120)}\`\`\`ts\nx\n\`\`\`\n`;
    expect(readmeProblems('@keelson/x', late)).toEqual([
      "README.md's first runnable example starts at line 124; move one within the first 100 lines",
    ]);
    expect(readmeProblems('@keelson/x', '# @keelson/x\n\nProse.\n\n```sh\nnpm i\n```\n')).toEqual(['README.md has no runnable ```ts example']);
  });
});
