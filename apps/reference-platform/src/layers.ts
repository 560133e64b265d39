import { PlatformConfig } from './config';
import { PlatformStack } from './platform-stack';

/**
 * The in-cluster layers. Each gets a stack of its own in each region it runs
 * in (`keelson-<suffix>-<role>-<layer>`), depending on that region's cluster
 * stack, so a release that fails to become ready rolls back only its layer:
 * the cluster, its pools and the other layers stay.
 */
export const LAYERS = ['cluster-security', 'mesh', 'observability', 'gitops', 'finops'] as const;

/** One in-cluster layer. */
export type Layer = typeof LAYERS[number];

/** The layer stacks of one region, by layer (a disabled layer has none). */
export type RegionLayers = { readonly [L in Layer]?: PlatformStack };

/**
 * What each layer's stack waits for besides its cluster stack. Only real
 * needs order the deploys, so independent layers deploy side by side
 * (`cdk deploy --all --concurrency 3`):
 * - cluster security, the mesh and observability need only the cluster: the
 *   admission policies (Gatekeeper, Kyverno) and default-deny NetworkPolicies
 *   match the workload namespaces only, and every ServiceMonitor/PodMonitor
 *   observability installs scrapes the cluster stack's controllers, with the
 *   Prometheus Operator CRDs of its own chart;
 * - GitOps waits for all three: Argo CD syncs workloads into the workload
 *   namespaces, which must already admit only verified images, deny by
 *   default and be enrolled in the mesh (STRICT mTLS from the first pod), and
 *   Argo Rollouts' analyses query observability's Prometheus;
 * - FinOps' cost tool reads observability's Prometheus.
 * Listed before its dependents in `LAYERS`, so stacks are created in order.
 */
export const LAYER_DEPENDENCIES: { readonly [L in Layer]: readonly Layer[] } = {
  'cluster-security': [],
  'mesh': [],
  'observability': [],
  'gitops': ['cluster-security', 'mesh', 'observability'],
  'finops': ['observability'],
};

/** What each layer's stack holds (the stack's description). */
export const LAYER_DESCRIPTIONS: { readonly [L in Layer]: string } = {
  'cluster-security': 'in-cluster security: Gatekeeper, Kyverno, Falco, default-deny NetworkPolicies',
  'mesh': 'service mesh: cert-manager, Private CA issuer, Istio, Cloud Map discovery',
  'observability': 'observability: Prometheus, Alertmanager, Grafana, Loki, Tempo, OpenTelemetry',
  'gitops': 'GitOps: Argo CD, Argo Rollouts, Image Updater',
  'finops': 'cluster FinOps: the cost tool and Spot interruption dashboard',
};

/** Whether a layer runs in a region under this config. */
export function layerEnabled(layer: Layer, role: 'primary' | 'dr', config: PlatformConfig): boolean {
  switch (layer) {
    case 'mesh': return config.mesh.enabled;
    case 'gitops': return config.gitops.enabled;
    // The cost tool and the Spot dashboard run in the primary only.
    case 'finops': return config.finops.enabled && role === 'primary'
      && (config.finops.costEngine !== 'none' || config.services.nodeAutoscaler === 'karpenter');
    default: return true;
  }
}

/**
 * Create the region's layer stacks (the enabled ones), each depending on the
 * cluster stack and on the layers `LAYER_DEPENDENCIES` names.
 */
export function layerStacks(
  cluster: PlatformStack,
  enabled: (layer: Layer) => boolean,
  create: (layer: Layer) => PlatformStack,
): RegionLayers {
  const made: { [L in Layer]?: PlatformStack } = {};
  for (const layer of LAYERS) {
    if (!enabled(layer)) continue;
    const stack = create(layer);
    stack.addStackDependency(cluster, 'installs into the cluster');
    for (const before of LAYER_DEPENDENCIES[layer]) {
      const other = made[before];
      if (other) stack.addStackDependency(other, `${layer} runs after ${before}`);
    }
    made[layer] = stack;
  }
  return made;
}
