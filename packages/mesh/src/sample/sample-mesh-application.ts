import { PlatformNamespaces } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { MeshService, MeshServiceCaller } from './mesh-service';
import { IstioMesh } from '../istio/istio-mesh';
import { MeshIngressGateway } from '../istio/mesh-ingress-gateway';

/** Properties of {@link SampleMeshApplication}. */
export interface SampleMeshApplicationProps {
  /** The mesh the application joins. */
  readonly mesh: IstioMesh;
  /** The cluster's namespace registry (the application's namespace is registered there). */
  readonly namespaces: PlatformNamespaces;
  /** The image of the three services, pinned (it must serve HTTP on `port` with a `/healthz` path). */
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
}

/**
 * The `frontend` → `backend` → `database` sample: three {@link MeshService}s
 * in their own namespace, enrolled in the mesh, with an allow-nothing
 * `AuthorizationPolicy` for the namespace, so that only frontend→backend and
 * backend→database are allowed between them.
 */
export class SampleMeshApplication extends Construct {
  /** The services, by name. */
  public readonly services: { [name: string]: MeshService } = {};
  /** The namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: SampleMeshApplicationProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'mesh-sample';
    const cluster = props.namespaces.cluster;
    // Reached through the mesh (HBONE through ztunnel): its paths are the mesh's AuthorizationPolicies.
    const ns = props.namespaces.register({ name: this.namespace, component: 'mesh-sample', backup: false, networkIsolation: false });
    const enroll = new eks.KubernetesPatch(this, 'Enroll', {
      cluster,
      resourceName: `namespace/${this.namespace}`,
      applyPatch: { metadata: { labels: props.mesh.enrollmentLabel() } },
      restorePatch: { metadata: { labels: Object.fromEntries(Object.keys(props.mesh.enrollmentLabel()).map((k) => [k, null])) } },
    });
    enroll.node.addDependency(ns, props.mesh.meshManifest);
    const denyAll = new eks.KubernetesManifest(this, 'AllowNothing', {
      cluster,
      overwrite: true,
      manifest: [{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: this.namespace }, spec: {} }],
    });
    denyAll.node.addDependency(enroll);
    const service = (name: string, allowFrom: MeshServiceCaller[]) => {
      const s = new MeshService(this, name, {
        cluster,
        name,
        namespace: this.namespace,
        image: props.image,
        port: props.port,
        allowFrom,
        trustDomain: props.mesh.trustDomain,
        exportToClusterSet: props.exportToClusterSet,
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
