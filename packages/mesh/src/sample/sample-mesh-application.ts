import { PropsCheck } from '@keelson/conventions';
import { PlatformNamespaces } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { MeshService, MeshServiceCaller } from './mesh-service';
import { MeshDataplaneMode } from '../istio/dataplane-mode';
import { IstioMesh } from '../istio/istio-mesh';
import { MeshIngressGateway } from '../istio/mesh-ingress-gateway';

/** Properties of {@link SampleMeshApplication}. */
export interface SampleMeshApplicationProps {
  /** The mesh the application joins. */
  readonly mesh: IstioMesh;
  /** The cluster's namespace registry (the application's namespace is registered there). */
  readonly namespaces: PlatformNamespaces;
  /**
   * The image of the three services, pinned (it must serve HTTP on `port`
   * with `healthPath`); `SampleImages.PODINFO` is one, pinned by digest, with its settings.
   */
  readonly image: string;
  /**
   * The namespace.
   *
   * @default 'mesh-sample'
   */
  readonly namespace?: string;
  /**
   * Container port of the services.
   *
   * @default 8080
   */
  readonly port?: number;
  /**
   * HTTP path of the liveness probe (and of readiness, unless `readinessPath` is set).
   *
   * @default '/healthz'
   */
  readonly healthPath?: string;
  /**
   * HTTP path of the readiness probe.
   *
   * @default - `healthPath`
   */
  readonly readinessPath?: string;
  /**
   * The user id the services run as (see `MeshServiceProps.runAsUser`).
   *
   * @default - the image's own user
   */
  readonly runAsUser?: number;
  /**
   * The ingress gateway: `frontend` gets its routes (`/`) and accepts its identity.
   *
   * @default - no ingress; nothing may call `frontend`
   */
  readonly gateway?: MeshIngressGateway;
  /**
   * Export the three services to the ClusterSet (`ServiceExport`s; see
   * `CloudMapServiceDiscovery`, whose `exportedNamespaces` must include `namespace`).
   *
   * @default false
   */
  readonly exportToClusterSet?: boolean;
  /**
   * Export only these services (of `frontend`, `backend`, `database`) to the
   * ClusterSet, for example `['backend']` so that the other cluster's
   * frontend calls this cluster's backend and nothing else crosses.
   *
   * @default - all three with `exportToClusterSet`, otherwise none
   */
  readonly exportedServices?: string[];
  /**
   * How the services join the mesh. `SIDECAR` in an ambient mesh gives the
   * application's pods Envoy sidecars (injected, redirected by istio-cni)
   * while the rest of the mesh stays ambient: a sidecar originates Istio mTLS
   * to an imported service's endpoints in another cluster, which ztunnel
   * cannot (see the README on cross-cluster calls), so the other cluster's
   * frontend can call an exported backend. The namespace then also gets a
   * `DestinationRule` that makes its callers use Istio mTLS to every host of
   * the namespace, imported ones included.
   *
   * @default - the mesh's mode
   */
  readonly dataplaneMode?: MeshDataplaneMode;
}

/**
 * The `frontend` → `backend` → `database` sample: three {@link MeshService}s
 * in their own namespace, enrolled in the mesh, with an allow-nothing
 * `AuthorizationPolicy` for the namespace, so that only frontend→backend and
 * backend→database are allowed between them (and gateway→frontend with a
 * gateway). NetworkPolicies deny ingress from other namespaces, except the
 * gateway's to frontend, so a pod elsewhere in the cluster cannot even
 * connect; an exported namespace's `allow-cluster-set` policy
 * (`CloudMapServiceDiscovery`) admits the other clusters.
 */
export class SampleMeshApplication extends Construct {
  /** The three services' names, in call order. */
  public static readonly SERVICE_NAMES = ['frontend', 'backend', 'database'];
  /** Istio HBONE: in ambient mode meshed traffic reaches a pod on this port, whatever the service's. */
  public static readonly HBONE_PORT = 15008;

  /** The services, by name. */
  public readonly services: { [name: string]: MeshService } = {};
  /** The namespace. */
  public readonly namespace: string;
  /** The services exported to the ClusterSet. */
  public readonly exportedServices: string[];
  /** The namespace's NetworkPolicies. */
  public readonly networkPolicies: eks.KubernetesManifest;
  /** How the services join the mesh. */
  public readonly dataplaneMode: MeshDataplaneMode;
  /** The namespace's `DestinationRule` (sidecars in an ambient mesh only). */
  public readonly destinationRule?: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: SampleMeshApplicationProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'mesh-sample';
    const names = SampleMeshApplication.SERVICE_NAMES;
    for (const name of props.exportedServices ?? []) {
      if (!names.includes(name)) PropsCheck.fail(this, 'exportedServices', `"${name}" is not a service of the sample`, `name some of ${names.join(', ')}`);
    }
    this.exportedServices = props.exportedServices ?? (props.exportToClusterSet ? [...names] : []);
    const port = props.port ?? 8080;
    const cluster = props.namespaces.cluster;
    // Reached through the mesh: its paths are the mesh's AuthorizationPolicies and the sample's own NetworkPolicies.
    const ns = props.namespaces.register({ name: this.namespace, component: 'mesh-sample', backup: false, networkIsolation: false });
    this.dataplaneMode = props.dataplaneMode ?? props.mesh.dataplaneMode;
    const sidecarsInAmbient = this.dataplaneMode === MeshDataplaneMode.SIDECAR && props.mesh.dataplaneMode === MeshDataplaneMode.AMBIENT;
    // Sidecars in an ambient mesh: the injection label as well as the mesh's own, which keeps the namespace among the
    // gateway's route namespaces; istio-cni leaves a pod with an injected sidecar out of ztunnel's redirection
    // (istio/istio pull request 43676, "ambient: properly opt-out sidecar pods").
    const labels = { ...props.mesh.enrollmentLabel(), ...(sidecarsInAmbient ? { 'istio-injection': 'enabled' } : {}) };
    const enroll = new eks.KubernetesPatch(this, 'Enroll', {
      cluster,
      resourceName: `namespace/${this.namespace}`,
      applyPatch: { metadata: { labels } },
      restorePatch: { metadata: { labels: Object.fromEntries(Object.keys(labels).map((k) => [k, null])) } },
    });
    enroll.node.addDependency(ns, props.mesh.meshManifest);
    const denyAll = new eks.KubernetesManifest(this, 'AllowNothing', {
      cluster,
      overwrite: true,
      manifest: [{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: this.namespace }, spec: {} }],
    });
    denyAll.node.addDependency(enroll);
    const policy = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: this.namespace }, spec,
    });
    this.networkPolicies = new eks.KubernetesManifest(this, 'NetworkPolicies', {
      cluster,
      overwrite: true,
      manifest: [
        policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
        policy('allow-same-namespace', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }),
        // Egress stays open: an exported namespace's allow-cluster-set policy selects its pods for egress, which would
        // otherwise cut them off from DNS and istiod.
        policy('allow-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
        ...(props.gateway ? [policy('allow-gateway', {
          podSelector: { matchLabels: { app: 'frontend' } },
          policyTypes: ['Ingress'],
          ingress: [{
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.gateway.namespace } } }],
            ports: [port, SampleMeshApplication.HBONE_PORT].map((p) => ({ protocol: 'TCP', port: p })),
          }],
        })] : []),
      ],
    });
    this.networkPolicies.node.addDependency(ns);
    if (sidecarsInAmbient) {
      // The imported services' endpoints are the other cluster's pods, which this istiod does not know: without
      // this rule auto-mTLS would send them plaintext, which their STRICT mode refuses.
      this.destinationRule = new eks.KubernetesManifest(this, 'Mtls', {
        cluster,
        overwrite: true,
        manifest: [{
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: { name: 'sample-mtls', namespace: this.namespace },
          spec: { host: `*.${this.namespace}.svc.cluster.local`, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
        }],
      });
      this.destinationRule.node.addDependency(enroll);
    }
    const service = (name: string, allowFrom: MeshServiceCaller[]) => {
      const s = new MeshService(this, name, {
        cluster,
        name,
        namespace: this.namespace,
        image: props.image,
        port,
        healthPath: props.healthPath,
        readinessPath: props.readinessPath,
        runAsUser: props.runAsUser,
        allowFrom,
        trustDomain: props.mesh.trustDomain,
        exportToClusterSet: this.exportedServices.includes(name),
      });
      s.node.addDependency(denyAll);
      this.services[name] = s;
      return s;
    };
    const frontend = service('frontend', props.gateway ? [props.gateway.identity] : []);
    const backend = service('backend', [frontend.identity]);
    service('database', [backend.identity]);
    props.gateway?.addRoute('Sample', frontend, '/');
  }
}
