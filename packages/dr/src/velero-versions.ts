/**
 * The Velero chart and AWS plugin Keelson pins.
 */
export class VeleroVersions {
  /** The vmware-tanzu Helm repository. */
  public static readonly CHART_REPOSITORY = 'https://vmware-tanzu.github.io/helm-charts';
  /** The chart name. */
  public static readonly CHART = 'velero';
  /**
   * vmware-tanzu/helm-charts release `velero-12.1.0`: Velero 1.18.1
   * (appVersion), whose compatibility matrix covers Kubernetes 1.18 to latest
   * (so 1.36).
   */
  public static readonly CHART_VERSION = '12.1.0';
  /**
   * `velero/velero-plugin-for-aws` v1.14.0: the plugin line for Velero 1.18.x
   * (plugin v1.13.x ↔ Velero 1.17.x, v1.14.x ↔ 1.18.x, per the plugin's
   * compatibility table; aws-sdk-go-v2, so EKS Pod Identity credentials work).
   */
  public static readonly AWS_PLUGIN_IMAGE = 'velero/velero-plugin-for-aws:v1.14.0';

  private constructor() {}
}
