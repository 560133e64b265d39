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

/** Props of {@link LibraryFunctions.acknowledgeAwsCustomResource}: one use of the stack's `AwsCustomResource` function. */
export interface AwsCustomResourceUse extends LibraryFunctionsProps {
  /**
   * Why the use's SDK calls need `"*"` (acknowledges
   * `AwsSolutions-IAM5[Resource::*]` on the use's policy).
   *
   * @default - not acknowledged: the calls name their resources
   */
  readonly wildcardReason?: string;
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
   * Acknowledge one use of aws-cdk-lib's `AwsCustomResource`: its policy's
   * findings on `scope`, and the shared function's once per stack, with the
   * reasons of every use in the stack (the function is one, whatever uses it).
   * Call it after creating the `AwsCustomResource`.
   *
   * @param scope the construct holding the `AwsCustomResource` (its policy is under it)
   * @param use what the use calls and why
   */
  public static acknowledgeAwsCustomResource(scope: IConstruct, use: AwsCustomResourceUse): void {
    Validations.of(scope).acknowledge(
      ...(use.wildcardReason ? [{ id: 'AwsSolutions-IAM5[Resource::*]', reason: use.wildcardReason }] : []),
      { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: `${use.createdBy}; aws-cdk-lib writes its permissions as an inline policy: ${use.inlinePolicies}` },
    );
    const singleton = LibraryFunctions.awsCustomResourceSingleton(scope);
    if (!singleton) throw new Error(`${scope.node.path}: acknowledgeAwsCustomResource needs the AwsCustomResource to exist first`);
    let uses = SINGLETON_USES.get(singleton);
    if (!uses) {
      const all: AwsCustomResourceUse[] = [];
      uses = all;
      SINGLETON_USES.set(singleton, all);
      // Acknowledged at validation, once, when every use of the stack is known.
      singleton.node.addValidation({
        validate: () => {
          const join = (pick: (u: AwsCustomResourceUse) => string | undefined) => all.map(pick).filter((x): x is string => !!x).join('; ');
          LibraryFunctions.acknowledge(singleton, {
            createdBy: join((u) => u.createdBy),
            inlinePolicies: join((u) => u.inlinePolicies),
            outsideVpcReason: all.every((u) => u.outsideVpcReason) ? join((u) => u.outsideVpcReason) : undefined,
          });
          return [];
        },
      });
    }
    uses.push(use);
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

/** The uses of each stack's `AwsCustomResource` function. */
const SINGLETON_USES = new WeakMap<IConstruct, AwsCustomResourceUse[]>();

/** Construct id aws-cdk-lib gives its `AwsCustomResource` singleton function in a stack. */
const AWS_CUSTOM_RESOURCE_SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
