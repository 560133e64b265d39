import { Acknowledgment, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Props of {@link LibraryFunctions.acknowledge}. */
export interface LibraryFunctionsProps {
  /**
   * Which aws-cdk-lib construct creates the functions and what they do, the
   * first words of every reason. For example "the kubectl provider of
   * aws-cdk-lib's aws-eks-v2 applies this cluster's manifests and charts".
   */
  readonly createdBy: string;

  /**
   * What the inline policies aws-cdk-lib writes for the functions' roles
   * allow (acknowledges `NIST.800.53.R5-IAMNoInlinePolicy`).
   */
  readonly inlinePolicies: string;

  /**
   * Why the functions run outside a VPC (acknowledges
   * `NIST.800.53.R5-LambdaInsideVPC`).
   *
   * @default - not acknowledged: the functions run in a VPC
   */
  readonly outsideVpcReason?: string;
}

/**
 * The cdk-nag findings that every Lambda function aws-cdk-lib creates for
 * its own custom resources raises (the kubectl provider of aws-eks-v2,
 * AwsCustomResource, provider frameworks), acknowledged once with the reasons
 * that hold for all of them.
 *
 * What only one provider needs (extra managed policies, wildcard resources)
 * stays with the construct that uses it.
 */
export class LibraryFunctions {
  /** `AwsSolutions-IAM4` for the AWSLambdaBasicExecutionRole managed policy, as cdk-nag reports it. */
  public static readonly BASIC_EXECUTION_ROLE_RULE = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

  /**
   * The acknowledgements, for `Validations.of(scope).acknowledge(...)`.
   *
   * @param props what the functions are and what their inline policies allow
   */
  public static acknowledgements(props: LibraryFunctionsProps): Acknowledgment[] {
    const who = props.createdBy;
    const acks: Acknowledgment[] = [
      {
        id: LibraryFunctions.BASIC_EXECUTION_ROLE_RULE,
        reason: `${who}; aws-cdk-lib attaches AWSLambdaBasicExecutionRole, which only lets the functions write their own CloudWatch Logs`,
      },
      {
        id: 'AwsSolutions-L1',
        reason: `${who}; aws-cdk-lib chooses the functions' runtime and moves it forward in its own releases, so the runtime follows the aws-cdk-lib version, not Keelson's code`,
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: `${who}; CloudFormation invokes the functions only while this stack deploys, once per custom resource event, so reserved concurrency would only slow deployments and take from the account's unreserved pool`,
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: `${who}; CloudFormation invokes them asynchronously with a response URL and records the outcome (or a timeout) on the stack, which then rolls back, so a dead-lettered event could not be replayed into that deployment`,
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: `${who}; aws-cdk-lib writes their permissions as inline policies that live and die with the roles: ${props.inlinePolicies}`,
      },
    ];
    if (props.outsideVpcReason) {
      acks.push({ id: 'NIST.800.53.R5-LambdaInsideVPC', reason: `${who}; ${props.outsideVpcReason}` });
    }
    return acks;
  }

  /**
   * Acknowledge the findings on `scope`, which holds the functions and their roles.
   *
   * @param scope the construct holding the functions (acknowledgements apply to everything under it)
   * @param props what the functions are and what their inline policies allow
   */
  public static acknowledge(scope: IConstruct, props: LibraryFunctionsProps): void {
    Validations.of(scope).acknowledge(...LibraryFunctions.acknowledgements(props));
  }

  /**
   * The function aws-cdk-lib's `AwsCustomResource` shares across a stack (a
   * singleton outside the construct that uses it), or undefined while no
   * `AwsCustomResource` exists in the stack yet.
   *
   * @param scope any construct of the stack
   */
  public static awsCustomResourceSingleton(scope: IConstruct): IConstruct | undefined {
    return Stack.of(scope).node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON_ID);
  }

  private constructor() {}
}

/** Construct id aws-cdk-lib gives its `AwsCustomResource` singleton function in a stack. */
const AWS_CUSTOM_RESOURCE_SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
