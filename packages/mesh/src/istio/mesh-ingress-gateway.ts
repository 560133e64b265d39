import { DnsLabel, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { PlatformChart, PlatformNamespaces, PodSecurityLevel } from '@keelson/eks-core';
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { IstioMesh } from './istio-mesh';
import { MeshCertificates } from '../mesh-certificates';
import { MeshVersions } from '../mesh-versions';
import { MeshService, MeshServiceCaller } from '../sample/mesh-service';

/** Properties of {@link MeshIngressGateway}. */
export interface MeshIngressGatewayProps {
  /** The mesh. */
  readonly mesh: IstioMesh;
  /** cert-manager and the cluster's Private CA issuer (they issue the gateway's TLS certificate). */
  readonly certificates: MeshCertificates;
  /** The cluster's namespace registry (the gateway's namespace is registered there). */
  readonly namespaces: PlatformNamespaces;
  /** The host name clients use (the gateway's certificate and listener name it). */
  readonly hostname: string;
  /**
   * An ACM certificate for `hostname`: the NLB then terminates TLS with it
   * (publicly trusted) and re-encrypts to the gateway. Without it the NLB
   * passes TLS through and the gateway's Private CA certificate is what
   * clients see (trusted by clients that trust the mesh root).
   *
   * @default - TLS passthrough to the gateway
   */
  readonly acmCertificateArn?: string;
  /**
   * An internet-facing NLB; false makes it internal.
   *
   * @default true
   */
  readonly internetFacing?: boolean;
  /**
   * The NLB's frontend security groups, for example
   * `PlatformNetwork.securityGroups.nlb` for an internal gateway. The nodes
   * must admit them on the gateway's ports (`@keelson/network`'s nodes group
   * admits the NLB group on 80, 443 and 1024–65535): the controller's backend
   * rules are not asked for, because the Gateway API allows 8 infrastructure
   * annotations and TLS at the NLB takes the other 7.
   *
   * @default - none: the controller creates a frontend group from the listener ports
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The gateway's name (the Deployment and ServiceAccount Istio creates are `<name>-istio`).
   *
   * @default 'ingress'
   */
  readonly name?: string;
  /**
   * The gateway's namespace.
   *
   * @default 'istio-ingress'
   */
  readonly namespace?: string;
  /**
   * Gateway API CRD chart version.
   *
   * @default MeshVersions.GATEWAY_API_CRDS
   */
  readonly gatewayApiVersion?: string;
}

/**
 * The mesh's ingress: the Gateway API CRDs (pinned, upstream's standard
 * channel), a Gateway API `Gateway` of Istio's class behind an NLB that the
 * AWS Load Balancer Controller provisions (IP targets), with TLS: an HTTPS
 * listener terminating with a certificate from the cluster's Private CA
 * issuer, and, with an ACM certificate, TLS at the NLB re-encrypted to the
 * gateway. Routes attach from namespaces enrolled in the mesh only.
 *
 * `addRoute` sends a path prefix to a {@link MeshService} with an `HTTPRoute`;
 * `identity` is the gateway's mesh identity, for the service's `allowFrom`.
 */
export class MeshIngressGateway extends Construct {
  /** The CRD chart. */
  public readonly gatewayApiCrds: PlatformChart;
  /** The Gateway, its namespace's certificate. */
  public readonly manifest: eks.KubernetesManifest;
  /** The gateway's name. */
  public readonly name: string;
  /** The gateway's namespace. */
  public readonly namespace: string;
  /** The host name. */
  public readonly hostname: string;
  /** The gateway's mesh identity (Istio runs it as `<name>-istio`). */
  public readonly identity: MeshServiceCaller;
  private readonly cluster: eks.ICluster;

  constructor(scope: Construct, id: string, props: MeshIngressGatewayProps) {
    super(scope, id);
    KeelsonTags.component(this, 'istio-ingress');
    this.cluster = props.certificates.cluster;
    this.name = props.name ?? 'ingress';
    this.namespace = props.namespace ?? 'istio-ingress';
    this.hostname = props.hostname;
    if (!Token.isUnresolved(props.hostname) && !DnsLabel.isHostName(props.hostname, true)) {
      PropsCheck.fail(this, 'hostname', `"${props.hostname}" is not a DNS name`, 'use a lowercase name such as app.example.com');
    }
    this.identity = { namespace: this.namespace, serviceAccount: `${this.name}-istio` };

    this.gatewayApiCrds = new PlatformChart(this, 'GatewayApiCrds', {
      cluster: this.cluster,
      pin: MeshVersions.GATEWAY_API_CRDS,
      version: props.gatewayApiVersion,
      versionField: 'gatewayApiVersion',
      release: 'gateway-api-crds',
      component: 'gateway-api',
      namespace: IstioMesh.NAMESPACE,
      createNamespace: false,
      systemPool: false,
      values: { crds: { gatewayAPI: { enabled: true, channel: 'standard' }, envoyGateway: { enabled: false } } },
      dependsOn: [props.mesh.charts.base.chart],
    });

    // Istio's gateway pods run as a non-root user with every capability dropped.
    // The gateway forwards to any meshed service: its reach is the mesh's AuthorizationPolicies'.
    const namespace = props.namespaces.register({
      name: this.namespace, component: 'istio-ingress', podSecurity: PodSecurityLevel.BASELINE, backup: false, networkIsolation: false,
    });
    const acm = props.acmCertificateArn;
    const annotations: Record<string, string> = {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': (props.internetFacing ?? true) ? 'internet-facing' : 'internal',
      ...(props.securityGroups && props.securityGroups.length > 0 ? {
        'service.beta.kubernetes.io/aws-load-balancer-security-groups': props.securityGroups.map((g) => g.securityGroupId).join(','),
      } : {}),
      ...(acm ? {
        'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': acm,
        'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
        'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'ssl',
      } : {}),
    };
    const secretName = `${this.name}-tls`;
    const enrolled = props.mesh.enrollmentLabel();
    this.manifest = new eks.KubernetesManifest(this, 'Gateway', {
      cluster: this.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name: secretName, namespace: this.namespace },
          spec: {
            secretName,
            dnsNames: [props.hostname],
            duration: '720h',
            renewBefore: '240h',
            privateKey: { algorithm: 'RSA', size: 2048, rotationPolicy: 'Always' },
            usages: ['server auth'],
            issuerRef: props.certificates.issuerRef(),
          },
        },
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: this.name, namespace: this.namespace },
          spec: {
            gatewayClassName: 'istio',
            infrastructure: { annotations },
            listeners: [{
              name: 'https',
              port: 443,
              protocol: 'HTTPS',
              hostname: props.hostname,
              tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: secretName }] },
              allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: enrolled } } },
            }],
          },
        },
      ],
    });
    this.manifest.node.addDependency(namespace, this.gatewayApiCrds.chart, props.certificates.clusterIssuerManifest, props.mesh.meshManifest);
  }

  /**
   * Route requests for `pathPrefix` on this gateway's host to a service (an
   * `HTTPRoute` in the service's namespace). Add the gateway's `identity` to
   * the service's callers, or the mesh denies the requests.
   */
  public addRoute(id: string, service: MeshService, pathPrefix: string = '/'): eks.KubernetesManifest {
    if (!pathPrefix.startsWith('/')) {
      PropsCheck.fail(this, `addRoute(${id}).pathPrefix`, `"${pathPrefix}" does not start with "/"`, 'use an absolute path prefix such as "/" or "/api"');
    }
    const route = new eks.KubernetesManifest(this, `Route-${id}`, {
      cluster: this.cluster,
      overwrite: true,
      manifest: [{
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: `${service.name}-${id.toLowerCase()}`, namespace: service.namespace },
        spec: {
          parentRefs: [{ name: this.name, namespace: this.namespace, sectionName: 'https' }],
          hostnames: [this.hostname],
          rules: [{ matches: [{ path: { type: 'PathPrefix', value: pathPrefix } }], backendRefs: [{ name: service.name, port: 80 }] }],
        },
      }],
    });
    route.node.addDependency(this.manifest, service);
    return route;
  }
}
