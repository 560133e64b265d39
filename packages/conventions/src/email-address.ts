import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PropsCheck } from './props-check';
import { ValidationProblem } from './validation-problem';

/**
 * The HTML standard's "valid email address" (the grammar browsers apply to
 * `<input type=email>`), plus a dotted domain. Hand-written on purpose: it is
 * one published expression, and a validation library would be a bundled
 * dependency of every package for one line. SNS rejects what is left at subscribe time.
 */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The one email-address check every Keelson package uses. */
export class EmailAddress {
  /** True when `value` is one email address of at most 254 characters. */
  public static isValid(value: string): boolean {
    return typeof value === 'string' && value.length <= 254 && EMAIL.test(value);
  }

  /** What is wrong with `value`, or `undefined` when it is an email address. */
  public static problem(value: string): ValidationProblem | undefined {
    if (EmailAddress.isValid(value)) return undefined;
    return { problem: `"${value}" is not an email address`, fix: 'give one address such as team@example.com' };
  }

  /** Fail at synth, naming the field, unless `value` is an email address. Tokens pass. */
  public static check(scope: IConstruct, field: string, value: string): void {
    if (Token.isUnresolved(value)) return;
    const problem = EmailAddress.problem(value);
    if (problem) PropsCheck.fail(scope, field, problem.problem, problem.fix);
  }

  private constructor() {}
}
