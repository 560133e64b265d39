import { PinKind, PlatformKubernetesVersion, VersionPin } from '@keelson/eks-core';

/**
 * finops's version catalogue: the Kubecost and OpenCost charts, each with its
 * upstream release and date. `VERSIONS.md` is generated from it (the package
 * tests fail while it is stale).
 */
export class FinOpsVersions {
  /**
   * The `kubecost` chart 3.2.4 (Kubecost 3.x: the chart renamed from `cost-analyzer`, ClickHouse
   * store, metrics collected by the bundled finops-agent, no Prometheus).
   */
  public static readonly KUBECOST: VersionPin = {
    name: 'kubecost',
    kind: PinKind.HELM_CHART,
    version: '3.2.4',
    repository: 'https://kubecost.github.io/kubecost',
    upstreamRelease: 'kubecost/kubecost 3.2.4: "the reviewed stable chart/app is 3.2.4" with its chart URL kubecost.github.io/kubecost/'
      + 'kubecost-3.2.4.tgz in a third-party EKS guide last updated 2026-09-12 (a 3.3 release candidate existed and was not used); the 3.2 '
      + 'patch line before it: Kubecost Operator 3.2.1 (2026-06-12) and 3.2.3 (2026-08-13) in redhat-openshift-ecosystem/certified-operators',
    releaseDate: '2026-09-12',
    kubernetesVersions: PlatformKubernetesVersion.supportedNames(),
    note: 'release date: on or before 2026-09-12, the earliest dated evidence (the tag date was not read); a patch of the 3.2 chart. No stable '
      + 'Kubecost after 3.2.4 was found on 2026-12-06; kubecost/kubecost PR #4765 (2026-08-21) documents 3.3 with Kubernetes up to 1.36 in '
      + 'its support matrix, but no 3.3 release was found. The 3.0 README lists Kubernetes 1.29 to 1.34 as tested; 1.35 and 1.36 are '
      + 'outside that stated range for 3.2 (untested upstream, not known to fail).',
  };

  /**
   * The `opencost` chart 2.5.28 (OpenCost 1.12x; the exact appVersion of 2.5.28 was not read).
   */
  public static readonly OPENCOST: VersionPin = {
    name: 'opencost',
    kind: PinKind.HELM_CHART,
    version: '2.5.28',
    repository: 'https://opencost.github.io/opencost-helm-chart',
    upstreamRelease: 'opencost/opencost-helm-chart tag opencost-2.5.28, pinned by a third-party two-cluster OpenCost design dated 2026-07-30; '
      + 'the stored upstream snapshot ends at opencost-2.5.17 (2026-04-28, appVersion 1.120.1)',
    releaseDate: '2026-07-30',
    kubernetesVersions: PlatformKubernetesVersion.supportedNames(),
    note: 'release date: on or before 2026-07-30, the earliest dated evidence (older than three months). opencost-2.5.29 (OpenCost 1.121.1) also '
      + 'exists but no dated evidence of it was found, so it is not pinned. A patch line of the same 2.x chart: the 2.5.28 values.yaml was not read '
      + '(the stored snapshot\'s newest is 2.5.17)',
  };

  /** Every entry of the catalogue. */
  public static all(): VersionPin[] {
    return [FinOpsVersions.KUBECOST, FinOpsVersions.OPENCOST];
  }

  private constructor() {}
}
