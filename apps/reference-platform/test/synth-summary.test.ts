import { cfnLintGate, gateLine, LintOutcome } from '../src/synth-summary';

// The cfn-lint line of `npm run synth`'s summary: a gate that did not run is never PASS.
const missing: LintOutcome = { ran: false, skipReason: 'cfn-lint is not installed (spawn cfn-lint ENOENT)', findings: [], errors: [], linted: 0, cached: 0 };

describe('the cfn-lint gate of the synth summary', () => {
  test('cfn-lint missing on a workstation: SKIPPED, not PASS, and the build goes on', () => {
    const [status, detail] = cfnLintGate(missing, {});
    expect(status).toBe('SKIPPED');
    expect(detail).toMatch(/^cfn-lint did not run \(cfn-lint is not installed/);
    const line = gateLine(status, 'cfn-lint', detail);
    expect(line.startsWith('SKIPPED cfn-lint: ')).toBe(true);
    expect(line).not.toMatch(/PASS/);
  });

  test('cfn-lint missing under CI=true: FAIL', () => {
    expect(cfnLintGate(missing, { CI: 'true' })).toEqual(['FAIL', 'cfn-lint is required under CI and is missing: cfn-lint is not installed (spawn cfn-lint ENOENT)']);
  });

  test('cfn-lint ran: PASS without errors, FAIL with one, whatever CI says', () => {
    const ran = { ...missing, ran: true, skipReason: undefined, linted: 3, cached: 6 };
    expect(cfnLintGate({ ...ran, findings: [{}] }, { CI: 'true' })).toEqual(['PASS', '0 errors, 1 warnings (3 templates linted, 6 unchanged since their last lint)']);
    expect(cfnLintGate({ ...ran, findings: [{}], errors: [{}] }, {})[0]).toBe('FAIL');
  });
});
