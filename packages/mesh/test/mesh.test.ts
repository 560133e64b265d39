import * as fs from 'fs';
import * as path from 'path';
import { VersionCatalogue, WorkloadIdentity } from '@keelson/eks-core';
import { helmReleasesIn, kubernetesObjectsIn, kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { ENV, platformFixture } from '@keelson/test-support';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Callee, Caller, authorize, authorizeAtWaypoint, effectiveMtlsMode } from './mesh-policy';
import {
  CloudMapServiceDiscovery, IstioMesh, MeshCertificates, MeshDataplaneMode, MeshIngressGateway, MeshRootCa, MeshRouter, MeshService,
  MeshSubordinateCa, MeshVersions, SampleImages, SampleMeshApplication,
} from '../src';

// One synth: a cluster (fixture), the regional CA, cert-manager with the
// Private CA issuer, Istio in ambient mode and the three sample services,
// exported to a ClusterSet whose Cloud Map registry is this region's; and a
// second cluster in another region that registers there.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const { stack, platform, services, vpc } = platformFixture(app, { id: 'Mesh' });
const drFixture = platformFixture(app, { id: 'MeshDr', region: 'us-west-2' });
const root = new MeshRootCa(stack, 'MeshRoot');
const ca = new MeshSubordinateCa(stack, 'MeshCa', { root });
const certificates = new MeshCertificates(stack, 'Certificates', { cluster: platform.cluster, certificateAuthorityArn: ca.certificateAuthorityArn, namespaces: services.namespaces });
const mesh = new IstioMesh(stack, 'Istio', { certificates, namespaces: services.namespaces!, clusterName: 'primary' });
const ACM = 'arn:aws:acm:ap-southeast-1:111111111111:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const nlbGroup = new ec2.SecurityGroup(stack, 'NlbGroup', { vpc, allowAllOutbound: false, description: 'NLB' });
const gateway = new MeshIngressGateway(stack, 'Ingress', {
  mesh, certificates, namespaces: services.namespaces!, hostname: 'app.platform.example.com', acmCertificateArn: ACM, securityGroups: [nlbGroup],
});
const sample = new SampleMeshApplication(stack, 'Sample', { mesh, namespaces: services.namespaces!, image: 'registry.example.com/echo:1.0.0', gateway, exportToClusterSet: true });
// A canary of backend, and a router sending it a tenth of backend's requests (ambient: through a waypoint).
const canary = new MeshService(stack, 'BackendCanary', {
  cluster: platform.cluster, name: 'backend-canary', namespace: sample.namespace, image: 'registry.example.com/echo:1.1.0', trustDomain: mesh.trustDomain,
});
const router = new MeshRouter(stack, 'BackendRouter', {
  mesh,
  service: sample.services.backend,
  targets: [{ service: sample.services.backend, weight: 90 }, { service: canary, weight: 10 }],
  requestTimeout: Duration.seconds(10),
  backendRequestTimeout: Duration.millis(2500),
});
const EXPORTED = ['mesh-sample', 'payments'];
const discovery = new CloudMapServiceDiscovery(stack, 'Discovery', {
  cluster: platform.cluster,
  vpc,
  namespaces: services.namespaces!,
  clusterSetId: 'keelson-test',
  clusterId: 'primary',
  exportedNamespaces: EXPORTED,
  mesh,
  removalPolicy: RemovalPolicy.DESTROY,
  peerCidrs: ['10.1.0.0/16'],
});
const drCertificates = new MeshCertificates(drFixture.stack, 'Certificates', {
  cluster: drFixture.platform.cluster,
  namespaces: drFixture.services.namespaces,
  certificateAuthorityArn: 'arn:aws:acm-pca:us-west-2:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555',
});
const drMesh = new IstioMesh(drFixture.stack, 'Istio', {
  certificates: drCertificates, namespaces: drFixture.services.namespaces!, clusterName: 'dr', dataplaneMode: MeshDataplaneMode.SIDECAR,
});
// In sidecar mode: orders split 80/20 with orders-v2, no waypoint.
const drService = (name: string, allowFrom: { namespace: string; serviceAccount: string }[] = []) => new MeshService(drFixture.stack, name, {
  cluster: drFixture.platform.cluster, name, namespace: 'payments', image: 'registry.example.com/orders:1.0.0', allowFrom,
});
const orders = drService('orders', [{ namespace: 'payments', serviceAccount: 'checkout' }]);
new MeshRouter(drFixture.stack, 'OrdersRouter', { mesh: drMesh, service: orders, targets: [{ service: orders, weight: 80 }, { service: drService('orders-v2'), weight: 20 }] });
const drDiscovery = new CloudMapServiceDiscovery(drFixture.stack, 'Discovery', {
  cluster: drFixture.platform.cluster,
  vpc: drFixture.vpc,
  namespaces: drFixture.services.namespaces!,
  clusterSetId: 'keelson-test',
  clusterId: 'dr',
  exportedNamespaces: EXPORTED,
  registryRegion: 'ap-southeast-1',
  mesh: drMesh,
  controllerVersion: 'v0.3.0',
});
// DR runs the sample too, on podinfo pinned by digest, exporting only backend (no gateway).
const drSample = new SampleMeshApplication(drFixture.stack, 'Sample', {
  mesh: drMesh,
  namespaces: drFixture.services.namespaces!,
  ...SampleImages.PODINFO,
  exportedServices: ['backend'],
});
// A third cluster: an ambient mesh whose sample runs with sidecars (cross-cluster mTLS).
const mixedFixture = platformFixture(app, { id: 'MeshMixed' });
const mixedMesh = new IstioMesh(mixedFixture.stack, 'Istio', {
  certificates: new MeshCertificates(mixedFixture.stack, 'Certificates', {
    cluster: mixedFixture.platform.cluster, namespaces: mixedFixture.services.namespaces, certificateAuthorityArn: ca.certificateAuthorityArn,
  }),
  namespaces: mixedFixture.services.namespaces!,
});
const mixedSample = new SampleMeshApplication(mixedFixture.stack, 'Sample', {
  mesh: mixedMesh, namespaces: mixedFixture.services.namespaces!, image: 'registry.example.com/echo:1.0.0', dataplaneMode: MeshDataplaneMode.SIDECAR,
});
const result = synthesize(app);
const json = result.template('Mesh').toJSON();
const drJson = result.template('MeshDr').toJSON();
const mixedJson = result.template('MeshMixed').toJSON();
const resources: Record<string, any> = json.Resources;
const objects = kubernetesObjectsIn(json);
const releases = helmReleasesIn(json);
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const ISTIO_KINDS = ['PeerAuthentication', 'Telemetry', 'AuthorizationPolicy', 'Certificate', 'AWSPCAClusterIssuer', 'Gateway', 'HTTPRoute'];

describe('proof gates', () => {
  testProofGates(result);
  test('both clusters\' stacks and the mixed-mode one are synthesized', () => {
    expect(result.templatePaths.length).toBe(3);
  });
  test('every Istio, cert-manager, issuer and MCS object (and every other emitted object) passes its schema', () => {
    const modelled = [...objects, ...kubernetesObjectsIn(drJson), ...kubernetesObjectsIn(mixedJson)].filter((o) => o.kind !== 'IngressClassParams');
    expect(kubernetesSchemaErrors(modelled)).toEqual([]);
    const kinds = modelled.map((o) => o.kind);
    for (const k of [...ISTIO_KINDS, 'ServiceExport', 'ClusterProperty', 'CustomResourceDefinition']) expect(kinds).toContain(k);
    // The issuer's schema rejects a field the CRD lacks (unknown fields are pruned by the API server).
    const bad = { ...find('AWSPCAClusterIssuer', 'aws-private-ca'), spec: { arn: 'x', templateArn: 'y' } };
    expect(kubernetesSchemaErrors([bad]).join()).toMatch(/templateArn|additional/);
  });
});

describe('cert-manager and the Private CA issuer', () => {
  test('both charts are pinned from the catalogue, on their upstream repositories', () => {
    expect(releases['cert-manager'].props).toMatchObject({ Chart: 'cert-manager', Version: 'v1.21.2', Repository: 'https://charts.jetstack.io', Namespace: 'cert-manager' });
    expect(releases['cert-manager'].values.crds).toEqual({ enabled: true });
    expect(releases['aws-privateca-issuer'].props).toMatchObject({ Version: MeshVersions.AWS_PRIVATECA_ISSUER.version, Repository: 'https://cert-manager.github.io/aws-privateca-issuer' });
    expect(releases['aws-privateca-issuer'].values.serviceAccount).toEqual({ create: false, name: 'aws-privateca-issuer' });
  });
  test('the cluster issuer signs with this region\'s subordinate, and picks templates from Certificate annotations', () => {
    const issuer = find('AWSPCAClusterIssuer', 'aws-private-ca');
    expect(issuer.spec).toMatchObject({ region: 'ap-southeast-1', explicitTemplateSelection: true });
    const manifest = Object.values(resources).find((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && JSON.stringify(r.Properties.Manifest).includes('AWSPCAClusterIssuer'));
    expect(JSON.stringify(manifest.Properties.Manifest)).toContain(stack.getLogicalId(ca.certificateAuthority));
  });
  test('the issuer\'s workload role may describe, issue and read on that CA alone', () => {
    const roleId = stack.getLogicalId(certificates.issuerRole.role.node.defaultChild as any);
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{
      Sid: 'SignWithThisRegionsMeshCa',
      Effect: 'Allow',
      Action: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:IssueCertificate'],
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(ca.certificateAuthority), 'Arn'] },
    }]);
    const association = Object.values(resources).find((r) => r.Type === 'AWS::EKS::PodIdentityAssociation' && r.Properties.ServiceAccount === 'aws-privateca-issuer');
    expect(association.Properties.Namespace).toBe('cert-manager');
  });
  test('the namespace is isolated: the API server reaches the webhook pods (the chart\'s labels) on their secure port only', () => {
    const inCertManager = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'cert-manager');
    expect(inCertManager.map((p) => p.metadata.name)).toEqual(['default-deny', 'allow-dns', 'allow-kubernetes-api', 'allow-webhook', 'allow-aws-apis']);
    const webhook = inCertManager.find((p) => p.metadata.name === 'allow-webhook');
    expect(webhook.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/component': 'webhook' } });
    expect(webhook.spec.ingress).toHaveLength(1);
    expect(webhook.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 10250 }]);
    // One source: the VPC's block, where the control plane's network interfaces are.
    expect(webhook.spec.ingress[0].from).toHaveLength(1);
    expect(Object.keys(webhook.spec.ingress[0].from[0])).toEqual(['ipBlock']);
  });
});

describe('Istio', () => {
  test('ambient mode: base, istiod, cni and ztunnel 1.31.1 from blob.istio.io, images from Docker Hub', () => {
    for (const [release, chart] of [['istio-base', 'base'], ['istiod', 'istiod'], ['istio-cni', 'cni'], ['ztunnel', 'ztunnel']]) {
      expect(releases[release].props).toMatchObject({ Chart: chart, Version: '1.31.1', Repository: 'https://blob.istio.io/istio-release/charts', Namespace: 'istio-system' });
      expect(releases[release].values.global.hub).toBe('docker.io/istio');
    }
    expect(releases.istiod.values.profile).toBe('ambient');
    expect(releases['istio-cni'].values.profile).toBe('ambient');
    // Node agents run on every node: no system-pool selector.
    expect(releases.ztunnel.values.nodeSelector).toBeUndefined();
    expect(releases.istiod.values.pilot.nodeSelector).toEqual({ 'node-pool': 'system' });
  });
  test('istiod\'s CA is a Private CA intermediate (PathLen0 template, cacerts), and istiod waits for the Secret', () => {
    const cert = find('Certificate', 'istio-intermediate');
    expect(cert.spec).toMatchObject({ isCA: true, secretName: 'cacerts', duration: '720h', renewBefore: '240h', issuerRef: { group: 'awspca.cert-manager.io', kind: 'AWSPCAClusterIssuer', name: 'aws-private-ca' } });
    expect(cert.metadata.annotations['aws-privateca.cert-manager.io/template-arn']).toMatch(/:acm-pca:::template\/SubordinateCACertificate_PathLen0\/V1$/);
    const istiod = Object.entries(resources).find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Release === 'istiod')!;
    const waits = Object.entries(resources).find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesObjectValue' && r.Properties.ObjectName === 'cacerts')!;
    expect(istiod[1].DependsOn).toContain(waits[0]);
    expect(waits[1].Properties).toMatchObject({ ObjectType: 'secret', ObjectNamespace: 'istio-system' });
  });
  test('access logging for the whole mesh through the Telemetry API', () => {
    expect(find('Telemetry', 'mesh-default')).toMatchObject({ metadata: { namespace: 'istio-system' }, spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] } });
  });
  test('no workload namespace lacks STRICT mTLS: each is enrolled in ambient mode and its effective PeerAuthentication is STRICT', () => {
    const enrolled = Object.values(resources).filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesPatch')
      .filter((r) => JSON.parse(r.Properties.ApplyPatchJson).metadata.labels['istio.io/dataplane-mode'] === 'ambient')
      .map((r) => r.Properties.ResourceName.replace('namespace/', ''));
    const workloadNamespaces = [...services.namespaces!.workloadNamespaces, sample.namespace];
    expect(workloadNamespaces).not.toContain('istio-ingress');
    expect(workloadNamespaces.length).toBeGreaterThanOrEqual(4);
    for (const ns of workloadNamespaces) {
      expect(enrolled).toContain(ns);
      expect(`${ns}: ${effectiveMtlsMode(objects, ns, { app: 'backend' })}`).toBe(`${ns}: STRICT`);
    }
  });
  test('the mTLS walker sees a namespace that opts out, and a mesh without a policy', () => {
    const permissive = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', namespace: 'dev' }, spec: { mtls: { mode: 'PERMISSIVE' } } };
    expect(effectiveMtlsMode([...objects, permissive], 'dev')).toBe('PERMISSIVE');
    expect(effectiveMtlsMode([...objects, permissive], 'staging')).toBe('STRICT');
    expect(effectiveMtlsMode([], 'dev')).toBe('PERMISSIVE');
  });
});

describe('ingress gateway', () => {
  test('Gateway API CRDs v1.5.1 come from the pinned upstream chart, Gateway API CRDs only', () => {
    const crds = releases['gateway-api-crds'];
    expect(crds.props).toMatchObject({ Repository: 'oci://docker.io/envoyproxy/gateway-crds-helm', Version: 'v1.8.6' });
    expect(crds.values.crds).toEqual({ gatewayAPI: { enabled: true, channel: 'standard' }, envoyGateway: { enabled: false } });
  });
  test('an Istio Gateway behind an NLB from the Load Balancer Controller, TLS at the NLB (ACM) re-encrypted to an HTTPS listener', () => {
    const gw = find('Gateway', 'ingress');
    expect(gw.spec.gatewayClassName).toBe('istio');
    expect(gw.spec.infrastructure.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': ACM,
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'ssl',
      // The NLB sits in the given groups (the eighth annotation, the Gateway API's limit).
      'service.beta.kubernetes.io/aws-load-balancer-security-groups': 'RESOLVED-AT-DEPLOY',
    });
    expect(gw.spec.listeners).toEqual([{
      name: 'https',
      port: 443,
      protocol: 'HTTPS',
      hostname: 'app.platform.example.com',
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'ingress-tls' }] },
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } } } },
    }]);
    expect(find('Certificate', 'ingress-tls').spec).toMatchObject({ secretName: 'ingress-tls', dnsNames: ['app.platform.example.com'], issuerRef: { name: 'aws-private-ca' } });
  });
  test('frontend is routed through the gateway', () => {
    const route = find('HTTPRoute', 'frontend-sample');
    expect(route.metadata.namespace).toBe(sample.namespace);
    expect(route.spec.parentRefs).toEqual([{ name: 'ingress', namespace: 'istio-ingress', sectionName: 'https' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'frontend', port: 80 }]);
  });
});

describe('sample services', () => {
  const ns = sample.namespace;
  const caller = (name: string): Caller => ({ namespace: ns, serviceAccount: name });
  const callee = (name: string): Callee => ({ namespace: ns, labels: { app: name } });
  const names = ['frontend', 'backend', 'database'];
  test('only frontend→backend and backend→database are allowed; the other four pairs are denied', () => {
    const decisions = names.flatMap((from) => names.filter((to) => to !== from).map((to) => `${from}->${to}: ${authorize(objects, caller(from), callee(to)) ? 'allow' : 'deny'}`));
    expect(decisions).toEqual([
      'frontend->backend: allow', 'frontend->database: deny',
      'backend->frontend: deny', 'backend->database: allow',
      'database->frontend: deny', 'database->backend: deny',
    ]);
    // The gateway reaches frontend only.
    expect(authorize(objects, gateway.identity, callee('frontend'))).toBe(true);
    expect(authorize(objects, gateway.identity, callee('backend'))).toBe(false);
    // A workload outside the application is denied too.
    expect(authorize(objects, { namespace: 'dev', serviceAccount: 'frontend' }, callee('backend'))).toBe(false);
  });
  test('the evaluator follows Istio\'s ALLOW semantics (no policy allows, allow-nothing denies, DENY wins)', () => {
    const to = { namespace: 'x', labels: { app: 'a' } };
    const from = { namespace: 'y', serviceAccount: 's' };
    expect(authorize([], from, to)).toBe(true);
    const allowNothing = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'n', namespace: 'x' }, spec: {} };
    expect(authorize([allowNothing], from, to)).toBe(false);
    const allowY = { ...allowNothing, metadata: { name: 'y', namespace: 'x' }, spec: { rules: [{ from: [{ source: { namespaces: ['y'] } }] }] } };
    expect(authorize([allowNothing, allowY], from, to)).toBe(true);
    const deny = { ...allowNothing, metadata: { name: 'd', namespace: 'istio-system' }, spec: { action: 'DENY', rules: [{ from: [{ source: { principals: ['cluster.local/ns/y/*'] } }] }] } };
    expect(authorize([allowY, deny], from, to)).toBe(false);
  });
  test('each service has readiness and liveness probes, its own service account and a restricted security context', () => {
    for (const n of names) {
      const d = find('Deployment', n);
      const c = d.spec.template.spec.containers[0];
      expect(d.spec.template.spec.serviceAccountName).toBe(n);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(find('ServiceAccount', n).metadata.namespace).toBe(ns);
    }
  });
});

describe('sample NetworkPolicies, image and exports', () => {
  const drObjects = kubernetesObjectsIn(drJson);
  const policies = (objs: any[]) => Object.fromEntries(objs.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'mesh-sample'
    && o.metadata.name !== 'allow-cluster-set').map((o) => [o.metadata.name, o.spec]));
  test('other namespaces are denied ingress; the namespace, and the gateway to frontend (its port and HBONE), are admitted; egress stays open', () => {
    expect(policies(objects)).toEqual({
      'default-deny-ingress': { podSelector: {}, policyTypes: ['Ingress'] },
      'allow-same-namespace': { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
      'allow-egress': { podSelector: {}, policyTypes: ['Egress'], egress: [{}] },
      'allow-gateway': {
        podSelector: { matchLabels: { app: 'frontend' } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 15008 }],
        }],
      },
    });
    // Without a gateway nothing outside the namespace is admitted (beyond discovery's allow-cluster-set).
    expect(Object.keys(policies(drObjects)).sort()).toEqual(['allow-egress', 'allow-same-namespace', 'default-deny-ingress']);
  });
  test('podinfo by digest: probes on /healthz (liveness) and /readyz (readiness) at 9898, a numeric non-root user', () => {
    expect(MeshVersions.PODINFO_IMAGE).toBe(`ghcr.io/stefanprodan/podinfo:6.15.0@${MeshVersions.PODINFO_DIGEST}`);
    expect(MeshVersions.PODINFO_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(MeshVersions.PODINFO.note).toContain(MeshVersions.PODINFO_DIGEST);
    for (const name of SampleMeshApplication.SERVICE_NAMES) {
      const d = drObjects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
      const c = d.spec.template.spec.containers[0];
      expect(c.image).toBe(MeshVersions.PODINFO_IMAGE);
      expect(c.ports).toEqual([{ name: 'http', containerPort: 9898 }]);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 9898 });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 9898 });
      expect(d.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    }
  });
  test('sidecars in an ambient mesh: the namespace is labelled for injection and the mesh, callers use Istio mTLS to its hosts, istiod injects through istio-cni', () => {
    expect(mixedSample.dataplaneMode).toBe(MeshDataplaneMode.SIDECAR);
    const enroll = Object.values<any>(mixedJson.Resources).find((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesPatch' && r.Properties.ResourceName === 'namespace/mesh-sample');
    expect(JSON.parse(enroll.Properties.ApplyPatchJson)).toEqual({ metadata: { labels: { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'enabled' } } });
    const rules = kubernetesObjectsIn(mixedJson).filter((o) => o.kind === 'DestinationRule');
    expect(rules.map((r) => [r.metadata.namespace, r.metadata.name, r.spec])).toEqual([
      ['mesh-sample', 'sample-mtls', { host: '*.mesh-sample.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }],
    ]);
    expect(helmReleasesIn(mixedJson).istiod.values.pilot.cni).toEqual({ enabled: true });
    // The ambient sample needs no rule; a sidecar-mode mesh installs no istio-cni, so its istiod is left as it was.
    expect(sample.destinationRule).toBeUndefined();
    expect(helmReleasesIn(drJson).istiod.values.pilot.cni).toBeUndefined();
  });
  test('exportedServices exports backend alone', () => {
    expect(drSample.exportedServices).toEqual(['backend']);
    expect(drObjects.filter((o) => o.kind === 'ServiceExport').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['mesh-sample/backend']);
  });
  test('bad input fails at synth, naming the field and the fix', () => {
    const make = (over: Record<string, any>) => () => {
      const f = platformFixture(new App(), { id: 'Bad' });
      const c = new MeshCertificates(f.stack, 'C', { cluster: f.platform.cluster, namespaces: f.services.namespaces, certificateAuthorityArn: ca.certificateAuthorityArn });
      const m = new IstioMesh(f.stack, 'I', { certificates: c, namespaces: f.services.namespaces! });
      return new SampleMeshApplication(f.stack, 'S', { mesh: m, namespaces: f.services.namespaces!, image: 'r/x:1', ...over });
    };
    expect(make({ exportedServices: ['cache'] })).toThrow(/invalid exportedServices: "cache" is not a service of the sample. Fix: name some of frontend, backend, database/);
    expect(make({ readinessPath: 'readyz' })).toThrow(/invalid readinessPath: "readyz" does not start with "\/"/);
    expect(make({ runAsUser: 0 })).toThrow(/invalid runAsUser/);
  });
});

describe('router (App Mesh\'s virtual router)', () => {
  const ns = sample.namespace;
  const route = find('HTTPRoute', 'backend-router');
  test('an HTTPRoute on the backend Service splits requests 90/10 with backend-canary, with timeouts', () => {
    expect(route.metadata.namespace).toBe(ns);
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'backend', port: 80 }]);
    expect(route.spec.rules).toEqual([{
      backendRefs: [{ name: 'backend', port: 80, weight: 90 }, { name: 'backend-canary', port: 80, weight: 10 }],
      timeouts: { request: '10s', backendRequest: '2s500ms' },
    }]);
  });
  test('ambient mode: a waypoint for the namespace, and the backend Service bound to it', () => {
    const waypoint = objects.find((o) => o.kind === 'Gateway' && o.metadata.name === 'waypoint');
    expect(waypoint).toMatchObject({ metadata: { namespace: ns }, spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] } });
    const bind = Object.values(resources).find((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesPatch' && r.Properties.ResourceName === 'service/backend');
    expect(bind.Properties.ResourceNamespace).toBe(ns);
    expect(JSON.parse(bind.Properties.ApplyPatchJson)).toEqual({ metadata: { labels: { 'istio.io/use-waypoint': 'waypoint' } } });
    expect(router.waypoint).toBeDefined();
  });
  test('through the waypoint only frontend reaches backend, and the waypoint reaches backend and the canary but not database', () => {
    const at = (from: string) => authorizeAtWaypoint(objects, { namespace: ns, serviceAccount: from }, { namespace: ns, name: 'backend' });
    expect(['frontend', 'database', 'backend-canary'].map((f) => `${f}: ${at(f)}`)).toEqual(['frontend: true', 'database: false', 'backend-canary: false']);
    expect(authorizeAtWaypoint(objects, gateway.identity, { namespace: ns, name: 'backend' })).toBe(false);
    const waypoint: Caller = { namespace: ns, serviceAccount: 'waypoint' };
    const to = (name: string): Callee => ({ namespace: ns, labels: { app: name } });
    expect(['backend', 'backend-canary', 'database', 'frontend'].map((t) => `${t}: ${authorize(objects, waypoint, to(t))}`))
      .toEqual(['backend: true', 'backend-canary: true', 'database: false', 'frontend: false']);
    // Nobody reaches the canary except through the router.
    expect(authorize(objects, { namespace: ns, serviceAccount: 'frontend' }, to('backend-canary'))).toBe(false);
  });
  test('sidecar mode: no waypoint; each target accepts the routed service\'s callers', () => {
    const drObjects = kubernetesObjectsIn(drJson);
    expect(drObjects.filter((o) => o.kind === 'Gateway')).toEqual([]);
    const checkout: Caller = { namespace: 'payments', serviceAccount: 'checkout' };
    const to = (name: string): Callee => ({ namespace: 'payments', labels: { app: name } });
    expect(authorize(drObjects, checkout, to('orders-v2'))).toBe(true);
    expect(authorize(drObjects, { namespace: 'payments', serviceAccount: 'other' }, to('orders-v2'))).toBe(false);
    expect(drObjects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'orders-router').spec.rules[0].backendRefs.map((b: any) => b.weight)).toEqual([80, 20]);
  });
  test('bad input fails at synth, naming the field and the fix', () => {
    const other = new MeshService(new Stack(new App(), 'Other', { env: ENV }), 'Other', { cluster: platform.cluster, name: 'other', namespace: 'elsewhere', image: 'r/x:1' });
    const make = (over: Record<string, any>) => () => new MeshRouter(new Stack(new App(), 'Bad', { env: ENV }), 'R', {
      mesh, service: sample.services.backend, targets: [{ service: canary, weight: 1 }], ...over,
    });
    expect(make({ targets: [] })).toThrow(/invalid targets: is empty/);
    expect(make({ targets: [{ service: other, weight: 1 }] })).toThrow(/invalid targets: other is in namespace elsewhere, not mesh-sample.*ReferenceGrant/);
    expect(make({ targets: [{ service: canary, weight: 0 }] })).toThrow(/invalid targets: every weight is 0/);
    expect(make({ targets: [{ service: canary, weight: 1.5 }] })).toThrow(/invalid targets\[backend-canary\]\.weight: 1.5 is outside 0–1000000/);
    expect(make({ requestTimeout: Duration.seconds(1), backendRequestTimeout: Duration.seconds(2) })).toThrow(/invalid backendRequestTimeout: 2 seconds exceeds requestTimeout 1 second/);
  });
});

describe('Cloud Map service discovery', () => {
  const drResources: Record<string, any> = drJson.Resources;
  const drObjects = kubernetesObjectsIn(drJson);
  const ofType = (rs: Record<string, any>, type: string) => Object.entries(rs).filter(([, r]) => r.Type === type);
  const roleStatements = (rs: Record<string, any>, s: any, d: CloudMapServiceDiscovery) => {
    const roleId = s.getLogicalId(d.controllerRole.role.node.defaultChild);
    return ofType(rs, 'AWS::IAM::Policy').filter(([, p]) => p.Properties.Roles.some((x: any) => x.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  };
  const bySid = (statements: any[], sid: string) => statements.find((x) => x.Sid === sid);
  // An ARN as text, with the partition filled in.
  const arnText = (x: any): any => (Array.isArray(x) ? x.map(arnText) : x?.['Fn::Join']
    ? x['Fn::Join'][1].map((p: any) => (p?.Ref === 'AWS::Partition' ? 'aws' : typeof p === 'string' ? p : JSON.stringify(p))).join('')
    : x);

  test('a private DNS namespace per exported Kubernetes namespace, in each region\'s own VPC', () => {
    for (const [rs, s, v] of [[resources, stack, vpc], [drResources, drFixture.stack, drFixture.vpc]] as const) {
      const namespaces = ofType(rs, 'AWS::ServiceDiscovery::PrivateDnsNamespace');
      expect(namespaces.map(([, n]) => n.Properties.Name).sort()).toEqual(EXPORTED);
      for (const [, n] of namespaces) {
        expect(n.Properties.Vpc).toEqual({ Ref: s.getLogicalId(v.node.defaultChild as any) });
        // The platform's one removal setting: DESTROY chosen in the primary, the default (RETAIN) in DR.
        expect(n.DeletionPolicy).toBe(s === stack ? 'Delete' : 'Retain');
      }
    }
  });
  test('the controller is the pinned v0.3.1 image on the system pool, and both clusters use the registry region\'s Cloud Map', () => {
    for (const [os, region, tag] of [[objects, 'ap-southeast-1', 'v0.3.1'], [drObjects, 'ap-southeast-1', 'v0.3.0']] as const) {
      const deployment = os.find((o) => o.kind === 'Deployment' && o.metadata.name === 'cloud-map-mcs-controller-manager');
      const manager = deployment.spec.template.spec.containers[0];
      // The catalogue's pin by default; controllerVersion (given in DR) replaces the tag only.
      expect(manager.image).toBe(`ghcr.io/aws/aws-cloud-map-mcs-controller-for-k8s:${tag}`);
      expect(manager.env).toEqual([{ name: 'AWS_REGION', value: region }]);
      expect(manager.args).toContain('--metrics-bind-address=127.0.0.1:8080');
      expect(deployment.spec.template.spec.nodeSelector).toEqual({ 'node-pool': 'system' });
      expect(deployment.metadata.namespace).toBe('cloud-map-mcs-system');
    }
    expect(discovery.isRegistry).toBe(true);
    expect(drDiscovery.isRegistry).toBe(false);
  });
  test('each cluster names itself and the ClusterSet with the ClusterProperty names the controller reads', () => {
    const props = (os: any[]) => Object.fromEntries(os.filter((o) => o.kind === 'ClusterProperty').map((o) => [o.metadata.name, o.spec.value]));
    expect(props(objects)).toEqual({ 'cluster.clusterset.k8s.io': 'primary', 'clusterset.k8s.io': 'keelson-test' });
    expect(props(drObjects)).toEqual({ 'cluster.clusterset.k8s.io': 'dr', 'clusterset.k8s.io': 'keelson-test' });
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name).sort();
    expect(crds).toEqual(['clusterproperties.about.k8s.io', 'serviceexports.multicluster.x-k8s.io', 'serviceimports.multicluster.x-k8s.io']);
  });
  test('the controller reads ClusterProperties and cannot write them; it owns imports, EndpointSlices and derived Services', () => {
    const role = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'cloud-map-mcs-controller-manager');
    const verbs = (group: string, resource: string) => role.rules
      .find((r: any) => r.apiGroups.includes(group) && r.resources.includes(resource))?.verbs;
    expect(verbs('about.k8s.io', 'clusterproperties')).toEqual(['get', 'list', 'watch']);
    expect(verbs('multicluster.x-k8s.io', 'serviceimports')).toContain('create');
    expect(verbs('multicluster.x-k8s.io', 'serviceexports')).not.toContain('create');
    expect(verbs('discovery.k8s.io', 'endpointslices')).toContain('create');
  });
  test('IRSA: the service account carries the controller role, trusted for that service account alone', () => {
    const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'cloud-map-mcs-controller-manager');
    expect(Object.keys(sa.metadata.annotations)).toEqual(['eks.amazonaws.com/role-arn']);
    const manifest = resources[stack.getLogicalId(discovery.controllerManifest.node.defaultChild as any)];
    expect(JSON.stringify(manifest.Properties.Manifest)).toContain(`"Fn::GetAtt":["${stack.getLogicalId(discovery.controllerRole.role.node.defaultChild as any)}","Arn"]`);
    expect(ofType(resources, 'AWS::EKS::PodIdentityAssociation').filter(([, a]) => a.Properties.ServiceAccount === 'cloud-map-mcs-controller-manager')).toEqual([]);
    const roleId = stack.getLogicalId(discovery.controllerRole.role.node.defaultChild as any);
    const trust = resources[roleId].Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(JSON.stringify(resources)).toContain('system:serviceaccount:cloud-map-mcs-system:cloud-map-mcs-controller-manager');
  });
  test('in the registry\'s region the role names its namespaces and hosted zones; it cannot create namespaces', () => {
    const statements = roleStatements(resources, stack, discovery);
    const nsIds = ofType(resources, 'AWS::ServiceDiscovery::PrivateDnsNamespace').map(([id]) => id);
    expect(arnText(bySid(statements, 'CreateServicesInExportedNamespaces').Resource)).toEqual([
      ...nsIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
      'arn:aws:servicediscovery:ap-southeast-1:111111111111:service/*',
    ]);
    const records = bySid(statements, 'WriteExportedNamespacesRecords');
    expect(arnText(records.Resource)).toEqual(nsIds.map((id) => `arn:aws:route53:::hostedzone/${JSON.stringify({ 'Fn::GetAtt': [id, 'HostedZoneId'] })}`));
    expect(records.Condition).toEqual({ 'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['*.mesh-sample', '*.payments'] } });
    expect(bySid(statements, 'DiscoverExportedNamespaces').Condition).toEqual({ StringEquals: { 'servicediscovery:NamespaceName': EXPORTED } });
    const actions = statements.flatMap((x) => [x.Action].flat());
    expect(actions).not.toContain('servicediscovery:CreateHttpNamespace');
    expect(actions.filter((a) => a.endsWith('*'))).toEqual([]);
  });
  test('in another region the role is scoped to the registry region and the exported namespaces\' record names', () => {
    const statements = roleStatements(drResources, drFixture.stack, drDiscovery);
    expect(arnText(bySid(statements, 'CreateServicesInExportedNamespaces').Resource)).toEqual([
      'arn:aws:servicediscovery:ap-southeast-1:111111111111:namespace/*',
      'arn:aws:servicediscovery:ap-southeast-1:111111111111:service/*',
    ]);
    expect(arnText(bySid(statements, 'RegisterEndpoints').Resource)).toBe('arn:aws:servicediscovery:ap-southeast-1:111111111111:service/*');
    const records = bySid(statements, 'WriteExportedNamespacesRecords');
    expect(arnText(records.Resource)).toBe('arn:aws:route53:::hostedzone/*');
    expect(records.Condition['ForAllValues:StringLike']['route53:ChangeResourceRecordSetsNormalizedRecordNames']).toEqual(['*.mesh-sample', '*.payments']);
    expect(JSON.stringify(statements)).not.toContain('us-west-2');
  });
  test('sidecar mode: callers originate Istio mTLS to every host of an exported namespace; ambient mode adds nothing', () => {
    const rules = drObjects.filter((o) => o.kind === 'DestinationRule');
    expect(rules.map((r) => [r.metadata.namespace, r.spec.host, r.spec.trafficPolicy.tls.mode])).toEqual([
      ['mesh-sample', '*.mesh-sample.svc.cluster.local', 'ISTIO_MUTUAL'],
      ['payments', '*.payments.svc.cluster.local', 'ISTIO_MUTUAL'],
    ]);
    expect(objects.filter((o) => o.kind === 'DestinationRule')).toEqual([]);
    expect(discovery.meshManifest).toBeUndefined();
  });
  test('the sample services are exported to the ClusterSet', () => {
    const exports = objects.filter((o) => o.kind === 'ServiceExport').map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
    expect(exports).toEqual(['mesh-sample/backend', 'mesh-sample/database', 'mesh-sample/frontend']);
  });
  test('with peerCidrs, each exported namespace admits the peer VPC on HBONE 15008 and may reach it, nothing else', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-cluster-set');
    expect(policies.map((p) => p.metadata.namespace).sort()).toEqual(EXPORTED);
    for (const p of policies) {
      expect(p.spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ protocol: 'TCP', port: 15008 }] }],
        egress: [{ to: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ protocol: 'TCP', port: 15008 }] }],
      });
    }
    expect(drDiscovery.clusterSetPolicies).toBeUndefined();
  });
  test('bad input fails at synth, naming the field and the fix', () => {
    const base = { cluster: platform.cluster, vpc, namespaces: services.namespaces!, clusterSetId: 'set', clusterId: 'c', exportedNamespaces: ['orders'] };
    const make = (over: Record<string, any>) => () => new CloudMapServiceDiscovery(new Stack(new App(), 'Bad', { env: ENV }), 'D', { ...base, ...over });
    expect(make({ identity: WorkloadIdentity.POD_IDENTITY })).toThrow(/invalid identity: .*predates EKS Pod Identity.*Fix: leave identity unset or use WorkloadIdentity.IRSA/);
    expect(make({ exportedNamespaces: [] })).toThrow(/invalid exportedNamespaces: is empty/);
    expect(make({ exportedNamespaces: ['Shop'] })).toThrow(/invalid exportedNamespaces: "Shop" is not a Kubernetes name/);
    expect(make({ exportedNamespaces: ['orders', 'orders'] })).toThrow(/invalid exportedNamespaces: "orders" is listed twice/);
    expect(make({ exportedNamespaces: ['dev'] })).toThrow(/invalid exportedNamespaces: "dev" is a public top-level domain: .*every \*\.dev name in the VPC.*Fix: export from a Kubernetes namespace whose name is not a top-level domain/);
    expect(make({ exportedNamespaces: ['kube-system'] })).toThrow(/invalid exportedNamespaces: "kube-system" is a namespace Kubernetes\/EKS manages/);
    expect(make({ clusterSetId: 'my_set' })).toThrow(/invalid clusterSetId: "my_set" is not a Kubernetes name/);
    expect(make({ controllerVersion: 'latest' })).toThrow(/invalid controllerVersion: "latest" is not a release tag.*Fix: pin a release tag such as v0.3.1/);
    expect(make({ peerCidrs: ['10.1.0.0/33'] })).toThrow(/invalid peerCidrs\[0\]/);
    expect(make({ peerCidrs: ['10.1.0.0/16'], clusterSetPorts: [443, 10250] })).toThrow(/invalid clusterSetPorts: lists the kubelet port 10250. Fix: list the mesh and exported service ports only/);
    expect(make({ registryRegion: 'Singapore' })).toThrow(/invalid registryRegion: "Singapore" is not an AWS region. Fix: name a region such as ap-southeast-1/);
  });
});

describe('MeshVersions (the version catalogue)', () => {
  const TABLE = path.join(__dirname, '..', 'VERSIONS.md');
  test('every entry names its upstream release, date and Kubernetes versions', () => {
    expect(VersionCatalogue.problems(MeshVersions.all())).toEqual([]);
    expect(MeshVersions.all().map((p) => `${p.name}@${p.version}`)).toEqual([
      'cert-manager@v1.21.2', 'aws-privateca-issuer@v1.9.2', 'gateway-crds-helm@v1.8.6', 'aws-cloud-map-mcs-controller-for-k8s@v0.3.1', 'base@1.31.1', 'istiod@1.31.1', 'cni@1.31.1', 'ztunnel@1.31.1', 'podinfo@6.15.0',
    ]);
  });
  test('the checked-in versions table is the one the catalogue generates', () => {
    const generated = VersionCatalogue.markdown('@keelson/mesh pinned versions', MeshVersions.all());
    if (process.env.KEELSON_UPDATE_DOCS === '1') fs.writeFileSync(TABLE, generated);
    expect(fs.readFileSync(TABLE, 'utf8')).toBe(generated);
  });
});
