/** Who can reach the cluster's Kubernetes API endpoint. */
export enum EndpointAccessMode {
  /**
   * Private endpoint for nodes and in-VPC callers, plus a public endpoint
   * restricted to `publicAccessCidrs`.
   */
  PUBLIC_AND_PRIVATE = 'PUBLIC_AND_PRIVATE',
  /** Private endpoint only: reachable from the VPC (and networks routed to it). */
  PRIVATE = 'PRIVATE',
}
