/**
 * How long the certificates a Private CA issues may live, which is also how
 * AWS prices it (`AWS::ACMPCA::CertificateAuthority` `UsageMode`).
 */
export enum CaUsageMode {
  /** Certificates of any validity; the CA can sign other CAs. */
  GENERAL_PURPOSE = 'GENERAL_PURPOSE',
  /**
   * Certificates valid for at most seven days, at a lower monthly price. AWS
   * requires such a CA to be the last CA of its hierarchy: it cannot sign a
   * CA certificate, so it issues leaf certificates only.
   */
  SHORT_LIVED_CERTIFICATE = 'SHORT_LIVED_CERTIFICATE',
}
