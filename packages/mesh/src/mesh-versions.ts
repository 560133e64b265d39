import { PinKind, PlatformKubernetesVersion, VersionPin } from '@keelson/eks-core';

const BOTH = PlatformKubernetesVersion.supportedNames();
const ISTIO_RELEASE = 'Istio 1.31.1 (istio/istio.io news/releases/1.31.x/announcing-1.31.1, publishdate 2026-09-21); '
  + 'Istio 1.31.0 "is officially supported on Kubernetes versions 1.32 to 1.36" (announcing-1.31)';
const ISTIO_CHARTS = 'https://blob.istio.io/istio-release/charts';
const ISTIO_NOTE = 'from 1.31 Istio no longer publishes to gcr.io/istio-release, registry.istio.io or istio-release.storage.googleapis.com '
  + '(1.31 upgrade notes): charts come from blob.istio.io, images from Docker Hub (global.hub docker.io/istio). Re-checked 2026-12-06: Istio\'s '
  + 'announcement says all charts of all versions stay published at blob.istio.io/istio-release/charts (OCI: ghcr.io/istio/release/charts) and '
  + 'the old locations lose their artifacts in December 2026; no Istio after 1.31.1 was found (newest evidence 2026-10)';

const istio = (name: string): VersionPin => ({
  name,
  kind: PinKind.HELM_CHART,
  version: '1.31.1',
  repository: ISTIO_CHARTS,
  upstreamRelease: ISTIO_RELEASE,
  releaseDate: '2026-09-21',
  kubernetesVersions: BOTH,
  note: ISTIO_NOTE,
});

/**
 * The mesh's version catalogue: every chart it pins, with the upstream
 * release it corresponds to and that release's date. `VERSIONS.md` is
 * generated from it (the package tests fail while it is stale).
 */
export class MeshVersions {
  /** `cert-manager` chart v1.21.2. */
  public static readonly CERT_MANAGER: VersionPin = {
    name: 'cert-manager',
    kind: PinKind.HELM_CHART,
    version: 'v1.21.2',
    repository: 'https://charts.jetstack.io',
    upstreamRelease: 'cert-manager v1.21.2 (release asset cert-manager/releases/download/v1.21.2/cert-manager.yaml; third-party pins: a repeatability '
      + 'exercise of 2026-09-23 on "pinned cert-manager v1.21.2", a dependency review of 2026-10-10 listing 1.21.2 as current)',
    releaseDate: '2026-09-23',
    kubernetesVersions: BOTH,
    note: 'CRDs installed by the chart (crds.enabled). Release date: the earliest dated pin found (the tag date was not read); no v1.22 or later '
      + 'v1.21 patch was found (newest evidence 2026-10-10). cert-manager documents v1.21.2 as supporting Kubernetes up to 1.36',
  };

  /** `aws-privateca-issuer` chart v1.9.2 (cert-manager's AWS Private CA issuer). */
  public static readonly AWS_PRIVATECA_ISSUER: VersionPin = {
    name: 'aws-privateca-issuer',
    kind: PinKind.HELM_CHART,
    version: 'v1.9.2',
    repository: 'https://cert-manager.github.io/aws-privateca-issuer',
    upstreamRelease: 'cert-manager/aws-privateca-issuer index.yaml entry aws-privateca-issuer v1.9.2, appVersion v1.9.2 (created 2026-09-03)',
    releaseDate: '2026-09-03',
    kubernetesVersions: BOTH,
    note: 'explicitTemplateSelection lets the Istio intermediate Certificate name the SubordinateCACertificate_PathLen0/V1 template. Re-checked '
      + '2026-12-06 in the issue and code corpora: no release after v1.9.2 was found (the newest release PR found is #474, v1.9.1, 2026-07-21); '
      + 'the release is older than three months',
  };

  /**
   * Gateway API CRDs, standard channel v1.5.1 (Istio needs v1.5.x since 1.30 and does not ship
   * them), from Envoy Gateway's `gateway-crds-helm` chart v1.8.6: the CRDs as upstream releases
   * them, in a pinned chart, with Envoy Gateway's own CRDs switched off.
   */
  public static readonly GATEWAY_API_CRDS: VersionPin = {
    name: 'gateway-crds-helm',
    kind: PinKind.HELM_CHART,
    version: 'v1.8.6',
    repository: 'oci://docker.io/envoyproxy/gateway-crds-helm',
    upstreamRelease: 'envoyproxy/gateway release-notes/v1.8.6.yaml (date October 3, 2026); v1.8.0 notes: bundled Gateway API CRDs bumped to v1.5.1; '
      + 'Istio 1.30 upgrade notes: Gateway API v1.5 CRDs required',
    releaseDate: '2026-10-03',
    kubernetesVersions: BOTH,
    note: 'values crds.gatewayAPI.enabled=true, channel standard, crds.envoyGateway.enabled=false: only the Gateway API CRDs',
  };

  /**
   * AWS Cloud Map MCS controller v0.3.1, the project's latest release. It
   * publishes kustomize bases and no Helm chart, so `CloudMapServiceDiscovery`
   * renders its objects; the image is the one the release's kustomization names.
   */
  public static readonly CLOUD_MAP_MCS_CONTROLLER: VersionPin = {
    name: 'aws-cloud-map-mcs-controller-for-k8s',
    kind: PinKind.IMAGE,
    version: 'v0.3.1',
    repository: 'ghcr.io/aws/aws-cloud-map-mcs-controller-for-k8s',
    upstreamRelease: 'aws/aws-cloud-map-mcs-controller-for-k8s tag v0.3.1 (commit cc4f541, "v0.3.1 release (#256)"); '
      + 'config/controller_install_release/kustomization.yaml: newName ghcr.io/aws/aws-cloud-map-mcs-controller-for-k8s, newTag v0.3.1',
    releaseDate: '2022-12-09',
    kubernetesVersions: BOTH,
    note: 'still the latest release (main last changed 2024-10-23; the README calls the project alpha); built on client-go 0.24 with '
      + 'discovery.k8s.io/v1 EndpointSlices, which 1.35 and 1.36 serve; aws-sdk-go-v2 config v1.18.3 predates EKS Pod Identity, so IRSA; '
      + 'one registry region per ClusterSet (aws/aws-cloud-map-mcs-controller-for-k8s issue #328: "designed only to work in the same region")',
  };

  /**
   * podinfo 6.15.0, an image for `SampleMeshApplication`: a small Go web
   * service that serves liveness on `/healthz` and readiness on `/readyz` at
   * port 9898, and runs as a non-root user (named, not numbered, so set
   * `runAsUser`). Deploy it by digest: {@link MeshVersions.PODINFO_IMAGE}.
   */
  public static readonly PODINFO: VersionPin = {
    name: 'podinfo',
    kind: PinKind.IMAGE,
    version: '6.15.0',
    repository: 'ghcr.io/stefanprodan/podinfo',
    upstreamRelease: 'stefanprodan/podinfo pull request #522 "Release 6.15.0" (merged 2026-08-31; no later release PR '
      + 'found on 2026-12-06); Dockerfile: alpine base, USER app, /healthz and /readyz on --port 9898',
    releaseDate: '2026-08-31',
    kubernetesVersions: BOTH,
    note: 'pinned by digest sha256:ec73780a8425f59ea49f5bc8cdff0d598805a224fbaa1f86c67a244f250fa9da (the 6.15.0 multi-arch index), the '
      + 'digest independent public repositories pin as ghcr.io/stefanprodan/podinfo:6.15.0@sha256:... (an air-gap image list that pulls '
      + 'it for linux/arm64, lab manifests, tutorials; read 2026-12-06); no registry was reachable here to re-read it. Update the '
      + 'version and the digest together',
  };
  /** The digest of the podinfo image {@link MeshVersions.PODINFO} pins (its note says where it was read). */
  public static readonly PODINFO_DIGEST = 'sha256:ec73780a8425f59ea49f5bc8cdff0d598805a224fbaa1f86c67a244f250fa9da';
  /** The podinfo image reference, tag and digest: the container runtime pulls the digest. */
  public static readonly PODINFO_IMAGE = `${MeshVersions.PODINFO.repository}:${MeshVersions.PODINFO.version}@${MeshVersions.PODINFO_DIGEST}`;

  /** Istio `base` chart (CRDs and cluster roles). */
  public static readonly ISTIO_BASE: VersionPin = istio('base');
  /** Istio `istiod` chart (control plane and CA). */
  public static readonly ISTIOD: VersionPin = istio('istiod');
  /** Istio `cni` chart (node agent; required by ambient mode). */
  public static readonly ISTIO_CNI: VersionPin = istio('cni');
  /** Istio `ztunnel` chart (ambient mode's node proxy). */
  public static readonly ZTUNNEL: VersionPin = istio('ztunnel');

  /** Every entry. */
  public static all(): VersionPin[] {
    return [
      MeshVersions.CERT_MANAGER, MeshVersions.AWS_PRIVATECA_ISSUER, MeshVersions.GATEWAY_API_CRDS, MeshVersions.CLOUD_MAP_MCS_CONTROLLER,
      MeshVersions.ISTIO_BASE, MeshVersions.ISTIOD, MeshVersions.ISTIO_CNI, MeshVersions.ZTUNNEL, MeshVersions.PODINFO,
    ];
  }

  private constructor() {}
}
