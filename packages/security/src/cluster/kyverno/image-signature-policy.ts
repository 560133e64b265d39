import { KeelsonLabels, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IDependable } from 'constructs';
import { checkNamespaceNames } from '../../private/cluster';
import { AdmissionAction, PolicyEnforcement } from '../policy-enforcement';

/** Options of {@link ImageSignaturePolicy} (also used by `Kyverno` and `ClusterSecurity`). */
export interface ImageSignatureOptions {
  /** The cosign public key (PEM, `-----BEGIN PUBLIC KEY-----`); public by nature, so a plain prop. */
  readonly cosignPublicKey: string;

  /**
   * Image reference prefixes that are not verified: platform images that land
   * in workload pods without the workload team choosing them.
   *
   * @default ImageSignaturePolicy.PLATFORM_IMAGE_EXEMPTIONS
   */
  readonly exemptImages?: string[];
}

/** Properties of {@link ImageSignaturePolicy}. */
export interface ImageSignaturePolicyProps extends ImageSignatureOptions {
  /** The cluster. */
  readonly cluster: eks.ICluster;

  /** The namespaces whose pods must run signed images (the registry's workload namespaces). */
  readonly namespaces: string[];

  /**
   * What happens to a pod with an unsigned image, per namespace.
   *
   * @default PolicyEnforcement.byEnvironment() - denied, except warned in `dev`
   */
  readonly enforcement?: PolicyEnforcement;

  /**
   * What must exist first (Kyverno's chart, which serves the `policies.kyverno.io` API).
   *
   * @default - nothing
   */
  readonly dependsOn?: IDependable[];
}

const PEM = /^-----BEGIN PUBLIC KEY-----\n(?:[A-Za-z0-9+/=]{1,76}\n)+-----END PUBLIC KEY-----\n?$/;

/**
 * Cosign signature verification of every image a pod in the workload
 * namespaces runs, as Kyverno `ImageValidatingPolicy` objects
 * (`policies.kyverno.io/v1`; `ClusterPolicy.verifyImages` is deprecated): one
 * per admission action of the enforcement (`Deny`; `Warn` and `Audit` where
 * it warns; `Audit` in dry run). Images under an exempt prefix are admitted
 * unverified.
 */
export class ImageSignaturePolicy extends Construct {
  /**
   * Platform images exempt by default. Amazon CloudWatch Observability (an
   * EKS add-on Keelson installs) injects its OpenTelemetry auto-instrumentation
   * init containers from this repository into annotated workload pods; they are
   * AWS-published, not signed with the platform's key.
   */
  public static readonly PLATFORM_IMAGE_EXEMPTIONS = ['public.ecr.aws/aws-observability/adot-autoinstrumentation-'];

  /** The attestor name the validation expression refers to (a CEL identifier). */
  public static readonly ATTESTOR = 'keelson';

  /**
   * The CEL validation: every image of every container kind (containers,
   * init and ephemeral containers) is exempt or carries a valid signature.
   *
   * @param exemptImages the exempt prefixes
   */
  public static validationExpression(exemptImages: string[]): string {
    const exempt = `[${exemptImages.map((p) => JSON.stringify(p).replace(/^"|"$/g, '\'')).join(', ')}]`;
    return `images.all(kind, images[kind].all(image, ${exempt}.exists(prefix, image.startsWith(prefix)) || verifyImageSignatures(image, [attestors.${ImageSignaturePolicy.ATTESTOR}]) > 0))`;
  }

  /** The manifest with the policies. */
  public readonly manifest: eks.KubernetesManifest;
  /** The exempt prefixes in force. */
  public readonly exemptImages: string[];

  constructor(scope: Construct, id: string, props: ImageSignaturePolicyProps) {
    super(scope, id);
    KeelsonTags.component(this, 'kyverno');
    if (!Token.isUnresolved(props.cosignPublicKey) && !PEM.test(props.cosignPublicKey)) {
      PropsCheck.fail(this, 'cosignPublicKey', 'is not a PEM public key', 'paste the contents of cosign.pub (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)');
    }
    this.exemptImages = props.exemptImages ?? ImageSignaturePolicy.PLATFORM_IMAGE_EXEMPTIONS;
    for (const [i, p] of this.exemptImages.entries()) {
      if (!/^[a-z0-9][a-z0-9.:_/-]*$/.test(p) || p.includes('\'')) {
        PropsCheck.fail(this, `exemptImages[${i}]`, `"${p}" is not an image reference prefix`, 'give a registry and repository prefix such as public.ecr.aws/aws-observability/ (lowercase, no wildcards)');
      }
    }
    checkNamespaceNames(this, 'namespaces', props.namespaces);
    if (props.namespaces.length === 0) PropsCheck.fail(this, 'namespaces', 'is empty', 'list the workload namespaces whose images are verified');

    const actions: Record<AdmissionAction, string[]> = {
      [AdmissionAction.DENY]: ['Deny'],
      [AdmissionAction.WARN]: ['Warn', 'Audit'],
      [AdmissionAction.DRY_RUN]: ['Audit'],
    };
    const enforcement = props.enforcement ?? PolicyEnforcement.byEnvironment();
    const policies = enforcement.groups(this, props.namespaces).map((g) => ({
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ImageValidatingPolicy',
      metadata: { name: `keelson-verify-images-${g.action}`, labels: KeelsonLabels.component('kyverno') },
      spec: {
        validationActions: actions[g.action],
        failurePolicy: g.action === AdmissionAction.DENY ? 'Fail' : 'Ignore',
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: g.namespaces }] },
        },
        // Every image is considered (Kyverno compiles globs without separators: `*` spans `/`);
        // the exemptions are in the validation expression, where tests evaluate them.
        matchImageReferences: [{ glob: '*' }],
        attestors: [{ name: ImageSignaturePolicy.ATTESTOR, cosign: { key: { data: props.cosignPublicKey } } }],
        validationConfigurations: { required: true, mutateDigest: true, verifyDigest: true },
        validations: [{
          expression: ImageSignaturePolicy.validationExpression(this.exemptImages),
          message: `every image must be signed with the platform's cosign key (exempt: ${this.exemptImages.join(', ') || 'none'})`,
        }],
      },
    }));
    this.manifest = new eks.KubernetesManifest(this, 'Policies', { cluster: props.cluster, overwrite: true, manifest: policies });
    for (const d of props.dependsOn ?? []) this.manifest.node.addDependency(d);
  }
}
