import { KeelsonTags, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CaUsageMode } from './ca-usage-mode';
import { CrossRegionCaSigner } from './cross-region-ca-signer';
import { MeshCaOptions } from './mesh-ca-options';
import { MeshRootCa } from './mesh-root-ca';
import { KEY_ALGORITHM, SIGNING_ALGORITHM, applyRemoval, checkCommonName, checkDays, crlRevocation, templateArn } from '../private/ca-common';
import { caBucket } from '../private/ca-storage';

/** Properties of {@link MeshSubordinateCa}. */
export interface MeshSubordinateCaProps extends MeshCaOptions {
  /** The root CA that signs this subordinate (in this region or another). */
  readonly root: MeshRootCa;

  /**
   * Usage mode. The default design has this CA sign each cluster's Istio
   * intermediate (a CA certificate), which only a general-purpose CA can do.
   * SHORT_LIVED_CERTIFICATE fits a subordinate that issues leaf certificates
   * only (pathLength 0).
   *
   * @default CaUsageMode.GENERAL_PURPOSE
   */
  readonly usageMode?: CaUsageMode;

  /**
   * How many CA levels may sit below this one: 1 lets it sign the per-cluster
   * Istio intermediates; 0 makes it the last CA.
   *
   * @default 1 (0 with SHORT_LIVED_CERTIFICATE)
   */
  readonly pathLength?: number;

  /**
   * Common name of the subordinate's certificate.
   *
   * @default `Keelson mesh <region> <environmentSuffix>`
   */
  readonly commonName?: string;

  /**
   * Validity of the subordinate's certificate (whole days, within the root's).
   *
   * @default Duration.days(1825)
   */
  readonly validity?: Duration;
}

/**
 * A region's subordinate CA in AWS Private CA, signed by the mesh's root, so
 * that each region keeps issuing when the other is down: cert-manager's AWS
 * Private CA issuer in the region's cluster uses it (and only it) to sign
 * that cluster's Istio intermediate.
 *
 * In the root's region the CSR is signed with `AWS::ACMPCA::Certificate`.
 * In any other region a {@link CrossRegionCaSigner} signs it with the root in
 * the root's region (CloudFormation signs only within a stack's region); the
 * certificate is then activated here with
 * `AWS::ACMPCA::CertificateAuthorityActivation`, its chain being the root
 * certificate. The stack then needs `crossRegionReferences` to read the
 * root's ARN and certificate.
 *
 * General-purpose subordinates publish a CRL to their own KMS-encrypted
 * bucket; every CA follows the platform's one removal setting.
 */
export class MeshSubordinateCa extends Construct {
  /** The certificate authority. */
  public readonly certificateAuthority: acmpca.CfnCertificateAuthority;
  /** The activation that installs the signed certificate. */
  public readonly activation: acmpca.CfnCertificateAuthorityActivation;
  /** ARN of the subordinate CA: what this region's issuer signs with. */
  public readonly certificateAuthorityArn: string;
  /** The subordinate's certificate, PEM. */
  public readonly certificatePem: string;
  /** The certificate's chain up to and including the root, PEM. */
  public readonly certificateChainPem: string;
  /** The usage mode. */
  public readonly usageMode: CaUsageMode;
  /** The bucket of its CRLs and audit reports. */
  public readonly crlBucket: s3.IBucket;
  /** The signer, when the root lives in another region. */
  public readonly crossRegionSigner?: CrossRegionCaSigner;

  constructor(scope: Construct, id: string, props: MeshSubordinateCaProps) {
    super(scope, id);
    KeelsonTags.component(this, 'mesh-pki');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const stack = Stack.of(this);
    this.usageMode = props.usageMode ?? CaUsageMode.GENERAL_PURPOSE;
    const shortLived = this.usageMode === CaUsageMode.SHORT_LIVED_CERTIFICATE;
    const pathLength = props.pathLength ?? (shortLived ? 0 : 1);
    PropsCheck.inRange(this, 'pathLength', pathLength, 0, 3);
    if (shortLived && pathLength > 0) {
      PropsCheck.fail(this, 'pathLength', `${pathLength} lets a SHORT_LIVED_CERTIFICATE CA sign CAs, but AWS requires such a CA to be the last of its hierarchy`,
        'set pathLength: 0 (leaf certificates only) or usageMode: CaUsageMode.GENERAL_PURPOSE');
    }
    const commonName = props.commonName ?? `Keelson mesh ${Token.isUnresolved(stack.region) ? 'subordinate' : stack.region} ${naming.environmentSuffix}`;
    checkCommonName(this, 'commonName', commonName);
    const days = checkDays(this, 'validity', props.validity ?? Duration.days(1825), 30, 30 * 365);
    checkDays(this, 'crlValidity', props.crlValidity ?? Duration.days(7), 1, 5000);

    const storage = caBucket(this, 'CrlBucket', props);
    this.crlBucket = storage.bucket;
    this.certificateAuthority = new acmpca.CfnCertificateAuthority(this, 'Authority', {
      type: 'SUBORDINATE',
      keyAlgorithm: KEY_ALGORITHM,
      signingAlgorithm: SIGNING_ALGORITHM,
      usageMode: this.usageMode,
      subject: { commonName, organization: props.organization ?? 'Keelson' },
      // A short-lived CA's certificates expire before a CRL would reach anyone.
      revocationConfiguration: shortLived ? undefined : crlRevocation(this.crlBucket, props.crlValidity ?? Duration.days(7)),
    });
    this.certificateAuthority.node.addDependency(this.crlBucket);
    applyRemoval(this.certificateAuthority, props.removalPolicy);
    this.certificateAuthorityArn = this.certificateAuthority.attrArn;

    const template = templateArn(this, `SubordinateCACertificate_PathLen${pathLength}/V1`);
    if (sameRegion(this, props.root)) {
      const signed = new acmpca.CfnCertificate(this, 'Certificate', {
        certificateAuthorityArn: props.root.certificateAuthorityArn,
        certificateSigningRequest: this.certificateAuthority.attrCertificateSigningRequest,
        signingAlgorithm: SIGNING_ALGORITHM,
        templateArn: template,
        validity: { type: 'DAYS', value: days },
      });
      // The root must be active before it signs.
      signed.node.addDependency(props.root.activation);
      this.certificatePem = signed.attrCertificate;
    } else {
      this.crossRegionSigner = new CrossRegionCaSigner(this, 'CrossRegionSigner', {
        signingCaArn: props.root.certificateAuthorityArn,
        signingCaRegion: props.root.region,
        subordinateCaArn: this.certificateAuthorityArn,
        signingAlgorithm: SIGNING_ALGORITHM,
        templateArn: template,
        validityDays: days,
        logEncryptionKey: storage.encryptionKey!,
        removalPolicy: props.removalPolicy,
      });
      this.certificatePem = this.crossRegionSigner.certificatePem;
    }
    this.certificateChainPem = props.root.certificatePem;
    this.activation = new acmpca.CfnCertificateAuthorityActivation(this, 'Activation', {
      certificateAuthorityArn: this.certificateAuthorityArn,
      certificate: this.certificatePem,
      certificateChain: this.certificateChainPem,
      status: 'ACTIVE',
    });
  }
}

function sameRegion(scope: Construct, root: MeshRootCa): boolean {
  const here = Stack.of(scope);
  const there = Stack.of(root);
  if (Token.isUnresolved(here.region) || Token.isUnresolved(there.region)) {
    if (here === there || here.region === there.region) return true;
    PropsCheck.fail(scope, 'root', 'the root\'s stack or this stack has no explicit region, so whether a cross-region signing is needed cannot be known',
      'give both stacks an env with an explicit region');
  }
  return here.region === there.region;
}
