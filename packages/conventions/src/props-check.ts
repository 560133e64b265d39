import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DnsLabel } from './dns-label';

/**
 * Synth-time validation of construct props.
 *
 * Every failure names the construct, the field and the fix, so that bad input
 * stops `cdk synth` instead of failing a CloudFormation deployment later.
 */
export class PropsCheck {
  /**
   * Throw an error naming the construct path, the field, the problem and the fix.
   */
  public static fail(scope: IConstruct, field: string, problem: string, fix: string): void {
    throw new Error(`${scope.node.path}: invalid ${field}: ${problem}. Fix: ${fix}`);
  }

  /** Fail unless `min <= value <= max` (unresolved tokens pass). */
  public static inRange(scope: IConstruct, field: string, value: number, min: number, max: number): void {
    if (Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      PropsCheck.fail(scope, field, `${value} is outside ${min}–${max}`, `use an integer from ${min} to ${max}`);
    }
  }

  /** Fail unless the environment suffix can be used inside every AWS resource name. */
  public static environmentSuffix(scope: IConstruct, field: string, suffix: string): void {
    if (Token.isUnresolved(suffix)) return;
    if (!/^[a-z][a-z0-9-]{0,15}$/.test(suffix) || suffix.endsWith('-')) {
      PropsCheck.fail(scope, field, `"${suffix}" is not a valid suffix`,
        'use 1–16 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen');
    }
  }

  /**
   * Fail unless `value` is a DNS label (RFC 1123: 1-63 lowercase letters,
   * digits and hyphens, starting and ending with a letter or digit), the
   * shape of Kubernetes namespace and most object names (unresolved tokens pass).
   */
  public static dnsLabel(scope: IConstruct, field: string, value: string): void {
    if (Token.isUnresolved(value)) return;
    const problem = DnsLabel.problem(value);
    if (problem) PropsCheck.fail(scope, field, problem.problem, problem.fix);
  }

  /** Fail unless `value` has the shape of an AWS region name, such as `ap-southeast-1` (unresolved tokens pass). */
  public static region(scope: IConstruct, field: string, value: string): void {
    if (Token.isUnresolved(value)) return;
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) {
      PropsCheck.fail(scope, field, `"${value}" is not an AWS region`, 'name a region such as ap-southeast-1');
    }
  }

  /** Fail unless `min <= desired <= max` for a scaling group. */
  public static scalingOrder(scope: IConstruct, field: string, min: number, desired: number, max: number): void {
    if ([min, desired, max].some((v) => Token.isUnresolved(v))) return;
    if (min < 0 || !(min <= desired && desired <= max)) {
      PropsCheck.fail(scope, field, `min ${min}, desired ${desired}, max ${max} are out of order`,
        'set 0 <= minSize <= desiredSize <= maxSize');
    }
  }
}
