import { PinKind, VersionPin } from '@keelson/eks-core';

const BOTH = ['1.35', '1.36'];

/**
 * `@keelson/security`'s version catalogue: every Helm chart the in-cluster
 * security installs, each with the upstream release it was read from (the
 * chart repository's `index.yaml`) and that release's date. `VERSIONS.md` is
 * generated from it (the package tests fail while it is stale).
 */
export class SecurityVersions {
  /** OPA Gatekeeper chart 3.23.0 (app v3.23.0): Rego v1 ConstraintTemplates need 3.19 or later. */
  public static readonly GATEKEEPER: VersionPin = {
    name: 'gatekeeper',
    kind: PinKind.HELM_CHART,
    version: '3.23.0',
    repository: 'https://open-policy-agent.github.io/gatekeeper/charts',
    upstreamRelease: 'open-policy-agent/gatekeeper tag v3.23.0; gh-pages charts/index.yaml entry gatekeeper 3.23.0 (appVersion v3.23.0, created 2026-07-09); newer only 3.24.0-beta.0',
    releaseDate: '2026-07-09',
    kubernetesVersions: BOTH,
    note: 'ConstraintTemplates use source.version v1 (Rego v1), available from Gatekeeper 3.19',
  };

  /** Kyverno chart 3.9.0 (app v1.19.0): serves `policies.kyverno.io/v1` ImageValidatingPolicy. */
  public static readonly KYVERNO: VersionPin = {
    name: 'kyverno',
    kind: PinKind.HELM_CHART,
    version: '3.9.0',
    repository: 'https://kyverno.github.io/kyverno',
    upstreamRelease: 'kyverno/kyverno tags v1.19.0 and kyverno-chart-3.9.0; gh-pages index.yaml entry kyverno 3.9.0 (appVersion v1.19.0, created 2026-08-20)',
    releaseDate: '2026-08-20',
    kubernetesVersions: BOTH,
    note: 'ImageValidatingPolicy schema: config/crds/policies.kyverno.io/policies.kyverno.io_imagevalidatingpolicies.yaml at v1.19.0',
  };

  /** Every entry, for the generated versions table and the catalogue checks. */
  public static all(): VersionPin[] {
    return [SecurityVersions.GATEKEEPER, SecurityVersions.KYVERNO];
  }

  private constructor() {}
}
