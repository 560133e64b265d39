import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { ExternalSecretOptions, ExternalSecretsOperator } from './external-secrets';
import { externalSecretObject } from '../private/external-secret-object';

/** Properties of {@link ExternalSecret}. */
export interface ExternalSecretProps extends ExternalSecretOptions {
  /** The operator that syncs it: its path prefix bounds `remoteRef`, its ClusterSecretStores serve it. */
  readonly operator: ExternalSecretsOperator;
}

/**
 * An ExternalSecret (`external-secrets.io/v1`): a Kubernetes Secret in
 * `namespace` filled from one remote secret (or parameter) under the
 * operator's path prefix, applied after the operator's ClusterSecretStores.
 *
 * Create it in the scope of the component that consumes the Secret: it
 * deploys in that component's stack, which may be another than the
 * operator's (an in-cluster layer stack installing into a cluster whose stack
 * runs the operator) and then depends on it.
 * `ExternalSecretsOperator.addExternalSecret` creates one in the operator's
 * scope.
 */
export class ExternalSecret extends eks.KubernetesManifest {
  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id, { cluster: props.operator.cluster, overwrite: true, manifest: [externalSecretObject(scope, id, props)] });
    this.node.addDependency(props.operator.stores);
  }
}
