import { KeelsonTags, ResourceNaming } from '@keelson/conventions';
import { Duration, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MeshCaOptions } from './mesh-ca-options';
import { KEY_ALGORITHM, SIGNING_ALGORITHM, applyRemoval, checkCommonName, checkDays, crlRevocation, templateArn } from '../private/ca-common';
import { caBucket } from '../private/ca-storage';

/** Properties of {@link MeshRootCa}. */
export interface MeshRootCaProps extends MeshCaOptions {
  /**
   * Common name of the root certificate.
   *
   * @default `Keelson mesh root <environmentSuffix>`
   */
  readonly commonName?: string;

  /**
   * Validity of the root certificate (whole days, at most 30 years).
   *
   * @default Duration.days(3650)
   */
  readonly validity?: Duration;
}

/**
 * The root of the mesh's trust: one AWS Private CA root CA in general-purpose
 * mode, self-signed and activated in the stack that holds it (the primary
 * region), with a CRL in a KMS-encrypted bucket that also receives audit
 * reports. Primary and DR workloads trust each other because both regions'
 * subordinates ({@link MeshSubordinateCa}) chain to it.
 *
 * The root only signs subordinate CA certificates (a rare event), never
 * workload certificates. It follows the platform's one removal setting:
 * retained by default; with an explicit DESTROY, CloudFormation deletes the
 * CA (AWS keeps it restorable for its restore period).
 */
export class MeshRootCa extends Construct {
  /** The certificate authority. */
  public readonly certificateAuthority: acmpca.CfnCertificateAuthority;
  /** The root's self-signed certificate. */
  public readonly certificate: acmpca.CfnCertificate;
  /** The activation that installs the certificate. */
  public readonly activation: acmpca.CfnCertificateAuthorityActivation;
  /** ARN of the root CA. */
  public readonly certificateAuthorityArn: string;
  /** The root certificate, PEM: the trust anchor every mesh workload gets. */
  public readonly certificatePem: string;
  /** The region the root lives in (where subordinates in other regions are signed). */
  public readonly region: string;
  /** The bucket of its CRLs and audit reports. */
  public readonly crlBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: MeshRootCaProps = {}) {
    super(scope, id);
    KeelsonTags.component(this, 'mesh-pki');
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const commonName = props.commonName ?? `Keelson mesh root ${naming.environmentSuffix}`;
    checkCommonName(this, 'commonName', commonName);
    const days = checkDays(this, 'validity', props.validity ?? Duration.days(3650), 365, 30 * 365);
    checkDays(this, 'crlValidity', props.crlValidity ?? Duration.days(7), 1, 5000);
    this.region = Stack.of(this).region;

    const storage = caBucket(this, 'CrlBucket', props);
    this.crlBucket = storage.bucket;
    this.certificateAuthority = new acmpca.CfnCertificateAuthority(this, 'Authority', {
      type: 'ROOT',
      keyAlgorithm: KEY_ALGORITHM,
      signingAlgorithm: SIGNING_ALGORITHM,
      usageMode: 'GENERAL_PURPOSE',
      subject: { commonName, organization: props.organization ?? 'Keelson' },
      revocationConfiguration: crlRevocation(this.crlBucket, props.crlValidity ?? Duration.days(7)),
    });
    // The CA checks its bucket's policy when it is created.
    this.certificateAuthority.node.addDependency(this.crlBucket);
    applyRemoval(this.certificateAuthority, props.removalPolicy);
    this.certificateAuthorityArn = this.certificateAuthority.attrArn;

    this.certificate = new acmpca.CfnCertificate(this, 'Certificate', {
      certificateAuthorityArn: this.certificateAuthorityArn,
      certificateSigningRequest: this.certificateAuthority.attrCertificateSigningRequest,
      signingAlgorithm: SIGNING_ALGORITHM,
      templateArn: templateArn(this, 'RootCACertificate/V1'),
      validity: { type: 'DAYS', value: days },
    });
    this.certificatePem = this.certificate.attrCertificate;
    this.activation = new acmpca.CfnCertificateAuthorityActivation(this, 'Activation', {
      certificateAuthorityArn: this.certificateAuthorityArn,
      certificate: this.certificatePem,
      status: 'ACTIVE',
    });
  }
}
