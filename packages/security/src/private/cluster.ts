import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Fail unless every value is a Kubernetes namespace name. */
export function checkNamespaceNames(scope: IConstruct, field: string, names: string[]): void {
  for (const n of names) {
    if (Token.isUnresolved(n)) continue;
    if (n.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n)) {
      PropsCheck.fail(scope, field, `"${n}" is not a Kubernetes namespace name`, 'use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit');
    }
  }
}

/** Pods and the controllers that create them: what most Gatekeeper workload policies match. */
export const WORKLOAD_KINDS = [
  { apiGroups: [''], kinds: ['Pod'] },
  { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] },
  { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
];
