import { KeelsonLabels, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformChart, PlatformNamespaces, WorkloadIdentity, WorkloadRole } from '@keelson/eks-core';
import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MeshVersions } from './mesh-versions';

/** Properties of {@link MeshCertificates}. */
export interface MeshCertificatesProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /**
   * ARN of the Private CA this cluster's issuer signs with: its own region's
   * subordinate (`MeshSubordinateCa.certificateAuthorityArn`).
   */
  readonly certificateAuthorityArn: string;

  /**
   * The cluster's namespace registry (the `cert-manager` namespace is registered there).
   *
   * @default - the namespace is created by the chart construct
   */
  readonly namespaces?: PlatformNamespaces;

  /**
   * How the issuer gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Name of the `AWSPCAClusterIssuer`.
   *
   * @default 'aws-private-ca'
   */
  readonly clusterIssuerName?: string;

  /**
   * cert-manager chart version.
   *
   * @default MeshVersions.CERT_MANAGER
   */
  readonly certManagerVersion?: string;

  /**
   * AWS Private CA issuer chart version.
   *
   * @default MeshVersions.AWS_PRIVATECA_ISSUER
   */
  readonly issuerVersion?: string;
}

/**
 * cert-manager and its AWS Private CA issuer (both pinned, on the system
 * pool), and one `AWSPCAClusterIssuer` that signs with the given CA, the
 * cluster's own region's subordinate. The issuer's workload role may
 * describe that CA and issue and read its certificates, nothing else.
 *
 * `explicitTemplateSelection` is on, so a Certificate can name its Private
 * CA template with the `aws-privateca.cert-manager.io/template-arn`
 * annotation: `IstioMesh` uses it to obtain a CA certificate
 * (`SubordinateCACertificate_PathLen0/V1`) for istiod.
 */
export class MeshCertificates extends Construct {
  /** cert-manager's namespace. */
  public static readonly NAMESPACE = 'cert-manager';
  /** The issuer's service account. */
  public static readonly ISSUER_SERVICE_ACCOUNT = 'aws-privateca-issuer';
  /** The API group of the issuer's resources. */
  public static readonly ISSUER_GROUP = 'awspca.cert-manager.io';
  /** The annotation that selects a Private CA template on a Certificate. */
  public static readonly TEMPLATE_ANNOTATION = 'aws-privateca.cert-manager.io/template-arn';

  /** The cert-manager chart. */
  public readonly certManager: PlatformChart;
  /** The AWS Private CA issuer chart. */
  public readonly issuer: PlatformChart;
  /** The issuer's workload role. */
  public readonly issuerRole: WorkloadRole;
  /** The `AWSPCAClusterIssuer` manifest. */
  public readonly clusterIssuerManifest: eks.KubernetesManifest;
  /** Name of the `AWSPCAClusterIssuer`. */
  public readonly clusterIssuerName: string;
  /** ARN of the CA the issuer signs with. */
  public readonly certificateAuthorityArn: string;
  /** The cluster. */
  public readonly cluster: eks.ICluster;

  constructor(scope: Construct, id: string, props: MeshCertificatesProps) {
    super(scope, id);
    KeelsonTags.component(this, 'cert-manager');
    this.cluster = props.cluster;
    this.certificateAuthorityArn = props.certificateAuthorityArn;
    this.clusterIssuerName = props.clusterIssuerName ?? 'aws-private-ca';
    const region = caRegion(this, props.certificateAuthorityArn);

    this.certManager = new PlatformChart(this, 'CertManager', {
      cluster: props.cluster,
      pin: MeshVersions.CERT_MANAGER,
      version: props.certManagerVersion,
      versionField: 'certManagerVersion',
      component: 'cert-manager',
      namespace: MeshCertificates.NAMESPACE,
      namespaces: props.namespaces,
      // Certificates and their Secrets live in the namespaces that use them.
      backup: false,
      systemPoolPaths: ['webhook', 'cainjector', 'startupapicheck'],
      // Its webhook must serve before Certificates are applied.
      wait: true,
      values: { crds: { enabled: true } },
    });
    // The API server calls cert-manager's webhook on its secure port (the chart's webhook.securePort, 10250);
    // the Private CA issuer, in the same namespace, calls AWS Private CA.
    // why: cert-manager/cert-manager deploy/charts/cert-manager/values.yaml `webhook.securePort: 10250` (the `https`
    // containerPort) and templates/webhook-deployment.yaml pod labels app.kubernetes.io/name: webhook ("webhook.name" is
    // fixed) and app.kubernetes.io/component: "webhook", tag v1.21.1, the newest stored (the pin is v1.21.2).
    this.certManager.traffic?.allowFromKubernetesApi('webhook', { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/component': 'webhook' }, 10250);
    this.certManager.traffic?.allowAwsApis();

    this.issuerRole = new WorkloadRole(this, 'IssuerRole', {
      cluster: props.cluster,
      namespace: MeshCertificates.NAMESPACE,
      serviceAccount: MeshCertificates.ISSUER_SERVICE_ACCOUNT,
      identity: props.identity,
      description: 'cert-manager AWS Private CA issuer: signs with this region\'s mesh CA only',
      statements: [new iam.PolicyStatement({
        sid: 'SignWithThisRegionsMeshCa',
        actions: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:IssueCertificate'],
        resources: [props.certificateAuthorityArn],
      })],
    });
    this.issuer = new PlatformChart(this, 'Issuer', {
      cluster: props.cluster,
      pin: MeshVersions.AWS_PRIVATECA_ISSUER,
      version: props.issuerVersion,
      versionField: 'issuerVersion',
      component: 'cert-manager',
      namespace: MeshCertificates.NAMESPACE,
      createNamespace: false,
      serviceAccount: { role: this.issuerRole },
      dependsOn: [this.certManager.chart],
      wait: true,
      values: {
        serviceAccount: { create: false, name: MeshCertificates.ISSUER_SERVICE_ACCOUNT },
        // The chart's approver role lets cert-manager's controller approve awspca requests.
        approverRole: { enabled: true, serviceAccountName: 'cert-manager', namespace: MeshCertificates.NAMESPACE },
      },
    });
    if (this.certManager.namespaceManifest) this.issuer.chart.node.addDependency(this.certManager.namespaceManifest);

    this.clusterIssuerManifest = new eks.KubernetesManifest(this, 'ClusterIssuer', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [{
        apiVersion: `${MeshCertificates.ISSUER_GROUP}/v1beta1`,
        kind: 'AWSPCAClusterIssuer',
        metadata: { name: this.clusterIssuerName, labels: KeelsonLabels.component('mesh-pki') },
        spec: { arn: props.certificateAuthorityArn, region, explicitTemplateSelection: true },
      }],
    });
    this.clusterIssuerManifest.node.addDependency(this.issuer.chart);
  }

  /** The `issuerRef` of a Certificate signed by this cluster's Private CA issuer. */
  public issuerRef(): { [key: string]: string } {
    return { group: MeshCertificates.ISSUER_GROUP, kind: 'AWSPCAClusterIssuer', name: this.clusterIssuerName };
  }
}

/** The region of a CA from its ARN (the stack's when the ARN is a token). */
function caRegion(scope: Construct, arn: string): string {
  if (Token.isUnresolved(arn)) return Stack.of(scope).region;
  const parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  if (parts.service !== 'acm-pca' || parts.resource !== 'certificate-authority' || !parts.region) {
    PropsCheck.fail(scope, 'certificateAuthorityArn', `"${arn}" is not an AWS Private CA ARN`,
      'pass arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>, for example MeshSubordinateCa.certificateAuthorityArn');
  }
  return parts.region!;
}
