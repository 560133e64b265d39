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
  jsii: '~5.9.0',
  typescript: '~5.9.3',
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
  'jsii-pacmak': '^1.140.0',
  'esbuild': '^0.28.2',
  'ts-node': VERSIONS.tsNode,
};
