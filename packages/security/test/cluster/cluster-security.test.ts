import * as fs from 'fs';
import * as path from 'path';
import { NamespaceTraffic, PlatformNamespaces } from '@keelson/eks-core';
import { kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import Ajv from 'ajv';
import { App, Stack } from 'aws-cdk-lib';
import {
  AdmissionAction, ClusterSecurity, Gatekeeper, GatekeeperPolicyPack, ImageSignaturePolicy, Kyverno, PolicyEnforcement, RequiredLabels,
  SecurityVersions, WorkloadNetworkPolicies, WorkloadPolicyPack,
} from '../../src';
import { COSIGN_PUBLIC_KEY, PUBLIC_SUBNET_CIDRS, VPC_CIDR, clusterObjects, importedCluster } from '../support/cluster';

// One synth: a registry with the three standard workload namespaces plus `payments`,
// which no security code names, with Gatekeeper, the default-deny policies and Kyverno
// on it; and a second stack with the ClusterSecurity facade denying everywhere.
const ENV = { account: '111111111111', region: 'ap-southeast-1' };
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const stack = new Stack(app, 'Security', { env: ENV });
const cluster = importedCluster(stack);
const namespaces = new PlatformNamespaces(stack, 'Namespaces', { cluster, workloadNamespaces: ['dev', 'staging', 'production', 'payments'] });
const gatekeeper = new Gatekeeper(stack, 'Gatekeeper', { namespaces });
new WorkloadNetworkPolicies(stack, 'NetworkPolicies', { namespaces, ingressControllerNamespaces: ['istio-ingress'] });
const kyverno = new Kyverno(stack, 'Kyverno', { namespaces, imageSignatures: { cosignPublicKey: COSIGN_PUBLIC_KEY } });

const strictStack = new Stack(app, 'Strict', { env: ENV });
const strictNamespaces = new PlatformNamespaces(strictStack, 'Namespaces', { cluster: importedCluster(strictStack) });
const facade = new ClusterSecurity(strictStack, 'Security', {
  namespaces: strictNamespaces,
  enforcement: PolicyEnforcement.deny(),
  networkPoliciesOptions: { loadBalancerCidrs: ['10.1.0.0/24', '10.1.1.0/24'], loadBalancerPorts: [8080] },
  kyvernoOptions: { imageSignatures: { cosignPublicKey: COSIGN_PUBLIC_KEY, exemptImages: ['registry.example.com/platform/'] } },
});

const result = synthesize(app);
const template = (name: string) => JSON.parse(fs.readFileSync(path.join(result.assembly.directory, `${name}.template.json`), 'utf8'));
const main = clusterObjects(template('Security'));
const strict = clusterObjects(template('Strict'));
const WORKLOADS = ['dev', 'staging', 'production', 'payments'];

describe('cluster security on a namespace registry', () => {
  testProofGates(result);

  test('every emitted Kubernetes object validates against its schema', () => {
    expect(main.objects.length).toBeGreaterThan(40);
    expect(kubernetesSchemaErrors([...main.objects, ...strict.objects])).toEqual([]);
  });
});

describe('Gatekeeper', () => {
  test('installs the pinned chart through the kit, on the system pool, in a registered restricted namespace', () => {
    const release = main.releases.gatekeeper;
    expect(release.props).toMatchObject({
      Chart: 'gatekeeper', Version: '3.23.1', Repository: 'https://open-policy-agent.github.io/gatekeeper/charts', Namespace: 'gatekeeper-system', Wait: true,
    });
    expect(SecurityVersions.GATEKEEPER.version).toBe('3.23.1');
    for (const component of ['controllerManager', 'audit']) {
      expect(release.values[component].nodeSelector).toEqual({ 'node-pool': 'system' });
      expect(release.values[component].tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
    }
    expect(namespaces.namespaceNames).toContain('gatekeeper-system');
    expect(main.find('Namespace', 'gatekeeper-system').metadata.labels).toMatchObject({ 'component': 'gatekeeper', 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('ships one Rego v1 ConstraintTemplate per policy, read from the package\'s policy files', () => {
    const templates = main.ofKind('ConstraintTemplate');
    expect(templates.map((t) => t.metadata.name).sort()).toEqual([
      'keelsoncontainerprobes', 'keelsoncontainerresources', 'keelsonnamespacenetworkpolicy', 'keelsonnodefaultserviceaccount',
      'keelsonrequiredlabels', 'keelsonrestrictedcontainers',
    ]);
    for (const policy of new WorkloadPolicyPack().policies) {
      const t = main.find('ConstraintTemplate', policy.templateName);
      const code = t.spec.targets[0].code[0];
      expect(code).toEqual({ engine: 'Rego', source: { version: 'v1', rego: fs.readFileSync(path.join(__dirname, '..', '..', 'policies', 'gatekeeper', policy.regoFile), 'utf8') } });
      expect(t.spec.crd.spec.names.kind).toBe(policy.kind);
      expect(code.source.rego).toMatch(new RegExp(`^package ${policy.templateName}$`, 'm'));
    }
  });

  test('denies in staging, production and payments and warns in dev (PolicyEnforcement.byEnvironment, the default)', () => {
    const constraints = main.objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1');
    expect(constraints).toHaveLength(12);
    for (const policy of new WorkloadPolicyPack().policies) {
      expect(main.find(policy.kind, `${policy.templateName}-deny`).spec).toMatchObject({ enforcementAction: 'deny', match: { namespaces: ['staging', 'production', 'payments'] } });
      expect(main.find(policy.kind, `${policy.templateName}-warn`).spec).toMatchObject({ enforcementAction: 'warn', match: { namespaces: ['dev'] } });
    }
    expect(main.find('KeelsonRequiredLabels', 'keelsonrequiredlabels-deny').spec.parameters).toEqual({ labels: ['env', 'owner', 'component'] });
    expect(main.find('KeelsonContainerProbes', 'keelsoncontainerprobes-deny').spec.match.kinds).toEqual([
      { apiGroups: [''], kinds: ['Pod'] }, { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
    ]);
  });

  test('one prop switches enforcement: PolicyEnforcement.deny() leaves no warning constraint', () => {
    const constraints = strict.objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1');
    expect(constraints).toHaveLength(6);
    expect(new Set(constraints.map((c) => c.spec.enforcementAction))).toEqual(new Set(['deny']));
    expect(constraints[0].spec.match.namespaces).toEqual(['dev', 'staging', 'production']);
    expect(PolicyEnforcement.warn().actionFor('production')).toBe(AdmissionAction.WARN);
    expect(PolicyEnforcement.dryRun().actionFor('dev')).toBe(AdmissionAction.DRY_RUN);
  });

  test('constraint parameters match each template\'s parameter schema', () => {
    const ajv = new Ajv({ strict: false });
    for (const c of main.objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1')) {
      const schema = main.find('ConstraintTemplate', c.kind.toLowerCase()).spec.crd.spec.validation?.openAPIV3Schema;
      if (c.spec.parameters) expect(`${c.metadata.name}: ${ajv.validate(schema, c.spec.parameters)}`).toBe(`${c.metadata.name}: true`);
      else expect(schema).toBeUndefined();
    }
    expect(ajv.validate(new RequiredLabels().parametersSchema()!, { labels: 'env' })).toBe(false);
  });

  test('the sync Config replicates NetworkPolicies for the referential policy, and objects apply in order', () => {
    expect(main.find('Config', 'config', 'gatekeeper-system').spec).toEqual({
      sync: { syncOnly: [{ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' }] },
      match: [{ excludedNamespaces: ['kube-system', 'gatekeeper-system'], processes: ['*'] }],
    });
    const deps = (c: any) => c.node.dependencies.map((d: any) => d.node.path);
    expect(deps(gatekeeper.templates)).toContain(gatekeeper.platformChart.chart.node.path);
    expect(deps(gatekeeper.constraints)).toEqual(expect.arrayContaining([gatekeeper.templates.node.path, gatekeeper.config.node.path]));
  });
});

describe('default-deny NetworkPolicies', () => {
  test('every registered workload namespace, payments included, gets the four policies; platform namespaces get the kit\'s default-deny and their webhooks', () => {
    const policies = main.ofKind('NetworkPolicy');
    const inWorkloads = policies.filter((p) => WORKLOADS.includes(p.metadata.namespace));
    expect(inWorkloads).toHaveLength(4 * WORKLOADS.length);
    for (const ns of WORKLOADS) {
      expect(policies.filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name)).toEqual(WorkloadNetworkPolicies.POLICY_NAMES);
    }
    // Pods reach the API server at the kubernetes Service address; the API server calls webhooks from the VPC's block.
    expect(main.find('NetworkPolicy', 'allow-kubernetes-api', 'gatekeeper-system').spec.egress[0].to)
      .toEqual([{ ipBlock: { cidr: '172.20.0.1/32' } }, { ipBlock: { cidr: '10.100.0.1/32' } }]);
    expect(policies.filter((p) => p.metadata.namespace === 'gatekeeper-system').map((p) => p.metadata.name))
      .toEqual([...NamespaceTraffic.BASELINE, 'allow-webhook']);
    expect(main.find('NetworkPolicy', 'allow-webhook', 'gatekeeper-system').spec.ingress)
      .toEqual([{ from: [{ ipBlock: { cidr: VPC_CIDR } }], ports: [{ protocol: 'TCP', port: Gatekeeper.WEBHOOK_PORT }] }]);
    expect(Gatekeeper.WEBHOOK_PORT).toBe(8443);
    expect(strict.ofKind('NetworkPolicy').filter((p) => ['dev', 'staging', 'production'].includes(p.metadata.namespace))).toHaveLength(12);
  });

  test('deny all ingress and egress, then allow DNS to CoreDNS, the namespace itself, and the load balancers and ingress controller', () => {
    expect(main.find('NetworkPolicy', 'default-deny', 'payments').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(main.find('NetworkPolicy', 'allow-dns', 'payments').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
    expect(main.find('NetworkPolicy', 'allow-same-namespace', 'payments').spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }],
    });
    // Issue 29 finding 3: it admitted the whole VPC CIDR (every pod, under the VPC CNI) on every port.
    const web = [80, 443, 8080, 8443].map((port) => ({ protocol: 'TCP', port }));
    expect(main.find('NetworkPolicy', 'allow-ingress-controller', 'payments').spec.ingress).toEqual([
      { from: PUBLIC_SUBNET_CIDRS.map((cidr) => ({ ipBlock: { cidr } })), ports: web },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } } }] },
    ]);
    expect(JSON.stringify(main.find('NetworkPolicy', 'allow-ingress-controller', 'payments'))).not.toContain(VPC_CIDR);
    expect(strict.find('NetworkPolicy', 'allow-ingress-controller', 'dev').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.1.0.0/24' } }, { ipBlock: { cidr: '10.1.1.0/24' } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test('each namespace\'s policies apply after the namespace exists', () => {
    const policies = (stack.node.findChild('NetworkPolicies') as WorkloadNetworkPolicies).manifests;
    expect(Object.keys(facade.networkPolicies!.manifests)).toEqual(['dev', 'staging', 'production']);
    expect(Object.keys(policies)).toEqual(WORKLOADS);
    for (const ns of WORKLOADS) {
      expect(policies[ns].node.dependencies.map((d) => d.node.path)).toContain(namespaces.manifests[ns].node.path);
    }
  });
});

describe('Kyverno', () => {
  test('its namespace is isolated: the API server reaches the webhooks on 9443 only, and it reads registries over HTTPS', () => {
    const inKyverno = main.ofKind('NetworkPolicy').filter((p) => p.metadata.namespace === Kyverno.NAMESPACE);
    expect(inKyverno.map((p) => p.metadata.name)).toEqual([...NamespaceTraffic.BASELINE, 'allow-webhooks', 'allow-registries']);
    expect(main.find('NetworkPolicy', 'allow-webhooks', Kyverno.NAMESPACE).spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: VPC_CIDR } }], ports: [{ protocol: 'TCP', port: 9443 }] }]);
    expect(main.find('NetworkPolicy', 'allow-registries', Kyverno.NAMESPACE).spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
  });

  test('installs the pinned 1.19-line chart through the kit, on the system pool, in a registered restricted namespace', () => {
    expect(main.releases.kyverno.props).toMatchObject({ Chart: 'kyverno', Version: '3.9.1', Repository: 'https://kyverno.github.io/kyverno', Namespace: 'kyverno', Wait: true });
    expect(main.releases.kyverno.values.global).toEqual({
      nodeSelector: { 'node-pool': 'system' }, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(main.releases.kyverno.values.admissionController.replicas).toBe(3);
    expect(main.find('Namespace', 'kyverno').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('verifies cosign signatures with an ImageValidatingPolicy (policies.kyverno.io/v1): deny in staging, production and payments, warn in dev', () => {
    const policies = main.ofKind('ImageValidatingPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['keelson-verify-images-deny', 'keelson-verify-images-warn']);
    const [deny, warn] = policies;
    expect(deny.apiVersion).toBe('policies.kyverno.io/v1');
    expect(deny.spec).toMatchObject({
      validationActions: ['Deny'],
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['staging', 'production', 'payments'] }] },
      },
      attestors: [{ name: 'keelson', cosign: { key: { data: COSIGN_PUBLIC_KEY } } }],
      validationConfigurations: { required: true, mutateDigest: true, verifyDigest: true },
    });
    expect(deny.spec.validations[0].expression).toBe(ImageSignaturePolicy.validationExpression(ImageSignaturePolicy.PLATFORM_IMAGE_EXEMPTIONS));
    expect(warn.spec).toMatchObject({ validationActions: ['Warn', 'Audit'], failurePolicy: 'Ignore' });
    expect(warn.spec.matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual(['dev']);
    expect(kyverno.imageSignaturePolicy!.manifest.node.dependencies.map((d) => d.node.path)).toContain(kyverno.platformChart.chart.node.path);
  });

  test('the facade passes its one enforcement to Kyverno and its exemption list to the policy', () => {
    const policies = strict.ofKind('ImageValidatingPolicy');
    expect(policies).toHaveLength(1);
    expect(policies[0].spec.validationActions).toEqual(['Deny']);
    expect(policies[0].spec.validations[0].expression).toContain("['registry.example.com/platform/'].exists(prefix, image.startsWith(prefix))");
    expect(facade.gatekeeper!.constraints.node.dependencies.map((d) => d.node.path)).toContain(facade.networkPolicies!.node.path);
  });
});

describe('bad input fails at synth, naming the field', () => {
  const registry = () => {
    const s = new Stack(new App(), 'Bad', { env: ENV });
    return { s, namespaces: new PlatformNamespaces(s, 'Namespaces', { cluster: importedCluster(s) }) };
  };
  test.each([
    ['a warn namespace that is not a name', (r: any) => new Gatekeeper(r.s, 'G', { namespaces: r.namespaces, enforcement: PolicyEnforcement.byEnvironment(['Dev_1']) }),
      /G: invalid enforcement.warnNamespaces: "Dev_1" is not a Kubernetes name/],
    ['a policy in two packs', (r: any) => new Gatekeeper(r.s, 'G', { namespaces: r.namespaces, packs: [new WorkloadPolicyPack(), new GatekeeperPolicyPack('mine', [new RequiredLabels(['team'])])] }),
      /G: invalid packs: the policy KeelsonRequiredLabels is in more than one pack/],
    ['a chart version range', (r: any) => new Gatekeeper(r.s, 'G', { namespaces: r.namespaces, chartVersion: '^3.23' }), /G: invalid chartVersion/],
    ['a load balancer range that is not a CIDR', (r: any) => new WorkloadNetworkPolicies(r.s, 'N', { namespaces: r.namespaces, loadBalancerCidrs: ['10.0.0.0/33'] }),
      /N: invalid loadBalancerCidrs\[0\]/],
    ['a cosign key that is not PEM', (r: any) => new Kyverno(r.s, 'K', { namespaces: r.namespaces, imageSignatures: { cosignPublicKey: 'ssh-rsa AAAA' } }),
      /K\/ImageSignatures: invalid cosignPublicKey: is not a PEM public key/],
    ['an exemption with a wildcard', (r: any) => new Kyverno(r.s, 'K', { namespaces: r.namespaces, imageSignatures: { cosignPublicKey: COSIGN_PUBLIC_KEY, exemptImages: ['*'] } }),
      /K\/ImageSignatures: invalid exemptImages\[0\]: "\*" is not an image reference prefix/],
    ['an ingress controller namespace that is not a name', (r: any) => new WorkloadNetworkPolicies(r.s, 'N', { namespaces: r.namespaces, ingressControllerNamespaces: ['Istio'] }),
      /N: invalid ingressControllerNamespaces: "Istio"/],
  ])('%s', (_name, build, message) => {
    expect(() => build(registry())).toThrow(message);
  });
});
