import { PinKind, VersionPin } from '@keelson/eks-core';

/**
 * dr's version catalogue: the Velero chart and the Velero AWS plugin image,
 * each with its upstream release and date. `VERSIONS.md` is generated from
 * it (the package tests fail while it is stale). The `snapshot-controller`
 * add-on Velero needs comes from eks-core's catalogue (`EksCoreVersions`).
 */
export class DrVersions {
  /** The `velero` chart 12.1.0 (Velero 1.18.1, whose compatibility matrix covers Kubernetes 1.18 to latest). */
  public static readonly VELERO: VersionPin = {
    name: 'velero',
    kind: PinKind.HELM_CHART,
    version: '12.1.0',
    repository: 'https://vmware-tanzu.github.io/helm-charts',
    upstreamRelease: 'vmware-tanzu/helm-charts tag velero-12.1.0 (charts/velero/Chart.yaml appVersion 1.18.1, kubeVersion >=1.16.0-0)',
    releaseDate: '2026-06-25',
    kubernetesVersions: ['1.35', '1.36'],
  };

  /**
   * The Velero AWS plugin v1.14.2: the plugin line for Velero 1.18.x (plugin v1.13.x goes with
   * Velero 1.17.x, v1.14.x with 1.18.x); aws-sdk-go-v2, so EKS Pod Identity credentials work.
   */
  public static readonly VELERO_AWS_PLUGIN: VersionPin = {
    name: 'velero-plugin-for-aws',
    kind: PinKind.IMAGE,
    version: 'v1.14.2',
    repository: 'velero/velero-plugin-for-aws',
    upstreamRelease: 'velero-io/velero-plugin-for-aws tag v1.14.2 (v1.14.0 of 2026-03-06 opened the line for Velero 1.18)',
    releaseDate: '2026-06-16',
    kubernetesVersions: ['1.35', '1.36'],
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
