/**
 * Every toolchain version the workspace pins, in one place.
 *
 * Why the toolchain pins are exact: TypeScript 7 breaks ts-node/ts-jest, the aws-cdk CLI 3.x cannot read
 * aws-cdk-lib 2.276's cloud assembly, and so on.
 */
export const VERSIONS = {
  /** The aws-cdk-lib the workspace develops, tests and synthesizes with (dev dependency, exact; released 2026-11-10, the registry's `latest`). */
  awsCdkLib: '2.276.0',
  /**
   * The lowest aws-cdk-lib the published packages admit (peer `^`), found by the consumer smoke
   * test (tools/install-proof), which installs exactly this version, type-checks the packages'
   * declaration files and every README example against it, and synthesizes the examples:
   * - 2.257.0 (cdk-nag 3's own floor) fails three ways: `Validations.of(x).acknowledge` rejects
   *   cdk-nag rule ids holding `::` (`AwsSolutions-IAM4[Policy::arn:...]`); aws-eks-v2 does not
   *   export `CfnPodIdentityAssociation` (WorkloadRole's Pod Identity); and
   *   `CfnResource.addResourceDependency` is missing (the Security Hub standards' ordering).
   * - 2.268.0 exports `CfnPodIdentityAssociation` but still rejects `::` in an acknowledgement id.
   * - 2.269.0 is the first release with all three (checked in the published tarballs of 2.265 to
   *   2.270, then proven by the smoke test).
   * Raising the floor is a decision: a change that needs a newer API fails the smoke test.
   */
  awsCdkLibFloor: '2.269.0', // released 2026-09-10 (registry publish time)
  /** Tested floor of `constructs`. */
  constructs: '10.8.1',
  /** CDK CLI: the 2.1xxx line reads aws-cdk-lib 2.276's assembly (schema 55); 3.0.0 does not. */
  cdkCli: '2.1148.1',
  /**
   * The jsii compiler and jsii-rosetta (one range for both: projen gives rosetta the compiler's).
   * The 6.0 line compiles with TypeScript 6.0, which it depends on itself; 5.9 is in maintenance
   * until 2027-01-01 (aws/jsii-compiler README's support table). jsii 6.0.16 (2026-09-28) and
   * jsii-rosetta 6.0.17 (2026-09-28) are the registry's `latest`, read 2026-12-06. The upgrade
   * guide (aws/jsii-compiler#2659, README "Upgrading to jsii 6.0") concerns jsii's generated
   * tsconfig; projen's own tsconfig (module node16, esModuleInterop, explicit `types`) already
   * passes jsii 6's strict tsconfig validation.
   */
  jsii: '~6.0.16',
  /**
   * TypeScript for ts-jest, ts-node, eslint and the tests' type-check: the 6.0 line jsii 6 compiles
   * with, so the tests are checked by the compiler that builds `lib/`. 6.0.3 (2026-04-17) is the
   * newest 6.0.x (registry, read 2026-12-06). ts-jest 29.4.15 admits `>=4.3 <7` and
   * typescript-eslint 8.73 (locked; 8.74 is `latest`) `>=4.8.4 <6.1.0`; TypeScript 7 exports no compiler API (TOOLCHAIN.md).
   */
  typescript: '~6.0.3',
  /**
   * API.md. 10.12.5 (2026-08-17) is the first release whose jsii-rosetta peer range admits
   * `~6.0.0` (cdklabs/jsii-docgen#1953); 10.12.6 (2026-09-04) is the registry's `latest`, read
   * 2026-12-06. projen's default range (`^10.5.0`) would admit releases that cannot read a jsii 6
   * toolchain's rosetta.
   */
  jsiiDocgen: '^10.12.6',
  projen: '0.103.25',
  nx: '24.0.6',
  cdkNag: '3.0.2',
  kubectlLayer: '2.0.1',
  /** `@aws-cdk/lambda-layer-kubectl-v35` (Kubernetes N-1). */
  kubectlLayerV35: '2.2.2',
  kubernetesModels: '5.1.0',
  tsNode: '10.9.2',
  /** Peer-range arithmetic in the install proof (min/max version a range admits). */
  semver: '^7.8.5',
  typesSemver: '^7.7.1',
  /**
   * The conventional-commit bump behind projen's `bump` task (projen's default range is ^13;
   * 13.2.1 is the registry's `latest`, read 2026-12-01).
   */
  commitAndTagVersion: '13.2.1',
  /** Node floor: Node 20 is past end of life; users are told to run 22 or 24. */
  minNode: '20.0.0',
} as const;

/**
 * Versions for the tools projen adds unversioned ("*"). projen resolves "*"
 * from node_modules after a per-project install, which in a workspace runs
 * before the root has linked anything, so it would drop them. Pinning keeps
 * one reproducible lock file.
 */
export const TOOL_VERSIONS: Record<string, string> = {
  '@types/jest': '^30.0.0',
  'jest': '^30.5.2',
  'ts-jest': '^29.4.15',
  'eslint-import-resolver-node': '^0.4.0',
  'eslint-import-resolver-typescript': '^4.4.5',
  'eslint-plugin-import': '^2.32.0',
  'jsii-diff': '^1.134.0',
  /**
   * 1.140.0 (2026-09-01) is the registry's `latest` (read 2026-12-06); its jsii-rosetta peer range
   * is `>=5.9.0`, so it runs with rosetta 6.0 (aws/jsii#5154 widened it for 6.0).
   */
  'jsii-pacmak': '^1.140.0',
  'esbuild': '^0.28.2',
  'ts-node': VERSIONS.tsNode,
};
