import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** How cdk-nag prints a resolved CloudFormation value in a finding id. */
function nagString(value: any): string {
  if (typeof value === 'string') return value;
  if (value && Array.isArray(value['Fn::Join'])) {
    const [sep, parts] = value['Fn::Join'];
    return (parts as any[]).map(nagString).join(sep);
  }
  if (value && typeof value.Ref === 'string') return `<${value.Ref}>`;
  if (value && Array.isArray(value['Fn::GetAtt'])) return `<${value['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(value);
}

/**
 * Acknowledge `AwsSolutions-IAM5` for exactly the wildcard resources of the
 * given statements, with one reason per statement. The ids are computed at
 * validation time, after CDK has replaced cross-stack and cross-region
 * references, so they match what cdk-nag reports (for example a replica
 * bucket ARN read through the cross-region exports reader).
 */
export function acknowledgeWildcardResources(scope: IConstruct, statements: { statement: iam.PolicyStatement; reason: string }[]): void {
  scope.node.addValidation({
    validate: () => {
      const stack = Stack.of(scope);
      const reasons = new Map<string, string[]>();
      for (const { statement, reason } of statements) {
        for (const resource of statement.resources) {
          const rendered = nagString(stack.resolve(resource));
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
