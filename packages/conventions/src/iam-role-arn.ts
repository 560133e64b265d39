import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PropsCheck } from './props-check';
import { ValidationProblem } from './validation-problem';

/**
 * `arn:<partition>:iam::<12-digit account>:role/<path/><name>`, with IAM's
 * character set for paths and names (`[\w+=,.@-]`, names of 1–64 characters).
 * Written out because IAM documents it as this grammar; no library ships it.
 */
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** The one IAM role ARN check every Keelson package uses. */
export class IamRoleArn {
  /** True when `value` is the ARN of an IAM role (not a user, group or assumed-role session). */
  public static isValid(value: string): boolean {
    return typeof value === 'string' && ROLE_ARN.test(value);
  }

  /** What is wrong with `value`, or `undefined` when it is an IAM role ARN. */
  public static problem(value: string): ValidationProblem | undefined {
    if (IamRoleArn.isValid(value)) return undefined;
    return { problem: `"${value}" is not an IAM role ARN`, fix: 'give role ARNs like arn:aws:iam::123456789012:role/platform-admins' };
  }

  /** Fail at synth, naming the field, unless `value` is an IAM role ARN. Tokens pass. */
  public static check(scope: IConstruct, field: string, value: string): void {
    if (Token.isUnresolved(value)) return;
    const problem = IamRoleArn.problem(value);
    if (problem) PropsCheck.fail(scope, field, problem.problem, problem.fix);
  }

  private constructor() {}
}
