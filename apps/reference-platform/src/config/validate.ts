import { PlatformKubernetesVersion } from '@keelson/eks-core';
import { PlatformConfig, PoolSize, RegionConfig } from './platform-config';

/** Regions where EKS and every service the platform uses are available. */
export const SUPPORTED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'sa-east-1',
];

/** Kubernetes versions this release can deploy, each with its kubectl layer. */
export const KUBERNETES_VERSIONS: Record<string, PlatformKubernetesVersion> = {
  [PlatformKubernetesVersion.V1_36.version]: PlatformKubernetesVersion.V1_36,
  [PlatformKubernetesVersion.V1_35.version]: PlatformKubernetesVersion.V1_35,
};

/** CloudWatch Logs retention values, in days. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Invalid configuration: one line naming the field and the fix. */
export class ConfigError extends Error {
  constructor(field: string, problem: string, fix: string) {
    super(`config.${field}: ${problem}. Fix: ${fix}`);
    this.name = 'ConfigError';
  }
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;
const GITHUB_ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const PEM_PUBLIC_KEY = /^-----BEGIN PUBLIC KEY-----\n(?:[A-Za-z0-9+/=]{1,76}\n)+-----END PUBLIC KEY-----\n?$/;

/** Throws a {@link ConfigError} on the first invalid field; returns the config otherwise. */
export function validateConfig(config: PlatformConfig): PlatformConfig {
  const required = (field: string, value: unknown) => {
    if (value === undefined || value === null || value === '') throw new ConfigError(field, 'is missing', `set ${field}`);
  };
  for (const field of ['environment', 'environmentSuffix', 'account', 'project', 'owner'] as const) required(field, config[field]);
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(config.environmentSuffix)) {
    throw new ConfigError('environmentSuffix', `"${config.environmentSuffix}" is not a valid suffix`, 'use 1–16 lowercase letters, digits or hyphens, starting with a letter');
  }
  if (!/^\d{12}$/.test(config.account)) {
    throw new ConfigError('account', `"${config.account}" is not a 12-digit AWS account id`, 'set keelson:account in context or CDK_DEFAULT_ACCOUNT');
  }
  oneOf('removalPolicy', config.removalPolicy, ['destroy', 'retain']);

  validateRegion('primary', config.primary);
  validateRegion('dr', config.dr);
  if (config.primary.region === config.dr.region) {
    throw new ConfigError('dr.region', `is the same as primary.region (${config.primary.region})`, 'choose a different region for disaster recovery');
  }
  if (cidrsOverlap(config.primary.vpcCidr, config.dr.vpcCidr)) {
    throw new ConfigError('dr.vpcCidr', `${config.dr.vpcCidr} overlaps primary.vpcCidr ${config.primary.vpcCidr}`, 'pick non-overlapping ranges, for example 10.0.0.0/16 and 10.1.0.0/16');
  }

  oneOf('network.natGateways', config.network.natGateways, ['per-az', 'single']);
  oneOf('network.flowLogRetentionDays', config.network.flowLogRetentionDays, RETENTION_DAYS);

  const c = config.cluster;
  oneOf('cluster.kubernetesVersion', c.kubernetesVersion, Object.keys(KUBERNETES_VERSIONS));
  if (!c.publicAccessCidrs?.length) {
    throw new ConfigError('cluster.publicAccessCidrs', 'is empty while the public endpoint is on', 'list the CIDRs allowed to reach the API, for example your VPN egress');
  }
  c.publicAccessCidrs.forEach((cidr, i) => parseCidr(`cluster.publicAccessCidrs[${i}]`, cidr, 0, 32));
  for (const field of ['adminRoleArns', 'developerRoleArns', 'readOnlyRoleArns'] as const) {
    c[field].forEach((arn, i) => {
      if (!ROLE_ARN.test(arn)) throw new ConfigError(`cluster.${field}[${i}]`, `"${arn}" is not an IAM role ARN`, 'use arn:aws:iam::<account>:role/<name>');
    });
  }
  c.developerNamespaces.forEach((ns, i) => {
    if (!DNS_LABEL.test(ns)) throw new ConfigError(`cluster.developerNamespaces[${i}]`, `"${ns}" is not a Kubernetes namespace name`, 'use lowercase letters, digits and hyphens');
  });
  instanceTypes('cluster.systemPool.instanceTypes', c.systemPool.instanceTypes, 1);
  poolOrder('cluster.systemPool', c.systemPool);
  instanceTypes('cluster.appPool.onDemandInstanceTypes', c.appPool.onDemandInstanceTypes, 1);
  instanceTypes('cluster.appPool.spotInstanceTypes', c.appPool.spotInstanceTypes, 2);
  poolOrder('cluster.appPool', c.appPool);
  if (!(c.appPool.spotPercentage >= 0 && c.appPool.spotPercentage <= 100)) {
    throw new ConfigError('cluster.appPool.spotPercentage', `${c.appPool.spotPercentage} is not a percentage`, 'use 0 to 100');
  }
  if (c.gpuPool.enabled) {
    instanceTypes('cluster.gpuPool.instanceTypes', c.gpuPool.instanceTypes, 1);
    poolOrder('cluster.gpuPool', c.gpuPool);
  }
  if (!(config.dr.nodeScale > 0 && config.dr.nodeScale <= 1)) {
    throw new ConfigError('dr.nodeScale', `${config.dr.nodeScale} is outside (0, 1]`, 'use a factor such as 0.5 (half the primary\'s nodes) or 1 (a hot standby)');
  }
  oneOf('services.nodeAutoscaler', config.services.nodeAutoscaler, ['cluster-autoscaler', 'karpenter']);
  if (!/^(\S+\s+){4}\S+$/.test(config.backups.schedule)) {
    throw new ConfigError('backups.schedule', `"${config.backups.schedule}" is not a five-field cron expression`, 'use a schedule such as "0 3 * * *" (03:00 UTC daily)');
  }
  if (!(Number.isInteger(config.backups.ttlDays) && config.backups.ttlDays >= 1 && config.backups.ttlDays <= 3650)) {
    throw new ConfigError('backups.ttlDays', `${config.backups.ttlDays} is outside 1–3650`, 'keep backups for 1 to 3650 days');
  }

  const s = config.security;
  email('security.securityAlertsEmail', s.securityAlertsEmail);
  if (s.slackWebhookSecretName && !SECRET_NAME.test(s.slackWebhookSecretName)) {
    throw new ConfigError('security.slackWebhookSecretName', `"${s.slackWebhookSecretName}" is not a Secrets Manager name`, 'use letters, digits and /_+=.@- (the name, never the webhook URL)');
  }
  if (/^https?:\/\//.test(s.slackWebhookSecretName)) {
    throw new ConfigError('security.slackWebhookSecretName', 'looks like a webhook URL', 'store the URL in Secrets Manager and give the secret\'s name here');
  }
  if (!PEM_PUBLIC_KEY.test(s.cosignPublicKey)) {
    throw new ConfigError('security.cosignPublicKey', 'is not a PEM public key', 'paste the contents of cosign.pub (-----BEGIN PUBLIC KEY----- ...)');
  }

  const g = config.gitops;
  required('gitops.domainName', g.domainName);
  if (!DOMAIN.test(g.domainName)) {
    throw new ConfigError('gitops.domainName', `"${g.domainName}" is not a domain name`, 'use a lowercase DNS name such as platform.example.com');
  }
  if (!GITHUB_ORG.test(g.githubOrg)) {
    throw new ConfigError('gitops.githubOrg', `"${g.githubOrg}" is not a GitHub organization name`, 'use letters, digits and single hyphens');
  }
  if (!new RegExp(`^https://github\\.com/${g.githubOrg}/[\\w.-]+?(\\.git)?$`).test(g.repoUrl)) {
    throw new ConfigError('gitops.repoUrl', `"${g.repoUrl}" is not an HTTPS repository of ${g.githubOrg}`, `use https://github.com/${g.githubOrg}/<repo>`);
  }
  email('finops.costAlertsEmail', config.finops.costAlertsEmail);
  return config;
}

function oneOf<T>(field: string, value: T, allowed: T[]) {
  if (!allowed.includes(value)) throw new ConfigError(field, `${JSON.stringify(value)} is not allowed`, `use one of ${allowed.join(', ')}`);
}

function email(field: string, value: string) {
  if (!EMAIL.test(value ?? '')) throw new ConfigError(field, `"${value}" is not an email address`, 'use an address such as team@example.com');
}

function instanceTypes(field: string, types: string[], min: number) {
  if ((types ?? []).length < min) {
    throw new ConfigError(field, `lists ${types?.length ?? 0} instance types`, `list at least ${min}${min > 1 ? ' (spot needs several types to find capacity)' : ''}`);
  }
  const bad = types.find((t) => !INSTANCE_TYPE.test(t));
  if (bad) throw new ConfigError(field, `"${bad}" is not an EC2 instance type`, 'use names such as m7i.large');
}

function poolOrder(field: string, pool: PoolSize) {
  const { minSize, desiredSize, maxSize } = pool;
  if (![minSize, desiredSize, maxSize].every(Number.isInteger) || minSize < 0 || minSize > desiredSize || desiredSize > maxSize) {
    throw new ConfigError(field, `min ${minSize}, desired ${desiredSize}, max ${maxSize} are out of order`, 'set 0 <= minSize <= desiredSize <= maxSize');
  }
}

function validateRegion(field: string, region: RegionConfig) {
  if (!SUPPORTED_REGIONS.includes(region?.region)) {
    throw new ConfigError(`${field}.region`, `"${region?.region}" is not a supported region`, `use one of ${SUPPORTED_REGIONS.join(', ')}`);
  }
  const azs = region.availabilityZones ?? [];
  if (azs.length < 2 || azs.length > 6) {
    throw new ConfigError(`${field}.availabilityZones`, `has ${azs.length} zones`, 'list 2 to 6 zones (3 recommended)');
  }
  const foreign = azs.find((az) => !new RegExp(`^${region.region}[a-z]$`).test(az));
  if (foreign) {
    throw new ConfigError(`${field}.availabilityZones`, `"${foreign}" is not a zone of ${region.region}`, `use zones such as ${region.region}a`);
  }
  parseCidr(`${field}.vpcCidr`, region.vpcCidr, 16, 20);
}

/** `[network, prefix]` of an IPv4 CIDR whose prefix is within bounds, or a ConfigError naming the field. */
export function parseCidr(field: string, cidr: string, minPrefix: number, maxPrefix: number): [number, number] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr ?? '');
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix > 32) {
    throw new ConfigError(field, `"${cidr}" is not an IPv4 CIDR`, 'use a block such as 10.0.0.0/16');
  }
  if (prefix < minPrefix || prefix > maxPrefix) {
    throw new ConfigError(field, `/${prefix} cannot hold public and private subnets in three zones with room for pods`, `use a /${minPrefix} to /${maxPrefix} block`);
  }
  return [octets.reduce((acc, o) => acc * 256 + o, 0), prefix];
}

function cidrsOverlap(a: string, b: string): boolean {
  const [na, pa] = parseCidr('primary.vpcCidr', a, 0, 32);
  const [nb, pb] = parseCidr('dr.vpcCidr', b, 0, 32);
  // Two blocks overlap exactly when they agree on the shorter prefix.
  const block = 2 ** (32 - Math.min(pa, pb));
  return Math.floor(na / block) === Math.floor(nb / block);
}
