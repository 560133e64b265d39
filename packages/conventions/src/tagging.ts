import { Aspects, Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { UNTAGGED_RESOURCES, UNTAGGED_RESOURCES_PRIORITY } from './private/untagged-resources';

/** The value of `ManagedBy` on everything Keelson creates. */
export const MANAGED_BY = 'keelson';

/**
 * The Keelson tag set. `ManagedBy` is always `keelson`; `Component` is set by
 * each construct on itself (see {@link KeelsonTags.component}).
 */
export interface KeelsonTagProps {
  /** `Environment`, for example `dev`, `staging`, `prod`. */
  readonly environment: string;
  /** `Project`: the product or platform name. */
  readonly project: string;
  /** `Owner`: the team or address accountable for the resources. */
  readonly owner: string;
  /**
   * `Purpose`: why the resources exist.
   * @default 'eks-platform'
   */
  readonly purpose?: string;
  /** Further tags, for example `CostCenter`. @default - none */
  readonly extra?: { [key: string]: string };
}

/** Applies the Keelson tag set through CDK's tag aspect. */
export class KeelsonTags {
  /** The tag keys every taggable resource carries. */
  public static readonly REQUIRED_KEYS = ['Environment', 'ManagedBy', 'Purpose', 'Project', 'Owner', 'Component'];

  /**
   * Tag every taggable resource under `scope` with the Keelson tag set.
   *
   * "Every" includes the IAM roles, Lambda functions and SSM parameters that
   * aws-cdk-lib writes as plain `CfnResource`s (custom resource providers,
   * aws-eks-v2's barrier), which `Tags.of` alone does not reach: an aspect
   * gives them a tag manager first, so `Component` and any other `Tags.of`
   * tag reach them too.
   */
  public static apply(scope: IConstruct, props: KeelsonTagProps): void {
    Aspects.of(scope).add(UNTAGGED_RESOURCES, { priority: UNTAGGED_RESOURCES_PRIORITY });
    const tags: Record<string, string> = {
      ...props.extra,
      Environment: props.environment,
      ManagedBy: MANAGED_BY,
      Purpose: props.purpose ?? 'eks-platform',
      Project: props.project,
      Owner: props.owner,
    };
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(scope).add(key, value);
    }
  }

  /**
   * Tag every resource under `scope` with `Component=<name>`. Constructs call
   * this on themselves; the innermost call wins, so nested components keep
   * their own name.
   */
  public static component(scope: IConstruct, name: string): void {
    Tags.of(scope).add('Component', name);
  }
}
