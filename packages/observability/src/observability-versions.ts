import { PinKind, VersionPin } from '@keelson/eks-core';

const BOTH = ['1.35', '1.36'];

/**
 * observability's version catalogue: every Helm chart it installs, each with
 * the chart repository's `index.yaml` entry it was read from (chart version,
 * app version, the `created` date, `kubeVersion`). `VERSIONS.md` is generated
 * from it (the package tests fail while it is stale).
 */
export class ObservabilityVersions {
  /**
   * `kube-prometheus-stack` 88.5.4: Prometheus Operator v0.93.1, with kube-state-metrics 8.4.0 and
   * prometheus-node-exporter 4.56.1 as its pinned subcharts.
   */
  public static readonly KUBE_PROMETHEUS_STACK: VersionPin = {
    name: 'kube-prometheus-stack',
    kind: PinKind.HELM_CHART,
    version: '88.5.4',
    repository: 'https://prometheus-community.github.io/helm-charts',
    upstreamRelease: 'prometheus-community/helm-charts index.yaml entry kube-prometheus-stack 88.5.4 (appVersion v0.93.1, '
      + 'dependencies kube-state-metrics 8.4.0 and prometheus-node-exporter 4.56.1, kubeVersion >=1.25.0-0)',
    releaseDate: '2026-08-23',
    kubernetesVersions: BOTH,
    note: 'its Grafana subchart is off: Grafana is installed from its own pinned chart',
  };

  /**
   * `loki` 18.11.0 (Loki 3.7.6) from the grafana-community repository, where the Loki chart moved
   * in 2026; `loki-stack` is deprecated.
   */
  public static readonly LOKI: VersionPin = {
    name: 'loki',
    kind: PinKind.HELM_CHART,
    version: '18.11.0',
    repository: 'https://grafana-community.github.io/helm-charts',
    upstreamRelease: 'grafana-community/helm-charts index.yaml entry loki 18.11.0 (appVersion 3.7.6, kubeVersion >=1.25.0-0)',
    releaseDate: '2026-08-20',
    kubernetesVersions: BOTH,
    note: 'deploymentMode Monolithic (one binary, S3 storage); loki-stack is deprecated and not used',
  };

  /** `grafana` 12.11.1 (Grafana 13.2.0) from the grafana-community repository. */
  public static readonly GRAFANA: VersionPin = {
    name: 'grafana',
    kind: PinKind.HELM_CHART,
    version: '12.11.1',
    repository: 'https://grafana-community.github.io/helm-charts',
    upstreamRelease: 'grafana-community/helm-charts index.yaml entry grafana 12.11.1 (appVersion 13.2.0, kubeVersion ^1.25.0-0)',
    releaseDate: '2026-08-19',
    kubernetesVersions: BOTH,
  };

  /** `fluent-bit` 0.58.1 (Fluent Bit 5.1.1), the log shipper. */
  public static readonly FLUENT_BIT: VersionPin = {
    name: 'fluent-bit',
    kind: PinKind.HELM_CHART,
    version: '0.58.1',
    repository: 'https://fluent.github.io/helm-charts',
    upstreamRelease: 'fluent/helm-charts index.yaml entry fluent-bit 0.58.1 (appVersion 5.1.1)',
    releaseDate: '2026-08-17',
    kubernetesVersions: BOTH,
  };

  /** Every entry of the catalogue. */
  public static all(): VersionPin[] {
    return [
      ObservabilityVersions.KUBE_PROMETHEUS_STACK,
      ObservabilityVersions.LOKI,
      ObservabilityVersions.GRAFANA,
      ObservabilityVersions.FLUENT_BIT,
    ];
  }

  private constructor() {}
}
