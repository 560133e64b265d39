import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * How cdk-nag names a value in a finding id: CloudFormation intrinsics
 * flattened, `Ref` as `<Name>` and `Fn::GetAtt` as `<Id.Attr>`.
 */
export function nagName(scope: IConstruct, value: string): string {
  return flat(Stack.of(scope).resolve(value));
}

function flat(v: any): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    if ('Ref' in v) return `<${v.Ref}>`;
    if ('Fn::GetAtt' in v) return `<${v['Fn::GetAtt'].join('.')}>`;
    if ('Fn::Join' in v) return (v['Fn::Join'][1] as any[]).map(flat).join(v['Fn::Join'][0]);
  }
  return JSON.stringify(v);
}
