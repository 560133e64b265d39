import { kubernetesObjectsIn } from '@keelson/proof';
/** Test helpers: Helm values and Kubernetes objects out of a synthesized template. */

const PLACEHOLDER = 'RESOLVED-AT-DEPLOY';

/** A string, or an Fn::Join whose token parts become a placeholder. */
export function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value && Array.isArray(value['Fn::Join'])) {
    const [sep, parts] = value['Fn::Join'];
    return (parts as any[]).map((p) => (typeof p === 'string' ? p : PLACEHOLDER)).join(sep);
  }
  throw new Error(`unexpected value: ${JSON.stringify(value).slice(0, 200)}`);
}

/** The Helm releases of a template, by release name: chart properties plus parsed `Values`. */
export function helmReleasesIn(template: { Resources?: Record<string, any> }): Record<string, { props: any; values: any; raw: any }> {
  const out: Record<string, { props: any; values: any; raw: any }> = {};
  for (const r of Object.values(template.Resources ?? {})) {
    if (r.Type !== 'Custom::AWSCDK-EKS-HelmChart') continue;
    const p = r.Properties;
    out[p.Release] = { props: p, values: p.Values === undefined ? {} : JSON.parse(flatten(p.Values)), raw: p.Values };
  }
  return out;
}

export { PLACEHOLDER };

/** The lookups both services test files make on one synthesized template. */
export function templateQueries(json: { Resources?: Record<string, any> }) {
  const resources: Record<string, any> = json.Resources ?? {};
  const objects: any[] = kubernetesObjectsIn(json);
  return {
    resources,
    helm: helmReleasesIn(json),
    objects,
    ofType: (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type),
    find: (kind: string, name: string, namespace?: string) =>
      objects.find((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace)),
  };
}
