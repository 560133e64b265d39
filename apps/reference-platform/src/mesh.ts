import { PlatformCluster, PlatformServices } from '@keelson/eks-core';
import { CloudMapServiceDiscovery, IstioMesh, MeshCertificates, MeshDataplaneMode, MeshRootCa, MeshSubordinateCa } from '@keelson/mesh';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PlatformConfig } from './config';
import { exportMeshSample, installMeshSample, meshSampleDiscovery } from './mesh-sample';

/** One cluster the mesh is installed in, with the stack that holds its region's CA. */
export interface MeshCluster {
  readonly platform: PlatformCluster;
  readonly services: PlatformServices;
  /** The region's security stack: it holds the region's subordinate CA (and, in the primary, the root). */
  readonly security: Stack;
  /** The region's mesh stack: the in-cluster part (cert-manager, the issuer, Istio, discovery). */
  readonly stack: Stack;
  /** The network's internal NLB group, for the sample's gateway (`mesh.sampleApplication`). */
  readonly loadBalancerSecurityGroup?: ec2.ISecurityGroup;
}

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
 * the registry's region (`serviceDiscovery.registry`).
 */
export function installMesh(
  primary: MeshCluster,
  dr: MeshCluster | undefined,
  config: PlatformConfig,
  common: { environmentSuffix: string; removalPolicy: RemovalPolicy },
): PlatformMesh | undefined {
  if (!config.mesh.enabled) return undefined;
  const root = new MeshRootCa(primary.security, 'MeshRootCa', common);
  const discovery: { [role: string]: CloudMapServiceDiscovery } = {};
  const sd = config.mesh.serviceDiscovery;
  const registryRegion = sd.registry === 'dr' && config.dr.enabled ? config.dr.region : config.primary.region;
  const install = (cluster: MeshCluster, role: 'primary' | 'dr') => {
    const ca = new MeshSubordinateCa(cluster.security, 'MeshCa', { ...common, root });
    const namespaces = cluster.services.namespaces!;
    const certificates = new MeshCertificates(cluster.stack, 'MeshCertificates', {
      cluster: cluster.platform.cluster,
      certificateAuthorityArn: ca.certificateAuthorityArn,
      namespaces,
    });
    const mesh = new IstioMesh(cluster.stack, 'Istio', {
      certificates,
      namespaces,
      clusterName: role,
      dataplaneMode: config.mesh.dataplaneMode === 'sidecar' ? MeshDataplaneMode.SIDECAR : MeshDataplaneMode.AMBIENT,
    });
    const controllers: Construct[] = [certificates, mesh];
    // Before discovery, so that its policies in the sample's namespace order after the namespace.
    const sample = config.mesh.sampleApplication ? installMeshSample(cluster.stack, {
      mesh,
      certificates,
      namespaces,
      loadBalancerSecurityGroup: cluster.loadBalancerSecurityGroup,
      hostname: `mesh-sample.${cluster.platform.clusterName}.${config.gitops.domainName}`,
    }) : undefined;
    if (sd.enabled) {
      discovery[role] = new CloudMapServiceDiscovery(cluster.stack, 'ServiceDiscovery', {
        cluster: cluster.platform.cluster,
        vpc: cluster.platform.cluster.vpc,
        namespaces,
        clusterSetId: sd.clusterSetId,
        clusterId: cluster.platform.clusterName,
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
    const system = cluster.platform.nodePools.system;
    if (system) for (const c of controllers) c.node.addDependency(system);
    return mesh;
  };
  return { root, primary: install(primary, 'primary'), dr: dr ? install(dr, 'dr') : undefined, discovery };
}
