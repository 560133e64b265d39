import { Cidr, KeelsonLabels, KeelsonTags, PropsCheck, StatefulRemoval } from '@keelson/conventions';
import { NagNames, PlatformNamespaces, WorkloadIdentity, WorkloadRole } from '@keelson/eks-core';
import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import TOP_LEVEL_DOMAINS from 'tlds';
import { cloudMapRegistrationStatements } from './cloud-map-permissions';
import { MeshDataplaneMode } from '../istio/dataplane-mode';
import { IstioMesh } from '../istio/istio-mesh';
import { MeshVersions } from '../mesh-versions';
import { clusterProperties, mcsControllerObjects, mcsCustomResourceDefinitions } from '../private/mcs-controller';

/** Properties of {@link CloudMapServiceDiscovery}. */
export interface CloudMapServiceDiscoveryProps {
  /** The cluster the MCS controller runs in. */
  readonly cluster: eks.ICluster;

  /** The cluster's VPC: this region's private DNS namespaces resolve in it. */
  readonly vpc: ec2.IVpc;

  /** The cluster's namespace registry (the controller's namespace is registered there). */
  readonly namespaces: PlatformNamespaces;

  /**
   * The ClusterSet's name (`clusterset.k8s.io`): the same in every cluster
   * that shares services.
   */
  readonly clusterSetId: string;

  /**
   * This cluster's name in the ClusterSet (ClusterProperty `cluster.clusterset.k8s.io`): unique within it.
   * Cloud Map instances carry it, and imports are grouped by it.
   */
  readonly clusterId: string;

  /**
   * The Kubernetes namespaces whose Services may be exported. Each gets a
   * Cloud Map private DNS namespace of the same name in this VPC (the
   * controller registers a Service in the Cloud Map namespace named after its
   * Kubernetes namespace), and the controller's role may register in these
   * alone: a `ServiceExport` elsewhere is refused by IAM. A name that is a
   * public top-level domain (`dev`, `shop`, `app`...) is refused: its private
   * zone would answer for every name under that domain in the VPC.
   */
  readonly exportedNamespaces: string[];

  /**
   * The region whose Cloud Map holds the ClusterSet's registry. Every cluster
   * of the ClusterSet must name the same region: Cloud Map is regional and
   * the controller reads and writes one region, so two clusters in different
   * regions discover each other only through one region's namespaces. The
   * other regions' namespaces stand by, so that moving the registry (a
   * regional failover) is this one setting.
   *
   * @default - this stack's region
   */
  readonly registryRegion?: string;

  /**
   * How the controller gets its IAM role. The controller's AWS SDK
   * (aws-sdk-go-v2 config v1.18.3) predates EKS Pod Identity, so IRSA is the
   * only mode that works; POD_IDENTITY is refused at synth.
   *
   * @default WorkloadIdentity.IRSA
   */
  readonly identity?: WorkloadIdentity;

  /**
   * The controller's image tag.
   *
   * @default MeshVersions.CLOUD_MAP_MCS_CONTROLLER
   */
  readonly controllerVersion?: string;

  /**
   * The cluster's mesh. In sidecar mode, a `DestinationRule` per exported
   * namespace makes callers originate Istio mTLS to every host there,
   * imported ones included: the derived Services' endpoints are pods of the
   * other cluster, which this istiod does not know, so auto-mTLS would send
   * plaintext and the other side's STRICT policy would refuse it; both
   * meshes' certificates end in the same Private CA root, so the handshake
   * succeeds. In ambient mode nothing is added (ztunnel takes no per-host
   * TLS setting): see the README on cross-cluster calls in ambient mode.
   *
   * @default - no mesh objects
   */
  readonly mesh?: IstioMesh;

  /**
   * What happens to the Cloud Map namespaces when the stack is deleted (the
   * platform's one setting). A namespace that still holds services cannot be
   * deleted: remove the `ServiceExport`s first.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * IPv4 CIDRs of the other clusters' VPCs (peered). Each exported namespace
   * gets a NetworkPolicy `allow-cluster-set` that admits them and lets its pods
   * reach them on `clusterSetPorts`, beside the namespace's default-deny.
   *
   * @default - no NetworkPolicy: exported services are reached across clusters only if other policies allow it
   */
  readonly peerCidrs?: string[];

  /**
   * TCP ports the `allow-cluster-set` policy opens to and from `peerCidrs`.
   *
   * @default [15008] - Istio HBONE: in ambient mode a pod reaches another cluster's pod through the ztunnels on 15008; in sidecar mode list the exported services' target ports
   */
  readonly clusterSetPorts?: number[];
}

/**
 * Multi-cluster service discovery through AWS Cloud Map: a private DNS
 * namespace in the VPC for each exported Kubernetes namespace, and the AWS
 * Cloud Map MCS controller (pinned), which registers the endpoints of every
 * `ServiceExport` as Cloud Map instances (and so as Route 53 records in the
 * VPC) and turns the ClusterSet's registrations into `ServiceImport`s with
 * derived Services and EndpointSlices in every other cluster.
 *
 * Primary and DR share one registry region (`registryRegion`); pod IPs are
 * routable between them over the VPC peering, which is all the derived
 * Services need.
 */
export class CloudMapServiceDiscovery extends Construct {
  /** The controller's namespace. */
  public static readonly NAMESPACE = 'cloud-map-mcs-system';
  /** The controller's service account. */
  public static readonly SERVICE_ACCOUNT = 'cloud-map-mcs-controller-manager';

  /** The private DNS namespaces in this VPC, by Kubernetes namespace. */
  public readonly dnsNamespaces: { [namespace: string]: servicediscovery.PrivateDnsNamespace } = {};
  /** The controller's workload role. */
  public readonly controllerRole: WorkloadRole;
  /** The CRDs. */
  public readonly crdManifest: eks.KubernetesManifest;
  /** The controller (RBAC, Deployment) and this cluster's `ClusterProperty` objects. */
  public readonly controllerManifest: eks.KubernetesManifest;
  /** The sidecar-mode `DestinationRule`s for the exported namespaces, if any. */
  public readonly meshManifest?: eks.KubernetesManifest;
  /** The region whose Cloud Map holds the registry. */
  public readonly registryRegion: string;
  /** The `allow-cluster-set` NetworkPolicies of the exported namespaces (with `peerCidrs`). */
  public readonly clusterSetPolicies?: eks.KubernetesManifest;
  /** Whether this cluster's own namespaces hold the ClusterSet's registry. */
  public readonly isRegistry: boolean;
  /** The ClusterSet's name. */
  public readonly clusterSetId: string;
  /** This cluster's name in the ClusterSet. */
  public readonly clusterId: string;

  constructor(scope: Construct, id: string, props: CloudMapServiceDiscoveryProps) {
    super(scope, id);
    KeelsonTags.component(this, 'service-discovery');
    checkProps(this, props);
    const stack = Stack.of(this);
    this.registryRegion = props.registryRegion ?? stack.region;
    this.isRegistry = this.registryRegion === stack.region;
    this.clusterSetId = props.clusterSetId;
    this.clusterId = props.clusterId;

    const removal = StatefulRemoval.of(props.removalPolicy).policy;
    for (const name of props.exportedNamespaces) {
      const namespace = new servicediscovery.PrivateDnsNamespace(this, `Namespace-${name}`, {
        name,
        vpc: props.vpc,
        description: `Services exported from Kubernetes namespace ${name} (ClusterSet ${props.clusterSetId}, registry in ${this.registryRegion})`,
      });
      namespace.applyRemovalPolicy(removal);
      this.dnsNamespaces[name] = namespace;
    }

    const statements = cloudMapRegistrationStatements(this, {
      region: this.registryRegion,
      namespaceNames: props.exportedNamespaces,
      ...(this.isRegistry ? {
        namespaceArns: Object.values(this.dnsNamespaces).map((n) => n.namespaceArn),
        hostedZoneIds: Object.values(this.dnsNamespaces).map((n) => n.namespaceHostedZoneId),
      } : {}),
    });
    this.controllerRole = new WorkloadRole(this, 'ControllerRole', {
      cluster: props.cluster,
      namespace: CloudMapServiceDiscovery.NAMESPACE,
      serviceAccount: CloudMapServiceDiscovery.SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.IRSA,
      description: `Cloud Map MCS controller: registers and discovers ${props.exportedNamespaces.join(', ')} in ${this.registryRegion}`,
      statements: statements.map((s) => s.statement),
    });
    NagNames.acknowledgeWildcardResources(this.controllerRole.role, statements);

    const ns = props.namespaces.register({ name: CloudMapServiceDiscovery.NAMESPACE, component: 'service-discovery', backup: false });
    // The MCS controller only calls the API server and AWS Cloud Map.
    props.namespaces.traffic(CloudMapServiceDiscovery.NAMESPACE).allowAwsApis();
    this.crdManifest = new eks.KubernetesManifest(this, 'Crds', {
      cluster: props.cluster,
      overwrite: true,
      manifest: mcsCustomResourceDefinitions(),
    });
    const version = props.controllerVersion ?? MeshVersions.CLOUD_MAP_MCS_CONTROLLER.version;
    this.controllerManifest = new eks.KubernetesManifest(this, 'Controller', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        this.controllerRole.serviceAccountObject('service-discovery'),
        ...clusterProperties(props.clusterId, props.clusterSetId),
        ...mcsControllerObjects({
          namespace: CloudMapServiceDiscovery.NAMESPACE,
          serviceAccount: CloudMapServiceDiscovery.SERVICE_ACCOUNT,
          image: `${MeshVersions.CLOUD_MAP_MCS_CONTROLLER.repository}:${version}`,
          registryRegion: this.registryRegion,
        }),
      ],
    });
    this.controllerManifest.node.addDependency(ns, this.crdManifest, this.controllerRole);

    // One object per exported namespace, labelled as this component's.
    const labels = KeelsonLabels.component('service-discovery');
    type ManifestType = { apiVersion: string; kind: string; name: string };
    const perNamespace = (manifestId: string, type: ManifestType, spec: (namespace: string) => Record<string, any>) =>
      new eks.KubernetesManifest(this, manifestId, {
        cluster: props.cluster,
        overwrite: true,
        manifest: props.exportedNamespaces.map((namespace) => ({
          apiVersion: type.apiVersion,
          kind: type.kind,
          metadata: { name: type.name, namespace, labels },
          spec: spec(namespace),
        })),
      });

    const peers = props.peerCidrs ?? [];
    if (peers.length > 0) {
      const ports = (props.clusterSetPorts ?? [15008]).map((port) => ({ protocol: 'TCP', port }));
      const ipBlocks = peers.map((cidr) => ({ ipBlock: { cidr } }));
      this.clusterSetPolicies = perNamespace('ClusterSetPolicies', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'allow-cluster-set' }, () => ({
        podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: ipBlocks, ports }], egress: [{ to: ipBlocks, ports }],
      }));
      for (const name of props.exportedNamespaces) {
        const created = props.namespaces.manifests[name];
        if (created) this.clusterSetPolicies.node.addDependency(created);
      }
    }

    if (props.mesh?.dataplaneMode === MeshDataplaneMode.SIDECAR) {
      this.meshManifest = perNamespace('ClusterSetMtls', { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', name: 'clusterset-mtls' }, (namespace) => ({
        host: `*.${namespace}.svc.cluster.local`, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      }));
      this.meshManifest.node.addDependency(props.mesh.meshManifest);
    }
  }
}

function checkProps(scope: Construct, props: CloudMapServiceDiscoveryProps): void {
  if (props.identity === WorkloadIdentity.POD_IDENTITY) {
    PropsCheck.fail(scope, 'identity', 'the MCS controller\'s AWS SDK (aws-sdk-go-v2 config v1.18.3) predates EKS Pod Identity (Go v2 release-2023-11-14)',
      'leave identity unset or use WorkloadIdentity.IRSA');
  }
  PropsCheck.dnsLabel(scope, 'clusterSetId', props.clusterSetId);
  PropsCheck.dnsLabel(scope, 'clusterId', props.clusterId);
  if (props.exportedNamespaces.length === 0) {
    PropsCheck.fail(scope, 'exportedNamespaces', 'is empty: nothing could be exported', 'name at least one Kubernetes namespace whose Services are exported');
  }
  const seen = new Set<string>();
  for (const name of props.exportedNamespaces) {
    if (Token.isUnresolved(name)) {
      PropsCheck.fail(scope, 'exportedNamespaces', 'holds a token', 'name the namespaces literally: each becomes a construct and an IAM condition');
    }
    PropsCheck.dnsLabel(scope, 'exportedNamespaces', name);
    if (TOP_LEVEL_DOMAINS.includes(name)) {
      PropsCheck.fail(scope, 'exportedNamespaces', `"${name}" is a public top-level domain: its private DNS namespace would answer for every *.${name} name in the VPC`,
        'export from a Kubernetes namespace whose name is not a top-level domain (the Cloud Map namespace takes the Kubernetes namespace\'s name)');
    }
    if (PlatformNamespaces.PROTECTED.includes(name)) {
      PropsCheck.fail(scope, 'exportedNamespaces', `"${name}" is a namespace Kubernetes/EKS manages`, 'export from a workload namespace');
    }
    if (seen.has(name)) PropsCheck.fail(scope, 'exportedNamespaces', `"${name}" is listed twice`, 'list each namespace once');
    seen.add(name);
  }
  (props.peerCidrs ?? []).forEach((cidr, i) => Cidr.check(scope, `peerCidrs[${i}]`, cidr));
  (props.clusterSetPorts ?? []).forEach((port, i) => PropsCheck.inRange(scope, `clusterSetPorts[${i}]`, port, 1, 65535));
  if (props.clusterSetPorts?.includes(10250)) {
    PropsCheck.fail(scope, 'clusterSetPorts', 'lists the kubelet port 10250', 'list the mesh and exported service ports only');
  }
  if (props.registryRegion !== undefined) PropsCheck.region(scope, 'registryRegion', props.registryRegion);
  if (props.controllerVersion !== undefined && !Token.isUnresolved(props.controllerVersion) && !/^v\d+\.\d+\.\d+$/.test(props.controllerVersion)) {
    PropsCheck.fail(scope, 'controllerVersion', `"${props.controllerVersion}" is not a release tag`, 'pin a release tag such as v0.3.1 (no "latest")');
  }
}
