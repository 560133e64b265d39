import { awscdk, javascript, JsonFile, typescript } from 'projen';
import { fastTaskPath, KeelsonLibrary, shapeTasksForNx } from './projenrc/keelson-library';
import { pinToolDeps } from './projenrc/pin-tool-deps';
import { VERSIONS } from './projenrc/versions';

// ---------------------------------------------------------------------------
// Root: private, no source of its own; it owns the one lock file, the npm
// workspaces, nx, and the commands a fresh machine runs.
// ---------------------------------------------------------------------------
const root = new typescript.TypeScriptProject({
  name: 'keelson',
  description: 'AWS CDK construct libraries for a production Amazon EKS platform',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: VERSIONS.minNode,
  typescriptVersion: VERSIONS.typescript,
  projenVersion: VERSIONS.projen,
  github: false,
  release: false,
  jest: false,
  eslint: false,
  prettier: false,
  sampleCode: false,
  licensed: true,
  license: 'Apache-2.0',
  copyrightOwner: 'Keelson contributors',
  devDeps: [
    `nx@${VERSIONS.nx}`,
    `ts-node@${VERSIONS.tsNode}`,
    `@types/node@^20`,
  ],
  // The root's only TypeScript besides .projenrc.ts is its scripts.
  testdir: 'scripts',
  gitignore: ['.nx/', 'cdk.out/', '.bench/'],
});

// jsii-docgen needs the linked layout (see TOOLCHAIN.md); no other install layout works here.
root.npmrc.addConfig('install-strategy', 'linked');

fastTaskPath(root);

// One install at the root; `npm ci` refuses lock files written on these machines.
root.tasks.tryFind('install:ci')!.reset('npm install --no-audit --no-fund');

// The root has no source: its compile would fail with TS18003. nx drives the packages.
root.compileTask.reset();
root.packageTask.reset();
root.tasks.tryFind('post-compile')?.reset();

// ---------------------------------------------------------------------------
// The proof harness: a private workspace package every package's tests use.
// ---------------------------------------------------------------------------
const proof = new typescript.TypeScriptProject({
  parent: root,
  outdir: 'tools/proof',
  name: '@keelson/proof',
  description: 'Keelson proof harness: synth, cdk-nag, cfn-lint, CloudFormation validation, Kubernetes schemas, Rego',
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
  peerDeps: [`aws-cdk-lib@^${VERSIONS.awsCdkLib}`, `constructs@^${VERSIONS.constructs}`],
  deps: [
    `cdk-nag@${VERSIONS.cdkNag}`,
    `kubernetes-models@${VERSIONS.kubernetesModels}`,
    '@kubernetes-models/argo-cd@4.0.0',
    '@kubernetes-models/argo-rollouts@2.0.0',
    '@kubernetes-models/keda@2.0.0',
    '@kubernetes-models/istio@3.0.1',
    '@kubernetes-models/cert-manager@6.0.0',
    '@kubernetes-models/external-secrets@2.0.0',
    '@kubernetes-models/karpenter@2.0.0',
    '@kubernetes-models/prometheus-operator@6.0.0',
    '@kubernetes-models/gateway-api@2.0.0',
    // For the few custom resources kubernetes-models has no model of (tools/proof/schemas).
    'ajv@^8.20.0',
  ],
  devDeps: [
    `aws-cdk-lib@${VERSIONS.awsCdkLib}`,
    `constructs@${VERSIONS.constructs}`,
    'eslint-import-resolver-node',
  ],
  tsconfig: { compilerOptions: { lib: ['es2022'], target: 'ES2022' } },
  jestOptions: { junitReporting: false, jestConfig: { testTimeout: 120_000, collectCoverage: false } },
  tsconfigDev: { compilerOptions: { isolatedModules: true } },
});
proof.package.addField('private', true);
shapeTasksForNx(proof);

// ---------------------------------------------------------------------------
// The construct libraries. Dependencies point one way:
// conventions <- network <- eks-core <- everything that runs on the cluster.
// ---------------------------------------------------------------------------
const conventions = new KeelsonLibrary(root, {
  dir: 'conventions',
  description: 'Keelson conventions: resource naming, the tag set and the one removal-policy switch',
});
const network = new KeelsonLibrary(root, {
  dir: 'network',
  description: 'Keelson network: the platform VPC, endpoints, security groups, flow logs and peering primitives',
  siblings: [conventions],
});
const eksCore = new KeelsonLibrary(root, {
  dir: 'eks-core',
  description: 'Keelson EKS core: the cluster, Bottlerocket node pools, add-ons, workload identity and controllers',
  siblings: [conventions],
  // One kubectl layer per supported Kubernetes version (N and N-1).
  peerDeps: [`@aws-cdk/lambda-layer-kubectl-v36@^${VERSIONS.kubectlLayer}`, `@aws-cdk/lambda-layer-kubectl-v35@^${VERSIONS.kubectlLayerV35}`],
  devDeps: [`@aws-cdk/lambda-layer-kubectl-v36@${VERSIONS.kubectlLayer}`, `@aws-cdk/lambda-layer-kubectl-v35@${VERSIONS.kubectlLayerV35}`, 'smol-toml@1.9.1'],
  shippedPaths: ['userdata', 'policies'],
});
const security = new KeelsonLibrary(root, {
  dir: 'security',
  description: 'Keelson security: GuardDuty, Security Hub, alert routing, CloudTrail, WAF, KMS and in-cluster policy',
  // The account baseline must work for teams with no cluster; in-cluster policy will add eks-core.
  siblings: [conventions],
});
const gitops = new KeelsonLibrary(root, {
  dir: 'gitops',
  description: 'Keelson GitOps: Argo CD, ApplicationSets, Rollouts, Image Updater and Notifications',
  siblings: [conventions, eksCore],
});
const mesh = new KeelsonLibrary(root, {
  dir: 'mesh',
  description: 'Keelson mesh: Istio with mTLS from an ACM Private CA, Cloud Map discovery and an ingress gateway',
  siblings: [conventions, eksCore],
});
const finops = new KeelsonLibrary(root, {
  dir: 'finops',
  description: 'Keelson FinOps: Kubecost, CUR 2.0 data exports with Glue and Athena, budgets and alerts',
  siblings: [conventions, eksCore],
});
const dr = new KeelsonLibrary(root, {
  dir: 'dr',
  description: 'Keelson DR: a second-region platform mirroring the primary, peering and Velero backups',
  siblings: [conventions, network, eksCore, security],
});
const libraries = [conventions, network, eksCore, security, gitops, mesh, finops, dr];

// ---------------------------------------------------------------------------
// The reference app: the whole platform, primary + DR.
// ---------------------------------------------------------------------------
const app = new awscdk.AwsCdkTypeScriptApp({
  parent: root,
  outdir: 'apps/reference-platform',
  name: '@keelson/reference-platform',
  description: 'Keelson reference platform: every package composed into a primary and a DR region',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: VERSIONS.minNode,
  typescriptVersion: VERSIONS.typescript,
  cdkVersion: VERSIONS.awsCdkLib,
  constructsVersion: VERSIONS.constructs,
  cdkCliVersion: VERSIONS.cdkCli,
  projenrcTs: false,
  github: false,
  release: false,
  prettier: false,
  sampleCode: false,
  licensed: false,
  // Type-checking belongs to `lint`; synth only transpiles (19 s -> 6 s, TOOLCHAIN.md).
  // `node -r` rather than `npx ts-node`: the CLI runs this through a shell, and npx costs ~0.5 s.
  app: 'node -r ts-node/register/transpile-only src/main.ts',
  requireApproval: awscdk.ApprovalLevel.BROADENING,
  context: {
    // Make aws-cdk-lib's bundled CloudFormation validation fail synth instead of warning.
    '@aws-cdk/core:validateAgainstDefaultRules': true,
  },
  deps: libraries.map((l) => `${l.package.packageName}@^0.0.0`).concat([
    `@aws-cdk/lambda-layer-kubectl-v36@^${VERSIONS.kubectlLayer}`,
    `@aws-cdk/lambda-layer-kubectl-v35@^${VERSIONS.kubectlLayerV35}`,
    // The app synthesizes with the proof gates registered (cdk-nag comes with them), and the
    // synth summary runs the rest over cdk.out. The app is private; nothing ships.
    '@keelson/proof@^0.0.0',
  ]),
  devDeps: [`ts-node@${VERSIONS.tsNode}`, 'eslint-import-resolver-node'],
  jestOptions: { junitReporting: false, jestConfig: { testTimeout: 300_000, collectCoverage: false } },
  tsconfigDev: { compilerOptions: { isolatedModules: true } },
});
app.package.addField('private', true);
shapeTasksForNx(app);
// No compile step for an app: build is a type-check; `synth` is its product and the
// tests synthesize it, so build does not synthesize a second time.
app.postCompileTask.reset();
app.compileTask.reset('tsc --noEmit -p test/tsconfig.json');
// The CLI must not phone home offline: no notices, no telemetry, no version check.
const cdkEnv = { CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' };
// cdk synth, then the stacks and each gate's result (src/synth.ts).
app.tasks.tryFind('synth')!.reset('ts-node --transpile-only src/synth.ts', { env: cdkEnv });
app.tasks.tryFind('synth:silent')!.reset('cdk synth --no-notices -q', { env: cdkEnv });
// projen points cdk.json's `build` at the bundle task, which is empty for this app; the CLI
// would spend ~1.4 s running it before every synth.
app.cdkConfig.json.addDeletionOverride('build');
new JsonFile(app, 'cdk.context.json', { obj: {}, marker: false, readonly: false });

// ---------------------------------------------------------------------------
// npm workspaces + nx
// ---------------------------------------------------------------------------
root.package.addField('workspaces', ['tools/*', 'packages/*', 'apps/*']);

new JsonFile(root, 'nx.json', {
  obj: {
    $schema: './node_modules/nx/schemas/nx-schema.json',
    parallel: 2,
    defaultBase: 'main',
    namedInputs: {
      // A target's own outputs and synth products are not its inputs (else every run misses the cache).
      default: [
        '{projectRoot}/**/*',
        '!{projectRoot}/test-reports/**/*',
        '!{projectRoot}/coverage/**/*',
        '!{projectRoot}/cdk.out/**/*',
        '!{projectRoot}/dist/**/*',
        'sharedGlobals',
      ],
      sharedGlobals: ['{workspaceRoot}/.npmrc', '{workspaceRoot}/package-lock.json'],
      production: [
        'default',
        '!{projectRoot}/test/**/*',
        '!{projectRoot}/test-reports/**/*',
        '!{projectRoot}/API.md',
        '!{projectRoot}/cdk.out/**/*',
        '!{projectRoot}/coverage/**/*',
      ],
    },
    targetDefaults: {
      build: {
        dependsOn: ['^build'],
        inputs: ['production', '^production'],
        outputs: [
          '{projectRoot}/lib',
          '{projectRoot}/.jsii',
          '{projectRoot}/tsconfig.json',
          '{projectRoot}/API.md',
        ],
        cache: true,
      },
      test: {
        dependsOn: ['^build'],
        inputs: ['default', '^production'],
        outputs: ['{projectRoot}/test-reports', '{projectRoot}/coverage'],
        cache: true,
      },
      lint: {
        dependsOn: ['^build'],
        inputs: ['default', '^production', '{workspaceRoot}/.eslintrc.json'],
        cache: true,
      },
      synth: {
        dependsOn: ['^build'],
        inputs: ['default', '^production'],
        outputs: ['{projectRoot}/cdk.out'],
        cache: false,
      },
    },
  },
});

// ---------------------------------------------------------------------------
// Root commands
// ---------------------------------------------------------------------------
const nx = 'nx';
root.testTask.reset();
root.testTask.exec('ts-node --transpile-only scripts/test-all.ts', { receiveArgs: true });
root.addTask('synth', {
  description: 'Synthesize the reference platform offline to apps/reference-platform/cdk.out',
  exec: `${nx} run @keelson/reference-platform:synth`,
});
root.addTask('bench', {
  description: 'Measure synth time and memory, Lambda and custom-resource counts, asset bytes and test time',
  exec: 'ts-node --transpile-only scripts/bench.ts',
});
root.addTask('affected', {
  description: 'Build and test only what the change touches, against main',
  exec: `${nx} affected -t build test lint`,
  receiveArgs: true,
});
root.addTask('check:projen', {
  description: 'Fail when generated files differ from .projenrc.ts',
  exec: 'projen && git diff --exit-code && test -z "$(git status --porcelain)"',
});

pinToolDeps(root);
root.synth();
