/** One synthesized template of an assembly. */
export interface AssemblyTemplate {
  /** The stack's artifact id. */
  readonly id: string;
  /** The template, as JSON. */
  readonly template: { Resources?: Record<string, any>; Outputs?: Record<string, any> };
}

/** A resource of the assembly: its stack and logical id. */
export interface ResourceAddress {
  readonly stack: string;
  readonly logicalId: string;
}

const CROSS_REGION_READER = 'Custom::CrossRegionExportReader';
const CROSS_REGION_WRITER = 'Custom::CrossRegionExportWriter';

/**
 * Resolve a value in one stack to the resource it references, following the
 * ways CDK carries a reference: `Ref` in the same stack, `Fn::ImportValue` of
 * another stack's export, and the SSM-backed cross-region export reader.
 * Anything else (a literal ARN, a join) resolves to nothing.
 */
export function referencedResource(templates: AssemblyTemplate[], stack: string, value: any): ResourceAddress | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (typeof value.Ref === 'string') return { stack, logicalId: value.Ref };
  const imported = value['Fn::ImportValue'];
  if (typeof imported === 'string') {
    for (const t of templates) {
      for (const output of Object.values(t.template.Outputs ?? {})) {
        if (output.Export?.Name === imported) return referencedResource(templates, t.id, output.Value);
      }
    }
    return undefined;
  }
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) {
    const [readerId, exportName] = getAtt;
    const reader = templates.find((t) => t.id === stack)?.template.Resources?.[readerId];
    if (reader?.Type !== CROSS_REGION_READER) return undefined;
    for (const t of templates) {
      for (const r of Object.values(t.template.Resources ?? {})) {
        const exported = r.Type === CROSS_REGION_WRITER ? r.Properties?.WriterProps?.exports?.[exportName] : undefined;
        if (exported !== undefined) return referencedResource(templates, t.id, exported);
      }
    }
  }
  return undefined;
}

/**
 * Every SNS topic of the assembly that has no subscriber: no inline
 * `Subscription` and no `AWS::SNS::Subscription` in any stack whose
 * `TopicArn` references it. The wiring proof "every topic subscribed".
 *
 * @returns `<stack>/<logicalId>` of each topic nobody subscribes to
 */
export function unsubscribedTopics(templates: AssemblyTemplate[]): string[] {
  const subscribed = new Set<string>();
  for (const t of templates) {
    for (const r of Object.values(t.template.Resources ?? {})) {
      if (r.Type !== 'AWS::SNS::Subscription') continue;
      const topic = referencedResource(templates, t.id, r.Properties?.TopicArn);
      if (topic) subscribed.add(`${topic.stack}/${topic.logicalId}`);
    }
  }
  const out: string[] = [];
  for (const t of templates) {
    for (const [id, r] of Object.entries(t.template.Resources ?? {})) {
      if (r.Type !== 'AWS::SNS::Topic') continue;
      const inline = (r.Properties?.Subscription ?? []).length > 0;
      if (!inline && !subscribed.has(`${t.id}/${id}`)) out.push(`${t.id}/${id}`);
    }
  }
  return out;
}
