import { KeelsonCommonProps, KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { NagNames } from '@keelson/eks-core';
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Props of {@link PeeringAccepterRole}. */
export interface PeeringAccepterRoleProps extends KeelsonCommonProps {
  /** The account that requests the peering (the primary platform's account). */
  readonly requesterAccountId: string;

  /** The accepter VPC (in this stack's account): the only VPC the role may accept peerings into. */
  readonly vpc: ec2.IVpc;

  /**
   * ARN of the requester VPC (the primary platform's VPC): the only VPC whose
   * peering requests the role may accept.
   *
   * @default - `arn:<partition>:ec2:<any region>:<requesterAccountId>:vpc/*`, any VPC of the requester account
   */
  readonly requesterVpcArn?: string;
}

/**
 * For cross-account peering only: the role in the accepter (DR) account that
 * CloudFormation in the requester account assumes to accept the request
 * (`PeerRoleArn`). It may accept peering connections into `vpc` only.
 */
export class PeeringAccepterRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;
  /** Its ARN, for `PlatformPeeringProps.peerRoleArn`. */
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: PeeringAccepterRoleProps) {
    super(scope, id);
    KeelsonTags.component(this, 'dr-peering');
    if (!Token.isUnresolved(props.requesterAccountId) && !/^\d{12}$/.test(props.requesterAccountId)) {
      PropsCheck.fail(this, 'requesterAccountId', `"${props.requesterAccountId}" is not a 12-digit account ID`, 'pass the primary account ID');
    }
    const stack = Stack.of(this);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    this.role = new iam.Role(this, 'Role', {
      roleName: naming.name('vpc-peering-accepter'),
      assumedBy: new iam.AccountPrincipal(props.requesterAccountId),
      description: 'Accepts VPC peering requests from the primary platform account into the DR VPC',
    });
    const accept = new iam.PolicyStatement({
      actions: ['ec2:AcceptVpcPeeringConnection'],
      resources: [stack.formatArn({ service: 'ec2', resource: 'vpc-peering-connection', resourceName: '*' })],
      // ec2:RequesterVpc (an ARN condition key of AcceptVpcPeeringConnection): only requests from the primary's VPC.
      conditions: {
        StringEquals: {
          'ec2:AccepterVpc': stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: props.vpc.vpcId }),
        },
        ArnLike: {
          'ec2:RequesterVpc': props.requesterVpcArn ?? stack.formatArn({ service: 'ec2', region: '*', account: props.requesterAccountId, resource: 'vpc', resourceName: '*' }),
        },
      },
    });
    this.role.addToPolicy(accept);
    NagNames.acknowledgeWildcardResources(this.role, [{
      statement: accept,
      reason: 'the peering connection ID does not exist until the requester creates it; vpc-peering-connection/* is narrowed by ec2:AccepterVpc to the DR VPC',
    }]);
    Validations.of(this.role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'the accepter role exists only to accept this one peering into the DR VPC; inline keeps that single statement deleted with the role',
    });
    this.roleArn = this.role.roleArn;
  }
}
