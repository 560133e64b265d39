import { KeyPolicies, LibraryFunctions, StatefulRemoval } from '@keelson/conventions';
import { CfnElement, CustomResource, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { SIGNER_HANDLER_SOURCE } from '../private/signer-handler';

/** Properties of {@link CrossRegionCaSigner}. */
export interface CrossRegionCaSignerProps {
  /** ARN of the signing (root) CA. */
  readonly signingCaArn: string;
  /** Region of the signing CA. */
  readonly signingCaRegion: string;
  /**
   * ARN of the subordinate CA to sign, in this stack's region. The handler
   * reads its CSR from AWS Private CA (`GetCertificateAuthorityCsr`) and signs
   * it only while the CA waits for its certificate; it may read no other CA.
   */
  readonly subordinateCaArn: string;
  /** The signing algorithm of the signing CA. */
  readonly signingAlgorithm: string;
  /**
   * The certificate template ARN (for example `SubordinateCACertificate_PathLen1/V1`).
   * The handler's role may issue with this template only (`acm-pca:TemplateArn`).
   */
  readonly templateArn: string;
  /** Validity of the signed certificate, in days. */
  readonly validityDays: number;
  /**
   * How long to wait for the asynchronous issuance.
   *
   * @default Duration.minutes(5)
   */
  readonly wait?: Duration;

  /** The key that encrypts the handler's log group (its policy gets a statement for this one log group). */
  readonly logEncryptionKey: kms.IKey;

  /**
   * What happens to the handler's log group when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Signs a subordinate CA's certificate with a Private CA in another region: a
 * custom resource whose handler reads the subordinate's own CSR, calls
 * IssueCertificate in the signing CA's region, waits for the asynchronous
 * issuance, and returns the certificate (`certificatePem`).
 * Used by {@link MeshSubordinateCa} when its root lives in another region,
 * so that the subordinate can be activated in its own region with
 * `AWS::ACMPCA::CertificateAuthorityActivation`.
 *
 * Only the certificate crosses the custom-resource response (4 kB limit);
 * the chain is the caller's (for a subordinate of a root, the root's
 * certificate). The handler is no signing oracle: what it signs is fixed at
 * deployment (its environment), not read from the event, and its role may
 * issue with the one template (`acm-pca:TemplateArn`) on the signing CA and
 * read only the one subordinate's state and CSR.
 */
export class CrossRegionCaSigner extends Construct {
  /** The signed certificate, PEM. */
  public readonly certificatePem: string;
  /** ARN of the issued certificate (the custom resource's physical id). */
  public readonly certificateArn: string;
  /** The handler function. */
  public readonly handler: lambda.Function;

  constructor(scope: Construct, id: string, props: CrossRegionCaSignerProps) {
    super(scope, id);
    const wait = props.wait ?? Duration.minutes(5);
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Signs a subordinate CA certificate with the mesh root CA in its region',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'IssueOnlyTheSubordinateTemplate',
      actions: ['acm-pca:IssueCertificate'],
      resources: [props.signingCaArn],
      conditions: { StringEquals: { 'acm-pca:TemplateArn': props.templateArn } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadIssuedCertificates',
      actions: ['acm-pca:GetCertificate'],
      resources: [props.signingCaArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadTheServedSubordinate',
      actions: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificateAuthorityCsr'],
      resources: [props.subordinateCaArn],
    }));
    const logGroupName = `/keelson/mesh/ca-signer/${Names.uniqueResourceName(this, { maxLength: 200 })}`;
    KeyPolicies.allowCloudWatchLogs(props.logEncryptionKey, logGroupName);
    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      logGroupName,
      encryptionKey: props.logEncryptionKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: StatefulRemoval.of(props.removalPolicy).policy,
    });
    this.handler = new lambda.Function(this, 'Handler', {
      description: 'Keelson mesh: signs a CSR with a Private CA in another region and returns the certificate',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SIGNER_HANDLER_SOURCE),
      timeout: wait.plus(Duration.minutes(1)),
      memorySize: 256,
      role,
      logGroup,
      environment: {
        ROOT_CA_ARN: props.signingCaArn,
        ROOT_REGION: props.signingCaRegion,
        SUBORDINATE_CA_ARN: props.subordinateCaArn,
        SUBORDINATE_REGION: Stack.of(this).region,
        TEMPLATE_ARN: props.templateArn,
        SIGNING_ALGORITHM: props.signingAlgorithm,
        VALIDITY_DAYS: String(props.validityDays),
        WAIT_SECONDS: String(wait.toSeconds()),
        POLL_MILLISECONDS: '2000',
      },
    });
    const provider = new cr.Provider(this, 'Provider', { onEventHandler: this.handler });
    const resource = new CustomResource(this, 'Default', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::KeelsonCrossRegionCaSigner',
      properties: {
        // Read by nobody: they change the resource when what the function signs changes.
        RootCaArn: props.signingCaArn,
        RootRegion: props.signingCaRegion,
        SubordinateCaArn: props.subordinateCaArn,
        SigningAlgorithm: props.signingAlgorithm,
        TemplateArn: props.templateArn,
        ValidityDays: props.validityDays,
        WaitSeconds: wait.toSeconds(),
        PollMilliseconds: 2000,
      },
    });
    this.certificatePem = resource.getAttString('Certificate');
    this.certificateArn = resource.ref;

    const handlerId = Stack.of(this).getLogicalId(this.handler.node.defaultChild as CfnElement);
    Validations.of(provider).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
      reason: 'aws-cdk-lib\'s custom-resources Provider framework must invoke any version or alias of its own onEvent handler (<handler ARN>:*), no other function',
    });
    LibraryFunctions.acknowledge(this, {
      createdBy: 'the cross-region CA signer (a Keelson function behind aws-cdk-lib\'s custom-resources Provider framework) runs only while the stack deploys',
      inlinePolicies: 'acm-pca:IssueCertificate with the one subordinate template and GetCertificate on the root CA alone, DescribeCertificateAuthority and GetCertificateAuthorityCsr on the one subordinate, and the framework\'s lambda:InvokeFunction on the signer',
      outsideVpcReason: 'it calls the Private CA API of another region and nothing in a VPC; a VPC would need NAT or an endpoint in that region for no isolation benefit',
    });
  }
}
