/**
 * The reference platform's configuration: one zod schema. The TypeScript
 * types (platform-config.ts) are inferred from it, the editor's JSON Schema
 * (keelson.config.schema.json) is generated from it, and every check a single
 * field can make lives on that field. Checks across fields are in
 * `semantic-checks.ts`; messages are formatted in `validate.ts`.
 *
 * zod rather than valibot or ajv: the type is inferred from the schema (no
 * second declaration to drift), it reports every issue with its path in one
 * pass, strict objects report unknown keys by name, and it writes a JSON
 * Schema itself (`z.toJSONSchema`), so the editor file needs no third library.
 *
 * A field's `fix` (the `fixes` registry) is the second half of its message:
 * `config.<path>: <problem>. Fix: <fix>`.
 */
import { createPublicKey, KeyObject } from 'crypto';
import { Cidr, DnsLabel, Ec2InstanceTypes, EmailAddress, IamRoleArn, SlackChannel } from '@keelson/conventions';
import { PlatformKubernetesVersion } from '@keelson/eks-core';
import { Cron } from 'croner';
import { z } from 'zod';

/** How to fix a field, keyed by its schema: read by the message formatter. */
export const fixes = z.registry<{ fix: string }>();

/** Regions where EKS and every service the platform uses are available. */
export const SUPPORTED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'sa-east-1',
] as const;

/**
 * Kubernetes versions this app can deploy: eks-core's supported versions, each
 * with its kubectl layer (`PlatformKubernetesVersion.of(name)` finds it), newest first.
 */
export const KUBERNETES_VERSION_NAMES = PlatformKubernetesVersion.supportedNames() as [string, ...string[]];

/** CloudWatch Logs retention values, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Attach the fix for a field's message. */
function fix<T extends z.ZodType>(schema: T, how: string): T {
  fixes.add(schema, { fix: how });
  return schema;
}

/** A custom issue whose message is `<problem>. Fix: <fix>`. */
function problem(ctx: z.core.$RefinementCtx, p: { problem: string; fix: string }, path: PropertyKey[] = []) {
  ctx.addIssue({ code: 'custom', message: `${p.problem}. Fix: ${p.fix}`, path, input: undefined });
}

/** A non-empty string. */
const text = (how: string, description: string) => fix(z.string().min(1, { abort: true }), how).describe(description);

/** A string that a shared conventions check accepts. */
const checked = (check: (v: string) => { problem: string; fix: string } | undefined, how: string, description: string) =>
  text(how, description).superRefine((v, ctx) => {
    const p = check(v);
    if (p) problem(ctx, p);
  });

/** A list whose entries must be unique. */
function uniqueList<T extends z.ZodType>(element: T, how: string, description: string) {
  return fix(z.array(element), how).describe(description).superRefine((list, ctx) => {
    const seen = new Map<unknown, number>();
    list.forEach((entry, i) => {
      const key = JSON.stringify(entry);
      if (seen.has(key)) problem(ctx, { problem: `${key} is listed twice (also at [${seen.get(key)}])`, fix: 'list each entry once' }, [i]);
      else seen.set(key, i);
    });
  });
}

const instanceType = checked(Ec2InstanceTypes.problem, 'use an EC2 instance type such as m7i.large', 'An EC2 instance type, for example `m7i.large`.');
const gpuInstanceType = checked(Ec2InstanceTypes.gpuProblem, 'use a GPU instance type such as g5.xlarge', 'A GPU (NVIDIA) EC2 instance type, for example `g5.xlarge`.');
const roleArn = checked(IamRoleArn.problem, 'use arn:aws:iam::<account>:role/<name>', 'An IAM role ARN.');
const email = checked(EmailAddress.problem, 'use an address such as team@example.com', 'An email address.');
/** A DNS label: the rule of the constructs' `PropsCheck.dnsLabel` (a pattern, so the editor's JSON Schema has it too). */
const dnsLabel = (how: string) => fix(z.string().regex(new RegExp(DnsLabel.PATTERN)), how);
/** A Kubernetes namespace name. */
const namespaceName = (description: string) => dnsLabel('use lowercase letters, digits and hyphens (a Kubernetes namespace name)').describe(description);
const count = (description: string) => fix(z.number().int().min(0), 'use a whole number, 0 or more').describe(description);

const regionName = fix(z.enum(SUPPORTED_REGIONS), `use one of ${SUPPORTED_REGIONS.join(', ')}`).describe('AWS region, for example `ap-southeast-1`.');

const regionFields = {
  region: regionName,
  availabilityZones: fix(uniqueList(text('use a zone such as ap-southeast-1a', 'An availability zone.'), 'list 2 to 6 zones (3 recommended)',
    'Availability zones, given explicitly so synth never looks them up (2–6; 3 recommended).').min(2).max(6), 'list 2 to 6 zones (3 recommended)'),
  vpcCidr: checked((v) => Cidr.problem(v, 4), 'use a block such as 10.0.0.0/16',
    'VPC IPv4 CIDR: a /16 or /17 holds the platform\'s subnets in three zones; must not overlap the other region\'s.'),
};

/** One region of the platform. */
export const RegionSchema = z.strictObject(regionFields).describe('One region of the platform.');

const poolSize = {
  minSize: count('Fewest nodes.'),
  desiredSize: count('Nodes at creation.'),
  maxSize: count('Most nodes (the autoscaler scales up to it).'),
};

/** A node pool of one instance-type list. */
export const NodePoolSchema = z.strictObject({
  instanceTypes: uniqueList(instanceType, 'list one or more instance types', 'EC2 instance types, for example `m7i.large`.').min(1),
  ...poolSize,
}).describe('A node pool. 0 <= minSize <= desiredSize <= maxSize.');

/** The app pool: on-demand and spot. */
export const AppPoolSchema = z.strictObject({
  onDemandInstanceTypes: uniqueList(instanceType, 'list one or more instance types', 'On-demand instance types.').min(1),
  spotInstanceTypes: uniqueList(instanceType, 'list at least 2 (spot needs several types to find capacity)',
    'Spot instance types: at least two, so spot capacity can be found.').min(2),
  spotPercentage: fix(z.number().int().min(0).max(100), 'use a whole number from 0 to 100').describe('Share of the pool on spot, 0–100.'),
  ...poolSize,
}).describe('The app pool: on-demand and spot.');

/** The GPU pool: scales from zero. */
export const GpuPoolSchema = z.strictObject({
  enabled: fix(z.boolean(), 'use true or false').describe('Whether to create the GPU pool.'),
  instanceTypes: uniqueList(gpuInstanceType, 'list one or more GPU instance types', 'GPU instance types (NVIDIA families EKS Bottlerocket supports).').min(1),
  ...poolSize,
}).describe('The GPU pool: scales from zero.');

const COSIGN_KEY_FIX = 'paste the contents of cosign.pub (-----BEGIN PUBLIC KEY----- ...)';

/**
 * Key types cosign signs with (ECDSA on the NIST curves, RSA, Ed25519), by
 * Node's `asymmetricKeyType` and, for EC keys, the curves allowed.
 */
const COSIGN_KEY_TYPES: Record<string, readonly string[] | undefined> = { ec: ['prime256v1', 'secp384r1', 'secp521r1'], rsa: undefined, ed25519: undefined };

/** A PEM that Node cannot read as a public key, or reads as a key cosign does not sign with. */
function cosignKeyProblem(pem: string): { problem: string; fix: string } | undefined {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    return { problem: `is PEM-shaped but not a public key (${(e as Error).message})`, fix: `${COSIGN_KEY_FIX}, whole and unchanged` };
  }
  const type = key.asymmetricKeyType ?? 'unknown';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const curves = COSIGN_KEY_TYPES[type];
  if (!Object.hasOwn(COSIGN_KEY_TYPES, type) || (curves && !curves.includes(curve ?? ''))) {
    return { problem: `is ${type === 'ec' ? 'an' : 'a'} ${type}${curve ? ` (${curve})` : ''} key, which cosign does not sign with`, fix: 'use an ECDSA P-256/P-384/P-521, RSA or Ed25519 key (cosign generate-key-pair makes ECDSA P-256)' };
  }
  return undefined;
}

/** The name of a Secrets Manager secret holding a webhook URL (never the URL itself). */
const webhookSecretName = (description: string) => checked((v) => (/^https?:\/\//.test(v)
  ? { problem: 'looks like a webhook URL', fix: 'store the URL in Secrets Manager and give the secret\'s name here' }
  : /^[\w/+=.@-]{1,512}$/.test(v) ? undefined : { problem: `"${v}" is not a Secrets Manager name`, fix: 'use letters, digits and /_+=.@- (the name, never the webhook URL)' }),
'use a Secrets Manager secret name', description);

export const ClusterSchema = z.strictObject({
  kubernetesVersion: fix(z.enum(KUBERNETES_VERSION_NAMES), `use one of ${KUBERNETES_VERSION_NAMES.join(', ')}`)
    .describe('Kubernetes minor version; each has a kubectl layer.'),
  publicAccessCidrs: uniqueList(checked((v) => Cidr.problem(v), 'use a block such as 203.0.113.0/24', 'An IPv4 CIDR block.'),
    'list the CIDRs allowed to reach the API, for example your VPN egress',
    'IPv4 CIDRs allowed to reach the public API endpoint (at most 40). 0.0.0.0/0 needs `openEndpointAcknowledgement`.').min(1).max(40),
  openEndpointAcknowledgement: text('say why, for example "demo account, no workloads"',
    'Set only to open the API endpoint to the whole internet (0.0.0.0/0 in publicAccessCidrs): why that is acceptable.').optional(),
  adminRoleArns: uniqueList(roleArn, 'list IAM role ARNs', 'IAM role ARNs with cluster-admin (for example IAM Identity Center permission-set roles).'),
  developerRoleArns: uniqueList(roleArn, 'list IAM role ARNs', 'IAM role ARNs with edit rights in `developerNamespaces`.'),
  developerNamespaces: uniqueList(namespaceName('A Kubernetes namespace.'), 'list namespace names', 'Namespaces where developers have edit rights.'),
  readOnlyRoleArns: uniqueList(roleArn, 'list IAM role ARNs', 'IAM role ARNs with cluster-wide read-only access.'),
  systemPool: NodePoolSchema,
  appPool: AppPoolSchema,
  gpuPool: GpuPoolSchema,
}).describe('The EKS cluster.');

export const NetworkSchema = z.strictObject({
  natGateways: fix(z.enum(['per-az', 'single']), 'use one of per-az, single').describe('`per-az` (resilient) or `single` (cheap, for dev).'),
  flowLogRetentionDays: fix(z.literal(RETENTION_DAYS), `use one of ${RETENTION_DAYS.join(', ')}`)
    .describe('Flow-log retention in days (a CloudWatch Logs retention value).'),
}).describe('VPC settings shared by both regions.');

export const SecuritySchema = z.strictObject({
  guardDuty: fix(z.boolean(), 'use true or false').describe('GuardDuty with EKS audit logs and runtime monitoring.'),
  securityHub: fix(z.boolean(), 'use true or false').describe('Security Hub with its standards.'),
  cloudTrail: fix(z.boolean(), 'use true or false').describe('A platform trail; off when an organization trail already exists.'),
  webAcl: fix(z.boolean(), 'use true or false').describe('The WAF web ACL for the platform\'s load balancers.'),
  securityAlertsEmail: email.describe('Where security findings are emailed.'),
  slackWebhookSecretName: webhookSecretName('Secrets Manager name of the Slack webhook URL; leave out for no Slack.').optional(),
  cosignPublicKey: fix(z.string().regex(/^-----BEGIN PUBLIC KEY-----\n(?:[A-Za-z0-9+/=]{1,76}\n)+-----END PUBLIC KEY-----\n?$/, { abort: true }), COSIGN_KEY_FIX)
    .superRefine((v, ctx) => {
      const p = cosignKeyProblem(v);
      if (p) problem(ctx, p);
    })
    .describe('The cosign public key (PEM) Kyverno verifies images against, parsed as a public key of a type cosign signs with; public by nature.'),
}).describe('The account security baseline.');

export const GitOpsSchema = z.strictObject({
  domainName: fix(z.string().regex(new RegExp(DnsLabel.HOST_NAME_PATTERN)), 'use a lowercase DNS name such as platform.example.com')
    .describe('The platform\'s DNS domain, for example `platform.example.com`.'),
  repoUrl: text('use https://github.com/<org>/<repo>', 'The GitOps repository, `https://github.com/<githubOrg>/<repo>`.'),
  githubOrg: fix(z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/), 'use letters, digits and single hyphens')
    .describe('The GitHub organization for Dex SSO.'),
  enabled: fix(z.boolean(), 'use true or false').describe('Argo CD in both clusters (needs services.externalSecrets and services.loadBalancerController).'),
  hostedZoneId: fix(z.string().regex(/^Z[A-Z0-9]{1,31}$/), 'use the Route 53 hosted zone id of domainName, such as Z0123456789ABCDEFGHIJ')
    .describe('Route 53 hosted zone of `domainName`: the Argo CD certificates (`argocd.<cluster>.<domainName>`) are validated there.'),
  adminTeams: uniqueList(fix(z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9])?$/), 'use the team slug as GitHub shows it in URLs'),
    'list team slugs, for example [argocd-admins]', 'GitHub team slugs of `githubOrg` mapped to Argo CD `role:admin`; other members read only.')
    .min(1),
  slackChannel: fix(z.string().regex(new RegExp(SlackChannel.pattern())), 'use the channel name without #')
    .describe('Slack channel of the Argo CD notifications (sync failed, degraded, deployed); the bot token is the Secrets Manager secret `keelson/<environmentSuffix>/argocd/slack`.'),
}).describe('GitOps (Argo CD). Its secrets live in Secrets Manager under `keelson/<environmentSuffix>/argocd/`: `github-oauth` (clientId, clientSecret), `slack` (token), `github-scm` (token).');

export const ObservabilitySchema = z.strictObject({
  // Room for the DR cluster's suffix: its alerts go to <slackChannel>-dr.
  slackChannel: fix(z.string().regex(new RegExp(SlackChannel.pattern(SlackChannel.DR_SUFFIX))), 'use the channel name without #')
    .describe(`Slack channel of the primary cluster's platform alerts; the DR cluster's go to \`<slackChannel>${SlackChannel.DR_SUFFIX}\`, and every alert names its cluster.`),
  slackWebhookSecretName: webhookSecretName('Secrets Manager name of the Slack webhook URL Alertmanager posts with, under `keelson/<environmentSuffix>/`; leave out to use `security.slackWebhookSecretName`.').optional(),
  grafanaGithub: z.strictObject({
    clientId: fix(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), 'use the OAuth app\'s client ID as GitHub shows it, for example Iv1.0123456789abcdef')
      .describe('Client ID of the GitHub OAuth app (public).'),
    clientSecretName: checked((v) => (/^[\w/+=.@-]{1,512}$/.test(v) ? undefined : { problem: `"${v}" is not a Secrets Manager name`, fix: 'use letters, digits and /_+=.@- (the name, never the secret)' }),
      'use a Secrets Manager secret name', 'Secrets Manager name of the OAuth app\'s client secret, under `keelson/<environmentSuffix>/`.'),
  }).describe('Grafana sign-in through GitHub, for members of `gitops.githubOrg` (the org Argo CD signs in with); leave out to keep Grafana\'s admin login.').optional(),
  tracesSamplingRatio: fix(z.number().min(0).max(1), 'give a share from 0 to 1, for example 0.1 for one new trace in ten')
    .describe('Share of new traces auto-instrumented services record; a request carrying a sampled `traceparent` is always recorded.'),
}).describe('Observability in both clusters: metrics, alerts (to Slack and the encrypted SNS topic), logs, traces and Grafana.');
/** An https URL (an OpenID Connect endpoint). */
const httpsUrl = (description: string) =>
  fix(z.string().regex(/^https:\/\/[^\s/]+(\/\S*)?$/), 'give the https URL from the provider\'s .well-known/openid-configuration').describe(description);

export const FinOpsSchema = z.strictObject({
  enabled: fix(z.boolean(), 'use true or false')
    .describe('Whether to build the cost stack (us-east-1): the CUR 2.0 export, Athena over it, budget and anomaly alerts.'),
  costAlertsEmail: email.describe('Where budget and cost alerts are emailed.'),
  monthlyBudgetUsd: fix(z.number().gt(0).lte(10_000_000), 'give the monthly budget in US dollars, such as 2500')
    .describe('The monthly cost budget in US dollars; actual spend alerts at 80% and 100%, forecast spend at 100%.'),
  anomalyThresholdUsd: fix(z.number().gte(1).lte(1_000_000), 'give a dollar amount of at least 1, such as 50')
    .describe('A cost anomaly whose total impact reaches this many US dollars is alerted.'),
  legacyReport: fix(z.boolean(), 'use true or false')
    .describe('Also create a legacy Cost and Usage Report definition, for tools that still read one.'),
  spotDataFeed: fix(z.boolean(), 'use true or false').describe(
    'The account\'s EC2 Spot data feed (one per account): a bucket with ACLs enabled for the feed\'s delivery account, and the subscription.'),
  costEngine: fix(z.enum(['kubecost', 'opencost', 'none']), 'use one of kubecost, opencost, none').describe(
    'The in-cluster cost tool on the primary cluster, querying the export through the Athena workgroup: `kubecost` (3.x, free tier), `opencost` (fully open source) or `none`.'),
  costUiSignIn: z.strictObject({
    issuer: httpsUrl('The identity provider\'s issuer URL.'),
    authorizationEndpoint: httpsUrl('The provider\'s authorization endpoint.'),
    tokenEndpoint: httpsUrl('The provider\'s token endpoint.'),
    userInfoEndpoint: httpsUrl('The provider\'s user info endpoint.'),
  }).optional().describe(
    'OpenID Connect provider of the cost UI\'s ALB sign-in. When set, the UI is reached at `https://cost.<cluster>.<gitops.domainName>` (ACM certificate, the WAF) and only after signing in; the OIDC client is the Secrets Manager secret `keelson/<environmentSuffix>/cost-monitoring/oidc` (clientId, clientSecret). When absent, the UI has no Ingress.'),
}).describe('Cost: the CUR 2.0 export, Athena, budgets and anomaly alerts, and the in-cluster cost tool.');

export const MeshSchema = z.strictObject({
  enabled: fix(z.boolean(), 'use true or false')
    .describe('The service mesh in both clusters: an AWS Private CA root (primary) with a subordinate per region, cert-manager with the Private CA issuer, Istio with STRICT mTLS.'),
  dataplaneMode: fix(z.enum(['ambient', 'sidecar']), 'use one of ambient, sidecar')
    .describe('`ambient` (ztunnel on every node, no sidecars; the default) or `sidecar` (an Envoy sidecar per pod).'),
  serviceDiscovery: z.strictObject({
    enabled: fix(z.boolean(), 'use true or false')
      .describe('Cloud Map private DNS namespaces in each VPC and the Cloud Map MCS controller in each cluster (`ServiceExport`/`ServiceImport`); only with `mesh.enabled`.'),
    clusterSetId: dnsLabel('use 1-63 lowercase letters, digits and hyphens (a DNS label)').describe(
      'The ClusterSet both clusters join (`clusterset.k8s.io`).'),
    exportedNamespaces: uniqueList(namespaceName('A Kubernetes namespace.'),
      'name at least one namespace, or set serviceDiscovery.enabled to false',
      'Kubernetes namespaces whose Services may be exported; each gets a Cloud Map private DNS namespace of the same name in each VPC.').min(1),
    registry: fix(z.enum(['primary', 'dr']), 'use primary or dr')
      .describe('Whose region\'s Cloud Map holds the ClusterSet\'s registrations (both controllers use it). `primary` normally; `dr` after a regional failover.'),
  }).describe('Multi-cluster service discovery through AWS Cloud Map.'),
  sampleApplication: fix(z.boolean(), 'use true or false')
    .describe('The mesh shown working, in each cluster: an ingress gateway behind an internal NLB (in the network\'s NLB security group), the frontend -> backend -> database sample (podinfo, pinned by digest) in namespace `mesh-sample` with its AuthorizationPolicies and NetworkPolicies, and, with `serviceDiscovery.enabled`, backend exported through Cloud Map so that the other cluster\'s frontend calls it. On in `dev`, off by default; only with `mesh.enabled` and `services.loadBalancerController`.'),
}).describe('Service mesh (Istio, mTLS from AWS Private CA).');

export const DrSchema = z.strictObject({
  enabled: fix(z.boolean(), 'use true or false').describe('Whether to build the DR region at all.'),
  ...regionFields,
  nodeScale: fix(z.number().gt(0).lte(1), 'use a factor such as 0.5 (half the primary\'s nodes) or 1 (a hot standby)')
    .describe('DR node pools run the primary\'s with min and desired sizes scaled by this factor (max kept). 0 < x <= 1.'),
}).describe('The disaster-recovery region.');

export const ServicesSchema = z.strictObject({
  nodeAutoscaler: fix(z.enum(['cluster-autoscaler', 'karpenter']), 'use one of cluster-autoscaler, karpenter').describe(
    '`cluster-autoscaler` scales the managed node groups; `karpenter` provisions app and gpu nodes itself, so `cluster.appPool` and `cluster.gpuPool` then create no managed node groups.'),
  loadBalancerController: fix(z.boolean(), 'use true or false').describe('AWS Load Balancer Controller.'),
  externalSecrets: fix(z.boolean(), 'use true or false').describe('External Secrets Operator.'),
  metricsServer: fix(z.boolean(), 'use true or false').describe('metrics-server.'),
  keda: fix(z.boolean(), 'use true or false').describe('KEDA.'),
  containerInsights: fix(z.boolean(), 'use true or false').describe('CloudWatch Container Insights.'),
}).describe('In-cluster platform services (each can be switched off).');

/**
 * Velero takes standard five-field cron (minute hour day-of-month month
 * day-of-week, UTC). croner parses it, so out-of-range fields and bad steps
 * are refused, not just the field count.
 */
const cronSchedule = text('use a five-field cron schedule such as "0 3 * * *" (03:00 UTC daily)', 'Cron schedule (five fields, UTC).')
  .superRefine((v, ctx) => {
    const fields = v.trim().split(/\s+/);
    if (fields.length !== 5) {
      problem(ctx, { problem: `"${v}" has ${fields.length} field(s); Velero takes five-field cron`, fix: 'use minute hour day-of-month month day-of-week, for example "0 3 * * *"' });
      return;
    }
    try {
      new Cron(v, { paused: true, timezone: 'UTC' }).stop();
    } catch (e) {
      problem(ctx, { problem: `"${v}" is not a valid cron schedule (${(e as Error).message.replace(/^CronPattern: /, '')})`, fix: 'check each field: minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-6' });
    }
  });

export const BackupSchema = z.strictObject({
  enabled: fix(z.boolean(), 'use true or false').describe('Velero backups in both clusters, the primary\'s replicated to DR.'),
  schedule: cronSchedule,
  ttlDays: fix(z.number().int().min(1).max(3650), 'keep backups for 1 to 3650 days').describe('How long a backup is kept, in days.'),
}).describe('Velero backups.');

/** The whole configuration. */
export const PlatformConfigSchema = z.strictObject({
  environment: text('set it, for example dev', '`dev`, `staging`, `prod`: the `Environment` tag.'),
  environmentSuffix: fix(z.string().regex(/^[a-z](?:[a-z0-9-]{0,14}[a-z0-9])?$/), 'use 1–16 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen')
    .describe('Suffix of every physical name: `<resource>-<environmentSuffix>`.'),
  account: fix(z.string().regex(/^\d{12}$/), 'set keelson:account in context or CDK_DEFAULT_ACCOUNT (12 digits)')
    .describe('AWS account of both regions; synth without credentials uses the placeholder 000000000000.'),
  project: text('set it, for example keelson', '`Project` tag.'),
  owner: text('set it, for example platform-team', '`Owner` tag.'),
  removalPolicy: fix(z.enum(['destroy', 'retain']), 'use one of destroy, retain').describe('`retain` (default: data is kept on `cdk destroy` and on replacement) or `destroy` (a short-lived platform that leaves nothing behind): the one removal-policy switch.'),
  productionDestroyAcknowledgement: text('say why this production platform may be deleted with its data, for example "decommissioning: backups exported to the archive account"',
    'Set only with `environment: prod` and `removalPolicy: destroy`: why the production platform may lose its data and termination protection on `cdk destroy`.').optional(),
  primary: RegionSchema,
  dr: DrSchema,
  network: NetworkSchema,
  cluster: ClusterSchema,
  services: ServicesSchema,
  backups: BackupSchema,
  security: SecuritySchema,
  gitops: GitOpsSchema,
  observability: ObservabilitySchema,
  finops: FinOpsSchema,
  mesh: MeshSchema,
}).describe('Keelson reference platform configuration.');
