import { KeelsonTags, PropsCheck, StatefulRemoval } from '@keelson/conventions';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { KubeProxyMode, PlatformAddonsOptions } from './addon-options';
import { EksCoreVersions } from '../eks-core-versions';
import { VersionCatalogue } from '../kit/version-pin';
import { WorkloadIdentity } from '../kit/workload-identity';
import { WorkloadRole } from '../kit/workload-role';
import { CRITICAL_ADDONS_TAINT, SYSTEM_POOL_LABEL } from '../private/pool-defaults';


/** Properties of {@link ManagedAddons}. */
export interface ManagedAddonsProps {
  /** The cluster (needs a kubectl provider for the StorageClass). */
  readonly cluster: eks.ICluster;

  /** The cluster's Kubernetes version, `1.<minor>` (selects the kube-proxy build). */
  readonly kubernetesVersion: string;

  /**
   * Which add-ons, at which versions.
   *
   * @default - all on, pinned versions
   */
  readonly addons?: PlatformAddonsOptions;

  /**
   * Removal policy of the add-on resources.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The EKS managed add-ons of a platform cluster, each pinned: VPC CNI (prefix
 * delegation + network policy), CoreDNS (on the system pool), kube-proxy,
 * EBS CSI driver (own workload role, gp3 encrypted default StorageClass) and
 * the EKS Pod Identity agent.
 */
export class ManagedAddons extends Construct {
  /**
   * Name of the encrypted gp3 default StorageClass created with the EBS CSI
   * driver: packages that claim volumes (Prometheus, Alertmanager) name it.
   */
  public static readonly DEFAULT_STORAGE_CLASS = 'gp3';

  /** The `vpc-cni` add-on. */
  public readonly vpcCni?: eks.Addon;
  /** The `coredns` add-on. */
  public readonly coreDns?: eks.Addon;
  /** The `kube-proxy` add-on. */
  public readonly kubeProxy?: eks.Addon;
  /** The `aws-ebs-csi-driver` add-on. */
  public readonly ebsCsi?: eks.Addon;
  /** The EBS CSI controller's workload role. */
  public readonly ebsCsiRole?: WorkloadRole;
  /** The gp3 default StorageClass manifest. */
  public readonly defaultStorageClass?: eks.KubernetesManifest;
  /** The `eks-pod-identity-agent` add-on. */
  public readonly podIdentityAgent?: eks.Addon;

  constructor(scope: Construct, id: string, props: ManagedAddonsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'eks-addons');
    const opts = props.addons ?? {};
    const cluster = props.cluster;
    const removalPolicy = StatefulRemoval.of(props.removalPolicy).policy;
    const systemToleration = { key: CRITICAL_ADDONS_TAINT.key, operator: 'Exists', effect: 'NoSchedule' };
    const systemSelector = { [SYSTEM_POOL_LABEL.key]: SYSTEM_POOL_LABEL.value };

    const k8s = props.kubernetesVersion;
    // The catalogue's build of an add-on for this Kubernetes version; fails synth when it pins none.
    const pinned = (field: string, addonName: string): string => {
      const v = EksCoreVersions.addonVersion(addonName, k8s);
      if (v === undefined) {
        PropsCheck.fail(this, `addons.${field}.version`, `Keelson pins no ${addonName} build for Kubernetes ${k8s}`,
          `set addons.${field}.version (aws eks describe-addon-versions --addon-name ${addonName} --kubernetes-version ${k8s})`);
      }
      return v!;
    };
    const addon = (cid: string, addonName: string, version: string, configurationValues?: Record<string, any>): eks.Addon => {
      VersionCatalogue.checkAddonVersion(this, `addons.${cid}.version`, version);
      const a = new eks.Addon(this, cid, { cluster, addonName, addonVersion: version, configurationValues, removalPolicy });
      // The cluster bootstraps self-managed vpc-cni/coredns/kube-proxy; the managed add-on takes them over.
      (a.node.defaultChild as eks.CfnAddon).resolveConflicts = 'OVERWRITE';
      return a;
    };

    if (opts.podIdentityAgent?.enabled ?? true) {
      this.podIdentityAgent = addon('PodIdentityAgent', 'eks-pod-identity-agent', opts.podIdentityAgent?.version ?? pinned('podIdentityAgent', 'eks-pod-identity-agent'));
    }

    if (opts.vpcCni?.enabled ?? true) {
      this.vpcCni = addon('VpcCni', 'vpc-cni', opts.vpcCni?.version ?? pinned('vpcCni', 'vpc-cni'), {
        env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
        enableNetworkPolicy: 'true',
      });
    }

    if (opts.kubeProxy?.enabled ?? true) {
      const version = opts.kubeProxy?.version ?? pinned('kubeProxy', 'kube-proxy');
      const mode = opts.kubeProxy?.mode ?? KubeProxyMode.IPTABLES;
      this.kubeProxy = addon('KubeProxy', 'kube-proxy', version!, mode === KubeProxyMode.IPVS ? { mode: 'ipvs' } : undefined);
    }

    if (opts.coreDns?.enabled ?? true) {
      this.coreDns = addon('CoreDns', 'coredns', opts.coreDns?.version ?? pinned('coreDns', 'coredns'), {
        nodeSelector: systemSelector,
        tolerations: [systemToleration],
      });
    }

    const ebs = opts.ebsCsi;
    if (ebs?.enabled ?? true) {
      const statements: iam.PolicyStatement[] = [];
      if (ebs?.kmsKey) {
        statements.push(new iam.PolicyStatement({
          sid: 'EbsKeyGrants',
          actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          resources: [ebs.kmsKey.keyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }));
        statements.push(new iam.PolicyStatement({
          sid: 'EbsKeyUse',
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
          resources: [ebs.kmsKey.keyArn],
        }));
      }
      this.ebsCsiRole = new WorkloadRole(this, 'EbsCsiRole', {
        cluster,
        namespace: 'kube-system',
        serviceAccount: 'ebs-csi-controller-sa',
        identity: ebs?.identity ?? WorkloadIdentity.POD_IDENTITY,
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEBSCSIDriverPolicy')],
        statements,
        description: 'EBS CSI driver controller (kube-system/ebs-csi-controller-sa)',
      });
      Validations.of(this.ebsCsiRole.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy]',
        reason: 'AmazonEBSCSIDriverPolicy is the AWS-maintained policy for the EBS CSI driver; its EC2 volume/snapshot actions are scoped by ebs.csi.aws.com tags and track new driver features, which a hand-written copy would not',
      });
      this.ebsCsi = addon('EbsCsi', 'aws-ebs-csi-driver', ebs?.version ?? pinned('ebsCsi', 'aws-ebs-csi-driver'), {
        controller: { nodeSelector: systemSelector, tolerations: [systemToleration] },
        node: { tolerateAllTaints: true },
      });
      const cfnEbs = this.ebsCsi.node.defaultChild as eks.CfnAddon;
      if (this.ebsCsiRole.identity === WorkloadIdentity.IRSA) {
        cfnEbs.serviceAccountRoleArn = this.ebsCsiRole.role.roleArn;
      } else if (this.ebsCsiRole.podIdentityAssociation && this.podIdentityAgent) {
        this.ebsCsi.node.addDependency(this.podIdentityAgent);
      }
      this.ebsCsi.node.addDependency(this.ebsCsiRole);

      if (ebs?.defaultStorageClass ?? true) {
        this.defaultStorageClass = cluster.addManifest('DefaultStorageClass', {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: {
            name: ManagedAddons.DEFAULT_STORAGE_CLASS,
            annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
          },
          provisioner: 'ebs.csi.aws.com',
          volumeBindingMode: 'WaitForFirstConsumer',
          allowVolumeExpansion: true,
          reclaimPolicy: 'Delete',
          parameters: {
            'type': 'gp3',
            'encrypted': 'true',
            'csi.storage.k8s.io/fstype': 'ext4',
            ...(ebs?.kmsKey ? { kmsKeyId: ebs.kmsKey.keyArn } : {}),
          },
        });
        this.defaultStorageClass.node.addDependency(this.ebsCsi);
      }
    }
  }
}
