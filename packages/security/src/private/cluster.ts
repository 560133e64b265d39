import { PropsCheck } from '@keelson/conventions';
import { IConstruct } from 'constructs';

/** Fail unless every value is a Kubernetes namespace name. */
export function checkNamespaceNames(scope: IConstruct, field: string, names: string[]): void {
  for (const n of names) PropsCheck.dnsLabel(scope, field, n);
}

/** Pods and the controllers that create them: what most Gatekeeper workload policies match. */
export const WORKLOAD_KINDS = [
  { apiGroups: [''], kinds: ['Pod'] },
  { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] },
  { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
];
