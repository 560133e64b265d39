/** How workloads join the mesh. */
export enum MeshDataplaneMode {
  /**
   * Ambient mode (GA, recommended for new installs): ztunnel on every node
   * carries mTLS for enrolled namespaces (`istio.io/dataplane-mode=ambient`),
   * no sidecars.
   */
  AMBIENT = 'AMBIENT',
  /** Sidecar mode: an Envoy sidecar injected into each pod of enrolled namespaces (`istio-injection=enabled`). */
  SIDECAR = 'SIDECAR',
}
