import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

// A pragmatic address check: one @, a dotted domain, no whitespace. SNS rejects the rest at subscribe time.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Fail at synth unless `value` looks like an email address (tokens pass). */
export function checkEmail(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!EMAIL.test(value) || value.length > 254) {
    PropsCheck.fail(scope, field, `"${value}" is not an email address`, 'give one address such as security@example.com');
  }
}

/** Fail at synth unless `value` is one of `allowed` (tokens pass). */
export function checkOneOf(scope: IConstruct, field: string, value: number, allowed: number[]): void {
  if (Token.isUnresolved(value)) return;
  if (!allowed.includes(value)) {
    PropsCheck.fail(scope, field, `${value} is not one of ${allowed.join(', ')}`, `use one of ${allowed.join(', ')}`);
  }
}
