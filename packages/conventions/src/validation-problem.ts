/**
 * What is wrong with one input, and how to fix it: the two halves of a
 * `PropsCheck` message (`<path>: invalid <field>: <problem>. Fix: <fix>`).
 *
 * The shared checks (`Cidr`, `VpcCidrRule`, `EmailAddress`, `IamRoleArn`,
 * `Ec2InstanceTypes`) return these, so a construct and a configuration
 * schema report the same words for the same mistake.
 */
export interface ValidationProblem {
  /** What is wrong, for example `"10.0.0.1/16" has host bits set`. */
  readonly problem: string;
  /** How to fix it, for example `use 10.0.0.0/16`. */
  readonly fix: string;
}
