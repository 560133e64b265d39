import { AspectPriority, CfnResource, IAspect, Stack, TagManager, TagType, Tokenization } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { InheritedTags } from '../inherited-tags';

/**
 * CloudFormation types that aws-cdk-lib creates as plain `CfnResource`s (no
 * tag manager, so `Tags.of` passes them by) although CloudFormation tags them,
 * with the shape of their `Tags` property:
 * - `AWS::IAM::Role`, `AWS::Lambda::Function`: the role and handler of every
 *   `CustomResourceProvider` (S3 auto-delete, VPC default security group
 *   restriction, cross-region exports).
 * - `AWS::SSM::Parameter`: aws-eks-v2's kubectl-ready barrier.
 *
 * A list, not a lookup in a resource specification: the specification
 * packages are tens of megabytes, loaded on every synth, for three types.
 * The reference app's test fails when a type is missing here.
 */
// KEY_VALUE renders [{ Key, Value }], what CloudFormation reads; STANDARD renders the
// lower-case shape that only an L1's property mapper turns into it.
const TAG_SHAPES: { [type: string]: TagType } = {
  'AWS::IAM::Role': TagType.KEY_VALUE,
  'AWS::Lambda::Function': TagType.KEY_VALUE,
  'AWS::SSM::Parameter': TagType.MAP,
};

/**
 * Gives those resources a tag manager before CDK's tag aspects run
 * (`AspectPriority.MUTATING` with the aspect-priority flag, `DEFAULT` without),
 * so every `Tags.of(...).add` above them reaches them like any L1. Tags the
 * resource already declares are kept.
 *
 * CDK adds some after aspects have run: the cross-region reference providers,
 * made while references are resolved. For those, probes placed at each
 * stack's root now collect the tags the aspects apply there, and a validation
 * (it runs after references are resolved, before templates are written)
 * gives the late resources a tag manager holding them.
 */
class UntaggedResources implements IAspect {
  public visit(node: IConstruct): void {
    if (Stack.isStack(node)) {
      watchLateResources(node);
    } else if (CfnResource.isCfnResource(node)) {
      attachTagManager(node, {});
    }
  }
}

function attachTagManager(resource: CfnResource, inherited: { [key: string]: string }): void {
  if (TagManager.of(resource)) return;
  const shape = TAG_SHAPES[resource.cfnResourceType];
  if (shape === undefined) return;
  // _cfnProperties holds the properties given to `new CfnResource(...)`.
  const declared = declaredTags((resource as unknown as { _cfnProperties?: { Tags?: unknown } })._cfnProperties?.Tags);
  if (declared === undefined) return; // tags we cannot read (a token): leave the resource as it is
  Object.defineProperty(resource, 'cdkTagManager', {
    value: new TagManager(shape, resource.cfnResourceType, { ...inherited, ...declared }, { tagPropertyName: 'Tags' }),
  });
}

const PROBES_ID = 'KeelsonTagProbes';

function watchLateResources(stack: Stack): void {
  if (stack.node.tryFindChild(PROBES_ID)) return;
  const container = new Construct(stack, PROBES_ID);
  const probes = new Map(Object.keys(TAG_SHAPES).map((type) => [type, new InheritedTags(container, type.replace(/::/g, ''), { resourceTypeName: type })]));
  stack.node.addValidation({
    validate: () => {
      for (const node of stack.node.findAll()) {
        if (!CfnResource.isCfnResource(node) || Stack.of(node) !== stack) continue;
        const probe = probes.get(node.cfnResourceType);
        if (probe) attachTagManager(node, probe.cdkTagManager.tagValues());
      }
      return [];
    },
  });
}

/** Declared tags as `{ key: value }` (what both tag managers take initially); undefined when not plain data. */
function declaredTags(tags: unknown): { [key: string]: string } | undefined {
  if (tags === undefined) return {};
  if (Tokenization.isResolvable(tags)) return undefined;
  if (Array.isArray(tags)) {
    const plain = tags.every((t) => typeof t?.Key === 'string' && typeof t?.Value === 'string');
    return plain ? Object.fromEntries(tags.map((t) => [t.Key, t.Value])) : undefined;
  }
  if (typeof tags === 'object' && tags !== null && Object.values(tags).every((v) => typeof v === 'string')) {
    return tags as { [key: string]: string };
  }
  return undefined;
}

/** Runs before CDK's tag aspects on every node. */
export const UNTAGGED_RESOURCES_PRIORITY = AspectPriority.MUTATING - 100;

/** One instance, so adding it twice to a scope adds it once. */
export const UNTAGGED_RESOURCES: IAspect = new UntaggedResources();
