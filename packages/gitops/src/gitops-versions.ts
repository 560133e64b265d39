import { PinKind, VersionPin } from '@keelson/eks-core';

const BOTH = ['1.35', '1.36'];
const ARGO_HELM = 'https://argoproj.github.io/argo-helm';
const INDEX = 'argoproj/argo-helm index.yaml (gh-pages branch, last updated 2026-07-02)';

/**
 * @keelson/gitops' version catalogue: every Helm chart it pins, each with the
 * upstream release it corresponds to and that release's date. Nothing is
 * looked up at synth. `VERSIONS.md` is generated from it (the package tests
 * fail while it is stale).
 */
export class GitOpsVersions {
  /**
   * `argo-cd` chart 10.1.1 (Argo CD v3.4.4): the newest entry of the chart repository's index.
   * The 10.x line creates the components' NetworkPolicies by default (`global.networkPolicy.create`).
   */
  public static readonly ARGO_CD: VersionPin = {
    name: 'argo-cd',
    kind: PinKind.HELM_CHART,
    version: '10.1.1',
    repository: ARGO_HELM,
    upstreamRelease: `${INDEX}: argo-cd 10.1.1, appVersion v3.4.4, kubeVersion >=1.25.0-0, redis-ha 4.38.0`,
    releaseDate: '2026-07-02',
    kubernetesVersions: BOTH,
    note: 'the index lists no chart with an Argo CD 3.5.x appVersion; 10.1.1 / v3.4.4 is the newest published',
  };

  /** `argo-rollouts` chart 2.41.0 (Argo Rollouts v1.9.0). */
  public static readonly ARGO_ROLLOUTS: VersionPin = {
    name: 'argo-rollouts',
    kind: PinKind.HELM_CHART,
    version: '2.41.0',
    repository: ARGO_HELM,
    upstreamRelease: `${INDEX}: argo-rollouts 2.41.0, appVersion v1.9.0`,
    releaseDate: '2026-06-05',
    kubernetesVersions: BOTH,
  };

  /** `argocd-image-updater` chart 1.2.4 (Argo CD Image Updater v1.2.2, the `ImageUpdater` custom resource). */
  public static readonly ARGOCD_IMAGE_UPDATER: VersionPin = {
    name: 'argocd-image-updater',
    kind: PinKind.HELM_CHART,
    version: '1.2.4',
    repository: ARGO_HELM,
    upstreamRelease: `${INDEX}: argocd-image-updater 1.2.4, appVersion v1.2.2`,
    releaseDate: '2026-06-26',
    kubernetesVersions: BOTH,
  };

  /** Every entry of the catalogue. */
  public static all(): VersionPin[] {
    return [GitOpsVersions.ARGO_CD, GitOpsVersions.ARGO_ROLLOUTS, GitOpsVersions.ARGOCD_IMAGE_UPDATER];
  }

  private constructor() {}
}
