import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** A policy statement and why its wildcard resources are needed. */
export interface ReasonedStatement {
  /** The statement. */
  readonly statement: iam.PolicyStatement;
  /** Why its wildcard resources (if any) cannot be narrowed: becomes the acknowledgement's reason. */
  readonly reason: string;
}

/**
 * cdk-nag finding ids for values that are CloudFormation intrinsics, and the
 * `AwsSolutions-IAM5` acknowledgements built from them.
 *
 * cdk-nag prints a resource in a finding id with intrinsics flattened: `Ref`
 * as `<Name>`, `Fn::GetAtt` as `<Id.Attr>`, `Fn::Join` joined. Hand-written
 * because cdk-nag exports no function for it.
 */
export class NagNames {
  /**
   * How cdk-nag names `value` in a finding id (a token is resolved in the
   * scope's stack first).
   *
   * @param scope a construct in the stack the value belongs to
   * @param value a string, possibly a token
   */
  public static of(scope: IConstruct, value: string): string {
    return flat(Stack.of(scope).resolve(value));
  }

  /**
   * Acknowledge `AwsSolutions-IAM5[Resource::<resource>]` on `scope` for
   * exactly the wildcard resources of the given statements, each with the
   * reasons of the statements it appears in. The ids are computed at
   * validation time, after CDK has replaced cross-stack and cross-region
   * references, so they match what cdk-nag reports.
   *
   * @param scope where the findings are reported (usually a role)
   * @param statements the statements with their reasons
   */
  public static acknowledgeWildcardResources(scope: IConstruct, statements: ReasonedStatement[]): void {
    scope.node.addValidation({
      validate: () => {
        const reasons = new Map<string, string[]>();
        for (const { statement, reason } of statements) {
          for (const resource of statement.resources) {
            const rendered = NagNames.of(scope, resource);
            if (!rendered.includes('*')) continue;
            const id = `AwsSolutions-IAM5[Resource::${rendered}]`;
            const list = reasons.get(id) ?? [];
            if (!list.includes(reason)) list.push(reason);
            reasons.set(id, list);
          }
        }
        for (const [id, list] of reasons) {
          Validations.of(scope).acknowledge({ id, reason: list.join('; ') });
        }
        return [];
      },
    });
  }

  private constructor() {}
}

function flat(v: any): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    if (typeof v.Ref === 'string') return `<${v.Ref}>`;
    if (Array.isArray(v['Fn::GetAtt'])) return `<${v['Fn::GetAtt'].join('.')}>`;
    if (Array.isArray(v['Fn::Join'])) return (v['Fn::Join'][1] as any[]).map(flat).join(v['Fn::Join'][0]);
  }
  return JSON.stringify(v);
}
