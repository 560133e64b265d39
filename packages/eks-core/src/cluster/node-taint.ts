import * as eks from 'aws-cdk-lib/aws-eks-v2';

/** A Kubernetes taint on every node of a pool. */
export interface NodeTaint {
  /** Taint key, for example `CriticalAddonsOnly`. */
  readonly key: string;
  /** Taint value, for example `true`. */
  readonly value: string;
  /** Taint effect. */
  readonly effect: eks.TaintEffect;
}
