/**
 * Source of the cross-region signer's Lambda handler (onEvent of an
 * aws-cdk-lib custom-resources Provider), inline so the package ships no
 * bundling step. It signs one subordinate CA's certificate with the root CA
 * in the root's region and returns the certificate.
 *
 * What it signs is fixed when the function is deployed, never taken from the
 * event: the root, the subordinate, the template, the algorithm and the
 * validity come from the function's environment. Whoever may invoke the
 * function can at most have that one subordinate's own CSR signed again with
 * that one template; the role's IAM policy says the same
 * (`acm-pca:TemplateArn`, the subordinate's ARN), so a changed handler could
 * not do more either.
 *
 * 1. DescribeCertificateAuthority on the subordinate: it must be a
 *    SUBORDINATE waiting for its certificate (PENDING_CERTIFICATE). On an
 *    Update of a subordinate that already holds its certificate, the
 *    certificate issued before is returned instead (step 4 without issuing).
 * 2. GetCertificateAuthorityCsr: the subordinate's own CSR.
 * 3. IssueCertificate on the root CA, in the root's region, with an
 *    idempotency token derived from the request (a retried Create reuses the
 *    issuance).
 * 4. Poll GetCertificate: issuing is asynchronous, and AWS answers
 *    RequestInProgressException until the certificate exists. Waits back off
 *    from `POLL_MILLISECONDS` up to 15 s, for at most `WAIT_SECONDS`.
 * 5. Return the certificate PEM alone as `Certificate`. A custom resource's
 *    response is limited to 4 kB: the certificate of an RSA 2048 CA is about
 *    1.3 kB, but certificate plus chain could pass the limit, so the chain is
 *    not returned. The chain of a subordinate signed by the root is the root
 *    certificate, which CloudFormation already holds (`MeshRootCa.certificatePem`).
 *    A certificate over 3,500 bytes fails the deployment with that reason
 *    rather than being cut.
 * 6. Delete does nothing: the issued certificate expires with its validity,
 *    and revoking it would need the root's CRL to be read by clients.
 *
 * The physical id is the issued certificate's ARN. The resource's properties
 * repeat the environment's values, so a new subordinate (a new CSR) or
 * template updates the resource and issues a new certificate.
 */
export const SIGNER_HANDLER_SOURCE = `
const {
  ACMPCAClient, DescribeCertificateAuthorityCommand, GetCertificateAuthorityCsrCommand, IssueCertificateCommand, GetCertificateCommand,
} = require('@aws-sdk/client-acm-pca');
const { createHash } = require('crypto');
const MAX_CERTIFICATE_BYTES = 3500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

exports.handler = async (event) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const env = process.env;
  const root = new ACMPCAClient({ region: env.ROOT_REGION });
  const subordinate = new ACMPCAClient({ region: env.SUBORDINATE_REGION });
  const described = await subordinate.send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: env.SUBORDINATE_CA_ARN }));
  const ca = described.CertificateAuthority;
  if (ca.Type !== 'SUBORDINATE') {
    throw new Error(env.SUBORDINATE_CA_ARN + ' is a ' + ca.Type + ' CA, not a subordinate; the signer signs only its subordinate');
  }
  if (ca.Status !== 'PENDING_CERTIFICATE') {
    if (event.RequestType === 'Update' && event.PhysicalResourceId) {
      // The subordinate already holds its certificate: return it, issue nothing.
      return awaitCertificate(root, event.PhysicalResourceId, env);
    }
    throw new Error(env.SUBORDINATE_CA_ARN + ' is ' + ca.Status + ', not PENDING_CERTIFICATE; the signer signs only a subordinate waiting for its certificate');
  }
  const csr = (await subordinate.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: env.SUBORDINATE_CA_ARN }))).Csr;
  const token = createHash('sha256')
    .update([event.StackId, event.LogicalResourceId, csr, env.TEMPLATE_ARN, env.VALIDITY_DAYS].join('|'))
    .digest('hex').slice(0, 36);
  const issued = await root.send(new IssueCertificateCommand({
    CertificateAuthorityArn: env.ROOT_CA_ARN,
    Csr: Buffer.from(csr, 'utf8'),
    SigningAlgorithm: env.SIGNING_ALGORITHM,
    TemplateArn: env.TEMPLATE_ARN,
    Validity: { Type: 'DAYS', Value: Number(env.VALIDITY_DAYS) },
    IdempotencyToken: token,
  }));
  return awaitCertificate(root, issued.CertificateArn, env);
};

async function awaitCertificate(root, arn, env) {
  const deadline = Date.now() + Number(env.WAIT_SECONDS) * 1000;
  let delay = Number(env.POLL_MILLISECONDS);
  for (;;) {
    try {
      const got = await root.send(new GetCertificateCommand({ CertificateAuthorityArn: env.ROOT_CA_ARN, CertificateArn: arn }));
      const certificate = got.Certificate.trim() + '\\n';
      if (Buffer.byteLength(certificate, 'utf8') > MAX_CERTIFICATE_BYTES) {
        throw new Error('the issued certificate is ' + Buffer.byteLength(certificate, 'utf8') + ' bytes, more than the '
          + MAX_CERTIFICATE_BYTES + ' a custom resource response can carry; use a smaller key algorithm');
      }
      return { PhysicalResourceId: arn, Data: { Certificate: certificate } };
    } catch (e) {
      if (!e || e.name !== 'RequestInProgressException') throw e;
      if (Date.now() + delay > deadline) throw new Error('certificate ' + arn + ' was still being issued after ' + env.WAIT_SECONDS + ' s');
      await sleep(delay);
      delay = Math.min(delay * 2, 15000);
    }
  }
}
`;
