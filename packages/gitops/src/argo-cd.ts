import { KeelsonCommonProps, KeelsonTags, PropsCheck, SlackChannel } from '@keelson/conventions';
import {
  AwsLoadBalancerController, ExternalSecret, ExternalSecretsOperator, PlatformChart, PlatformNamespaces, PodSecurityLevel, SystemPool,
  TrafficPeer, TrafficPort,
} from '@keelson/eks-core';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { CfnCapability } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IDependable } from 'constructs';
import { GitOpsVersions } from './gitops-versions';
import { DEX_SECRET, NOTIFICATIONS_SECRET, PART_OF_ARGOCD, dexConfig, notificationsValues, rbacPolicy } from './private/argo-cd-config';

/** Sign-in to Argo CD through Dex's GitHub connector. */
export interface GitHubSsoOptions {
  /** The GitHub organization whose members may sign in. */
  readonly organization: string;

  /** Slugs of the teams of `organization` mapped to `role:admin`. */
  readonly adminTeams: string[];

  /**
   * GitHub logins mapped to `role:admin` besides the teams (Argo CD 3 matches
   * them against `federated_claims.user_id`, which Keelson makes the login).
   *
   * @default - none
   */
  readonly adminUsers?: string[];

  /**
   * Restrict sign-in to members of these team slugs (plus the admin teams).
   *
   * @default - every member of the organization may sign in (read-only unless an admin)
   */
  readonly loginTeams?: string[];

  /**
   * Secrets Manager secret (a JSON object) holding the GitHub OAuth App's
   * client id and secret, under the External Secrets operator's path prefix.
   *
   * @default `<external secrets path prefix>argocd/github-oauth`
   */
  readonly oauthSecretName?: string;

  /**
   * JSON key of the client id in that secret.
   *
   * @default 'clientId'
   */
  readonly clientIdKey?: string;

  /**
   * JSON key of the client secret in that secret.
   *
   * @default 'clientSecret'
   */
  readonly clientSecretKey?: string;
}

/** How Argo CD is reached: an ALB Ingress with an ACM certificate. */
export interface ArgoCdIngressOptions {
  /** The Route 53 hosted zone id that validates the certificate (no context lookup). */
  readonly hostedZoneId: string;

  /** The hosted zone's name (the platform domain, for example `platform.example.com`). */
  readonly zoneName: string;

  /**
   * The host name of the UI, API and CLI.
   *
   * @default `argocd.<clusterName>.<zoneName>`
   */
  readonly hostname?: string;

  /**
   * ARN of the WAFv2 web ACL (regional) attached to the load balancer,
   * for example `PlatformWebAcl.webAclArn` of `@keelson/security`.
   *
   * @default - no web ACL
   */
  readonly webAclArn?: string;

  /**
   * How long a silent connection stays open (the UI's event streams, `argocd app logs -f`).
   *
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;

  /**
   * `max-age` of the Strict-Transport-Security header the ALB adds to every response.
   *
   * @default Duration.days(365)
   */
  readonly hstsMaxAge?: Duration;

  /**
   * The cluster's AWS Load Balancer Controller: the Ingress takes its
   * `ingressAnnotations()`, so the ALB sits in the platform's ALB security
   * groups (`albSecurityGroups`) with controller-managed backend rules.
   *
   * @default - `AwsLoadBalancerController.recommendedIngressAnnotations`: the controller makes a frontend group for the ALB
   */
  readonly loadBalancerController?: AwsLoadBalancerController;
}

/** Argo CD Notifications (the built-in controller) to Slack. */
export interface ArgoCdNotificationsOptions {
  /**
   * Run the notifications controller.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The Slack channel the `on-sync-failed`, `on-health-degraded` and `on-deployed` triggers post to.
   *
   * @default 'platform-deployments'
   */
  readonly channel?: string;

  /**
   * Secrets Manager secret (a JSON object) holding the Slack bot token, under the External Secrets path prefix.
   *
   * @default `<external secrets path prefix>argocd/slack`
   */
  readonly slackTokenSecretName?: string;

  /**
   * JSON key of the token in that secret.
   *
   * @default 'token'
   */
  readonly slackTokenKey?: string;
}

/** Sizes of the highly available Argo CD. */
export interface ArgoCdHighAvailability {
  /**
   * Fewest API server replicas (the autoscaler's floor).
   *
   * @default 2
   */
  readonly serverMinReplicas?: number;

  /**
   * Most API server replicas.
   *
   * @default 5
   */
  readonly serverMaxReplicas?: number;

  /**
   * Fewest repo-server replicas (autoscaled up to `serverMaxReplicas`).
   *
   * @default 2
   */
  readonly repoServerMinReplicas?: number;
}

/** Who runs Argo CD. */
export enum ArgoCdMode {
  /** Keelson installs and configures the Argo CD Helm chart in the cluster (Dex GitHub SSO, notifications, HA). */
  SELF_MANAGED = 'SELF_MANAGED',
  /**
   * The managed EKS Argo CD capability (`AWS::EKS::Capability`): AWS runs Argo CD outside the
   * cluster, sign-in is IAM Identity Center. No Dex (no GitHub SSO), no notifications controller,
   * a limited argocd-cm, no Keelson ingress (AWS gives it an endpoint).
   */
  EKS_CAPABILITY = 'EKS_CAPABILITY',
}

/** The managed EKS Argo CD capability. */
export interface ArgoCdCapabilityOptions {
  /** ARN of the IAM Identity Center instance users sign in with. */
  readonly identityCenterInstanceArn: string;

  /**
   * Region of the IAM Identity Center instance.
   *
   * @default - the stack's region
   */
  readonly identityCenterRegion?: string;

  /** IAM Identity Center group ids given the Argo CD `ADMIN` role. */
  readonly adminGroupIds: string[];

  /**
   * IAM Identity Center group ids given the `EDITOR` role.
   *
   * @default - none
   */
  readonly editorGroupIds?: string[];

  /**
   * IAM Identity Center group ids given the `VIEWER` role.
   *
   * @default - none
   */
  readonly viewerGroupIds?: string[];
}

/** Properties of {@link ArgoCd}. */
export interface ArgoCdProps extends KeelsonCommonProps {
  /** The cluster (with a kubectl provider). */
  readonly cluster: eks.ICluster;

  /** The cluster's name (part of the default host name). */
  readonly clusterName: string;

  /** The cluster's External Secrets operator: it delivers the OAuth client and the Slack token. */
  readonly externalSecrets: ExternalSecretsOperator;

  /**
   * The cluster's namespace registry: the `argocd` namespace is registered
   * there (Pod Security baseline, backed up), so RBAC, NetworkPolicies and backups see it.
   *
   * @default - the namespace is created by the chart construct
   */
  readonly namespaces?: PlatformNamespaces;

  /**
   * Self-managed through the Helm chart, or the managed EKS capability.
   *
   * @default ArgoCdMode.SELF_MANAGED
   */
  readonly mode?: ArgoCdMode;

  /**
   * GitHub sign-in and the RBAC mapping (self-managed only, where it is required).
   *
   * @default - none; required when mode is SELF_MANAGED
   */
  readonly sso?: GitHubSsoOptions;

  /**
   * The Ingress: host name, certificate zone, WAF (self-managed only, where it is required).
   *
   * @default - none; required when mode is SELF_MANAGED
   */
  readonly ingress?: ArgoCdIngressOptions;

  /**
   * Identity Center sign-in and role mapping of the managed capability (required when mode is EKS_CAPABILITY).
   *
   * @default - none
   */
  readonly capability?: ArgoCdCapabilityOptions;

  /**
   * Keep Argo CD's local `admin` account. Off, the only way in is GitHub sign-in.
   *
   * @default false
   */
  readonly localAdmin?: boolean;

  /**
   * Notifications to Slack (self-managed only: the capability has no notifications controller).
   *
   * @default - self-managed: on, channel `platform-deployments`, token from `<prefix>argocd/slack`
   */
  readonly notifications?: ArgoCdNotificationsOptions;

  /**
   * Replica counts.
   *
   * @default - server 2 to 5, repo-server 2 to 5, redis-ha with 3 replicas
   */
  readonly highAvailability?: ArgoCdHighAvailability;

  /**
   * Helm chart version.
   *
   * @default GitOpsVersions.ARGO_CD
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/**
 * Argo CD, self-managed through its pinned Helm chart, highly available on
 * the system pool: API server autoscaled (2–5), repo-server autoscaled
 * (from 2), two ApplicationSet controllers, redis-ha (3 Redis + 3 HAProxy),
 * a PodDisruptionBudget per component, and the chart's NetworkPolicies on.
 *
 * Sign-in is GitHub through Dex: the OAuth client id and secret come from
 * Secrets Manager through an ExternalSecret (never a value in a template);
 * admin teams map to `role:admin`, everyone else to `role:readonly`; the
 * local admin is off. The UI, API and CLI (gRPC) share one host on an ALB of
 * the `alb` IngressClass, with a DNS-validated ACM certificate, TLS 1.2+,
 * HSTS, the streaming timeouts and an optional WAF web ACL.
 *
 * With `mode: ArgoCdMode.EKS_CAPABILITY` the same construct creates the
 * managed EKS Argo CD capability instead (Identity Center sign-in, roles
 * ADMIN/EDITOR/VIEWER), and what is built on it (`GitOpsApplications`,
 * `ArgoCdImageUpdater`) waits for `ready` either way.
 */
export class ArgoCd extends Construct {
  /** Argo CD's namespace. */
  public static readonly NAMESPACE = 'argocd';

  /** Self-managed or the managed capability. */
  public readonly mode: ArgoCdMode;
  /** What objects built on Argo CD (Applications, ImageUpdaters) are ordered after: the chart, or the capability. */
  public readonly ready: IDependable;
  /** The chart with its namespace and placement (self-managed). */
  public readonly platformChart?: PlatformChart;
  /** The Helm release (self-managed). */
  public readonly chart?: eks.HelmChart;
  /** The managed capability (EKS_CAPABILITY). */
  public readonly capability?: CfnCapability;
  /** The IAM role the capability uses (EKS_CAPABILITY). */
  public readonly capabilityRole?: iam.IRole;
  /** The host name of the UI, API and CLI (self-managed). */
  public readonly hostname?: string;
  /** `https://<hostname>` (self-managed). */
  public readonly url?: string;
  /** The ACM certificate of the host name (self-managed). */
  public readonly certificate?: acm.ICertificate;
  /** The ExternalSecret delivering the GitHub OAuth client (self-managed). */
  public readonly oauthSecret?: eks.KubernetesManifest;
  /** The ExternalSecret delivering the Slack token, when notifications are on. */
  public readonly slackSecret?: eks.KubernetesManifest;
  /** The namespace. */
  public readonly namespace: string;
  /** The cluster. */
  public readonly cluster: eks.ICluster;
  /** The External Secrets operator delivering Argo CD's secrets. */
  public readonly externalSecrets: ExternalSecretsOperator;

  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    KeelsonTags.component(this, 'argocd');
    this.cluster = props.cluster;
    this.namespace = ArgoCd.NAMESPACE;
    this.externalSecrets = props.externalSecrets;
    this.mode = props.mode ?? ArgoCdMode.SELF_MANAGED;
    if (this.mode === ArgoCdMode.EKS_CAPABILITY) {
      const c = this.createCapability(props);
      this.capability = c.capability;
      this.capabilityRole = c.role;
      this.ready = c.capability;
      return;
    }
    if (props.capability) {
      PropsCheck.fail(this, 'capability', 'is set, but mode is SELF_MANAGED', 'set mode: ArgoCdMode.EKS_CAPABILITY to use the managed capability, or drop capability');
    }
    const eso = props.externalSecrets;
    const sso = props.sso!;
    if (!props.sso) PropsCheck.fail(this, 'sso', 'is missing; the self-managed Argo CD signs in through GitHub', 'give sso: { organization, adminTeams }');
    if (!props.ingress) PropsCheck.fail(this, 'ingress', 'is missing; the self-managed Argo CD is reached through an ALB Ingress', 'give ingress: { hostedZoneId, zoneName }');
    checkSlug(this, 'sso.organization', sso.organization);
    if (sso.adminTeams.length === 0 && (sso.adminUsers ?? []).length === 0) {
      PropsCheck.fail(this, 'sso.adminTeams', 'no team or user would be an Argo CD admin (and the local admin is off)', 'name at least one GitHub team slug in adminTeams (or a login in adminUsers)');
    }
    sso.adminTeams.forEach((t, i) => checkSlug(this, `sso.adminTeams[${i}]`, t));
    (sso.loginTeams ?? []).forEach((t, i) => checkSlug(this, `sso.loginTeams[${i}]`, t));

    const ing = props.ingress!;
    const hostname = ing.hostname ?? `argocd.${props.clusterName}.${ing.zoneName}`;
    this.hostname = hostname;
    if (!Token.isUnresolved(hostname) && !Token.isUnresolved(ing.zoneName) && !hostname.endsWith(`.${ing.zoneName}`)) {
      PropsCheck.fail(this, 'ingress.hostname', `"${hostname}" is not inside the hosted zone ${ing.zoneName}, so its certificate cannot be validated there`,
        `use a name ending in .${ing.zoneName}`);
    }
    const url = `https://${hostname}`;
    this.url = url;
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: ing.hostedZoneId, zoneName: ing.zoneName });
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: hostname,
      validation: acm.CertificateValidation.fromDns(zone),
    });
    this.certificate = certificate;
    const hsts = (ing.hstsMaxAge ?? Duration.days(365)).toSeconds();

    const ha = props.highAvailability ?? {};
    const serverMin = ha.serverMinReplicas ?? 2;
    const serverMax = ha.serverMaxReplicas ?? 5;
    const repoMin = ha.repoServerMinReplicas ?? 2;
    PropsCheck.inRange(this, 'highAvailability.serverMinReplicas', serverMin, 2, 20);
    PropsCheck.inRange(this, 'highAvailability.serverMaxReplicas', serverMax, serverMin, 50);
    PropsCheck.inRange(this, 'highAvailability.repoServerMinReplicas', repoMin, 2, serverMax);

    // Secrets: Argo CD resolves `$<secret>:<key>` only from Secrets labelled part-of argocd.
    const namespaceManifest = props.namespaces?.register({ name: ArgoCd.NAMESPACE, component: 'gitops', podSecurity: PodSecurityLevel.BASELINE });
    if (props.namespaces) {
      // Ingress is governed by the chart's own NetworkPolicies (global.networkPolicy.create, below), which admit each
      // component only from its peers. Egress: among Argo CD's components, and HTTPS and SSH out (Git, Helm and OCI
      // registries, GitHub sign-in, Slack, and the API servers of the clusters it deploys to).
      const traffic = props.namespaces.traffic(ArgoCd.NAMESPACE);
      traffic.allowEgress({ name: 'to-namespace', peers: [TrafficPeer.podsInNamespace()] });
      traffic.allowEgress({ name: 'git-and-registries', peers: [TrafficPeer.anywhere()], ports: [TrafficPort.tcp(443), TrafficPort.tcp(22)] });
    }
    const oauthSecret = new ExternalSecret(this, 'GitHubOAuthSecret', {
      operator: eso,
      namespace: ArgoCd.NAMESPACE,
      name: DEX_SECRET,
      remoteRef: sso.oauthSecretName ?? `${eso.pathPrefix}argocd/github-oauth`,
      secretKeys: [
        { secretKey: 'clientID', property: sso.clientIdKey ?? 'clientId' },
        { secretKey: 'clientSecret', property: sso.clientSecretKey ?? 'clientSecret' },
      ],
      secretLabels: PART_OF_ARGOCD,
    });
    const notifications = props.notifications ?? {};
    const notificationsOn = notifications.enabled ?? true;
    const channel = notifications.channel ?? 'platform-deployments';
    if (notificationsOn) SlackChannel.check(this, 'notifications.channel', channel);
    let slackSecret: eks.KubernetesManifest | undefined;
    if (notificationsOn) {
      slackSecret = new ExternalSecret(this, 'SlackTokenSecret', {
        operator: eso,
        namespace: ArgoCd.NAMESPACE,
        name: NOTIFICATIONS_SECRET,
        remoteRef: notifications.slackTokenSecretName ?? `${eso.pathPrefix}argocd/slack`,
        secretKeys: [{ secretKey: 'slack-token', property: notifications.slackTokenKey ?? 'token' }],
        secretLabels: PART_OF_ARGOCD,
      });
    }

    const pdb = { enabled: true, maxUnavailable: 1 };
    const utilization = { targetCPUUtilizationPercentage: 60, targetMemoryUtilizationPercentage: 70 };
    const system = SystemPool.placement();
    const systemAffinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: SystemPool.LABEL_KEY, operator: 'In', values: [SystemPool.LABEL_VALUE] }] }],
        },
      },
    };
    const values: Record<string, any> = {
      'global': {
        domain: hostname,
        // On by default from chart 10; set here so a values override cannot silently drop them.
        networkPolicy: { create: true },
        ...system,
      },
      // CRDs carry `argocd.argoproj.io/sync-options: ServerSideApply=true` (the chart's default
      // annotation): the ApplicationSet CRD is too large for client-side apply's annotation.
      'crds': { install: true, keep: true },
      'configs': {
        cm: {
          'url': url,
          'admin.enabled': props.localAdmin ?? false,
          'users.anonymous.enabled': false,
          'exec.enabled': false,
          'dex.config': dexConfig({ organization: sso.organization, loginTeams: sso.loginTeams ? [...sso.adminTeams, ...sso.loginTeams] : undefined }),
        },
        // TLS ends at the ALB; the server speaks plain HTTP and gRPC to it.
        params: { 'server.insecure': true },
        rbac: {
          'policy.default': 'role:readonly',
          'policy.csv': rbacPolicy(sso.organization, sso.adminTeams, sso.adminUsers ?? []),
          'scopes': '[groups]',
          'policy.matchMode': 'glob',
        },
      },
      'controller': { replicas: 1, pdb },
      'dex': { enabled: true, pdb },
      'redis-ha': {
        enabled: true,
        ...system,
        podDisruptionBudget: { maxUnavailable: 1 },
        haproxy: { tolerations: system.tolerations, additionalAffinities: systemAffinity, podDisruptionBudget: { maxUnavailable: 1 } },
      },
      'server': {
        autoscaling: { enabled: true, minReplicas: serverMin, maxReplicas: serverMax, ...utilization },
        pdb,
        ingress: {
          enabled: true,
          // `aws`: the chart adds the argocd-server-grpc Service (backend protocol version GRPC)
          // and routes Content-Type application/grpc to it: the Argo CD operator manual's ALB setup.
          controller: 'aws',
          ingressClassName: AwsLoadBalancerController.INGRESS_CLASS,
          hostname: hostname,
          annotations: {
            ...(ing.loadBalancerController?.ingressAnnotations(certificate.certificateArn)
              ?? AwsLoadBalancerController.recommendedIngressAnnotations(certificate.certificateArn)),
            ...AwsLoadBalancerController.streamingIngressAnnotations(ing.idleTimeout),
            'alb.ingress.kubernetes.io/listener-attributes.HTTPS-443': `routing.http.response.strict_transport_security.header_value=max-age=${hsts}; includeSubDomains`,
            ...(ing.webAclArn ? { 'alb.ingress.kubernetes.io/wafv2-acl-arn': ing.webAclArn } : {}),
          },
          aws: { serviceType: 'ClusterIP', backendProtocolVersion: 'GRPC' },
        },
      },
      'repoServer': {
        autoscaling: { enabled: true, minReplicas: repoMin, maxReplicas: serverMax, ...utilization },
        pdb,
      },
      'applicationSet': { replicas: 2, pdb },
      'notifications': notificationsOn ? { ...notificationsValues(url, channel), pdb } : { enabled: false },
    };

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: GitOpsVersions.ARGO_CD,
      version: props.chartVersion,
      versionField: 'chartVersion',
      release: 'argocd',
      component: 'gitops',
      namespace: ArgoCd.NAMESPACE,
      // Registered above (when a registry is given), so the ExternalSecrets can be ordered after it.
      createNamespace: !namespaceManifest,
      podSecurity: PodSecurityLevel.BASELINE,
      // The chart reads its placement from global and redis-ha (set above), not from the top level.
      systemPool: false,
      // Its CRDs must be served before Applications and AppProjects are applied.
      wait: true,
      timeout: Duration.minutes(15),
      values,
      valueOverrides: props.valueOverrides,
      dependsOn: [oauthSecret, ...(slackSecret ? [slackSecret] : [])],
    });
    this.chart = this.platformChart.chart;
    this.ready = this.chart;
    const namespace = namespaceManifest ?? this.platformChart.namespaceManifest!;
    oauthSecret.node.addDependency(namespace);
    slackSecret?.node.addDependency(namespace);
    this.oauthSecret = oauthSecret;
    this.slackSecret = slackSecret;
    if (namespaceManifest) this.chart.node.addDependency(namespaceManifest);
  }

  /** The managed EKS Argo CD capability, with its IAM role and Identity Center role mappings. */
  private createCapability(props: ArgoCdProps): { capability: CfnCapability; role: iam.IRole } {
    const c = props.capability;
    if (!c) {
      PropsCheck.fail(this, 'capability', 'is missing; the managed capability signs in through IAM Identity Center', 'give capability: { identityCenterInstanceArn, adminGroupIds }');
    }
    const unsupported: [string, unknown][] = [['sso', props.sso], ['ingress', props.ingress], ['highAvailability', props.highAvailability], ['chartVersion', props.chartVersion], ['valueOverrides', props.valueOverrides]];
    for (const [field, value] of unsupported) {
      if (value !== undefined) PropsCheck.fail(this, field, 'does not apply to the managed EKS capability (no Dex, no Helm chart, AWS runs and exposes Argo CD)', `drop ${field}, or use mode: ArgoCdMode.SELF_MANAGED`);
    }
    if (props.notifications?.enabled === true || props.notifications?.channel !== undefined) {
      PropsCheck.fail(this, 'notifications', 'the managed EKS capability has no notifications controller', 'drop notifications, or use mode: ArgoCdMode.SELF_MANAGED');
    }
    if (!Token.isUnresolved(c!.identityCenterInstanceArn) && !/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/.test(c!.identityCenterInstanceArn)) {
      PropsCheck.fail(this, 'capability.identityCenterInstanceArn', `"${c!.identityCenterInstanceArn}" is not an IAM Identity Center instance ARN`, 'use the ARN aws sso-admin list-instances prints (arn:aws:sso:::instance/ssoins-...)');
    }
    if (c!.adminGroupIds.length === 0) PropsCheck.fail(this, 'capability.adminGroupIds', 'no group would administer Argo CD', 'list at least one IAM Identity Center group id');
    const role = new iam.Role(this, 'CapabilityRole', {
      // aws:SourceAccount: only capabilities of this account may assume it (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('capabilities.eks.amazonaws.com')
        .withConditions({ StringEquals: { 'aws:SourceAccount': Stack.of(this).account } })
        .withSessionTags(),
      description: `EKS Argo CD capability of ${props.clusterName}; no AWS permissions until repositories or secrets need them`,
    });
    const groups = (ids: string[] | undefined) => (ids ?? []).map((id) => ({ id, type: 'SSO_GROUP' }));
    const mappings = [['ADMIN', c!.adminGroupIds], ['EDITOR', c!.editorGroupIds], ['VIEWER', c!.viewerGroupIds]] as const;
    const capability = new CfnCapability(this, 'Capability', {
      capabilityName: 'argocd',
      clusterName: props.clusterName,
      type: 'ARGOCD',
      roleArn: role.roleArn,
      // The only value CloudFormation accepts: deleting the capability leaves what it deployed.
      deletePropagationPolicy: 'RETAIN',
      configuration: {
        argoCd: {
          namespace: ArgoCd.NAMESPACE,
          awsIdc: { idcInstanceArn: c!.identityCenterInstanceArn, idcRegion: c!.identityCenterRegion ?? Stack.of(this).region },
          rbacRoleMappings: mappings
            .filter(([, ids]) => (ids ?? []).length > 0)
            .map(([r, ids]) => ({ role: r, identities: groups(ids as string[]) })),
        },
      },
    });
    capability.node.addDependency(props.cluster);
    return { capability, role };
  }
}

function checkSlug(scope: Construct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9])?$/.test(value)) {
    PropsCheck.fail(scope, field, `"${value}" is not a GitHub organization or team slug`, 'use the slug as GitHub shows it in URLs (letters, digits, -, _ and .)');
  }
}
