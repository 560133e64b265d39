import { KeelsonCommonProps, KeelsonTags, LibraryFunctions, PropsCheck } from '@keelson/conventions';
import { Arn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** Props of {@link PeerVpcPublication}. */
export interface PeerVpcPublicationProps {
  /** The VPC to publish (the DR VPC). */
  readonly vpc: ec2.IVpc;
  /** SSM parameter name, for example `/keelson/prod/dr/vpc-id`. */
  readonly parameterName: string;
}

/**
 * Publishes a VPC's id as a plain SSM parameter in its own region, so a stack
 * in another region can read it without a CloudFormation cross-region export.
 *
 * Why not `crossRegionReferences`: its export writer is a Lambda function in
 * the producing stack, and the producer here is the DR cluster stack, which
 * Keelson keeps to its one kubectl provider. A plain parameter costs nothing there.
 */
export class PeerVpcPublication extends Construct {
  /** The parameter holding the VPC id. */
  public readonly parameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: PeerVpcPublicationProps) {
    super(scope, id);
    requireParameterName(this, props.parameterName);
    this.parameter = new ssm.StringParameter(this, 'VpcId', {
      parameterName: props.parameterName,
      description: 'VPC id published for cross-region peering (read by the requester region)',
      stringValue: props.vpc.vpcId,
    });
  }
}

/** Props of {@link PeerVpcReference}. */
export interface PeerVpcReferenceProps extends KeelsonCommonProps {
  /** Region the VPC lives in (and the parameter with it). */
  readonly region: string;
  /** SSM parameter that holds the VPC id ({@link PeerVpcPublication}). */
  readonly parameterName: string;
  /** The VPC's availability zones. */
  readonly availabilityZones: string[];
}

/**
 * A VPC in another region, imported by reading the SSM parameter that
 * {@link PeerVpcPublication} wrote there. Its `env.region` is that region, so
 * `PlatformPeering` peers across regions with it.
 *
 * Deploy the publishing stack first (`addStackDependency` between the two stacks).
 */
export class PeerVpcReference extends Construct {
  /** The imported VPC (id resolved at deploy time, region known at synth). */
  public readonly vpc: ec2.IVpc;
  /** The VPC id as read from the parameter. */
  public readonly vpcId: string;

  constructor(scope: Construct, id: string, props: PeerVpcReferenceProps) {
    super(scope, id);
    KeelsonTags.component(this, 'dr-peering');
    requireParameterName(this, props.parameterName);
    const stack = Stack.of(this);
    if (Token.isUnresolved(props.region) || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
      PropsCheck.fail(this, 'region', `"${props.region}" is not a concrete region`, 'name the region the VPC lives in, for example us-west-2');
    }
    if (props.region === stack.region) {
      PropsCheck.fail(this, 'region', `is this stack's own region (${props.region})`, 'reference a VPC in the same region directly, without SSM');
    }
    const parameterArn = Arn.format({
      service: 'ssm', region: props.region, resource: 'parameter', resourceName: props.parameterName.replace(/^\//, ''),
    }, stack);
    const reader = new cr.AwsCustomResource(this, 'Reader', {
      onUpdate: {
        service: 'SSM',
        action: 'getParameter',
        parameters: { Name: props.parameterName },
        region: props.region,
        physicalResourceId: cr.PhysicalResourceId.of(`${props.region}:${props.parameterName}`),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [parameterArn] }),
      installLatestAwsSdk: false,
      removalPolicy: props.removalPolicy,
    });
    const aws = 'the reader is aws-cdk-lib\'s AwsCustomResource singleton; it runs once per deployment to read one SSM parameter';
    const inlinePolicies = 'the reader\'s policy allows ssm:GetParameter on this one parameter ARN only';
    // The reader's policy is inside this construct; its function and role are a stack-wide singleton outside it.
    LibraryFunctions.acknowledgeAwsCustomResource(this, {
      createdBy: aws,
      inlinePolicies,
      outsideVpcReason: 'it calls only the regional SSM API; a VPC would add NAT dependencies to a deploy-time read',
    });
    this.vpcId = reader.getResponseField('Parameter.Value');
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: this.vpcId,
      availabilityZones: props.availabilityZones,
      region: props.region,
    });
  }
}

function requireParameterName(scope: Construct, name: string) {
  if (!/^\/[\w.\-/]{1,1010}$/.test(name)) {
    PropsCheck.fail(scope, 'parameterName', `"${name}" is not an SSM parameter path`, 'use a path such as /keelson/prod/dr/vpc-id');
  }
}
