import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformChart, PlatformNamespaces, PodSecurityLevel } from '@keelson/eks-core';
import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { MeshDataplaneMode } from './dataplane-mode';
import { MeshCertificates } from '../mesh-certificates';
import { MeshVersions } from '../mesh-versions';
import { templateArn } from '../private/ca-common';

/** Properties of {@link IstioMesh}. */
export interface IstioMeshProps {
  /** cert-manager and the cluster's Private CA issuer: they sign istiod's intermediate CA. */
  readonly certificates: MeshCertificates;

  /**
   * The cluster's namespace registry: `istio-system` is registered there, and
   * every workload namespace is enrolled in the mesh.
   */
  readonly namespaces: PlatformNamespaces;

  /**
   * Ambient (default) or sidecar mode.
   *
   * @default MeshDataplaneMode.AMBIENT
   */
  readonly dataplaneMode?: MeshDataplaneMode;

  /**
   * The name that tells this cluster's intermediate apart (its certificate's common name).
   *
   * @default 'mesh'
   */
  readonly clusterName?: string;

  /**
   * Validity of istiod's intermediate CA certificate; cert-manager renews it
   * at two thirds of its life and istiod reloads it.
   *
   * @default Duration.days(30)
   */
  readonly intermediateValidity?: Duration;

  /**
   * The mesh's trust domain. Primary and DR must share it, so that a
   * workload's identity (`<trustDomain>/ns/<ns>/sa/<sa>`) means the same in both.
   *
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;

  /**
   * Istio chart version (base, istiod, cni, ztunnel).
   *
   * @default MeshVersions.ISTIOD
   */
  readonly version?: string;

  /**
   * Helm values merged over Keelson's istiod values.
   *
   * @default {}
   */
  readonly istiodValueOverrides?: { [key: string]: any };
}

/**
 * Istio (pinned, from the charts' current location, images from Docker Hub)
 * with strict mTLS rooted in AWS Private CA:
 *
 * - cert-manager issues istiod's intermediate CA from the cluster's regional
 *   subordinate (`SubordinateCACertificate_PathLen0/V1`) into the `cacerts`
 *   Secret (`tls.crt`, `tls.key`, `ca.crt`, a format istiod reads), and
 *   istiod is installed only once that Secret exists, so it never falls back
 *   to a self-signed root. Plugged-in `cacerts` rather than istio-csr:
 *   istiod stays the workload CA, which ambient mode's ztunnel (requesting
 *   certificates for the workloads on its node) is built around, Private CA
 *   is out of the path of every pod start, and Private CA is billed for one
 *   intermediate per cluster per renewal instead of every workload certificate.
 * - Ambient mode by default (base, istiod, istio-cni and ztunnel); sidecar
 *   mode installs base and istiod and enrolls namespaces for injection.
 * - A mesh-wide `PeerAuthentication` (root namespace, no selector) in STRICT mode.
 * - Access logging for the whole mesh through a `Telemetry` resource (Envoy provider).
 * - Every workload namespace of the registry is enrolled.
 *
 * Both clusters' intermediates chain to the same root, and both use the same
 * trust domain, so primary and DR workloads authenticate each other.
 */
export class IstioMesh extends Construct {
  /** Istio's namespace (also the mesh's root namespace). */
  public static readonly NAMESPACE = 'istio-system';
  /** The Secret istiod reads its plugged-in CA from. */
  public static readonly CA_SECRET = 'cacerts';

  /** The dataplane mode. */
  public readonly dataplaneMode: MeshDataplaneMode;
  /** The charts, by name (`base`, `istiod`, and in ambient mode `cni`, `ztunnel`). */
  public readonly charts: { [name: string]: PlatformChart } = {};
  /** The intermediate CA Certificate, the mesh-wide policies and Telemetry. */
  public readonly meshManifest: eks.KubernetesManifest;
  /** The trust domain. */
  public readonly trustDomain: string;

  constructor(scope: Construct, id: string, props: IstioMeshProps) {
    super(scope, id);
    KeelsonTags.component(this, 'istio');
    const cluster = props.certificates.cluster;
    this.dataplaneMode = props.dataplaneMode ?? MeshDataplaneMode.AMBIENT;
    const ambient = this.dataplaneMode === MeshDataplaneMode.AMBIENT;
    this.trustDomain = props.trustDomain ?? 'cluster.local';
    const validity = props.intermediateValidity ?? Duration.days(30);
    const hours = validity.toHours();
    if (!validity.isUnresolved() && (hours < 48 || hours > 365 * 24)) {
      PropsCheck.fail(this, 'intermediateValidity', `${validity.toHumanString()} is outside 2 days–1 year`,
        'use Duration.days(n) with 2 <= n <= 365; cert-manager renews at two thirds of it');
    }
    const global = { hub: 'docker.io/istio' };
    const chart = (name: string, pin: typeof MeshVersions.ISTIOD, extra: Partial<ConstructorParameters<typeof PlatformChart>[2]>) => {
      this.charts[name] = new PlatformChart(this, name, {
        cluster,
        pin,
        version: props.version,
        versionField: 'version',
        release: pin.name === 'base' ? 'istio-base' : pin.name === 'cni' ? 'istio-cni' : pin.name,
        component: 'istio',
        namespace: IstioMesh.NAMESPACE,
        createNamespace: false,
        ...extra,
      });
      return this.charts[name];
    };

    // istio-cni and ztunnel run privileged on every node (they program pod networking).
    const namespace = props.namespaces.register({
      name: IstioMesh.NAMESPACE,
      component: 'istio',
      podSecurity: ambient ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.BASELINE,
      backup: false,
      // istiod serves configuration and certificates to every meshed pod of every namespace and istio-cni runs on
      // the host network: mesh traffic is governed by the mesh's own AuthorizationPolicies, not NetworkPolicies here.
      networkIsolation: false,
    });
    const base = chart('base', MeshVersions.ISTIO_BASE, { systemPool: false, values: { global }, dependsOn: [namespace] });

    // The intermediate first: istiod without cacerts would mint its own self-signed root.
    const certificate = new eks.KubernetesManifest(this, 'Intermediate', {
      cluster,
      overwrite: true,
      manifest: [{
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: {
          name: 'istio-intermediate',
          namespace: IstioMesh.NAMESPACE,
          annotations: { [MeshCertificates.TEMPLATE_ANNOTATION]: templateArn(this, 'SubordinateCACertificate_PathLen0/V1') },
        },
        spec: {
          isCA: true,
          commonName: `istio intermediate ${props.clusterName ?? 'mesh'}`,
          secretName: IstioMesh.CA_SECRET,
          duration: `${hours}h`,
          renewBefore: `${Math.floor(hours / 3)}h`,
          privateKey: { algorithm: 'RSA', size: 2048, rotationPolicy: 'Always' },
          usages: ['cert sign', 'crl sign', 'digital signature'],
          issuerRef: props.certificates.issuerRef(),
        },
      }],
    });
    certificate.node.addDependency(namespace, props.certificates.clusterIssuerManifest);
    const issued = new eks.KubernetesObjectValue(this, 'IntermediateIssued', {
      cluster,
      objectType: 'secret',
      objectName: IstioMesh.CA_SECRET,
      objectNamespace: IstioMesh.NAMESPACE,
      jsonPath: '.type',
      timeout: Duration.minutes(10),
    });
    issued.node.addDependency(certificate);

    const istiod = chart('istiod', MeshVersions.ISTIOD, {
      dependsOn: [base.chart, issued],
      wait: true,
      values: {
        ...(ambient ? { profile: 'ambient' } : {}),
        global,
        meshConfig: { trustDomain: this.trustDomain },
        pilot: {
          env: { AUTO_RELOAD_PLUGIN_CERTS: 'true' },
          // Sidecar workloads in an ambient mesh (SampleMeshApplication's sidecar mode) are then redirected by
          // istio-cni, which ambient installs anyway, instead of an istio-init container with NET_ADMIN and
          // NET_RAW, which Pod Security refuses in restricted and baseline namespaces.
          ...(ambient ? { cni: { enabled: true } } : {}),
        },
      },
      systemPoolPaths: ['pilot'],
      valueOverrides: props.istiodValueOverrides,
    });
    if (ambient) {
      // Node agents: on every node, whatever its pool; the charts tolerate every taint.
      const cni = chart('cni', MeshVersions.ISTIO_CNI, { systemPool: false, dependsOn: [istiod.chart], values: { profile: 'ambient', global } });
      chart('ztunnel', MeshVersions.ZTUNNEL, { systemPool: false, dependsOn: [cni.chart], values: { hub: global.hub, global } });
    }

    this.meshManifest = new eks.KubernetesManifest(this, 'MeshPolicies', {
      cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default', namespace: IstioMesh.NAMESPACE },
          spec: { mtls: { mode: 'STRICT' } },
        },
        {
          apiVersion: 'telemetry.istio.io/v1',
          kind: 'Telemetry',
          metadata: { name: 'mesh-default', namespace: IstioMesh.NAMESPACE },
          spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] },
        },
      ],
    });
    this.meshManifest.node.addDependency(istiod.chart);

    // Enroll the workload namespaces (created by the registry) in the mesh.
    const label = ambient ? { 'istio.io/dataplane-mode': 'ambient' } : { 'istio-injection': 'enabled' };
    const unlabel = Object.fromEntries(Object.keys(label).map((k) => [k, null]));
    for (const ns of props.namespaces.workloadNamespaces) {
      const patch = new eks.KubernetesPatch(this, `Enroll-${ns}`, {
        cluster,
        resourceName: `namespace/${ns}`,
        applyPatch: { metadata: { labels: label } },
        restorePatch: { metadata: { labels: unlabel } },
      });
      patch.node.addDependency(props.namespaces.manifests[ns], this.meshManifest);
    }
  }

  /** The namespace label that enrolls a namespace in this mesh. */
  public enrollmentLabel(): { [key: string]: string } {
    return this.dataplaneMode === MeshDataplaneMode.AMBIENT ? { 'istio.io/dataplane-mode': 'ambient' } : { 'istio-injection': 'enabled' };
  }
}
