import { github, javascript } from 'projen';
import { JobPermission, JobStep } from 'projen/lib/github/workflows-model';

/**
 * The GitHub Actions workflows, generated (tools/install-proof/test/workflows.test.ts lints them
 * with actionlint):
 * - `ci`: on a pull request, what `.ci/run` does, narrowed by `nx affected` to what the change
 *   touches (build, test, lint and package: every jsii target, README examples in every language);
 * - `release`: on main, bump every library from its conventional commits, rewrite the ranges
 *   between them, build and package every language, tag, then publish each registry in its own
 *   job: npm and PyPI from what this machine kind builds, Maven, NuGet and Go after compiling the
 *   generated code with their toolchains, which GitHub's runners have and these machines lack;
 * - `pull-request-lint`: a pull request's title is a conventional commit (it becomes the squash
 *   commit the bump reads).
 */
export function keelsonWorkflows(root: javascript.NodeProject) {
  const gh = new github.GitHub(root, { mergify: false, pullRequestLint: true });
  const node = '22';
  const setup: JobStep[] = [
    { name: 'Check out (full history: nx affected and the bump read it)', uses: 'actions/checkout@v5', with: { 'fetch-depth': 0 } },
    { name: 'Set up Node.js', uses: 'actions/setup-node@v5', with: { 'node-version': node } },
    {
      // The same pinned tools as .ci/run (.ci/python-tools.txt), kept on PATH for the later steps.
      name: 'Python tools (cfn-lint, a proof gate, and the wheel builders), pinned',
      run: 'eval "$(bash .ci/python-tools)" && dirname "$KEELSON_PYTHON" >> "$GITHUB_PATH" && echo "KEELSON_PYTHON=$KEELSON_PYTHON" >> "$GITHUB_ENV"',
    },
    { name: 'Install', run: 'npm ci --no-audit --no-fund' },
  ];

  const ci = new github.GithubWorkflow(gh, 'ci');
  ci.on({ pullRequest: {}, workflowDispatch: {} });
  ci.addJob('affected', {
    name: 'build, test, lint and package what the change affects',
    runsOn: ['ubuntu-latest'],
    permissions: { contents: JobPermission.READ },
    env: { CI: 'true' },
    steps: [
      ...setup,
      { name: 'Generated files match .projenrc.ts', run: 'npx projen check:projen' },
      {
        name: 'nx affected',
        run: 'npx nx affected -t build test lint package --base="origin/${{ github.base_ref || \'main\' }}" --head=HEAD',
      },
    ],
  });

  const release = new github.GithubWorkflow(gh, 'release', { limitConcurrency: true, concurrencyOptions: { group: 'release', cancelInProgress: false } });
  release.on({ push: { branches: ['main'] }, workflowDispatch: {} });
  release.addJob('release', {
    name: 'bump, package every language, tag',
    runsOn: ['ubuntu-latest'],
    permissions: { contents: JobPermission.WRITE },
    env: { CI: 'true' },
    outputs: { tags: { stepId: 'tags', outputName: 'tags' } },
    steps: [
      ...setup,
      { name: 'Bump each library from its conventional commits; rewrite the ranges between them', run: 'npx projen release' },
      { name: 'Build and package (JavaScript, the Python wheel, Java/.NET/Go sources)', run: 'npx nx run-many -t build package' },
      {
        id: 'tags',
        name: 'Tag the released versions',
        run: [
          'git config user.name "github-actions[bot]"',
          'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
          'while read -r tag; do git tag "$tag"; done < dist/release-tags.txt',
          'git push origin --tags',
          'echo "tags=$(paste -sd, dist/release-tags.txt)" >> "$GITHUB_OUTPUT"',
        ].join('\n'),
      },
      {
        name: 'Keep the packages and release notes',
        uses: 'actions/upload-artifact@v4',
        with: {
          'name': 'packages',
          'path': 'packages/*/dist/\npackages/*/lib/\npackages/*/.jsii\npackages/*/package.json',
          'if-no-files-found': 'error',
          // .jsii (the assembly pacmak compiles from) is a hidden file.
          'include-hidden-files': true,
        },
      },
    ],
  });

  const download: JobStep = { name: 'Download the packages', uses: 'actions/download-artifact@v4', with: { name: 'packages', path: 'packages' } };
  const publib = 'publib@0.2';
  // `install`: npm ci before the download, whose package.json files carry the released versions.
  const publish = (id: string, name: string, env: Record<string, string>, steps: JobStep[], install = false) => release.addJob(id, {
    name,
    needs: ['release'],
    if: "needs.release.outputs.tags != ''",
    runsOn: ['ubuntu-latest'],
    permissions: { contents: JobPermission.READ },
    env,
    steps: [
      { name: 'Check out', uses: 'actions/checkout@v5' },
      { name: 'Set up Node.js', uses: 'actions/setup-node@v5', with: { 'node-version': node } },
      ...(install ? [{ name: 'Install', run: 'npm ci --no-audit --no-fund' }] : []),
      download,
      ...steps,
    ],
  });
  publish('npm', 'publish to npm', { NPM_TOKEN: '${{ secrets.NPM_TOKEN }}' }, [
    { name: 'Publish every package\'s tarball (already published versions are skipped)', run: `for d in packages/*/dist/js; do npx -y -p ${publib} publib-npm "$d"; done` },
  ]);
  publish('pypi', 'publish to PyPI', {
    TWINE_USERNAME: '__token__',
    TWINE_PASSWORD: '${{ secrets.PYPI_TOKEN }}',
  }, [
    { name: 'Set up Python', uses: 'actions/setup-python@v5', with: { 'python-version': '3.12' } },
    { name: 'Publish the wheels and source distributions', run: 'pip install twine && twine upload --skip-existing packages/*/dist/python/*.whl packages/*/dist/python/*.tar.gz' },
  ]);
  // Java, .NET and Go: the generated code is compiled by jsii-pacmak with the language's toolchain
  // (which these machines lack), then published. pacmak reads the package's .jsii and node_modules.
  const compile = (target: string): JobStep[] => [
    { name: `Compile the ${target} packages`, run: `for d in packages/*/; do (cd "$d" && npx jsii-pacmak --target ${target}); done` },
  ];
  publish('maven', 'publish to Maven Central', {
    MAVEN_USERNAME: '${{ secrets.MAVEN_USERNAME }}',
    MAVEN_PASSWORD: '${{ secrets.MAVEN_PASSWORD }}',
    MAVEN_GPG_PRIVATE_KEY: '${{ secrets.MAVEN_GPG_PRIVATE_KEY }}',
    MAVEN_GPG_PRIVATE_KEY_PASSPHRASE: '${{ secrets.MAVEN_GPG_PRIVATE_KEY_PASSPHRASE }}',
    MAVEN_STAGING_PROFILE_ID: '${{ secrets.MAVEN_STAGING_PROFILE_ID }}',
  }, [
    { name: 'Set up Java', uses: 'actions/setup-java@v4', with: { 'distribution': 'corretto', 'java-version': '17' } },
    ...compile('java'),
    { name: 'Publish', run: `for d in packages/*/dist/java; do npx -y -p ${publib} publib-maven "$d"; done` },
  ], true);
  publish('nuget', 'publish to NuGet', { NUGET_API_KEY: '${{ secrets.NUGET_API_KEY }}' }, [
    { name: 'Set up .NET', uses: 'actions/setup-dotnet@v4', with: { 'dotnet-version': '8.x' } },
    ...compile('dotnet'),
    { name: 'Publish', run: `for d in packages/*/dist/dotnet; do npx -y -p ${publib} publib-nuget "$d"; done` },
  ], true);
  publish('go', 'publish the Go modules', {
    GITHUB_TOKEN: '${{ secrets.GO_GITHUB_TOKEN }}',
    GIT_USER_NAME: 'github-actions[bot]',
    GIT_USER_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
  }, [
    { name: 'Set up Go', uses: 'actions/setup-go@v5', with: { 'go-version': '1.23' } },
    ...compile('go'),
    { name: 'Publish to the keelson-go repository', run: `for d in packages/*/dist/go; do npx -y -p ${publib} publib-golang "$d"; done` },
  ], true);
}
