import { CloudMapServiceDiscovery, IstioMesh, MeshCertificates, MeshDataplaneMode, MeshRootCa, MeshSubordinateCa } from '@keelson/mesh';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { commonProps } from './common-props';
import { PlatformConfig } from './config';
import { exportMeshSample, installMeshSample, meshSampleDiscovery } from './mesh-sample';
import { RegionCluster } from './region-cluster';

/** The mesh of both clusters. */
export interface PlatformMesh {
  readonly root: MeshRootCa;
  readonly primary: IstioMesh;
  readonly dr?: IstioMesh;
  /** Cloud Map discovery per cluster (`mesh.serviceDiscovery.enabled`). */
  readonly discovery: { [role: string]: CloudMapServiceDiscovery };
}

/**
 * The service mesh in both clusters from the config's `mesh` section: the
 * Private CA root and the primary's subordinate in the primary security
 * stack, the DR subordinate in the DR security stack (signed by the root
 * across regions), and in each cluster cert-manager with the Private CA
 * issuer on its own region's subordinate, and Istio with STRICT mTLS. The
 * CAs live in the security stacks, and the in-cluster part in each region's
 * mesh stack, which reads them as same-region references and carries no
 * cross-region export writer. With `mesh.serviceDiscovery`, each cluster also gets the
 * Cloud Map namespaces in its VPC and the MCS controller, both controllers on
 * the registry's region (`serviceDiscovery.registry`). The DR cluster joins
 * when it has a mesh stack.
 */
export function installMesh(primary: RegionCluster, config: PlatformConfig, drCluster?: RegionCluster): PlatformMesh | undefined {
  if (!config.mesh.enabled || !primary.layers.mesh) return undefined;
  const dr = drCluster?.layers.mesh ? drCluster : undefined;
  const common = commonProps(config);
  const root = new MeshRootCa(Stack.of(primary.baseline), 'MeshRootCa', common);
  const discovery: { [role: string]: CloudMapServiceDiscovery } = {};
  const sd = config.mesh.serviceDiscovery;
  const registryRegion = sd.registry === 'dr' && config.dr.enabled ? config.dr.region : config.primary.region;
  const install = (cluster: RegionCluster) => {
    const role = cluster.role;
    const stack = cluster.layers.mesh!;
    const ca = new MeshSubordinateCa(Stack.of(cluster.baseline), 'MeshCa', { ...common, root });
    const namespaces = cluster.services.namespaces!;
    const certificates = new MeshCertificates(stack, 'MeshCertificates', {
      cluster: cluster.platformCluster.cluster,
      certificateAuthorityArn: ca.certificateAuthorityArn,
      namespaces,
    });
    const mesh = new IstioMesh(stack, 'Istio', {
      certificates,
      namespaces,
      clusterName: role,
      dataplaneMode: config.mesh.dataplaneMode === 'sidecar' ? MeshDataplaneMode.SIDECAR : MeshDataplaneMode.AMBIENT,
    });
    const controllers: Construct[] = [certificates, mesh];
    // Before discovery, so that its policies in the sample's namespace order after the namespace.
    const sample = config.mesh.sampleApplication ? installMeshSample(stack, {
      mesh,
      certificates,
      namespaces,
      loadBalancerSecurityGroup: cluster.network.securityGroups.nlb,
      hostname: `mesh-sample.${cluster.platformCluster.clusterName}.${config.gitops.domainName}`,
    }) : undefined;
    if (sd.enabled) {
      discovery[role] = new CloudMapServiceDiscovery(stack, 'ServiceDiscovery', {
        cluster: cluster.platformCluster.cluster,
        vpc: cluster.platformCluster.cluster.vpc,
        namespaces,
        clusterSetId: sd.clusterSetId,
        clusterId: cluster.platformCluster.clusterName,
        ...meshSampleDiscovery(config),
        registryRegion,
        mesh,
        // The other cluster's VPC reaches the exported namespaces (HBONE) through the peering.
        peerCidrs: dr ? [role === 'primary' ? config.dr.vpcCidr : config.primary.vpcCidr] : [],
        removalPolicy: common.removalPolicy,
      });
      controllers.push(discovery[role]);
      if (sample) exportMeshSample(sample, discovery[role]);
    }
    // The controllers need the system pool.
    const system = cluster.platformCluster.nodePools.system;
    if (system) for (const c of controllers) c.node.addDependency(system);
    return mesh;
  };
  return { root, primary: install(primary), dr: dr ? install(dr) : undefined, discovery };
}
