import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Fail at synth unless `value` is one of `allowed` (tokens pass). */
export function checkOneOf(scope: IConstruct, field: string, value: number, allowed: number[]): void {
  if (Token.isUnresolved(value)) return;
  if (!allowed.includes(value)) {
    PropsCheck.fail(scope, field, `${value} is not one of ${allowed.join(', ')}`, `use one of ${allowed.join(', ')}`);
  }
}
