import { PinKind, VersionPin } from './kit/version-pin';

const BOTH = ['1.35', '1.36'];

/**
 * eks-core's version catalogue: every Helm chart, image and EKS managed
 * add-on it pins, and the Kubernetes versions it supports, each with the
 * upstream release it corresponds to and that release's date. Nothing is
 * looked up at synth: a version changes only when this catalogue (or a prop)
 * changes. `VERSIONS.md` is generated from it (the package tests fail while
 * it is stale), and a test fails when an entry lacks its upstream release or date.
 *
 * Add-on builds that differ by Kubernetes version are pinned once per
 * version (`addonVersion(name, kubernetesVersion)`); adding a Kubernetes
 * version means adding its entries here (and its kubectl layer in
 * `PlatformKubernetesVersion`).
 */
export class EksCoreVersions {
  /** Kubernetes 1.36 (the default), with `@aws-cdk/lambda-layer-kubectl-v36`. */
  public static readonly KUBERNETES_1_36: VersionPin = {
    name: 'kubernetes',
    kind: PinKind.KUBERNETES,
    version: '1.36',
    repository: '@aws-cdk/lambda-layer-kubectl-v36',
    upstreamRelease: 'Kubernetes v1.36.0 (kubernetes.io release blog, 2026-04-22); npm @aws-cdk/lambda-layer-kubectl-v36 2.0.1 (published 2026-08-12)',
    releaseDate: '2026-04-22',
    kubernetesVersions: ['1.36'],
  };

  /** Kubernetes 1.35 (N-1), with `@aws-cdk/lambda-layer-kubectl-v35`. */
  public static readonly KUBERNETES_1_35: VersionPin = {
    name: 'kubernetes',
    kind: PinKind.KUBERNETES,
    version: '1.35',
    repository: '@aws-cdk/lambda-layer-kubectl-v35',
    upstreamRelease: 'Kubernetes v1.35.0 (kubernetes.io release blog, 2025-12-17); npm @aws-cdk/lambda-layer-kubectl-v35 2.2.2 (published 2026-07-17)',
    releaseDate: '2025-12-17',
    kubernetesVersions: ['1.35'],
  };

  /** `cluster-autoscaler` chart 9.58.0. */
  public static readonly CLUSTER_AUTOSCALER: VersionPin = {
    name: 'cluster-autoscaler',
    kind: PinKind.HELM_CHART,
    version: '9.58.0',
    repository: 'https://kubernetes.github.io/autoscaler',
    upstreamRelease: 'kubernetes/autoscaler tag cluster-autoscaler-chart-9.58.0',
    releaseDate: '2026-06-19',
    kubernetesVersions: BOTH,
    note: 'its default image is older than the cluster: the image tag comes from CLUSTER_AUTOSCALER_IMAGE for the cluster\'s minor version',
  };

  /** Cluster Autoscaler image for Kubernetes 1.36 (its minor version must match the cluster's). */
  public static readonly CLUSTER_AUTOSCALER_IMAGE_1_36: VersionPin = {
    name: 'cluster-autoscaler',
    kind: PinKind.IMAGE,
    version: 'v1.36.1',
    repository: 'registry.k8s.io/autoscaling/cluster-autoscaler',
    upstreamRelease: 'kubernetes/autoscaler tag cluster-autoscaler-1.36.1',
    releaseDate: '2026-07-22',
    kubernetesVersions: ['1.36'],
  };

  /** Cluster Autoscaler image for Kubernetes 1.35. */
  public static readonly CLUSTER_AUTOSCALER_IMAGE_1_35: VersionPin = {
    name: 'cluster-autoscaler',
    kind: PinKind.IMAGE,
    version: 'v1.35.2',
    repository: 'registry.k8s.io/autoscaling/cluster-autoscaler',
    upstreamRelease: 'kubernetes/autoscaler tag cluster-autoscaler-1.35.2',
    releaseDate: '2026-07-22',
    kubernetesVersions: ['1.35'],
  };

  /**
   * `aws-load-balancer-controller` chart 3.5.0 (app v3.5.0: from 3.0.0 the chart version equals the
   * app version). The IAM policy in `policies/` is that release's `docs/install/iam_policy.json`.
   */
  public static readonly AWS_LOAD_BALANCER_CONTROLLER: VersionPin = {
    name: 'aws-load-balancer-controller',
    kind: PinKind.HELM_CHART,
    version: '3.5.0',
    repository: 'https://aws.github.io/eks-charts',
    upstreamRelease: 'kubernetes-sigs/aws-load-balancer-controller tag v3.5.0 (helm/aws-load-balancer-controller/Chart.yaml version 3.5.0, appVersion v3.5.0; eks-charts 1.x -> 3.x in aws/eks-charts#1297)',
    releaseDate: '2026-08-03',
    kubernetesVersions: BOTH,
    note: 'policies/aws-load-balancer-controller.json is docs/install/iam_policy.json of v3.5.0',
  };

  /** `external-secrets` chart 2.10.0 (app v2.10.0, serves `external-secrets.io/v1`). */
  public static readonly EXTERNAL_SECRETS: VersionPin = {
    name: 'external-secrets',
    kind: PinKind.HELM_CHART,
    version: '2.10.0',
    repository: 'https://charts.external-secrets.io',
    upstreamRelease: 'external-secrets/external-secrets release helm-chart-2.10.0 / v2.10.0 (follows helm-chart-2.9.0 of 2026-08-08)',
    releaseDate: '2026-08-28',
    kubernetesVersions: BOTH,
    note: 'release date: the day downstream chart-update PRs picked it up; the stored upstream snapshot ends at 2.9.0',
  };

  /** `metrics-server` chart 3.13.1 (app v0.8.1). */
  public static readonly METRICS_SERVER: VersionPin = {
    name: 'metrics-server',
    kind: PinKind.HELM_CHART,
    version: '3.13.1',
    repository: 'https://kubernetes-sigs.github.io/metrics-server',
    upstreamRelease: 'kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.13.1 (app v0.8.1)',
    releaseDate: '2026-06-11',
    kubernetesVersions: BOTH,
  };

  /**
   * `keda` chart 2.21.0 (app v2.21.0; `spec.advanced.scalingModifiers` stable since KEDA 2.15): 2.21
   * carries security fixes that no 2.20.x patch has.
   */
  public static readonly KEDA: VersionPin = {
    name: 'keda',
    kind: PinKind.HELM_CHART,
    version: '2.21.0',
    repository: 'https://kedacore.github.io/charts',
    upstreamRelease: 'KEDA v2.21.0 and chart keda 2.21.0 (appVersion 2.21.0, in a third-party catalogue next to kyverno 3.9.1 and argo-cd 10.9.2); '
      + 'release assets keda-2.21.0.yaml and images ghcr.io/kedacore/keda:2.21.0 in third-party pins re-verified 2026-09-23, a dated '
      + 'compatibility matrix of 2026-09-25 citing the v2.21.0 release (tested upstream with Kubernetes 1.34-1.36), a scan report of 2026-10-06',
    releaseDate: '2026-09-23',
    kubernetesVersions: BOTH,
    note: 'release date: the earliest dated third-party pin found (the tag date itself was not read). Newest evidence 2026-10 (a guide checked in '
      + 'October 2026 against v2.21.0 calls v2.22 unreleased); no 2.21.x patch was found. Breaking changes: the kedacore/keda CHANGELOG at the '
      + 'stored snapshot (2026-08-20, before the release) lists none for 2.21 and deprecates only the Liiklus scaler; Keelson uses the prometheus '
      + 'and aws-sqs-queue scalers, a TriggerAuthentication with podIdentity provider aws / identityOwner keda (not the boundServiceAccountToken '
      + 'provider whose token audience the 2026-09-25 matrix flags for review, kedacore/keda#8108), and the chart values serviceAccount.operator, '
      + 'podIdentity.aws.irsa and prometheus.operator, all present in '
      + 'kedacore/charts keda/values.yaml at that snapshot; the 2.21.0 release notes and values.yaml themselves were not read. Security: the same '
      + 'CHANGELOG puts the fix of CVE-2026-42151, CVE-2026-42154 and CVE-2026-40179 (kedacore/keda#7868) after v2.20.2, i.e. in 2.21',
  };

  /** Karpenter chart 1.13.0 (APIs `karpenter.sh/v1`, `karpenter.k8s.aws/v1`; the first line whose maximum Kubernetes version is 1.36). */
  public static readonly KARPENTER: VersionPin = {
    name: 'karpenter',
    kind: PinKind.HELM_CHART,
    version: '1.13.0',
    repository: 'oci://public.ecr.aws/karpenter/karpenter',
    upstreamRelease: 'aws/karpenter-provider-aws tag v1.13.0 (kubernetes-sigs/karpenter v1.13.0)',
    releaseDate: '2026-06-10',
    kubernetesVersions: BOTH,
  };

  /** The CloudWatch Observability add-on (Container Insights), 6.x line offered for EKS 1.35 and 1.36. */
  public static readonly CLOUDWATCH_OBSERVABILITY: VersionPin = {
    name: 'amazon-cloudwatch-observability',
    kind: PinKind.EKS_ADDON,
    version: 'v6.4.0-eksbuild.1',
    upstreamRelease: 'aws-observability/helm-charts tag amazon-cloudwatch-observability-6.4.0 (the chart the add-on packages; 6.2.0 of 2026-05-29 opened the 6.x line)',
    releaseDate: '2026-07-21',
    kubernetesVersions: BOTH,
    note: 'build suffix not confirmed by AWS documentation: the CloudWatch user guide names v6.0.1-eksbuild.1 and v6.2.0-eksbuild.1 of this line, and the chart\'s RELEASE_NOTES list no EKS build; v6.4.0-eksbuild.1 is read only from third-party captures of aws eks describe-addon-versions --kubernetes-version 1.36 (ap-southeast-1, 2026-08-08 and 2026-09-18, the latter listing v6.5.0-eksbuild.1 and v6.6.0-eksbuild.1 as newer); run that command before relying on the pin',
  };

  /** `vpc-cni`: Amazon VPC CNI plugin v1.22.4. */
  public static readonly VPC_CNI: VersionPin = addon('vpc-cni', 'v1.22.4-eksbuild.3', 'aws/amazon-vpc-cni-k8s tag v1.22.4', '2026-07-08');

  /** `aws-ebs-csi-driver`: EBS CSI driver v1.63.1. */
  public static readonly EBS_CSI_DRIVER: VersionPin = addon('aws-ebs-csi-driver', 'v1.63.1-eksbuild.1', 'kubernetes-sigs/aws-ebs-csi-driver tag v1.63.1', '2026-07-27');

  /** `eks-pod-identity-agent`: EKS Pod Identity agent v1.3.10. */
  public static readonly POD_IDENTITY_AGENT: VersionPin = addon('eks-pod-identity-agent', 'v1.3.10-eksbuild.3',
    'EKS add-on build as an EKS 1.36 cluster resolved it; its agent is aws/eks-pod-identity-agent tag v0.1.37, the newest agent release', '2026-03-17');

  /** `snapshot-controller`: CSI external-snapshotter v8.4.0 (Velero's CSI snapshots need it). */
  public static readonly SNAPSHOT_CONTROLLER: VersionPin = addon('snapshot-controller', 'v8.4.0-eksbuild.3', 'kubernetes-csi/external-snapshotter tag v8.4.0', '2025-10-23');

  /**
   * `coredns`: CoreDNS v1.14.3. EKS ships one CoreDNS build for adjacent Kubernetes versions
   * (the EKS user guide lists one build for 1.33 and 1.34), so 1.35 and 1.36 share it.
   */
  public static readonly COREDNS: VersionPin = addon('coredns', 'v1.14.3-eksbuild.16', 'coredns/coredns tag v1.14.3', '2026-04-22');

  /** `kube-proxy` for Kubernetes 1.36 (follows the cluster's minor version). */
  public static readonly KUBE_PROXY_1_36: VersionPin = addon('kube-proxy', 'v1.36.0-eksbuild.21', 'kubernetes/kubernetes v1.36.0 (kubernetes.io release blog)', '2026-04-22', ['1.36']);

  /** `kube-proxy` for Kubernetes 1.35. */
  public static readonly KUBE_PROXY_1_35: VersionPin = addon('kube-proxy', 'v1.35.0-eksbuild.2', 'kubernetes/kubernetes v1.35.0 (kubernetes.io release blog)', '2025-12-17', ['1.35']);

  /** Every entry of the catalogue. */
  public static all(): VersionPin[] {
    return [
      EksCoreVersions.KUBERNETES_1_36, EksCoreVersions.KUBERNETES_1_35,
      EksCoreVersions.CLUSTER_AUTOSCALER, EksCoreVersions.CLUSTER_AUTOSCALER_IMAGE_1_36, EksCoreVersions.CLUSTER_AUTOSCALER_IMAGE_1_35,
      EksCoreVersions.AWS_LOAD_BALANCER_CONTROLLER, EksCoreVersions.EXTERNAL_SECRETS, EksCoreVersions.METRICS_SERVER,
      EksCoreVersions.KEDA, EksCoreVersions.KARPENTER,
      EksCoreVersions.CLOUDWATCH_OBSERVABILITY, EksCoreVersions.VPC_CNI, EksCoreVersions.EBS_CSI_DRIVER,
      EksCoreVersions.POD_IDENTITY_AGENT, EksCoreVersions.SNAPSHOT_CONTROLLER,
      EksCoreVersions.COREDNS, EksCoreVersions.KUBE_PROXY_1_36, EksCoreVersions.KUBE_PROXY_1_35,
    ];
  }

  /**
   * The pinned entry of `name` of `kind` checked for `kubernetesVersion`.
   *
   * @returns the entry, or undefined when Keelson pins none for that version
   */
  public static find(kind: PinKind, name: string, kubernetesVersion: string): VersionPin | undefined {
    return EksCoreVersions.all().find((p) => p.kind === kind && p.name === name && p.kubernetesVersions.includes(kubernetesVersion));
  }

  /**
   * The pinned version of an EKS managed add-on for a Kubernetes version.
   *
   * @param name the add-on name (`coredns`, `kube-proxy`, `vpc-cni`...)
   * @param kubernetesVersion `1.<minor>`
   * @returns the version, or undefined when Keelson pins none for that version
   */
  public static addonVersion(name: string, kubernetesVersion: string): string | undefined {
    return EksCoreVersions.find(PinKind.EKS_ADDON, name, kubernetesVersion)?.version;
  }

  /**
   * The Cluster Autoscaler image tag for a Kubernetes version (Cluster
   * Autoscaler minor versions must match the cluster's).
   *
   * @returns the tag, or undefined when Keelson pins none for that version
   */
  public static clusterAutoscalerImageTag(kubernetesVersion: string): string | undefined {
    return EksCoreVersions.find(PinKind.IMAGE, 'cluster-autoscaler', kubernetesVersion)?.version;
  }

  private constructor() {}
}

function addon(name: string, version: string, upstreamRelease: string, releaseDate: string, kubernetesVersions = BOTH): VersionPin {
  return { name, kind: PinKind.EKS_ADDON, version, upstreamRelease, releaseDate, kubernetesVersions };
}
