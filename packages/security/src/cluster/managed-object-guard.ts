import { KeelsonLabels, KeelsonTags } from '@keelson/conventions';
import { ClusterAccessGroups, PlatformNamespaces } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** Properties of {@link ManagedObjectGuard}. */
export interface ManagedObjectGuardProps {
  /** The cluster's namespace registry: service accounts of its workload namespaces are refused too. */
  readonly namespaces: PlatformNamespaces;
}

/**
 * A ValidatingAdmissionPolicy (`admissionregistration.k8s.io/v1`, CEL) and
 * its binding that refuse to create, change or delete any object labelled
 * `app.kubernetes.io/managed-by: keelson` (the platform's NetworkPolicies,
 * Roles, quotas, stores...) when the request comes from the developer or
 * read-only persona (their access entries' Kubernetes groups,
 * `ClusterAccessGroups`) or from a service account of a workload namespace.
 * Developers may edit NetworkPolicies in their namespaces (their own), but
 * not delete the platform's default-deny. Administrators, the deployer and
 * the platform's controllers are not affected.
 */
export class ManagedObjectGuard extends Construct {
  /** Name of the policy and of its binding. */
  public static readonly NAME = 'keelson-protect-managed-objects';
  /** Key of the label that marks an object as the platform's. */
  public static readonly LABEL_KEY = KeelsonLabels.MANAGED_BY_KEY;
  /** Its value. */
  public static readonly LABEL_VALUE = KeelsonLabels.MANAGED_BY_VALUE;

  /** The CEL expression that is true when the requester may not touch a managed object. */
  public readonly restrictedExpression: string;
  /** The policy and binding. */
  public readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: ManagedObjectGuardProps) {
    super(scope, id);
    KeelsonTags.component(this, 'managed-object-guard');
    const groups = [ClusterAccessGroups.DEVELOPERS, ClusterAccessGroups.READ_ONLY];
    const workloadAccounts = props.namespaces.workloadNamespaces.map((ns) => `system:serviceaccount:${ns}:`);
    this.restrictedExpression = [
      `(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${JSON.stringify(groups)}))`,
      `${JSON.stringify(workloadAccounts)}.exists(p, request.userInfo.username.startsWith(p))`,
    ].join(' || ');
    const labels = KeelsonLabels.component('managed-object-guard');
    this.manifest = new eks.KubernetesManifest(this, 'Policy', {
      cluster: props.namespaces.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicy',
          metadata: { name: ManagedObjectGuard.NAME, labels },
          spec: {
            failurePolicy: 'Fail',
            matchConstraints: {
              // On DELETE the old object's labels match; a change that drops the label matches too.
              objectSelector: { matchLabels: { [ManagedObjectGuard.LABEL_KEY]: ManagedObjectGuard.LABEL_VALUE } },
              resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['*'] }],
            },
            variables: [{ name: 'restricted', expression: this.restrictedExpression }],
            validations: [{
              expression: '!variables.restricted',
              message: `objects labelled ${ManagedObjectGuard.LABEL_KEY}=${ManagedObjectGuard.LABEL_VALUE} belong to the platform; ask a platform administrator to change them`,
              reason: 'Forbidden',
            }],
          },
        },
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicyBinding',
          metadata: { name: ManagedObjectGuard.NAME, labels },
          spec: { policyName: ManagedObjectGuard.NAME, validationActions: ['Deny'] },
        },
      ],
    });
  }
}
