import { DnsLabel, KeelsonLabels, PropsCheck } from '@keelson/conventions';
import { CfnJson, Token, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { WorkloadIdentity } from './workload-identity';

/** The annotation IRSA reads on a service account. */
const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Properties of a {@link WorkloadRole}. */
export interface WorkloadRoleProps {
  /** The cluster the service account lives in. */
  readonly cluster: eks.ICluster;

  /** The service account's namespace. */
  readonly namespace: string;

  /** The service account's name. */
  readonly serviceAccount: string;

  /**
   * How the service account obtains the role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Inline permissions of the role.
   *
   * @default - none
   */
  readonly statements?: iam.PolicyStatement[];

  /**
   * Managed policies attached to the role (prefer `statements`; a managed
   * policy needs a cdk-nag acknowledgement with its reason).
   *
   * @default - none
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * The role's description.
   *
   * @default - `<namespace>/<serviceAccount> workload role`
   */
  readonly description?: string;
}

/**
 * An IAM role bound to one Kubernetes service account, through IRSA or EKS
 * Pod Identity. Every Keelson controller gets its AWS permissions this way.
 *
 * - IRSA: trust the cluster's OIDC provider with `StringEquals` on
 *   `<issuer>:sub = system:serviceaccount:<ns>:<sa>` and
 *   `<issuer>:aud = sts.amazonaws.com` (keys are tokens, so a `CfnJson` carries them).
 * - Pod Identity: trust `pods.eks.amazonaws.com` for `sts:AssumeRole` and
 *   `sts:TagSession` only for sessions tagged with this cluster's ARN, the
 *   namespace and the service account (`aws:RequestTag/eks-cluster-arn`,
 *   `kubernetes-namespace`, `kubernetes-service-account`), and create an
 *   `AWS::EKS::PodIdentityAssociation`.
 *
 * The service account itself is created by whatever installs the workload
 * (a Helm chart or an EKS add-on).
 */
export class WorkloadRole extends Construct {
  /** The IAM role. */
  public readonly role: iam.Role;
  /** The namespace of the service account. */
  public readonly namespace: string;
  /** The name of the service account. */
  public readonly serviceAccount: string;
  /** How the service account obtains the role. */
  public readonly identity: WorkloadIdentity;
  /** The Pod Identity association (POD_IDENTITY only). */
  public readonly podIdentityAssociation?: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: WorkloadRoleProps) {
    super(scope, id);
    PropsCheck.dnsLabel(this, 'namespace', props.namespace);
    checkServiceAccountName(this, props.serviceAccount);
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    this.identity = props.identity ?? WorkloadIdentity.POD_IDENTITY;

    const principal = this.identity === WorkloadIdentity.IRSA
      ? this.irsaPrincipal(props.cluster)
      // Pod Identity tags each session with the association's cluster, namespace and service
      // account: without these conditions any association in the account could assume the role.
      : new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
        StringEquals: {
          'aws:RequestTag/eks-cluster-arn': props.cluster.clusterArn,
          'aws:RequestTag/kubernetes-namespace': props.namespace,
          'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
        },
      }));

    this.role = new iam.Role(this, 'Role', {
      assumedBy: principal,
      description: props.description ?? `${props.namespace}/${props.serviceAccount} workload role`,
      managedPolicies: props.managedPolicies,
    });
    for (const statement of props.statements ?? []) {
      this.role.addToPrincipalPolicy(statement);
    }
    Validations.of(this.role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'A workload role\'s statements belong to exactly one service account; inline keeps them deleted with the role and never attachable elsewhere (the one-to-one case IAM recommends inline policies for)',
    });

    if (this.identity === WorkloadIdentity.POD_IDENTITY) {
      this.podIdentityAssociation = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
        clusterName: props.cluster.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.roleArn,
      });
    }
  }

  /**
   * The ServiceAccount object bound to this role, for a workload installed
   * without a chart that creates it: under IRSA it carries the role ARN
   * annotation; under Pod Identity the association does the binding.
   *
   * @param component the `app.kubernetes.io/component` label
   */
  public serviceAccountObject(component: string): { [key: string]: any } {
    return {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: this.serviceAccount,
        namespace: this.namespace,
        labels: KeelsonLabels.component(component),
        ...(this.identity === WorkloadIdentity.IRSA ? { annotations: { [IRSA_ANNOTATION]: this.role.roleArn } } : {}),
      },
    };
  }

  private irsaPrincipal(cluster: eks.ICluster): iam.IPrincipal {
    const provider = cluster.openIdConnectProvider;
    const issuer = provider.openIdConnectProviderIssuer;
    const conditions = new CfnJson(this, 'IrsaConditions', {
      value: {
        [`${issuer}:sub`]: `system:serviceaccount:${this.namespace}:${this.serviceAccount}`,
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      },
    });
    return new iam.OpenIdConnectPrincipal(provider, { StringEquals: conditions });
  }
}

/** A ServiceAccount name is a DNS subdomain: DNS labels joined by dots, at most 253 characters. */
function checkServiceAccountName(scope: Construct, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (value.length > 253 || !value.split('.').every((label) => DnsLabel.isValid(label))) {
    PropsCheck.fail(scope, 'serviceAccount', `"${value}" is not a Kubernetes name`, 'use at most 253 lowercase letters, digits, hyphens and dots, each part starting and ending with a letter or digit');
  }
}
