import { PropsCheck, StatefulRemoval } from '@keelson/conventions';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

/**
 * Key and signing algorithm of every Keelson mesh CA: RSA 2048 with SHA-256,
 * which Istio, Envoy, ztunnel and the AWS Private CA issuer all accept, and
 * whose certificates (about 1.3 kB of PEM) leave room in a custom
 * resource's 4 kB response.
 */
export const KEY_ALGORITHM = 'RSA_2048';
export const SIGNING_ALGORITHM = 'SHA256WITHRSA';

/** The ARN of an AWS Private CA certificate template in the stack's partition. */
export function templateArn(scope: IConstruct, template: string): string {
  return `arn:${Stack.of(scope).partition}:acm-pca:::template/${template}`;
}

/** `RevocationConfiguration` of a general-purpose CA: a CRL in the given bucket, no distribution point in the certificates it issues. */
export function crlRevocation(bucket: s3.IBucket, crlValidity: Duration): acmpca.CfnCertificateAuthority.RevocationConfigurationProperty {
  return {
    crlConfiguration: {
      enabled: true,
      expirationInDays: crlValidity.toDays(),
      s3BucketName: bucket.bucketName,
      s3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL',
      // The bucket is private: a distribution point in each certificate would name a URL no client can read.
      crlDistributionPointExtensionConfiguration: { omitExtension: true },
    },
  };
}

/** Fail unless a validity is a whole number of days in range. */
export function checkDays(scope: IConstruct, field: string, value: Duration, min: number, max: number): number {
  if (value.isUnresolved()) return value.toDays();
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < min || days > max) {
    PropsCheck.fail(scope, field, `${value.toHumanString()} is not a whole number of days from ${min} to ${max}`, `use Duration.days(n) with ${min} <= n <= ${max}`);
  }
  return days;
}

/** Fail unless a name is usable as an X.500 common name (1–64 characters). */
export function checkCommonName(scope: IConstruct, field: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (name.length < 1 || name.length > 64) {
    PropsCheck.fail(scope, field, `"${name}" is ${name.length} characters long`, 'use a common name of 1 to 64 characters');
  }
}

/** Apply the platform's one removal choice to a CA. */
export function applyRemoval(ca: acmpca.CfnCertificateAuthority, policy?: RemovalPolicy): void {
  ca.applyRemovalPolicy(StatefulRemoval.of(policy).policy);
}
