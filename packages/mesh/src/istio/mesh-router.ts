import { KeelsonLabels, PropsCheck } from '@keelson/conventions';
import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { MeshDataplaneMode } from './dataplane-mode';
import { IstioMesh } from './istio-mesh';
import { MeshService, MeshServiceCaller } from '../sample/mesh-service';

/** One destination of a {@link MeshRouter} and its share of the requests. */
export interface MeshRouteTarget {
  /** The service that receives the share (in the routed service's namespace). */
  readonly service: MeshService;
  /** Relative weight, 0 to 1,000,000: the share is weight / sum of weights. */
  readonly weight: number;
}

/** Properties of {@link MeshRouter}. */
export interface MeshRouterProps {
  /** The mesh. */
  readonly mesh: IstioMesh;
  /**
   * The service callers address (App Mesh's virtual service): requests to
   * its Service are split among `targets`. It may be one of the targets.
   */
  readonly service: MeshService;
  /** Where the requests go, with weights (App Mesh's weighted targets). */
  readonly targets: MeshRouteTarget[];
  /**
   * Time for the whole request, retries included (`HTTPRoute` `timeouts.request`).
   *
   * @default - no route timeout (Istio's default)
   */
  readonly requestTimeout?: Duration;
  /**
   * Time for one attempt at a backend (`timeouts.backendRequest`); at most `requestTimeout`.
   *
   * @default - no per-attempt timeout
   */
  readonly backendRequestTimeout?: Duration;
}

/**
 * App Mesh's virtual router: requests to one service split by weight among
 * others, through a Gateway API `HTTPRoute` whose parent is the Service
 * (the GAMMA pattern Istio implements for east-west traffic).
 *
 * Who may call is kept where `MeshService` put it. In sidecar mode the
 * caller's sidecar routes, so each target also accepts the routed service's
 * callers. In ambient mode ztunnel does not route HTTP, so the namespace gets
 * a waypoint (`istio-waypoint` Gateway, one per namespace) and the Service is
 * bound to it (`istio.io/use-waypoint`); the waypoint then checks the
 * routed service's callers (an `AuthorizationPolicy` with `targetRefs` on the
 * Service), and the targets accept the waypoint, which is the peer they see.
 *
 * Retries are not set: `HTTPRoute` retries are in Gateway API's experimental
 * channel, and the mesh installs the standard one.
 */
export class MeshRouter extends Construct {
  /** The name of the waypoint Keelson creates in a namespace. */
  public static readonly WAYPOINT = 'waypoint';

  /** The route and its authorization policies. */
  public readonly manifest: eks.KubernetesManifest;
  /** The namespace's waypoint (ambient mode). */
  public readonly waypoint?: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: MeshRouterProps) {
    super(scope, id);
    const { service, targets, mesh } = props;
    checkTargets(this, props);
    const namespace = service.namespace;
    const ambient = mesh.dataplaneMode === MeshDataplaneMode.AMBIENT;
    const labels = KeelsonLabels.component('mesh-router');
    const timeouts = {
      ...(props.requestTimeout ? { request: gatewayDuration(props.requestTimeout) } : {}),
      ...(props.backendRequestTimeout ? { backendRequest: gatewayDuration(props.backendRequestTimeout) } : {}),
    };
    // The peer a target sees: the routed service's callers (sidecar), or the waypoint (ambient).
    const peers: MeshServiceCaller[] = ambient ? [{ namespace, serviceAccount: MeshRouter.WAYPOINT }] : service.callers;
    const distinctTargets = [...new Map(targets.map((t) => [t.service.name, t.service])).values()];

    this.manifest = new eks.KubernetesManifest(this, 'Default', {
      cluster: service.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: `${service.name}-router`, namespace, labels },
          spec: {
            parentRefs: [{ group: '', kind: 'Service', name: service.name, port: 80 }],
            rules: [{
              backendRefs: targets.map((t) => ({ name: t.service.name, port: 80, weight: t.weight })),
              ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}),
            }],
          },
        },
        ...distinctTargets.filter(() => peers.length > 0).map((target) => ({
          apiVersion: 'security.istio.io/v1',
          kind: 'AuthorizationPolicy',
          metadata: { name: `${target.name}-via-${service.name}-router`, namespace, labels },
          spec: {
            selector: { matchLabels: { app: target.name } },
            action: 'ALLOW',
            rules: [{ from: [{ source: { principals: peers.map((p) => MeshService.principal(service.trustDomain, p)) } }] }],
          },
        })),
        ...(ambient ? [{
          apiVersion: 'security.istio.io/v1',
          kind: 'AuthorizationPolicy',
          metadata: { name: `${service.name}-callers-at-waypoint`, namespace, labels },
          spec: {
            targetRefs: [{ group: '', kind: 'Service', name: service.name }],
            action: 'ALLOW',
            // No callers: a rule list that matches nothing (the ALLOW policy then denies every request).
            rules: service.callers.length === 0 ? [] : [{
              from: [{ source: { principals: service.callers.map((c) => MeshService.principal(service.trustDomain, c)) } }],
            }],
          },
        }] : []),
      ],
    });
    for (const t of distinctTargets) this.manifest.node.addDependency(t);
    this.manifest.node.addDependency(service);

    if (ambient) {
      this.waypoint = waypointFor(mesh, service.cluster, namespace);
      const bind = new eks.KubernetesPatch(this, 'UseWaypoint', {
        cluster: service.cluster,
        resourceName: `service/${service.name}`,
        resourceNamespace: namespace,
        applyPatch: { metadata: { labels: { 'istio.io/use-waypoint': MeshRouter.WAYPOINT } } },
        restorePatch: { metadata: { labels: { 'istio.io/use-waypoint': null } } },
      });
      // The waypoint's policy is in place before traffic is sent through it.
      bind.node.addDependency(this.waypoint, this.manifest);
    }
  }
}

/** The namespace's waypoint, created once per namespace under the mesh. */
function waypointFor(mesh: IstioMesh, cluster: eks.ICluster, namespace: string): eks.KubernetesManifest {
  const id = `Waypoint-${namespace}`;
  const existing = mesh.node.tryFindChild(id);
  if (existing) return existing as eks.KubernetesManifest;
  const waypoint = new eks.KubernetesManifest(mesh, id, {
    cluster,
    overwrite: true,
    manifest: [{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: MeshRouter.WAYPOINT,
        namespace,
        labels: { ...KeelsonLabels.managed(), 'istio.io/waypoint-for': 'service' },
      },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    }],
  });
  waypoint.node.addDependency(mesh.meshManifest);
  return waypoint;
}

/** A Gateway API duration (`1h30m`, `500ms`: up to four units of at most five digits). */
function gatewayDuration(d: Duration): string {
  let ms = d.toMilliseconds();
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(ms / size);
    if (n > 0) parts.push(`${n}${unit}`);
    ms -= n * size;
  }
  return parts.join('') || '0s';
}

function checkTargets(scope: Construct, props: MeshRouterProps): void {
  if (props.targets.length === 0) {
    PropsCheck.fail(scope, 'targets', 'is empty', 'list at least one target service with its weight');
  }
  for (const t of props.targets) {
    if (t.service.namespace !== props.service.namespace) {
      PropsCheck.fail(scope, 'targets', `${t.service.name} is in namespace ${t.service.namespace}, not ${props.service.namespace}`,
        'route to services of the routed service\'s namespace (a cross-namespace backend needs a ReferenceGrant)');
    }
    PropsCheck.inRange(scope, `targets[${t.service.name}].weight`, t.weight, 0, 1_000_000);
  }
  if (props.targets.every((t) => t.weight === 0)) {
    PropsCheck.fail(scope, 'targets', 'every weight is 0, so no request could be served', 'give at least one target a positive weight');
  }
  for (const [field, d] of [['requestTimeout', props.requestTimeout], ['backendRequestTimeout', props.backendRequestTimeout]] as const) {
    if (d && (d.isUnresolved() || d.toMilliseconds() < 1 || d.toMilliseconds() > 99_999 * 3_600_000)) {
      PropsCheck.fail(scope, field, 'is not a duration Gateway API takes', 'use a literal duration from 1 ms to 99,999 hours, such as Duration.seconds(10)');
    }
  }
  if (props.requestTimeout && props.backendRequestTimeout && props.backendRequestTimeout.toMilliseconds() > props.requestTimeout.toMilliseconds()) {
    PropsCheck.fail(scope, 'backendRequestTimeout', `${props.backendRequestTimeout.toHumanString()} exceeds requestTimeout ${props.requestTimeout.toHumanString()}`,
      'make the per-attempt timeout at most the request timeout');
  }
}
