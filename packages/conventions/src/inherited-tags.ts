import { IResolvable, ITaggableV2, Lazy, TagManager, TagType } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Props of {@link InheritedTags}. */
export interface InheritedTagsProps {
  /**
   * The CloudFormation type the tags end up on, which `Tags.of(...).add`'s
   * `includeResourceTypes` and `excludeResourceTypes` filters match.
   *
   * @default 'AWS::EC2::Instance'
   */
  readonly resourceTypeName?: string;
}

/**
 * The tags CDK's tag aspects apply at one place in the construct tree
 * (`KeelsonTags.apply`, `KeelsonTags.component`, any `Tags.of(...).add`),
 * for what CloudFormation does not tag for us: the instances and volumes a
 * launch template starts, the load balancers or nodes a controller creates.
 *
 * It is a taggable construct with no resource of its own, so the tags come
 * from the same aspects, priorities and filters as every other resource's,
 * never restated. Read them through the lazy values below: aspects run at
 * synth, after construction.
 */
export class InheritedTags extends Construct implements ITaggableV2 {
  /** Collects the tags the aspects apply here. */
  public readonly cdkTagManager: TagManager;

  constructor(scope: Construct, id: string, props: InheritedTagsProps = {}) {
    super(scope, id);
    this.cdkTagManager = new TagManager(TagType.KEY_VALUE, props.resourceTypeName ?? 'AWS::EC2::Instance');
  }

  /**
   * The tags as `{ key: value }`, resolved at synth (for example a
   * controller's default-tags value).
   */
  public asMap(): IResolvable {
    return Lazy.any({ produce: () => this.tagValues() });
  }

  /**
   * A launch template's `TagSpecifications`: one entry per resource type,
   * each with every tag, resolved at synth; none when there are no tags.
   *
   * @param resourceTypes what the launch template starts, for example `instance`, `volume`, `network-interface`
   */
  public launchTemplateTagSpecifications(resourceTypes: string[]): IResolvable {
    return Lazy.any({
      produce: () => {
        const tags = Object.entries(this.tagValues()).map(([key, value]) => ({ key, value }));
        if (tags.length === 0) return undefined;
        return resourceTypes.map((resourceType) => ({ resourceType, tags }));
      },
    });
  }

  private tagValues(): { [key: string]: string } {
    // Sorted by key, as CloudFormation templates render tags.
    const values = this.cdkTagManager.tagValues();
    return Object.fromEntries(Object.keys(values).sort().map((k) => [k, values[k]]));
  }
}
