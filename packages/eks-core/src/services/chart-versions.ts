/**
 * Pinned Helm chart versions of the in-cluster platform services. Nothing is
 * looked up at synth: a version changes only when this table (or a prop)
 * changes. Each was checked for Kubernetes 1.36 (the default cluster version),
 * November 2026.
 */
export class ChartVersions {
  /**
   * `cluster-autoscaler` chart 9.58.0 (https://kubernetes.github.io/autoscaler). Its default image
   * is older than the cluster, so Keelson sets the image tag to
   * {@link ChartVersions.CLUSTER_AUTOSCALER_IMAGE_TAG}: Cluster Autoscaler minor versions must
   * match the Kubernetes minor version.
   */
  public static readonly CLUSTER_AUTOSCALER = '9.58.0';

  /**
   * Cluster Autoscaler image tag: upstream release `cluster-autoscaler-1.36.1`
   * (kubernetes/autoscaler, published 2026-07-23), built for Kubernetes 1.36.
   */
  public static readonly CLUSTER_AUTOSCALER_IMAGE_TAG = 'v1.36.1';

  /**
   * `aws-load-balancer-controller` chart 1.17.0 (https://aws.github.io/eks-charts), app v2.17.0
   * (kubernetes-sigs/aws-load-balancer-controller release v2.17.0; supports the Kubernetes
   * versions EKS supports, 1.36 included). The IAM policy in `policies/` is that release's
   * `docs/install/iam_policy.json`.
   */
  public static readonly AWS_LOAD_BALANCER_CONTROLLER = '1.17.0';

  /**
   * `external-secrets` chart 2.10.0 (https://charts.external-secrets.io), upstream release
   * `helm-chart-2.10.0` / app v2.10.0 (external-secrets/external-secrets, August 2026);
   * serves `external-secrets.io/v1`.
   */
  public static readonly EXTERNAL_SECRETS = '2.10.0';

  /**
   * `metrics-server` chart 3.13.1 (https://kubernetes-sigs.github.io/metrics-server), app
   * v0.8.1 (kubernetes-sigs/metrics-server release `metrics-server-helm-chart-3.13.1`).
   */
  public static readonly METRICS_SERVER = '3.13.1';

  /**
   * `keda` chart 2.21.1 (https://kedacore.github.io/charts), upstream release "KEDA Chart:
   * v2.21.1" (kedacore/charts, 16 Nov 2026), app v2.21.1; `spec.advanced.scalingModifiers`
   * has been stable since KEDA 2.15.
   */
  public static readonly KEDA = '2.21.1';

  private constructor() {}
}
