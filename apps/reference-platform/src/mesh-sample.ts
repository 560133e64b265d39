import { PlatformNamespaces } from '@keelson/eks-core';
import {
  CloudMapServiceDiscovery, IstioMesh, MeshCertificates, MeshDataplaneMode, MeshIngressGateway, SampleImages, SampleMeshApplication,
} from '@keelson/mesh';
import { PlatformSecurityGroups } from '@keelson/network';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PlatformConfig } from './config';

/**
 * The mesh sample (`mesh.sampleApplication`): podinfo (`SampleImages.PODINFO`:
 * liveness on `/healthz`, readiness on `/readyz` at 9898), pinned by digest
 * in the mesh package's catalogue (`MeshVersions.PODINFO`).
 */
export const MESH_SAMPLE = {
  namespace: 'mesh-sample',
  workload: SampleImages.PODINFO,
  // The other cluster's frontend calls this cluster's backend; frontend and database stay local.
  exportedServices: ['backend'],
} as const;

/** What the mesh sample needs from one cluster's mesh install. */
export interface MeshSampleProps {
  readonly mesh: IstioMesh;
  readonly certificates: MeshCertificates;
  readonly namespaces: PlatformNamespaces;
  /** The network's internal NLB group: the gateway's NLB carries it. */
  readonly loadBalancerSecurityGroup?: ec2.ISecurityGroup;
  /** The gateway's host name. */
  readonly hostname: string;
}

/**
 * The mesh end to end in one cluster: an ingress gateway behind an internal
 * NLB in the network's NLB group, and the frontend -> backend -> database
 * sample behind it, each service accepting only its caller (gateway ->
 * frontend -> backend -> database) under the namespace's allow-nothing
 * policy. The services run with sidecars, in an ambient mesh too: a sidecar
 * originates Istio mTLS to the other cluster's pods, so the DR frontend's
 * call to the exported primary backend passes the backend's STRICT mode and
 * its AuthorizationPolicy (both clusters share the trust domain and root, so
 * the caller's principal is the same).
 */
export function installMeshSample(scope: Construct, props: MeshSampleProps): SampleMeshApplication {
  const gateway = new MeshIngressGateway(scope, 'MeshSampleGateway', {
    mesh: props.mesh,
    certificates: props.certificates,
    namespaces: props.namespaces,
    hostname: props.hostname,
    // Internal: the VPC and the peered VPC reach it (the NLB group admits them on 443), the internet does not.
    internetFacing: false,
    securityGroups: props.loadBalancerSecurityGroup ? [props.loadBalancerSecurityGroup] : undefined,
  });
  return new SampleMeshApplication(scope, 'MeshSample', {
    mesh: props.mesh,
    namespaces: props.namespaces,
    namespace: MESH_SAMPLE.namespace,
    ...MESH_SAMPLE.workload,
    gateway,
    exportedServices: [...MESH_SAMPLE.exportedServices],
    dataplaneMode: MeshDataplaneMode.SIDECAR,
  });
}

/** The sample's ServiceExport needs the MCS controller's CRDs first. */
export function exportMeshSample(sample: SampleMeshApplication, discovery: CloudMapServiceDiscovery): void {
  sample.node.addDependency(discovery.crdManifest);
}

/**
 * Cloud Map settings with the sample: its namespace among the exported ones,
 * and its port open to the other cluster beside HBONE (a sidecar calls the
 * exported pod on its own port).
 */
export function meshSampleDiscovery(config: PlatformConfig): { exportedNamespaces: string[]; clusterSetPorts?: number[] } {
  const exported = config.mesh.serviceDiscovery.exportedNamespaces;
  if (!config.mesh.sampleApplication) return { exportedNamespaces: exported };
  return {
    exportedNamespaces: exported.includes(MESH_SAMPLE.namespace) ? exported : [...exported, MESH_SAMPLE.namespace],
    clusterSetPorts: [PlatformSecurityGroups.MESH_HBONE_PORT, MESH_SAMPLE.workload.port],
  };
}

/** The network settings the sample needs in both regions: the internal NLB's group, and the sample's port across the peering. */
export function meshSampleNetwork(config: PlatformConfig): { internalLoadBalancer?: boolean; peeringPorts?: number[] } {
  if (!config.mesh.enabled || !config.mesh.sampleApplication) return {};
  const crossCluster = config.dr.enabled && config.mesh.serviceDiscovery.enabled;
  return {
    internalLoadBalancer: true,
    peeringPorts: crossCluster ? [...PlatformSecurityGroups.DEFAULT_PEERING_PORTS, MESH_SAMPLE.workload.port] : undefined,
  };
}
