/**
 * Source of the cross-region signer's Lambda handler (onEvent of an
 * aws-cdk-lib custom-resources Provider), inline so the package ships no
 * bundling step. It signs a subordinate CA's CSR with the root CA in the
 * root's region and returns the certificate, in four steps:
 *
 * 1. IssueCertificate on the root CA, in `RootRegion`, with an idempotency
 *    token derived from the request (a retried Create reuses the issuance).
 * 2. Poll GetCertificate: issuing is asynchronous, and AWS answers
 *    RequestInProgressException until the certificate exists. Waits back off
 *    from `PollMilliseconds` up to 15 s, for at most `WaitSeconds`.
 * 3. Return the certificate PEM alone as `Certificate`. A custom resource's
 *    response is limited to 4 kB: the certificate of an RSA 2048 CA is about
 *    1.3 kB, but certificate plus chain could pass the limit, so the chain is
 *    not returned. The chain of a subordinate signed by the root is the root
 *    certificate, which CloudFormation already holds (`MeshRootCa.certificatePem`).
 *    A certificate over 3,500 bytes fails the deployment with that reason
 *    rather than being cut.
 * 4. Delete does nothing: the issued certificate expires with its validity,
 *    and revoking it would need the root's CRL to be read by clients.
 *
 * The physical id is the issued certificate's ARN, so a change of CSR or
 * template issues a new certificate and CloudFormation replaces the resource.
 */
export const SIGNER_HANDLER_SOURCE = `
const { ACMPCAClient, IssueCertificateCommand, GetCertificateCommand } = require('@aws-sdk/client-acm-pca');
const { createHash } = require('crypto');
const MAX_CERTIFICATE_BYTES = 3500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

exports.handler = async (event) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const p = event.ResourceProperties;
  const client = new ACMPCAClient({ region: p.RootRegion });
  const token = createHash('sha256')
    .update([event.StackId, event.LogicalResourceId, p.Csr, p.TemplateArn, p.ValidityDays].join('|'))
    .digest('hex').slice(0, 36);
  const issued = await client.send(new IssueCertificateCommand({
    CertificateAuthorityArn: p.RootCaArn,
    Csr: Buffer.from(p.Csr, 'utf8'),
    SigningAlgorithm: p.SigningAlgorithm,
    TemplateArn: p.TemplateArn,
    Validity: { Type: 'DAYS', Value: Number(p.ValidityDays) },
    IdempotencyToken: token,
  }));
  const arn = issued.CertificateArn;
  const deadline = Date.now() + Number(p.WaitSeconds) * 1000;
  let delay = Number(p.PollMilliseconds);
  for (;;) {
    try {
      const got = await client.send(new GetCertificateCommand({ CertificateAuthorityArn: p.RootCaArn, CertificateArn: arn }));
      const certificate = got.Certificate.trim() + '\\n';
      if (Buffer.byteLength(certificate, 'utf8') > MAX_CERTIFICATE_BYTES) {
        throw new Error('the issued certificate is ' + Buffer.byteLength(certificate, 'utf8') + ' bytes, more than the '
          + MAX_CERTIFICATE_BYTES + ' a custom resource response can carry; use a smaller key algorithm');
      }
      return { PhysicalResourceId: arn, Data: { Certificate: certificate } };
    } catch (e) {
      if (!e || e.name !== 'RequestInProgressException') throw e;
      if (Date.now() + delay > deadline) throw new Error('certificate ' + arn + ' was still being issued after ' + p.WaitSeconds + ' s');
      await sleep(delay);
      delay = Math.min(delay * 2, 15000);
    }
  }
};
`;
