import { helmReleasesIn, kubernetesObjectsIn } from '@keelson/proof';
/** Test helpers: Helm values and Kubernetes objects out of a synthesized template. */

const PLACEHOLDER = 'RESOLVED-AT-DEPLOY';

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
