import { KeelsonLabels, PropsCheck } from '@keelson/conventions';
import { IConstruct } from 'constructs';
import { PodSecurityLevel } from '../kit/pod-security-level';

/** The workload namespaces `PlatformNamespaces` creates, and the namespaces developers may edit, when given none. */
export const DEFAULT_WORKLOAD_NAMESPACES = ['dev', 'staging', 'production'];

/** Namespaces Kubernetes/EKS manage: Keelson never creates or labels them. */
export const PROTECTED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];

/**
 * A Namespace object with Keelson's labels and the Pod Security Standards
 * labels: `enforce` at `level`, `audit` and `warn` always `restricted`.
 */
export function namespaceObject(name: string, labels: Record<string, string>, level: PodSecurityLevel): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        ...labels,
        ...KeelsonLabels.managed(),
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
        'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
      },
    },
  };
}

/** Fail unless the value is a Kubernetes DNS label. */
export function checkDnsLabel(scope: IConstruct, field: string, value: string): void {
  PropsCheck.dnsLabel(scope, field, value);
}
