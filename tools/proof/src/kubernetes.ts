import { spawnSync } from 'child_process';
import * as path from 'path';

/** The result of validating one Kubernetes object against its schema. */
export interface KubernetesValidation {
  /** `apiVersion/kind namespace/name` */
  readonly id: string;
  readonly valid: boolean;
  /** The model module whose schema was used, or null when none is known. */
  readonly schema: string | null;
  readonly errors: string[];
}

const WORKER = path.join(__dirname, '..', 'bin', 'validate-kubernetes.mjs');

/**
 * Validate Kubernetes objects against `kubernetes-models` and
 * `@kubernetes-models/*` schemas (core, Argo CD, Argo Rollouts, KEDA, Istio,
 * cert-manager, External Secrets, Karpenter, Prometheus Operator, Gateway API).
 *
 * An object whose kind has no known schema is reported invalid, so that a
 * new kind cannot slip past unvalidated; callers list such kinds explicitly.
 */
export function validateKubernetesObjects(objects: unknown[]): KubernetesValidation[] {
  if (objects.length === 0) return [];
  // The models are ES modules only; jest's CommonJS runtime cannot import them, a child Node can.
  const run = spawnSync(process.execPath, [WORKER], {
    input: JSON.stringify(objects), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`Kubernetes schema validation failed to run: ${run.stderr}`);
  return JSON.parse(run.stdout) as KubernetesValidation[];
}

/**
 * Only the invalid results, as readable lines (empty when all are valid). An
 * error about a value CloudFormation fills in at deploy time (the
 * `RESOLVED-AT-DEPLOY` placeholder of `kubernetesObjectsIn`, for example a
 * security group id a pattern checks) is left out: synth cannot check it.
 */
export function kubernetesSchemaErrors(objects: unknown[]): string[] {
  return validateKubernetesObjects(objects)
    .map((r, i) => ({ ...r, errors: r.errors.filter((e) => !aboutPlaceholder(objects[i], e)) }))
    .filter((r) => !r.valid && r.errors.length > 0)
    .map((r) => `${r.id}: ${r.errors.join('; ')}`);
}

/** The value `kubernetesObjectsIn` puts where CloudFormation resolves a value at deploy time. */
export const DEPLOY_TIME_PLACEHOLDER = 'RESOLVED-AT-DEPLOY';

function aboutPlaceholder(object: unknown, error: string): boolean {
  const pointer = /^(\/\S*) /.exec(error)?.[1];
  if (!pointer) return false;
  const value = pointer.split('/').slice(1).reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], object);
  return value === DEPLOY_TIME_PLACEHOLDER;
}

/** The CloudFormation resource type aws-eks-v2 uses for manifests. */
export const MANIFEST_RESOURCE_TYPE = 'Custom::AWSCDK-EKS-KubernetesResource';

/**
 * Every Kubernetes object that a template applies through the kubectl
 * provider. Values CloudFormation resolves at deploy time (`Ref`,
 * `Fn::GetAtt`...) are replaced with a placeholder string, so the object can
 * still be schema-checked.
 */
export function kubernetesObjectsIn(template: { Resources?: Record<string, any> }): any[] {
  return Object.values(template.Resources ?? {})
    .filter((r) => r.Type === MANIFEST_RESOURCE_TYPE)
    .flatMap((r) => JSON.parse(flattenIntrinsics(r.Properties.Manifest)) as any[]);
}

/** The CloudFormation resource type aws-eks-v2 uses for Helm releases. */
export const HELM_RESOURCE_TYPE = 'Custom::AWSCDK-EKS-HelmChart';

/** A Helm release of a template: its chart properties and its parsed values. */
export interface HelmRelease {
  /** The resource's properties (Chart, Repository, Version, Namespace, Release...). */
  readonly props: any;
  /** The parsed `Values`, deploy-time values replaced by `RESOLVED-AT-DEPLOY`; `{}` without values. */
  readonly values: any;
  /** `Values` as written in the template (a string or an Fn::Join). */
  readonly raw: any;
}

/** The Helm releases a template installs through the kubectl provider, by release name. */
export function helmReleasesIn(template: { Resources?: Record<string, any> }): Record<string, HelmRelease> {
  const out: Record<string, HelmRelease> = {};
  for (const r of Object.values(template.Resources ?? {})) {
    if (r.Type !== HELM_RESOURCE_TYPE) continue;
    const p = r.Properties;
    out[p.Release] = { props: p, values: p.Values === undefined ? {} : JSON.parse(flattenIntrinsics(p.Values)), raw: p.Values };
  }
  return out;
}

function flattenIntrinsics(value: any): string {
  if (typeof value === 'string') return value;
  if (value && Array.isArray(value['Fn::Join'])) {
    const [sep, parts] = value['Fn::Join'];
    return (parts as any[]).map((p) => (typeof p === 'string' ? p : DEPLOY_TIME_PLACEHOLDER)).join(sep);
  }
  throw new Error(`unexpected manifest value: ${JSON.stringify(value).slice(0, 200)}`);
}
