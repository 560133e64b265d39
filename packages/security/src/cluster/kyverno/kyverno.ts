import { KeelsonTags } from '@keelson/conventions';
import { PlatformChart, PlatformNamespaces, PodSecurityLevel, TrafficPeer, TrafficPort } from '@keelson/eks-core';
import { Construct } from 'constructs';
import { ImageSignatureOptions, ImageSignaturePolicy } from './image-signature-policy';
import { PolicyEnforcement } from '../policy-enforcement';
import { SecurityVersions } from '../security-versions';

/** Options of {@link Kyverno} (also used by `ClusterSecurity`). */
export interface KyvernoOptions {
  /**
   * Verify image signatures in the workload namespaces with this cosign key and exemption list.
   *
   * @default - Kyverno is installed without the signature policy
   */
  readonly imageSignatures?: ImageSignatureOptions;

  /**
   * Helm chart version.
   *
   * @default SecurityVersions.KYVERNO
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** Properties of {@link Kyverno}. */
export interface KyvernoProps extends KyvernoOptions {
  /** The cluster's namespace registry: the policy covers its workload namespaces, and `kyverno` is registered there. */
  readonly namespaces: PlatformNamespaces;

  /**
   * What happens to a pod with an unsigned image, per workload namespace.
   *
   * @default PolicyEnforcement.byEnvironment() - denied, except warned in `dev`
   */
  readonly enforcement?: PolicyEnforcement;
}

/**
 * Kyverno (Helm, pinned to the 1.19 line) on the system pool, with cosign
 * image verification of the workload namespaces as an `ImageValidatingPolicy`.
 */
export class Kyverno extends Construct {
  /** The controllers' webhook server port. */
  // why: kyverno/kyverno charts/kyverno/values.yaml `admissionController.webhookServer.port: 9443` and
  // `cleanupController.server.port: 9443`, tag kyverno-chart-3.9.0, the newest stored (the pin is chart 3.9.1).
  public static readonly WEBHOOK_PORT = 9443;
  /** Kyverno's namespace. */
  public static readonly NAMESPACE = 'kyverno';

  /** The chart with its namespace and placement. */
  public readonly platformChart: PlatformChart;
  /** The image signature policy, when a cosign key is given. */
  public readonly imageSignaturePolicy?: ImageSignaturePolicy;

  constructor(scope: Construct, id: string, props: KyvernoProps) {
    super(scope, id);
    KeelsonTags.component(this, 'kyverno');
    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.namespaces.cluster,
      pin: SecurityVersions.KYVERNO,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'kyverno',
      namespace: Kyverno.NAMESPACE,
      namespaces: props.namespaces,
      podSecurity: PodSecurityLevel.RESTRICTED,
      // Policies are code in this package: a reinstall restores them.
      backup: false,
      // Its webhooks and the policies.kyverno.io CRDs must serve before the policy is applied.
      wait: true,
      // `global` places every controller and hook job (the chart merges it under each component's own).
      systemPoolPaths: ['global'],
      values: {
        admissionController: { replicas: 3 },
        backgroundController: { replicas: 2 },
        cleanupController: { replicas: 2 },
        reportsController: { replicas: 2 },
      },
      valueOverrides: props.valueOverrides,
    });
    const traffic = this.platformChart.traffic;
    // The admission and cleanup controllers serve the API server's webhook calls on their webhook server port.
    traffic?.allowIngress({ name: 'webhooks', peers: [TrafficPeer.kubernetesApi()], ports: [TrafficPort.tcp(Kyverno.WEBHOOK_PORT)] });
    // Verifying image signatures reads signatures and attestations from the images' registries (HTTPS).
    traffic?.allowEgress({ name: 'registries', peers: [TrafficPeer.anywhere()], ports: [TrafficPort.tcp(443)] });
    if (props.imageSignatures) {
      this.imageSignaturePolicy = new ImageSignaturePolicy(this, 'ImageSignatures', {
        ...props.imageSignatures,
        cluster: props.namespaces.cluster,
        namespaces: props.namespaces.workloadNamespaces,
        enforcement: props.enforcement,
        dependsOn: [this.platformChart.chart],
      });
    }
  }
}
