import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * An AWS service the platform VPC can reach through an interface VPC endpoint
 * (PrivateLink) with private DNS, so nodes call it without crossing a NAT
 * gateway.
 *
 * The five defaults (`PlatformEndpoint.DEFAULTS`) are what an EKS node needs to
 * boot and pull images with no internet path: ECR API, ECR registry (DKR),
 * EC2, CloudWatch Logs and STS (IRSA). The others are opt-in: each endpoint
 * costs an hourly charge per AZ.
 */
export class PlatformEndpoint {
  /** ECR API (`ecr.api`): image manifests and auth tokens. Default. */
  public static readonly ECR = new PlatformEndpoint('ecr-api', ec2.InterfaceVpcEndpointAwsService.ECR);
  /** ECR registry (`ecr.dkr`): image pulls. Default. */
  public static readonly ECR_DOCKER = new PlatformEndpoint('ecr-dkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER);
  /** EC2 API: the VPC CNI and node bootstrap describe ENIs and instances. Default. */
  public static readonly EC2 = new PlatformEndpoint('ec2', ec2.InterfaceVpcEndpointAwsService.EC2);
  /** CloudWatch Logs: Container Insights and Fluent Bit. Default. */
  public static readonly CLOUDWATCH_LOGS = new PlatformEndpoint('logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
  /** STS: IRSA web-identity token exchange. Default. */
  public static readonly STS = new PlatformEndpoint('sts', ec2.InterfaceVpcEndpointAwsService.STS);
  /** SQS: Karpenter interruption queue, KEDA scalers. */
  public static readonly SQS = new PlatformEndpoint('sqs', ec2.InterfaceVpcEndpointAwsService.SQS);
  /** SNS: alerting from workloads. */
  public static readonly SNS = new PlatformEndpoint('sns', ec2.InterfaceVpcEndpointAwsService.SNS);
  /** Secrets Manager: External Secrets. */
  public static readonly SECRETS_MANAGER = new PlatformEndpoint('secretsmanager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
  /** SSM: parameters and Session Manager. */
  public static readonly SSM = new PlatformEndpoint('ssm', ec2.InterfaceVpcEndpointAwsService.SSM);
  /** KMS: envelope encryption from workloads. */
  public static readonly KMS = new PlatformEndpoint('kms', ec2.InterfaceVpcEndpointAwsService.KMS);
  /** Elastic Load Balancing: the AWS Load Balancer Controller. */
  public static readonly ELASTIC_LOAD_BALANCING = new PlatformEndpoint('elasticloadbalancing', ec2.InterfaceVpcEndpointAwsService.ELASTIC_LOAD_BALANCING);
  /** Auto Scaling: Cluster Autoscaler. */
  public static readonly AUTOSCALING = new PlatformEndpoint('autoscaling', ec2.InterfaceVpcEndpointAwsService.AUTOSCALING);
  /** EKS API: private clusters' tooling and Karpenter. */
  public static readonly EKS = new PlatformEndpoint('eks', ec2.InterfaceVpcEndpointAwsService.EKS);
  /** EKS Auth: EKS Pod Identity credential exchange. */
  public static readonly EKS_AUTH = new PlatformEndpoint('eks-auth', ec2.InterfaceVpcEndpointAwsService.EKS_AUTH);
  /** Bedrock runtime: model invocation from workloads. */
  public static readonly BEDROCK_RUNTIME = new PlatformEndpoint('bedrock-runtime', ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME);

  /** The endpoints created when none are chosen: ECR API, ECR DKR, EC2, CloudWatch Logs, STS. */
  public static readonly DEFAULTS: PlatformEndpoint[] = [
    PlatformEndpoint.ECR,
    PlatformEndpoint.ECR_DOCKER,
    PlatformEndpoint.EC2,
    PlatformEndpoint.CLOUDWATCH_LOGS,
    PlatformEndpoint.STS,
  ];

  /**
   * Any other interface endpoint service.
   *
   * @param id a short, unique identifier used in construct ids (for example `ssm-messages`)
   * @param service the endpoint service
   */
  public static of(id: string, service: ec2.IInterfaceVpcEndpointService): PlatformEndpoint {
    return new PlatformEndpoint(id, service);
  }

  private constructor(
    /** Short identifier, used in construct ids. */
    public readonly id: string,
    /** The endpoint service. */
    public readonly service: ec2.IInterfaceVpcEndpointService,
  ) {}
}
