import { PropsCheck } from '@keelson/conventions';
import { Construct } from 'constructs';

/**
 * Pinned EKS managed add-on versions. Nothing is looked up at synth: a
 * version changes only when this table (or a prop) changes.
 *
 * Sources: the versions an EKS 1.36 cluster resolved to in a public test
 * record (vpc-cni, kube-proxy, coredns, eks-pod-identity-agent) and a public
 * EKS 1.36 module pin (aws-ebs-csi-driver), November 2026. Confirm with
 * `aws eks describe-addon-versions --kubernetes-version 1.36 --addon-name <name>`
 * before bumping.
 */
export class AddonVersions {
  /** `vpc-cni`: Amazon VPC CNI plugin v1.22.4 (github.com/aws/amazon-vpc-cni-k8s release v1.22.4). */
  public static readonly VPC_CNI = 'v1.22.4-eksbuild.3';

  /** `coredns`: CoreDNS v1.14.3 (github.com/coredns/coredns release v1.14.3), EKS build 16. */
  public static readonly COREDNS = 'v1.14.3-eksbuild.16';

  /** `aws-ebs-csi-driver`: EBS CSI driver v1.63.1 (github.com/kubernetes-sigs/aws-ebs-csi-driver release v1.63.1). */
  public static readonly EBS_CSI_DRIVER = 'v1.63.1-eksbuild.1';

  /** `eks-pod-identity-agent`: EKS Pod Identity agent v1.3.10 (github.com/aws/eks-pod-identity-agent release v1.3.10). */
  public static readonly POD_IDENTITY_AGENT = 'v1.3.10-eksbuild.3';

  /**
   * `amazon-cloudwatch-observability`: CloudWatch agent / Container Insights add-on v4.5.0
   * (github.com/aws-observability/helm-charts amazon-cloudwatch-observability v4.5.0), EKS build 1.
   * Confirm with `aws eks describe-addon-versions --kubernetes-version 1.36 --addon-name amazon-cloudwatch-observability`.
   */
  public static readonly CLOUDWATCH_OBSERVABILITY = 'v4.5.0-eksbuild.1';

  /**
   * `snapshot-controller`: CSI external-snapshotter v8.4.0 (github.com/kubernetes-csi/external-snapshotter
   * release v8.4.0), EKS build 3, as public EKS configurations pinned it in 2026. Velero's CSI
   * snapshots need it. Confirm with `aws eks describe-addon-versions --kubernetes-version 1.36 --addon-name snapshot-controller`.
   */
  public static readonly SNAPSHOT_CONTROLLER = 'v8.4.0-eksbuild.3';

  /**
   * Fail synth, naming `field`, unless `version` is written as EKS lists add-on
   * versions (`v<major>.<minor>.<patch>-eksbuild.<n>`): a mistyped version would
   * otherwise fail the CloudFormation deploy.
   *
   * @param scope the construct the error is reported on
   * @param field the prop that holds the version
   * @param version the version to check
   */
  public static checkFormat(scope: Construct, field: string, version: string): void {
    if (!/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version)) {
      PropsCheck.fail(scope, field, `"${version}" is not an EKS add-on version`,
        'write it as v<major>.<minor>.<patch>-eksbuild.<n>, as listed by aws eks describe-addon-versions');
    }
  }

  /**
   * `kube-proxy` follows the Kubernetes minor version of the cluster
   * (upstream kubernetes/kubernetes releases v1.36.0 and v1.35.0).
   *
   * @param kubernetesVersion `1.<minor>`
   * @returns the pinned version, or undefined when Keelson pins none for that minor
   */
  public static kubeProxy(kubernetesVersion: string): string | undefined {
    return KUBE_PROXY[kubernetesVersion];
  }

  private constructor() {}
}

const KUBE_PROXY: Record<string, string> = {
  1.36: 'v1.36.0-eksbuild.21',
  1.35: 'v1.35.0-eksbuild.2',
};
