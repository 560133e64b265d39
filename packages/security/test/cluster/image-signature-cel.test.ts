import { evaluateCel, kubernetesSchemaErrors } from '@keelson/proof';
import { ImageSignaturePolicy } from '../../src';
import { COSIGN_PUBLIC_KEY } from '../support/cluster';

// The ImageValidatingPolicy's CEL validation, evaluated with a CEL evaluator on
// Kyverno's variables as it declares them (images: map(string, list(string)) by
// container kind; attestors by name), with verifyImageSignatures stood in for by
// the signature check's outcome per image.
const SIGNED = 'registry.example.com/payments/api@sha256:1111111111111111111111111111111111111111111111111111111111111111';
const UNSIGNED = 'docker.io/library/nginx:1.29';
const ADOT = 'public.ecr.aws/aws-observability/adot-autoinstrumentation-java:v2.11.0';
const LOOKALIKE = 'public.ecr.aws/aws-observability/other:1';
const verify = { signature: 'verifyImageSignatures(string, list): int', results: { [SIGNED]: 1 }, otherwise: 0 };
const attestors = { keelson: { name: 'keelson', cosign: { key: { data: COSIGN_PUBLIC_KEY } } } };
const expression = ImageSignaturePolicy.validationExpression(ImageSignaturePolicy.PLATFORM_IMAGE_EXEMPTIONS);

const samples: [string, Record<string, string[]>, boolean][] = [
  ['a signed pod', { containers: [SIGNED], initContainers: [] }, true],
  ['an unsigned pod', { containers: [UNSIGNED] }, false],
  ['a signed app with an unsigned init container', { containers: [SIGNED], initContainers: [UNSIGNED] }, false],
  ['an unsigned ephemeral (debug) container', { containers: [SIGNED], ephemeralContainers: [UNSIGNED] }, false],
  ['the exempt auto-instrumentation init container beside a signed app', { containers: [SIGNED], initContainers: [ADOT] }, true],
  ['an image that only looks like the exempt prefix', { containers: [LOOKALIKE] }, false],
];
const results = evaluateCel(samples.map(([, images]) => ({ expression, variables: { images, attestors }, functions: [verify] })));

describe('ImageValidatingPolicy CEL (cosign verification with the exemption list)', () => {
  test.each(samples.map(([name, , admitted], i) => [name, admitted, i] as const))('%s: admitted %s', (_name, admitted, i) => {
    expect(results[i]).toEqual({ value: admitted });
  });

  test('with no exemptions the auto-instrumentation image must be signed too', () => {
    const [strict] = evaluateCel([{
      expression: ImageSignaturePolicy.validationExpression([]),
      variables: { images: { containers: [SIGNED], initContainers: [ADOT] }, attestors },
      functions: [verify],
    }]);
    expect(strict).toEqual({ value: false });
  });

  test('the policy\'s schema rejects the deprecated verifyImages shape and unknown fields', () => {
    const policy = {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ImageValidatingPolicy',
      metadata: { name: 'p' },
      spec: { validations: [{ expression, message: 'm' }], attestors: [{ name: 'keelson', cosign: { key: { data: COSIGN_PUBLIC_KEY } } }], matchImageReferences: [{ glob: '*' }] },
    };
    expect(kubernetesSchemaErrors([policy])).toEqual([]);
    const errors = kubernetesSchemaErrors([{ ...policy, spec: { ...policy.spec, verifyImages: [{ imageReferences: ['*'] }], attestors: [{ name: 'k', cosign: { keys: 'x' } }] } }]).join('\n');
    expect(errors).toMatch(/additionalProperty":"verifyImages"/);
    expect(errors).toMatch(/additionalProperty":"keys"/);
  });
});
