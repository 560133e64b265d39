import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IConstruct } from 'constructs';
import { CRITICAL_ADDONS_TAINT, SYSTEM_POOL_LABEL } from './pool-defaults';
import { WorkloadIdentity } from '../workload-identity';
import { WorkloadRole } from '../workload-role';

/** Pod scheduling for platform controllers: the system pool, tolerating its taint. */
export const SYSTEM_SCHEDULING = {
  nodeSelector: { [SYSTEM_POOL_LABEL.key]: SYSTEM_POOL_LABEL.value },
  tolerations: [{ key: CRITICAL_ADDONS_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }],
};

/** The annotation IRSA reads on a service account. */
export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * The service account of a controller, created here (not by its chart) so the
 * role binding is visible in one place: annotated with the role ARN under
 * IRSA, plain under Pod Identity (the association does the binding).
 * When `createNamespace` is set, the Namespace is applied in the same manifest.
 */
export function serviceAccountManifest(scope: Construct, id: string, cluster: eks.ICluster, role: WorkloadRole,
  component: string, namespace?: Record<string, any>): eks.KubernetesManifest {
  const sa = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: role.serviceAccount,
      namespace: role.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'keelson', 'app.kubernetes.io/component': component },
      ...(role.identity === WorkloadIdentity.IRSA ? { annotations: { [IRSA_ANNOTATION]: role.role.roleArn } } : {}),
    },
  };
  const manifest = new eks.KubernetesManifest(scope, id, {
    cluster,
    manifest: namespace ? [namespace, sa] : [sa],
    overwrite: true,
  });
  manifest.node.addDependency(role);
  return manifest;
}

/** A plain Namespace object. */
export function namespaceObject(name: string, labels: Record<string, string> = {}): Record<string, any> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** Fail unless `version` looks like a Helm chart version (semver, optional leading v). */
export function checkChartVersion(scope: IConstruct, field: string, version: string): void {
  if (Token.isUnresolved(version)) return;
  if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    PropsCheck.fail(scope, field, `"${version}" is not a Helm chart version`, 'pin an exact chart version such as 1.2.3 (no ranges, no "latest")');
  }
}

/** Fail unless the value is a Kubernetes DNS label. */
export function checkDnsLabel(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (value.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    PropsCheck.fail(scope, field, `"${value}" is not a Kubernetes name`, 'use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit');
  }
}
