/** One CloudFormation resource as an EKS check sees it. */
export interface EksCheckResource {
  /** Logical id in its template. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly type: string;
  /** Its `Properties` (intrinsics left as they are). */
  readonly properties: { [key: string]: any };
}

/** What a check found wrong with one resource. */
export interface EksCheckFinding {
  /** The resource's logical id. */
  readonly logicalId: string;
  /** What is wrong, specifically. */
  readonly problem: string;
  /**
   * Property path of the offending value.
   *
   * @default - the resource
   */
  readonly location?: string;
}

/**
 * One rule of the Keelson EKS checks (a cdk-nag 3 style validation rule, one
 * per file), run over each synthesized template. Rules read the native
 * CloudFormation resources that `aws-eks-v2` emits (`AWS::EKS::Cluster`,
 * `AWS::EKS::Nodegroup`, `AWS::EKS::Addon`, launch templates), so they fire
 * on any app, not only on Keelson's constructs.
 */
export abstract class EksCheck {
  /** Rule id, `Keelson-EKS<n>` (acknowledge it as `Keelson-EKS::Keelson-EKS<n>`). */
  public abstract readonly id: string;
  /** What the rule requires. */
  public abstract readonly description: string;
  /** How to comply. */
  public abstract readonly fix: string;

  /**
   * The findings in one template.
   *
   * @param resources every resource of the template
   */
  public abstract check(resources: EksCheckResource[]): EksCheckFinding[];
}
