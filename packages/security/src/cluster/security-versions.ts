import { PinKind, PlatformKubernetesVersion, VersionPin } from '@keelson/eks-core';

const BOTH = PlatformKubernetesVersion.supportedNames();

/**
 * `@keelson/security`'s version catalogue: every Helm chart the in-cluster
 * security installs, each with the upstream release it was read from (the
 * chart repository's `index.yaml`) and that release's date. `VERSIONS.md` is
 * generated from it (the package tests fail while it is stale).
 */
export class SecurityVersions {
  /**
   * OPA Gatekeeper chart 3.23.1 (app v3.23.1), the fixes and security backports on 3.23.0: Rego v1
   * ConstraintTemplates need 3.19 or later.
   */
  public static readonly GATEKEEPER: VersionPin = {
    name: 'gatekeeper',
    kind: PinKind.HELM_CHART,
    version: '3.23.1',
    repository: 'https://open-policy-agent.github.io/gatekeeper/charts',
    upstreamRelease: 'open-policy-agent/gatekeeper v3.23.1: sighupio/module-policy PR #140 "gatekeeper 3.23.1" (merged 2026-09-15: "fixes and '
      + 'security backports on top of the 3.23.0 feature release"; the Deployments change only in the image tag); chart gatekeeper-3.23.1.tgz '
      + 'from the chart repository in a third-party study of 2026-09-19; 3.23.0 was created 2026-07-09 (gh-pages charts/index.yaml)',
    releaseDate: '2026-09-15',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-09-15, the earliest dated evidence (the tag date was not read). No Gatekeeper after 3.23.1 was found '
      + 'on 2026-12-06 other than 3.24.0-beta.0 (a pre-release, not pinned). CRDs against 3.23.0 (the same PR): assign, assignimage and '
      + 'modifyset gain an optional spec.applyTo[].operations field; expansiontemplate and constrainttemplates change only descriptions and '
      + 'indentation, so the ConstraintTemplate and Config schemas the proof gate reads (from 3.23.0) still hold. The advisories the backports '
      + 'fix were not named in the evidence. ConstraintTemplates use source.version v1 (Rego v1), available from Gatekeeper 3.19',
  };

  /**
   * Kyverno chart 3.9.1 (app v1.19.1): serves `policies.kyverno.io/v1` ImageValidatingPolicy. The
   * v1.19.1 patch is a security release for v1.19.0; one of its advisories is an ImageValidatingPolicy
   * exception bypass, the policy kind `ImageSignaturePolicy` ships.
   */
  public static readonly KYVERNO: VersionPin = {
    name: 'kyverno',
    kind: PinKind.HELM_CHART,
    version: '3.9.1',
    repository: 'https://kyverno.github.io/kyverno',
    upstreamRelease: 'kyverno/kyverno v1.19.1 with chart 3.9.1: downstream bumps v1.19.0 -> v1.19.1 (Helm chart 3.9.1) in Siemens-Healthineers/K2s '
      + '#3097 (2026-09-10) and #3120 (merged, 2026-09-13), chart 3.8.1 -> 3.9.1 in sighupio/module-policy #141 (2026-09-15)',
    releaseDate: '2026-09-10',
    kubernetesVersions: BOTH,
    note: 'evidence read 2026-12-06 in the issue and code corpora: no chart after 3.9.1 and no Kyverno after v1.19.1 was found (newest evidence of 3.9.1: '
      + '2026-09-15, under three months old). Security: v1.19.1 fixes advisories of v1.19.0, among them an ImageValidatingPolicy exception bypass '
      + '(the class kyverno/policies#1530 reported against v1.19.0 on 2026-08-26: a PolicyException with spec.images exempts every image of the Pod); '
      + 'the advisory identifiers were not found in the corpora. ImageValidatingPolicy objects are checked against the v1.19.0 CRD '
      + '(config/crds/policies.kyverno.io/policies.kyverno.io_imagevalidatingpolicies.yaml); the v1.19.1 CRD was not compared',
  };

  /** Falco chart 9.2.0 (app 0.45.0), run with the modern eBPF driver. */
  public static readonly FALCO: VersionPin = {
    name: 'falco',
    kind: PinKind.HELM_CHART,
    version: '9.2.0',
    repository: 'https://falcosecurity.github.io/charts',
    upstreamRelease: 'falcosecurity/charts tag falco-9.2.0 (charts/falco/Chart.yaml appVersion 0.45.0, read by third-party pins; helm list of a '
      + 'third-party install: 0.45.0 (chart falco-9.2.0); a review of 2026-09-26 ran it; falco-9.2.0-rc1 preceded it)',
    releaseDate: '2026-09-26',
    kubernetesVersions: BOTH,
    note: 'release date: on or before 2026-09-26, the earliest dated evidence (the tag date was not read); no chart after 9.2.0 was found. '
      + 'driver.kind modern_ebpf; its falcosidekick subchart stays off, Falcosidekick is its own pinned release',
  };

  /** Falcosidekick chart 0.14.0 (app 2.31.1). */
  public static readonly FALCOSIDEKICK: VersionPin = {
    name: 'falcosidekick',
    kind: PinKind.HELM_CHART,
    version: '0.14.0',
    repository: 'https://falcosecurity.github.io/charts',
    upstreamRelease: 'falcosecurity/charts tag falcosidekick-0.14.0 (appVersion 2.31.1); gh-pages index.yaml entry falcosidekick 0.14.0 (created 2026-06-17)',
    releaseDate: '2026-06-17',
    kubernetesVersions: BOTH,
    note: 'config.existingSecret carries SLACK_WEBHOOKURL from an ExternalSecret; the chart\'s own Secret holds only non-secret settings. '
      + 'Re-checked 2026-12-06: no falcosidekick chart after 0.14.0 was found in the issue and code corpora (newest evidence 2026-08, under four months)',
  };

  /** Every entry, for the generated versions table and the catalogue checks. */
  public static all(): VersionPin[] {
    return [SecurityVersions.GATEKEEPER, SecurityVersions.KYVERNO, SecurityVersions.FALCO, SecurityVersions.FALCOSIDEKICK];
  }

  private constructor() {}
}
