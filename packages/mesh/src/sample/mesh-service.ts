import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { MCS_GROUP, MCS_VERSION } from '../private/mcs-controller';

/** A caller a {@link MeshService} accepts: a namespace and service account. */
export interface MeshServiceCaller {
  /** The caller's namespace. */
  readonly namespace: string;
  /** The caller's service account. */
  readonly serviceAccount: string;
}

/** Properties of {@link MeshService}. */
export interface MeshServiceProps {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The service's name (Deployment, Service, ServiceAccount and `app` label). */
  readonly name: string;
  /** The namespace, enrolled in the mesh. */
  readonly namespace: string;
  /** The container image, pinned by tag or digest. */
  readonly image: string;
  /**
   * The container port the Service exposes (port 80 → this port).
   *
   * @default 8080
   */
  readonly port?: number;
  /**
   * HTTP path the readiness and liveness probes call.
   *
   * @default '/healthz'
   */
  readonly healthPath?: string;
  /**
   * HTTP path the readiness probe calls, where the image serves readiness
   * apart from liveness (podinfo's `/readyz`).
   *
   * @default - `healthPath`
   */
  readonly readinessPath?: string;
  /**
   * The user id the container runs as. Set it when the image names its user
   * instead of numbering it (podinfo's `USER app`): the kubelet cannot verify
   * `runAsNonRoot` on a named user and refuses to start the container.
   *
   * @default - the image's own user, which must be numeric and not 0
   */
  readonly runAsUser?: number;
  /**
   * Replicas.
   *
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The callers allowed to reach this service (an `AuthorizationPolicy` ALLOW
   * on their principals). Everything else is denied once the namespace has
   * an allow-nothing policy (`SampleMeshApplication` adds one).
   *
   * @default - no caller
   */
  readonly allowFrom?: MeshServiceCaller[];
  /**
   * The trust domain of the principals.
   *
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * Export the Service to the ClusterSet (a `ServiceExport`): the Cloud Map
   * MCS controller registers its endpoints, and the other clusters import
   * it. Needs `CloudMapServiceDiscovery` in the cluster with this namespace
   * among its `exportedNamespaces`.
   *
   * @default false
   */
  readonly exportToClusterSet?: boolean;
}

/**
 * One service of the mesh, meant to be copied for your own: a ServiceAccount
 * (its mesh identity), a Deployment (restricted security context, readiness
 * and liveness probes), a Service, and an `AuthorizationPolicy` that allows
 * only the listed callers' principals.
 */
export class MeshService extends Construct {
  /**
   * The principal Istio authorization matches for a caller
   * (`<trustDomain>/ns/<namespace>/sa/<serviceAccount>`).
   */
  public static principal(trustDomain: string, caller: MeshServiceCaller): string {
    return `${trustDomain}/ns/${caller.namespace}/sa/${caller.serviceAccount}`;
  }

  /** The manifest. */
  public readonly manifest: eks.KubernetesManifest;
  /** The service's name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The caller identity of this service, for other services' `allowFrom`. */
  public readonly identity: MeshServiceCaller;
  /** The callers it accepts (`allowFrom`). */
  public readonly callers: MeshServiceCaller[];
  /** The trust domain of its principals. */
  public readonly trustDomain: string;
  /** The cluster. */
  public readonly cluster: eks.ICluster;

  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    for (const [field, value] of [['name', props.name], ['namespace', props.namespace]] as const) {
      if (!Token.isUnresolved(value) && !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) {
        PropsCheck.fail(this, field, `"${value}" is not a Kubernetes name`, 'use lowercase letters, digits and hyphens, starting with a letter');
      }
    }
    if (!Token.isUnresolved(props.image) && !/[:@]/.test(props.image.split('/').pop()!)) {
      PropsCheck.fail(this, 'image', `"${props.image}" has no tag or digest`, 'pin the image, for example repo/name:1.2.3 or repo/name@sha256:...');
    }
    this.name = props.name;
    this.namespace = props.namespace;
    this.identity = { namespace: props.namespace, serviceAccount: props.name };
    const port = props.port ?? 8080;
    const healthPath = props.healthPath ?? '/healthz';
    const readinessPath = props.readinessPath ?? healthPath;
    for (const [field, value] of [['healthPath', healthPath], ['readinessPath', readinessPath]] as const) {
      if (!value.startsWith('/')) PropsCheck.fail(this, field, `"${value}" does not start with "/"`, 'use an absolute HTTP path such as /healthz');
    }
    if (props.runAsUser !== undefined) PropsCheck.inRange(this, 'runAsUser', props.runAsUser, 1, 2147483647);
    const labels = { app: props.name };
    const probe = (path: string, initialDelaySeconds: number) => ({
      httpGet: { path, port }, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3,
    });
    const trustDomain = props.trustDomain ?? 'cluster.local';
    const allowFrom = props.allowFrom ?? [];
    this.callers = allowFrom;
    this.trustDomain = trustDomain;
    this.cluster = props.cluster;
    this.manifest = new eks.KubernetesManifest(this, 'Default', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: props.name, namespace: props.namespace, labels } },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: props.name, namespace: props.namespace, labels },
          spec: {
            replicas: props.replicas ?? 2,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: props.name,
                securityContext: {
                  runAsNonRoot: true,
                  ...(props.runAsUser !== undefined ? { runAsUser: props.runAsUser, runAsGroup: props.runAsUser } : {}),
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [{
                  name: props.name,
                  image: props.image,
                  ports: [{ name: 'http', containerPort: port }],
                  readinessProbe: probe(readinessPath, 5),
                  livenessProbe: probe(healthPath, 15),
                  resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                }],
              },
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: props.name, namespace: props.namespace, labels },
          spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: port }] },
        },
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'AuthorizationPolicy',
          metadata: { name: `${props.name}-callers`, namespace: props.namespace },
          spec: {
            selector: { matchLabels: labels },
            action: 'ALLOW',
            // No callers: a rule list that matches nothing (the ALLOW policy then denies every request).
            rules: allowFrom.length === 0 ? [] : [{
              from: [{ source: { principals: allowFrom.map((c) => MeshService.principal(trustDomain, c)) } }],
            }],
          },
        },
        ...(props.exportToClusterSet ? [{
          apiVersion: `${MCS_GROUP}/${MCS_VERSION}`,
          kind: 'ServiceExport',
          metadata: { name: props.name, namespace: props.namespace, labels },
        }] : []),
      ],
    });
  }
}
