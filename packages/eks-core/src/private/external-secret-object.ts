import { PropsCheck } from '@keelson/conventions';
import { Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkDnsLabel } from './services';
// Used at call time only: the operator's module imports ExternalSecret, which imports this.
import { ExternalSecretOptions, ExternalSecretsOperator, SecretStoreKind } from '../services/external-secrets';

/**
 * The ExternalSecret object, after checking the options; `field` names them
 * in a failure (`<field>.remoteRef`).
 */
export function externalSecretObject(
  scope: Construct, field: string, props: ExternalSecretOptions & { operator: ExternalSecretsOperator },
): Record<string, any> {
  const { operator } = props;
  checkDnsLabel(scope, `${field}.namespace`, props.namespace);
  checkDnsLabel(scope, `${field}.name`, props.name);
  if (props.secretKeys.length === 0) {
    PropsCheck.fail(scope, `${field}.secretKeys`, 'no keys are listed', 'list at least one { secretKey, property? }');
  }
  const parameterStore = props.store === SecretStoreKind.PARAMETER_STORE;
  const remote = parameterStore ? props.remoteRef.replace(/^\//, '') : props.remoteRef;
  if (!Token.isUnresolved(remote) && !remote.startsWith(operator.pathPrefix)) {
    PropsCheck.fail(scope, `${field}.remoteRef`, `"${props.remoteRef}" is outside the path prefix ${operator.pathPrefix}, which the operator cannot read`,
      `store it under ${operator.pathPrefix} or change pathPrefix`);
  }
  operator._admitPlatformSecret(scope, field, props.namespace, remote);
  const refresh = props.refreshInterval ?? Duration.hours(1);
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: props.name, namespace: props.namespace },
    spec: {
      refreshInterval: `${refresh.toSeconds()}s`,
      secretStoreRef: { kind: 'ClusterSecretStore', name: parameterStore ? ExternalSecretsOperator.PARAMETER_STORE : ExternalSecretsOperator.SECRETS_MANAGER_STORE },
      target: {
        name: props.name,
        creationPolicy: 'Owner',
        // Merge: the template only adds the labels; the keys still come from `data`.
        ...(props.secretLabels ? { template: { engineVersion: 'v2', mergePolicy: 'Merge', metadata: { labels: props.secretLabels } } } : {}),
      },
      data: props.secretKeys.map((k) => ({
        secretKey: k.secretKey,
        remoteRef: { key: parameterStore ? `/${remote}` : remote, ...(k.property ? { property: k.property } : {}) },
      })),
    },
  };
}
