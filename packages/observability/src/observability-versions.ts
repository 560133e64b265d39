import { PinKind, PlatformKubernetesVersion, VersionPin } from '@keelson/eks-core';

const BOTH = PlatformKubernetesVersion.supportedNames();

/**
 * observability's version catalogue: every Helm chart it installs, each with
 * the chart repository's `index.yaml` entry it was read from (chart version,
 * app version, the `created` date, `kubeVersion`). `VERSIONS.md` is generated
 * from it (the package tests fail while it is stale).
 */
export class ObservabilityVersions {
  /**
   * `kube-prometheus-stack` 92.3.0: Prometheus Operator v0.94.1. Its Grafana subchart stays off
   * (Grafana is installed from its own pinned chart).
   */
  public static readonly KUBE_PROMETHEUS_STACK: VersionPin = {
    name: 'kube-prometheus-stack',
    kind: PinKind.HELM_CHART,
    version: '92.3.0',
    repository: 'https://prometheus-community.github.io/helm-charts',
    upstreamRelease: 'prometheus-community/helm-charts kube-prometheus-stack 92.3.0 (Prometheus Operator v0.94.1): a third-party Renovate review '
      + 'of 2026-10-10 merged 91.9.0 -> 92.3.0 after reading the chart PRs (92.0.0 defaults nodeSelector kubernetes.io/os: linux on the '
      + 'Linux-only workloads, chart PR #7344; 92.1.0 to 92.3.0 only bump the Grafana subchart; no CRD change, no values migration; a render '
      + 'diff of 91.9.0 and 92.3.0 differed only in five nodeSelector lines); 92.0.0 and 92.1.0 installed as appVersion v0.94.1 on 2026-10-07',
    releaseDate: '2026-10-10',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-10-10, the earliest dated evidence of 92.3.0 (the chart\'s own release date was not read); no '
      + 'kube-prometheus-stack after 92.3.0 was found on 2026-12-06 (newest evidence 2026-10-10). Majors crossed from 88.x, from the chart\'s '
      + 'UPGRADE.md as quoted by third parties (2026-09-08, 2026-09-15, 2026-10-01): 89 moves the Grafana subchart to v13 (off here); 90 gives '
      + 'the control-plane ServiceMonitors a bearer token from a Secret the chart creates (prometheus.serviceAccount.createTokenSecret, default '
      + 'true) and removes bearerTokenFile/insecureSkipVerify/serverName/caSecret (none set here; the Prometheus service account is created, '
      + 'as 90 requires); 91 moves Prometheus Operator to v0.94.0 with a ClusterRole without wildcard verbs and new CRDs; 92 as above. Helm '
      + 'does not upgrade CRDs: a cluster installed at 88.x needs the v0.94.1 monitoring.coreos.com CRDs applied (server side) before this '
      + 'chart upgrade (README: Upgrading)',
  };

  /**
   * `loki` 18.14.0 from the grafana-community repository, where the Loki chart moved in 2026;
   * `loki-stack` is deprecated.
   */
  public static readonly LOKI: VersionPin = {
    name: 'loki',
    kind: PinKind.HELM_CHART,
    version: '18.14.0',
    repository: 'https://grafana-community.github.io/helm-charts',
    upstreamRelease: 'grafana-community/helm-charts loki 18.14.0: installed from the chart repository (deploymentMode Monolithic, the values '
      + 'shape used here) in a third-party guide whose logs are dated 2026-10-08; the 18.13 line before it: 18.13.5 (sha256-pinned beside '
      + 'kube-prometheus-stack 91.7.0, 2026-09-26), 18.13.7 (Loki 3.7.8)',
    releaseDate: '2026-10-08',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-10-08, the earliest dated evidence (the chart\'s own date and appVersion were not read; 18.13.7 '
      + 'ships Loki 3.7.8); a minor of the 18.x chart: no upgrade note applies. No loki chart after 18.14.0 was found on 2026-12-06. '
      + 'deploymentMode Monolithic (one binary, S3 storage); loki-stack is deprecated and not used',
  };

  /**
   * `grafana` 13.5.0 from the grafana-community repository. Chart 13 runs the `distroless` Grafana
   * image with a read-only root filesystem.
   */
  public static readonly GRAFANA: VersionPin = {
    name: 'grafana',
    kind: PinKind.HELM_CHART,
    version: '13.5.0',
    repository: 'https://grafana-community.github.io/helm-charts',
    upstreamRelease: 'grafana-community/helm-charts grafana 13.5.0: a third-party Renovate review of 2026-10-10 merged grafana chart 13.2.7 -> '
      + '13.5.0 (minor); 13.2.7 (Grafana 13.2.3, a security release with three fixes, published 2026-09-29) before it; the 12 -> 13 major is '
      + 'grafana-community/helm-charts PR #756 (release grafana-13.0.0, out by 2026-08-28)',
    releaseDate: '2026-10-10',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-10-10, the earliest dated evidence; its appVersion was not seen (13.2.7 ships Grafana 13.2.3). '
      + 'No grafana chart after 13.5.0 was found on 2026-12-06. The 13.0.0 upgrade notes (chart README "To 13.0.0", quoted in a third-party '
      + 'upgrade plan): the container runs the distroless image with readOnlyRootFilesystem and /tmp as an emptyDir; GF_*__FILE variables and '
      + 'GF_INSTALL_PLUGINS are not supported on it. These values set none: the GitHub client secret is read with $__file{} in grafana.ini, '
      + 'persistence is off, no plugins are installed. Security: Grafana 13.2.3 (in 13.2.7 and later) fixes three advisories of 13.2.2; '
      + 'their identifiers were not found in the corpora',
  };

  /** `fluent-bit` 0.58.2 (Fluent Bit 5.1.2), the log shipper. */
  public static readonly FLUENT_BIT: VersionPin = {
    name: 'fluent-bit',
    kind: PinKind.HELM_CHART,
    version: '0.58.2',
    repository: 'https://fluent.github.io/helm-charts',
    upstreamRelease: 'fluent/helm-charts fluent-bit 0.58.2 (fluent/helm-charts PR #755 "Update image to 5.1.2", after #752 made 0.58.1 with '
      + '5.1.1 on 2026-08-17); its release asset fluent-bit-0.58.2.tgz downloaded and sha256-recorded by a third-party build of 2026-09-18',
    releaseDate: '2026-09-18',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-09-18, the earliest dated evidence (the PR date was not read); an image patch of the same chart. '
      + 'No fluent-bit chart after 0.58.2 was found on 2026-12-06 (newest evidence 2026-09-18, older than two months)',
  };

  /**
   * `opentelemetry-operator` 0.123.1 (operator 0.159.0; its default collector image is the
   * `opentelemetry-collector-k8s` distribution 0.159.0). Its admission webhooks take a certificate
   * the chart generates (`autoGenerateCert`), so the operator needs no cert-manager.
   */
  public static readonly OPENTELEMETRY_OPERATOR: VersionPin = {
    name: 'opentelemetry-operator',
    kind: PinKind.HELM_CHART,
    version: '0.123.1',
    repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    upstreamRelease: 'open-telemetry/opentelemetry-helm-charts opentelemetry-operator 0.123.1 (appVersion 0.159.0, collector-k8s image '
      + '0.159.0): the newest stable chart in the repository\'s index for a third-party install of 2026-09-29; operator release '
      + 'open-telemetry/opentelemetry-operator PR #5599 "Prepare release 0.159.0" (2026-09-14)',
    releaseDate: '2026-09-29',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-09-29, the earliest dated evidence of the chart. A later 0.124.1 was seen in an undated install '
      + 'script (appVersion not seen) and is not pinned. The CRD schemas the proof gate validates against come from chart 0.122.0 '
      + '(tools/proof/schemas); the 0.123.1 CRDs were not compared with them. The operator\'s own NetworkPolicies are feature '
      + 'gates (operator.networkpolicy, operand.networkpolicy); a third-party install of 0.123.1 found them on and had to turn them off on a '
      + 'cluster whose API server is reached through its ClusterIP. Admission webhook certificate generated by the chart (certManager.enabled '
      + 'false): no cert-manager needed',
  };

  /**
   * `tempo` 2.4.0, the single-binary chart, from the grafana-community repository where the Tempo
   * charts moved in 2026; the 3.x chart is Tempo 3 with restructured values.
   */
  public static readonly TEMPO: VersionPin = {
    name: 'tempo',
    kind: PinKind.HELM_CHART,
    version: '2.4.0',
    repository: 'https://grafana-community.github.io/helm-charts',
    upstreamRelease: 'grafana-community/helm-charts tempo 2.4.0: installed with grafana chart 13.2.7 (published 2026-09-29) in a third-party '
      + 'lab script; 2.3.0 before it with the same tempo.* values (retention, reportingEnabled, storage); 2.2.4 was Tempo 2.10.8',
    releaseDate: '2026-09-29',
    kubernetesVersions: BOTH,
    note: 'release date: not read; 2026-09-29 is the publication of grafana chart 13.2.7, which the same undated script installs, so the '
      + 'evidence is no older than that. The appVersion was not read. A minor of the 2.x chart: no upgrade note applies. Not taken: tempo 3.0.0 and 3.1.0 (seen from 2026-09 to 2026-10-08), Tempo 3 with a '
      + 'restructured chart ("the chart was restructured for 3.0", the local_blocks processor dropped), whose upgrade notes were not read. '
      + 'Single binary with S3 storage, like Loki; tempo-distributed (3.3.0, Tempo 3.0.3) is the scale-out option',
  };

  /** Every entry of the catalogue. */
  public static all(): VersionPin[] {
    return [
      ObservabilityVersions.KUBE_PROMETHEUS_STACK,
      ObservabilityVersions.LOKI,
      ObservabilityVersions.GRAFANA,
      ObservabilityVersions.FLUENT_BIT,
      ObservabilityVersions.OPENTELEMETRY_OPERATOR,
      ObservabilityVersions.TEMPO,
    ];
  }

  private constructor() {}
}
