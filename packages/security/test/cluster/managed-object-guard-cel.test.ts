import { PlatformNamespaces } from '@keelson/eks-core';
import { evaluateCel, kubernetesObjectsIn, kubernetesSchemaErrors } from '@keelson/proof';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ManagedObjectGuard } from '../../src';
import { importedCluster } from '../support/cluster';

// Issue 29 finding 4: developers could delete the platform's NetworkPolicies in their namespaces.
// The guard's ValidatingAdmissionPolicy, read from the synthesized template, its CEL evaluated on
// admission requests from each kind of requester.
const app = new App();
const stack = new Stack(app, 'Guard', { env: { account: '111111111111', region: 'ap-southeast-1' } });
const namespaces = new PlatformNamespaces(stack, 'Namespaces', { cluster: importedCluster(stack), workloadNamespaces: ['dev', 'payments'] });
new ManagedObjectGuard(stack, 'Guard', { namespaces });
const objects = kubernetesObjectsIn(Template.fromStack(stack).toJSON());
const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy');
const binding = objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding');

const requesters: [string, Record<string, unknown>, boolean][] = [
  ['a developer', { username: 'arn:aws:sts::111111111111:assumed-role/PlatformDeveloper/alice', groups: ['keelson-developers', 'system:authenticated'] }, false],
  ['the read-only persona', { username: 'arn:aws:sts::111111111111:assumed-role/PlatformReadOnly/bob', groups: ['keelson-read-only', 'system:authenticated'] }, false],
  ['a service account of a workload namespace', { username: 'system:serviceaccount:payments:api', groups: ['system:serviceaccounts', 'system:serviceaccounts:payments'] }, false],
  ['a platform administrator', { username: 'arn:aws:sts::111111111111:assumed-role/PlatformAdmin/carol', groups: ['system:authenticated'] }, true],
  ['the namespace controller (deleting a namespace)', { username: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:serviceaccounts'] }, true],
  ['a platform controller', { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: ['system:serviceaccounts'] }, true],
  ['a service account of a namespace only named like a workload one', { username: 'system:serviceaccount:dev-tools:x' }, true],
];

describe('ManagedObjectGuard (ValidatingAdmissionPolicy on the managed-by label)', () => {
  test('matches create, update and delete of any kind labelled managed-by=keelson, and denies through its binding', () => {
    expect(policy.spec.matchConstraints).toEqual({
      objectSelector: { matchLabels: { 'app.kubernetes.io/managed-by': 'keelson' } },
      resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['*'] }],
    });
    expect(policy.spec.failurePolicy).toBe('Fail');
    expect(binding.spec).toEqual({ policyName: policy.metadata.name, validationActions: ['Deny'] });
    expect(kubernetesSchemaErrors([policy, binding])).toEqual([]);
  });

  const restricted = evaluateCel(requesters.map(([, userInfo]) => ({
    expression: policy.spec.variables[0].expression,
    variables: { request: { userInfo, operation: 'DELETE' } },
  })));
  const validation = policy.spec.validations[0].expression;
  const admitted = evaluateCel(restricted.map((r) => ({ expression: validation, variables: { variables: { restricted: r.value } } })));
  test.each(requesters.map(([name, , allowed], i) => [name, allowed, i] as const))('%s: admitted %s', (_name, allowed, i) => {
    expect(restricted[i].error).toBeUndefined();
    expect(admitted[i]).toEqual({ value: allowed });
  });
});
