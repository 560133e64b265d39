import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * A Kubernetes version Keelson supports, paired with the kubectl Lambda layer
 * (kubectl + helm) the cluster's kubectl provider must run with.
 *
 * The default is the newest EKS version for which `@aws-cdk/lambda-layer-kubectl-v*`
 * is published, and stays within N-1 of the newest version aws-cdk-lib knows.
 */
export class PlatformKubernetesVersion {
  /** Kubernetes 1.36 with `@aws-cdk/lambda-layer-kubectl-v36`. */
  public static readonly V1_36 = new PlatformKubernetesVersion('1.36', (scope, id) => new KubectlV36Layer(scope, id));

  /** Kubernetes 1.35 (N-1) with `@aws-cdk/lambda-layer-kubectl-v35`. */
  public static readonly V1_35 = new PlatformKubernetesVersion('1.35', (scope, id) => new KubectlV35Layer(scope, id));

  /**
   * The versions Keelson supports, newest first (N and N-1), each with the kubectl layer
   * Keelson ships for it. The one list every package reads: the version catalogues check
   * their shared pins for these versions, and the reference app's config accepts these.
   * Adding a version: its static above, its place here, and its version-specific pins in
   * `EksCoreVersions` (a test fails while a supported version lacks one).
   */
  /* eslint-disable @typescript-eslint/member-ordering -- KNOWN precedes DEFAULT, its first entry: static fields initialize in order */
  private static readonly KNOWN = [PlatformKubernetesVersion.V1_36, PlatformKubernetesVersion.V1_35];

  /** The version a `PlatformCluster` runs when given none: the newest supported. */
  public static readonly DEFAULT = PlatformKubernetesVersion.KNOWN[0];

  /** The versions Keelson ships a kubectl layer for, newest first (N and N-1). */
  public static supported(): PlatformKubernetesVersion[] {
    return [...PlatformKubernetesVersion.KNOWN];
  }

  /**
   * The names (`1.<minor>`) of the supported versions, newest first: what the version
   * catalogues' shared pins are checked for and what a configuration may choose.
   */
  public static supportedNames(): string[] {
    return PlatformKubernetesVersion.supported().map((v) => v.version);
  }

  /**
   * Another Kubernetes version, with the kubectl layer for it (for example a
   * `KubectlV35Layer` from `@aws-cdk/lambda-layer-kubectl-v35`, created in your stack).
   *
   * A version without a layer fails at synth: the kubectl provider cannot run without one.
   *
   * @param version `1.<minor>`, for example `1.35`
   * @param kubectlLayer the kubectl layer matching the version
   */
  public static of(version: string, kubectlLayer?: lambda.ILayerVersion): PlatformKubernetesVersion {
    // A version Keelson ships a layer for needs none from the caller.
    const known = PlatformKubernetesVersion.supported().find((v) => v.version === version);
    if (known && !kubectlLayer) return known;
    return new PlatformKubernetesVersion(version, kubectlLayer ? () => kubectlLayer : undefined);
  }
  /* eslint-enable @typescript-eslint/member-ordering */

  private constructor(
    /** The version string, `1.<minor>`. */
    public readonly version: string,
    private readonly layerFactory?: (scope: Construct, id: string) => lambda.ILayerVersion,
  ) {}

  /** The minor version number (`36` for `1.36`), or NaN when the version is malformed. */
  public get minor(): number {
    const m = /^1\.(\d+)$/.exec(this.version);
    return m ? Number(m[1]) : NaN;
  }

  /** The version as aws-cdk-lib's `KubernetesVersion`. */
  public get eksVersion(): eks.KubernetesVersion {
    return eks.KubernetesVersion.of(this.version);
  }

  /** True when this version carries a kubectl layer. */
  public get hasKubectlLayer(): boolean {
    return this.layerFactory !== undefined;
  }

  /**
   * The kubectl layer for this version, created under `scope` when Keelson
   * ships it, or the layer given to `of()`.
   *
   * @returns the layer, or undefined when the version has none
   */
  public kubectlLayer(scope: Construct, id: string): lambda.ILayerVersion | undefined {
    return this.layerFactory?.(scope, id);
  }
}
