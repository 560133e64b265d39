/**
 * Every toolchain version the workspace pins, in one place.
 *
 * See ../shared/TOOLCHAIN.md (the team's notes) for why each one is pinned:
 * TypeScript 7 breaks ts-node/ts-jest, the aws-cdk CLI 3.x cannot read
 * aws-cdk-lib 2.276's cloud assembly, and so on.
 */
export const VERSIONS = {
  /** Tested floor of `aws-cdk-lib` (peer `^`, dev dependency exact). */
  awsCdkLib: '2.276.0',
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
