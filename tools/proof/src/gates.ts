import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { cfnLint, CfnLintFinding, cfnLintRunsHere, formatCfnLint } from './cfn-lint';
import { formatFindings, SynthResult } from './synth';

/** What {@link testProofGates} may vary. */
export interface ProofGateOptions {
  /**
   * The shortest acknowledgement reason that counts as specific: a reason
   * shorter than this is a placeholder ("needed", "ok"), not a reason.
   *
   * @default 40
   */
  readonly minimumReasonLength?: number;
}

/**
 * The templates of a synth grouped by the region their stack deploys to; a
 * stack without a concrete region (environment-agnostic) is in the `undefined`
 * group, which cfn-lint checks for its default regions.
 */
export function templatesByRegion(result: SynthResult): Map<string | undefined, string[]> {
  const groups = new Map<string | undefined, string[]>();
  for (const stack of result.assembly.stacksRecursively) {
    const region = stack.environment.region;
    const key = region && !Token.isUnresolved(region) && region !== 'unknown-region' ? region : undefined;
    groups.set(key, [...groups.get(key) ?? [], path.join(stack.assembly.directory, stack.templateFile)]);
  }
  return groups;
}

/**
 * cfn-lint's errors over every template of a synth, each template linted for
 * the region its stack deploys to (a resource type that exists in one region
 * only, such as Data Exports in us-east-1, is then judged where it is).
 */
export function cfnLintErrorsByRegion(result: SynthResult): CfnLintFinding[] {
  return [...templatesByRegion(result)].flatMap(([region, files]) => cfnLint(files, region ? { regions: [region] } : {}).errors);
}

/**
 * The proof gates every package's tests run over their one synth, as tests of
 * the enclosing `describe`:
 * - cdk-nag (the packs the app registered) and CloudFormation validation report
 *   nothing unacknowledged;
 * - cfn-lint finds no error in any template, each linted for its stack's region
 *   (skipped only where cfn-lint is not installed and not under CI, where a
 *   missing cfn-lint fails: see `cfnLintRunsHere`);
 * - every acknowledgement carries a specific reason.
 *
 * @param synth the file's synth result, or a function returning it when the
 *   synth runs in a `beforeAll`
 */
export function testProofGates(synth: SynthResult | (() => SynthResult), options: ProofGateOptions = {}): void {
  const result = typeof synth === 'function' ? synth : () => synth;
  const minimumReasonLength = options.minimumReasonLength ?? 40;

  test('cdk-nag and CloudFormation validation report nothing unacknowledged', () => {
    expect(formatFindings(result().findings)).toBe('');
  });

  (cfnLintRunsHere() ? test : test.skip)('cfn-lint finds no error in any template (each for its stack\'s region)', () => {
    expect(result().templatePaths.length).toBeGreaterThan(0);
    expect(formatCfnLint(cfnLintErrorsByRegion(result()))).toBe('');
  });

  test(`every acknowledgement carries a specific reason (${minimumReasonLength}+ characters)`, () => {
    const vague = result().acknowledgements.filter((a) => a.reason.trim().length < minimumReasonLength);
    expect(vague.map((a) => `${a.constructPath} ${a.id}: "${a.reason}"`)).toEqual([]);
  });
}
