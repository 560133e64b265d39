import { PinKind, PlatformKubernetesVersion, VersionPin } from '@keelson/eks-core';

const BOTH = PlatformKubernetesVersion.supportedNames();
const ARGO_HELM = 'https://argoproj.github.io/argo-helm';

/**
 * @keelson/gitops' version catalogue: every Helm chart it pins, each with the
 * upstream release it corresponds to and that release's date. Nothing is
 * looked up at synth. `VERSIONS.md` is generated from it (the package tests
 * fail while it is stale).
 */
export class GitOpsVersions {
  /**
   * `argo-cd` chart 10.10.2 (Argo CD v3.5.4). The 10.x line creates the components' NetworkPolicies by
   * default (`global.networkPolicy.create`). Argo CD 3.5 rather than the 3.4 line on purpose: argo-helm
   * publishes one chart line that follows the newest Argo CD (10.3.3 moved it to v3.5.1), so no chart
   * ships the 3.4 line's newest patches (v3.4.9, v3.4.10); and v3.5.4 is the newest 3.5 patch.
   */
  public static readonly ARGO_CD: VersionPin = {
    name: 'argo-cd',
    kind: PinKind.HELM_CHART,
    version: '10.10.2',
    repository: ARGO_HELM,
    upstreamRelease: 'argoproj/argo-helm tag argo-cd-10.10.2, appVersion v3.5.4 (a dependency review of 2026-10-10 moving Argo CD / chart '
      + '3.5.1 / 10.3.3 -> 3.5.4 / 10.10.2); argo-cd-10.10.0 installs app v3.5.4 (helm list, 2026-10-07); argo-cd-10.9.1 of 2026-09-14 shipped v3.5.3',
    releaseDate: '2026-10-07',
    kubernetesVersions: BOTH,
    note: 'release date: v3.5.4 / chart 10.10.0 as first seen installed (2026-10-07); 10.10.2 was selected as newest on 2026-10-10 (its tag date '
      + 'not read). No chart after 10.10.2 and no Argo CD after v3.5.4 was found (evidence under three months old). 3.4 -> 3.5 upgrade notes '
      + '(docs/operator-manual/upgrading/3.4-3.5.md) read: Helm 4.2 with plain-HTTP OCI registries needing insecureOCIForceHttp, UI extensions '
      + 'rebuilt for React 19, gRPC EventList type, impersonation extended to server operations, SSH known_hosts from argocd-ssh-known-hosts-cm, '
      + 'GnuPG verification replaced by Source Integrity; Keelson uses none of these (HTTPS Git and Helm repositories, no impersonation, no '
      + 'signature keys, no UI extensions), so its values are unchanged; the 10.10.2 values.yaml itself was not read',
  };

  /**
   * `argo-rollouts` chart 2.43.5 (Argo Rollouts v1.10.0): the 1.10 line, which follows v1.9.1 (the
   * security fix for the critical and high findings in v1.9.0's image, argoproj/argo-rollouts#4667).
   */
  public static readonly ARGO_ROLLOUTS: VersionPin = {
    name: 'argo-rollouts',
    kind: PinKind.HELM_CHART,
    version: '2.43.5',
    repository: ARGO_HELM,
    upstreamRelease: 'argoproj/argo-helm tag argo-rollouts-2.43.5 (cited as the chart of a third-party Argo CD 3.5.1 extension); '
      + 'argo-rollouts-2.43.0 Chart.yaml appVersion v1.10.0 (read by a downstream bump 2.41.1 -> 2.43.0, which also names 2.42.0); '
      + 'kubectl-argo-rollouts v1.10.0 BuildDate 2026-08-27',
    releaseDate: '2026-08-27',
    kubernetesVersions: BOTH,
    note: 'release date: v1.10.0\'s build date; the 2.43.5 tag date and its appVersion were not read (every v1.10 image found is v1.10.0). '
      + 'Chosen over 2.41.1 (v1.9.1, the 1.9 security patch): v1.10.0 release notes cite no breaking changes, and the downstream bump found every '
      + 'controller/dashboard value path unchanged at 2.43.0; Keelson\'s values (installCRDs, keepCRDs, serviceAccount, controller.*, providerRBAC, '
      + 'dashboard.enabled) are top-level keys of the 2.41 values.yaml',
  };

  /** `argocd-image-updater` chart 1.3.1 (Argo CD Image Updater v1.3.0, the `ImageUpdater` custom resource). */
  public static readonly ARGOCD_IMAGE_UPDATER: VersionPin = {
    name: 'argocd-image-updater',
    kind: PinKind.HELM_CHART,
    version: '1.3.1',
    repository: ARGO_HELM,
    upstreamRelease: 'argoproj/argo-helm tag argocd-image-updater-1.3.1 (charts/argocd-image-updater/Chart.yaml; renders image '
      + 'quay.io/argoprojlabs/argocd-image-updater:v1.3.0) and argoproj-labs/argocd-image-updater release v1.3.0, pinned by a third-party design '
      + 'researched 2026-10-05/06',
    releaseDate: '2026-10-05',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-10-05, the earliest dated evidence (the tag date was not read); no chart after 1.3.1 was found. '
      + 'Keelson\'s ImageUpdater objects stay argocd-image-updater.argoproj.io/v1alpha1, the version the v1.3.0 design above uses',
  };

  /** Every entry of the catalogue. */
  public static all(): VersionPin[] {
    return [GitOpsVersions.ARGO_CD, GitOpsVersions.ARGO_ROLLOUTS, GitOpsVersions.ARGOCD_IMAGE_UPDATER];
  }

  private constructor() {}
}
