import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Validate min/max replicas of a ScaledObject. */
export function checkReplicas(scope: IConstruct, min: number, max: number): void {
  PropsCheck.inRange(scope, 'minReplicas', min, 0, 1000);
  PropsCheck.inRange(scope, 'maxReplicas', max, 1, 1000);
  if (!Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
    PropsCheck.fail(scope, 'minReplicas/maxReplicas', `minReplicas ${min} is above maxReplicas ${max}`, 'set minReplicas <= maxReplicas');
  }
}

/** The scale target of a ScaledObject. */
export function scaleTargetRef(name: string, kind: string): Record<string, string> {
  return { apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1', kind, name };
}

export const SCALE_TARGET_KINDS = ['Deployment', 'StatefulSet', 'Rollout'];

export function checkKind(scope: IConstruct, kind: string): void {
  if (!SCALE_TARGET_KINDS.includes(kind)) {
    PropsCheck.fail(scope, 'scaleTargetKind', `"${kind}" cannot be scaled by Keelson's scalers`, `use one of ${SCALE_TARGET_KINDS.join(', ')}`);
  }
}
