import { awscdk, javascript, Project, ReleasableCommits, typescript, Version } from 'projen';
import { VERSIONS } from './versions';

/** What varies between Keelson's jsii construct libraries. */
export interface KeelsonLibraryOptions {
  /** Folder under `packages/` and the `@keelson/<dir>` npm name. */
  readonly dir: string;
  /** One-line npm description. */
  readonly description: string;
  /** Sibling libraries this one uses, as jsii peer dependencies. */
  readonly siblings?: KeelsonLibrary[];
  /** Extra runtime dependencies (bundled, since jsii libraries ship them). */
  readonly bundledDeps?: string[];
  /** Extra peer dependencies (for example a kubectl layer). */
  readonly peerDeps?: string[];
  /** Extra dev dependencies for tests. */
  readonly devDeps?: string[];
  /** Extra paths shipped in the npm tarball beside `lib/` (for example `userdata/`). */
  readonly shippedPaths?: string[];
}

/** `eks-core` -> `EksCore` */
function pascal(dir: string): string {
  return dir.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/**
 * A Keelson construct library: jsii, every language target, API.md, jest
 * with the shared proof harness, and tasks shaped for nx caching.
 */
export class KeelsonLibrary extends awscdk.AwsCdkConstructLibrary {
  public readonly dir: string;

  constructor(parent: Project, options: KeelsonLibraryOptions) {
    const siblings = options.siblings ?? [];
    // A sibling's own siblings are peers too, so every language build sees them.
    const allSiblings = new Set<KeelsonLibrary>();
    const visit = (lib: KeelsonLibrary, peers: KeelsonLibrary[]) => {
      allSiblings.add(lib);
      peers.forEach((p) => visit(p, KeelsonLibrary.siblingsOf.get(p) ?? []));
    };
    siblings.forEach((s) => visit(s, KeelsonLibrary.siblingsOf.get(s) ?? []));
    const siblingSpecs = [...allSiblings].map((s) => `${s.package.packageName}@^0.0.0`);
    const underscore = options.dir.replace(/-/g, '_');

    super({
      parent,
      outdir: `packages/${options.dir}`,
      name: `@keelson/${options.dir}`,
      description: options.description,
      author: 'Keelson contributors',
      authorAddress: 'maintainers@keelson.dev',
      authorOrganization: true,
      repositoryUrl: 'https://github.com/keelson-platform/keelson.git',
      repositoryDirectory: `packages/${options.dir}`,
      homepage: 'https://keelson.dev',
      license: 'Apache-2.0',
      copyrightOwner: 'Keelson contributors',
      // Construct Hub finds a package by any of the three AWS CDK keywords (tools/install-proof/src/construct-hub.ts).
      keywords: ['cdk', 'awscdk', 'aws-cdk', 'constructs', 'eks', 'kubernetes', 'platform', 'keelson', options.dir],
      stability: 'experimental',
      defaultReleaseBranch: 'main',
      projenrcTs: false,
      release: false,
      github: false,
      packageManager: javascript.NodePackageManager.NPM,
      minNodeVersion: VERSIONS.minNode,
      jsiiVersion: VERSIONS.jsii,
      typescriptVersion: VERSIONS.typescript,
      cdkVersion: VERSIONS.awsCdkLibFloor,
      constructsVersion: VERSIONS.constructs,
      sampleCode: false,
      prettier: false,
      docgen: true,
      eslint: true,
      bundledDeps: options.bundledDeps,
      peerDeps: [...siblingSpecs, ...(options.peerDeps ?? [])],
      // projen would pin each peer's dev dependency to the floor of its range. The packages are
      // developed and tested on the current aws-cdk-lib; the floor is proven by tools/install-proof's
      // consumer smoke test, which installs exactly the lowest versions the peer ranges admit.
      peerDependencyOptions: { pinnedDevDependency: false },
      devDeps: [
        `aws-cdk-lib@${VERSIONS.awsCdkLib}`,
        // Exact, as jsii asks of a peer's dev dependency (ranges are rewritten at release).
        ...[...allSiblings].map((s) => `${s.package.packageName}@0.0.0`),
        '@keelson/proof@^0.0.0',
        'eslint-import-resolver-node',
        ...(options.devDeps ?? []),
      ],
      jestOptions: {
        jestConfig: {
          // Reports per package feed the workspace summary printed at the end of `npm test`.
          testTimeout: 120_000,
          // Coverage costs ~30% of test time; `npx projen test --coverage` turns it on.
          collectCoverage: false,
        },
        junitReporting: false,
      },
      // Tests transpile without type-checking (4-5x faster); `lint` type-checks them.
      tsconfigDev: { compilerOptions: { isolatedModules: true }, include: ['../src/**/*.ts'] },
      publishToPypi: { distName: `keelson.${options.dir}`, module: `keelson.${underscore}` },
      publishToMaven: {
        javaPackage: `dev.keelson.${options.dir.replace(/-/g, '')}`,
        mavenGroupId: 'dev.keelson',
        mavenArtifactId: options.dir,
      },
      publishToNuget: { dotNetNamespace: `Keelson.${pascal(options.dir)}`, packageId: `Keelson.${pascal(options.dir)}` },
      publishToGo: {
        moduleName: 'github.com/keelson-platform/keelson-go',
        packageName: underscore.replace(/_/g, ''),
      },
    });
    // Added after super(): projen's CDK dependency setup replaces a constructs dev dependency.
    this.addDevDeps(`constructs@${VERSIONS.constructs}`);
    // projen's jsii-docgen range is a floor older than the jsii 6 toolchain (see VERSIONS.jsiiDocgen).
    this.addDevDeps(`jsii-docgen@${VERSIONS.jsiiDocgen}`);
    // jsii asks for aws-cdk-lib's dev dependency at the peer floor (JSII6). In this workspace every
    // package must resolve the one aws-cdk-lib the app and tests use (two copies break instanceof
    // across packages), so the floor is proven by the consumer smoke test instead.
    this.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');
    this.tasks.tryFind('watch')?.reset('jsii -w --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');
    this.dir = options.dir;
    KeelsonLibrary.siblingsOf.set(this, siblings);

    if (options.bundledDeps?.length) {
      // Bundled dependencies must sit in the package's own node_modules for `npm pack` (see the script).
      this.preCompileTask.exec('node ../../scripts/link-bundled-deps.js');
    }
    for (const path of options.shippedPaths ?? []) {
      this.npmignore?.include(`/${path}`);
    }
    shapeTasksForNx(this);
    packageEveryLanguage(this);
    // Each library has its own version, from the conventional commits that touch its folder, and
    // its own tag and changelog (tools/install-proof/src/release.ts runs every package's bump and
    // rewrites the ranges between them).
    new Version(this, {
      versionInputFile: 'package.json',
      artifactsDirectory: 'dist/release',
      tagPrefix: `${this.package.packageName}@`,
      releasableCommits: ReleasableCommits.featuresAndFixes('.'),
      versionrcOptions: { path: '.' },
      bumpPackage: `commit-and-tag-version@${VERSIONS.commitAndTagVersion}`,
    });
    // With a package spec projen runs the bump through `npx <spec>`; without one it runs the
    // installed commit-and-tag-version (the root's dev dependency) with node. npx resolving a
    // package inside this linked-layout workspace has been seen to prune installed packages'
    // bundled dependencies (aws-cdk-lib's), so the bump never goes through npx.
    this.tasks.tryFind('bump')!.env('BUMP_PACKAGE', '');
  }

  private static readonly siblingsOf = new Map<KeelsonLibrary, KeelsonLibrary[]>();
}

/**
 * The `package` task nx runs (and caches) for every library: README and doc examples compiled and
 * translated by jsii-rosetta (strict), one jsii-pacmak `--code-only` pass for all five targets,
 * the Python wheel built with the OS's Python build tools, and checks over `dist/`
 * (tools/install-proof/src/package-cli.ts). projen's own `package-all` and `package:<lang>` tasks
 * stay for machines with every toolchain (the release pipeline).
 */
function packageEveryLanguage(project: KeelsonLibrary) {
  project.packageTask.reset('ts-node --transpile-only ../../tools/install-proof/src/package-cli.ts');
  // The tablet is a product of `package`, not of the build nx caches: never in git or the tarball.
  project.gitignore.exclude('/.jsii.tabl.json');
  project.npmignore?.exclude('/.jsii.tabl.json');
}

/**
 * projen puts the project's `node_modules/.bin` on every task's PATH with
 * `$(npx -c "node --print process.env.PATH")`, and in this npm workspace that
 * npx call takes ~4 s: paid by every `projen <task>`, so twice per
 * `npm run synth` and once per nx task. This adds the same directories (the
 * project's and each ancestor's `node_modules/.bin`, as npm does) with one
 * plain `node -e` (~50 ms).
 */
export function fastTaskPath(project: javascript.NodeProject) {
  project.tasks.addEnvironment('PATH', '$(node -e "const p = require(\'path\'); const bins = []; '
    + 'for (let d = process.cwd(); ; d = p.dirname(d)) { bins.push(p.join(d, \'node_modules\', \'.bin\')); if (d === p.dirname(d)) break; } '
    + 'console.log([...bins, process.env.PATH].join(p.delimiter))")');
}

/**
 * projen's `build` runs compile, docgen, jest, eslint and every jsii-pacmak
 * target in one locked task. nx caches per target, so `npm run build` (what nx
 * runs) is narrowed to `assemble`, and the rest are targets of their own:
 *   build -> assemble (compile + API.md)   test -> jest   lint -> eslint + test type-check
 * `npx projen build` keeps projen's full pipeline; `package:*` tasks stay available.
 */
export function shapeTasksForNx(project: javascript.NodeProject) {
  fastTaskPath(project);
  // Node 20 is past end of life; jsii's banner on every run buries the output that matters.
  project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
  // eslint 9 reads projen's .eslintrc.json only in legacy mode.
  project.tasks.addEnvironment('ESLINT_USE_FLAT_CONFIG', 'false');
  // The root installs once for the whole workspace (npm workspaces).
  project.tasks.tryFind('install')?.reset();
  project.tasks.tryFind('install:ci')?.reset();

  const assemble = project.addTask('assemble', {
    description: 'Compile and generate docs: what nx caches as `build`',
  });
  assemble.spawn(project.tasks.tryFind('pre-compile')!);
  assemble.spawn(project.compileTask);
  assemble.spawn(project.tasks.tryFind('post-compile')!);
  // npm runs scripts with every ancestor's node_modules/.bin on PATH, so projen needs no npx (~1 s).
  project.package.setScript('build', 'projen assemble');

  const test = project.testTask;
  test.reset();
  // Stale reports would be counted by the workspace summary.
  test.exec('rm -rf test-reports && mkdir -p test-reports');
  test.exec('jest --passWithNoTests --json --outputFile=test-reports/jest-results.json', {
    receiveArgs: true,
  });

  const lint = project.addTask('lint', {
    description: 'eslint (no --fix: a build must never rewrite src) and a type-check of the tests',
  });
  lint.exec('eslint --ext .ts --no-error-on-unmatched-pattern src test');
  lint.exec('tsc --noEmit -p test/tsconfig.json');

  // eslint --fix inside build/test rewrites sources and defeats caching.
  project.tasks.tryFind('eslint')?.reset('eslint --ext .ts --no-error-on-unmatched-pattern src test');
  project.gitignore.addPatterns('test-reports/');
  // Test output is never shipped (tools/install-proof checks every tarball).
  project.npmignore?.exclude('/test-reports/');
}

/** What varies between the workspace's private tools (`tools/<dir>`, never published). */
export interface WorkspaceToolOptions {
  /** Folder under `tools/` and the `@keelson/<dir>` npm name. */
  readonly dir: string;
  readonly description: string;
  readonly deps?: string[];
  readonly peerDeps?: string[];
  readonly devDeps?: string[];
  /** jest's per-test timeout, in milliseconds. */
  readonly testTimeout: number;
}

/** A private TypeScript workspace package with jest tests, shaped for nx like the libraries. */
export function workspaceTool(parent: Project, options: WorkspaceToolOptions): typescript.TypeScriptProject {
  const tool = new typescript.TypeScriptProject({
    parent,
    outdir: `tools/${options.dir}`,
    name: `@keelson/${options.dir}`,
    description: options.description,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    minNodeVersion: VERSIONS.minNode,
    typescriptVersion: VERSIONS.typescript,
    projenrcTs: false,
    github: false,
    release: false,
    prettier: false,
    sampleCode: false,
    licensed: false,
    entrypoint: 'lib/index.js',
    peerDeps: options.peerDeps,
    deps: options.deps,
    devDeps: [...(options.devDeps ?? []), 'eslint-import-resolver-node'],
    tsconfig: { compilerOptions: { lib: ['es2022'], target: 'ES2022' } },
    jestOptions: { junitReporting: false, jestConfig: { testTimeout: options.testTimeout, collectCoverage: false } },
    tsconfigDev: { compilerOptions: { isolatedModules: true } },
  });
  tool.package.addField('private', true);
  shapeTasksForNx(tool);
  // Private: nothing to package, so nx has no `package` target to run for it.
  tool.package.removeScript('package');
  return tool;
}
