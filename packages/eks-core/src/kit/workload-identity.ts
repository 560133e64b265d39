/** How a Kubernetes service account obtains its IAM role. */
export enum WorkloadIdentity {
  /**
   * IAM Roles for Service Accounts: the role trusts the cluster's IAM OIDC
   * provider for one `system:serviceaccount:<namespace>:<name>` subject.
   */
  IRSA = 'IRSA',
  /**
   * EKS Pod Identity: the role trusts `pods.eks.amazonaws.com` and an
   * `AWS::EKS::PodIdentityAssociation` binds it to the service account
   * (needs the EKS Pod Identity agent add-on).
   */
  POD_IDENTITY = 'POD_IDENTITY',
}
