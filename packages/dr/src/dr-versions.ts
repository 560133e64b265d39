import { PinKind, PlatformKubernetesVersion, VersionPin } from '@keelson/eks-core';

/**
 * dr's version catalogue: the Velero chart and the Velero AWS plugin image,
 * each with its upstream release and date. `VERSIONS.md` is generated from
 * it (the package tests fail while it is stale). The `snapshot-controller`
 * add-on Velero needs comes from eks-core's catalogue (`EksCoreVersions`).
 */
export class DrVersions {
  /** The `velero` chart 12.2.1 (Velero 1.18.2, whose compatibility matrix covers Kubernetes 1.18 to latest). */
  public static readonly VELERO: VersionPin = {
    name: 'velero',
    kind: PinKind.HELM_CHART,
    version: '12.2.1',
    repository: 'https://vmware-tanzu.github.io/helm-charts',
    upstreamRelease: 'vmware-tanzu/helm-charts tag velero-12.2.1, appVersion 1.18.2 (helm list of a third-party install, 2026-10-08: '
      + 'CHART velero-12.2.1, APP VERSION 1.18.2); velero-12.2.0 also ships 1.18.2',
    releaseDate: '2026-10-08',
    kubernetesVersions: PlatformKubernetesVersion.supportedNames(),
    note: 'release date: first seen installed (the tag date was not read); no chart after 12.2.1 was found (evidence under three months old). '
      + 'Velero images up to v1.18.4 exist, but no chart read ships them: the chart\'s appVersion is what runs',
  };

  /**
   * The Velero AWS plugin v1.14.4: the plugin line for Velero 1.18.x (plugin v1.13.x goes with
   * Velero 1.17.x, v1.14.x with 1.18.x); aws-sdk-go-v2, so EKS Pod Identity credentials work.
   */
  public static readonly VELERO_AWS_PLUGIN: VersionPin = {
    name: 'velero-plugin-for-aws',
    kind: PinKind.IMAGE,
    version: 'v1.14.4',
    repository: 'velero/velero-plugin-for-aws',
    upstreamRelease: 'velero-io/velero-plugin-for-aws v1.14.4 (image velero/velero-plugin-for-aws:v1.14.4, paired with chart 12.2.0 / Velero 1.18.2 '
      + 'in a third-party compatibility table and with chart 12.2.1 in the 2026-10-08 install; v1.14.3 also exists)',
    releaseDate: '2026-10-01',
    kubernetesVersions: PlatformKubernetesVersion.supportedNames(),
    note: 'release date: the earliest dated third-party use found (a catalogue measured 2026-10-01 pins v1.14.4); the tag date was not read; no v1.14.5 was found',
  };

  /** Every entry of the catalogue. */
  public static all(): VersionPin[] {
    return [DrVersions.VELERO, DrVersions.VELERO_AWS_PLUGIN];
  }

  /** The plugin image reference (`<repository>:<version>`). */
  public static get veleroAwsPluginImage(): string {
    return `${DrVersions.VELERO_AWS_PLUGIN.repository}:${DrVersions.VELERO_AWS_PLUGIN.version}`;
  }

  private constructor() {}
}
