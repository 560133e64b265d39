import * as kms from 'aws-cdk-lib/aws-kms';
import { WorkloadIdentity } from '../kit/workload-identity';

/** Switch and version of one EKS managed add-on. */
export interface AddonOptions {
  /**
   * Install the add-on.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The add-on version (`v<semver>-eksbuild.<n>`).
   *
   * @default - the catalogue's build for the cluster's Kubernetes version (`EksCoreVersions.addonVersion`)
   */
  readonly version?: string;
}

/** kube-proxy's proxy mode. */
export enum KubeProxyMode {
  /** iptables (the EKS default). */
  IPTABLES = 'iptables',
  /** IPVS: O(1) service lookups for clusters with many services. */
  IPVS = 'ipvs',
}

/** The `kube-proxy` add-on. */
export interface KubeProxyAddonOptions extends AddonOptions {
  /**
   * Proxy mode.
   *
   * @default KubeProxyMode.IPTABLES
   */
  readonly mode?: KubeProxyMode;
}

/** The `aws-ebs-csi-driver` add-on and the default StorageClass. */
export interface EbsCsiAddonOptions extends AddonOptions {
  /**
   * How the controller's service account gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Customer managed key for EBS volumes: the StorageClass uses it and the
   * driver's role gets the grants it needs.
   *
   * @default - the account's default EBS encryption key (volumes are encrypted either way)
   */
  readonly kmsKey?: kms.IKey;

  /**
   * Create a `gp3` encrypted StorageClass annotated as the cluster default.
   *
   * @default true
   */
  readonly defaultStorageClass?: boolean;
}

/** The managed add-ons of a platform cluster; each one defaults to on with a pinned version. */
export interface PlatformAddonsOptions {
  /**
   * VPC CNI, with prefix delegation and network policy enforcement.
   *
   * @default - on, `EksCoreVersions.VPC_CNI`
   */
  readonly vpcCni?: AddonOptions;

  /**
   * CoreDNS, scheduled on the system pool.
   *
   * @default - on, `EksCoreVersions.COREDNS`
   */
  readonly coreDns?: AddonOptions;

  /**
   * kube-proxy.
   *
   * @default - on, `EksCoreVersions.addonVersion('kube-proxy', <cluster version>)`, iptables mode
   */
  readonly kubeProxy?: KubeProxyAddonOptions;

  /**
   * EBS CSI driver with its workload role and the default StorageClass.
   *
   * @default - on, `EksCoreVersions.EBS_CSI_DRIVER`, Pod Identity
   */
  readonly ebsCsi?: EbsCsiAddonOptions;

  /**
   * EKS Pod Identity agent.
   *
   * @default - on, `EksCoreVersions.POD_IDENTITY_AGENT`
   */
  readonly podIdentityAgent?: AddonOptions;
}
