import { MeshVersions } from '../mesh-versions';

/**
 * An image for the sample services with what they need to know to run it:
 * spread it into `SampleMeshApplicationProps` or `MeshServiceProps`.
 */
export interface SampleImage {
  /** The image, pinned. */
  readonly image: string;
  /** The HTTP port it serves on. */
  readonly port: number;
  /** Its liveness path. */
  readonly healthPath: string;
  /** Its readiness path. */
  readonly readinessPath: string;
  /** A numeric non-root user to run it as (its own user is named, not numbered). */
  readonly runAsUser: number;
}

/** Images known to run the sample services. */
export class SampleImages {
  /**
   * podinfo (`MeshVersions.PODINFO`, by digest): liveness on `/healthz`,
   * readiness on `/readyz`, port 9898; its image runs `USER app`, a name
   * the kubelet cannot check against `runAsNonRoot`, so it runs as 65532.
   */
  public static readonly PODINFO: SampleImage = {
    image: MeshVersions.PODINFO_IMAGE,
    port: 9898,
    healthPath: '/healthz',
    readinessPath: '/readyz',
    runAsUser: 65532,
  };

  private constructor() {}
}
