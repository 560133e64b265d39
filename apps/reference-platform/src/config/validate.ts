import { PlatformConfig, RegionConfig } from './platform-config';

/** Regions where EKS and every service the platform uses are available. */
export const SUPPORTED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'sa-east-1',
];

/** Invalid configuration: one line naming the field and the fix. */
export class ConfigError extends Error {
  constructor(field: string, problem: string, fix: string) {
    super(`config.${field}: ${problem}. Fix: ${fix}`);
    this.name = 'ConfigError';
  }
}

/** Throws a {@link ConfigError} on the first invalid field; returns the config otherwise. */
export function validateConfig(config: PlatformConfig): PlatformConfig {
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(config.environmentSuffix ?? '')) {
    throw new ConfigError('environmentSuffix', `"${config.environmentSuffix}" is not a valid suffix`, 'use 1–16 lowercase letters, digits or hyphens, starting with a letter');
  }
  if (!/^\d{12}$/.test(config.account ?? '')) {
    throw new ConfigError('account', `"${config.account}" is not a 12-digit AWS account id`, 'set keelson:account in context or CDK_DEFAULT_ACCOUNT');
  }
  for (const field of ['project', 'owner', 'environment'] as const) {
    if (!config[field]) throw new ConfigError(field, 'is missing', `set ${field} to a non-empty string`);
  }
  if (!['destroy', 'retain'].includes(config.removalPolicy)) {
    throw new ConfigError('removalPolicy', `"${config.removalPolicy}" is not a removal policy`, 'use "destroy" or "retain"');
  }
  validateRegion('primary', config.primary);
  validateRegion('dr', config.dr);
  if (config.primary.region === config.dr.region) {
    throw new ConfigError('dr.region', `is the same as primary.region (${config.primary.region})`, 'choose a different region for disaster recovery');
  }
  if (cidrsOverlap(config.primary.vpcCidr, config.dr.vpcCidr)) {
    throw new ConfigError('dr.vpcCidr', `${config.dr.vpcCidr} overlaps primary.vpcCidr ${config.primary.vpcCidr}`, 'pick non-overlapping ranges, for example 10.0.0.0/16 and 10.1.0.0/16');
  }
  return config;
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
  parseCidr(`${field}.vpcCidr`, region.vpcCidr);
}

/** `[network, prefix]` of an IPv4 CIDR, or a ConfigError naming the field. */
export function parseCidr(field: string, cidr: string): [number, number] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr ?? '');
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix > 32) {
    throw new ConfigError(field, `"${cidr}" is not an IPv4 CIDR`, 'use a block such as 10.0.0.0/16');
  }
  if (prefix < 16 || prefix > 20) {
    throw new ConfigError(field, `/${prefix} cannot hold public and private subnets in three zones with room for pods`, 'use a /16 to /20 block');
  }
  const network = octets.reduce((acc, o) => acc * 256 + o, 0);
  return [network, prefix];
}

function cidrsOverlap(a: string, b: string): boolean {
  const [na, pa] = parseCidr('primary.vpcCidr', a);
  const [nb, pb] = parseCidr('dr.vpcCidr', b);
  // Two blocks overlap exactly when they agree on the shorter prefix.
  const block = 2 ** (32 - Math.min(pa, pb));
  return Math.floor(na / block) === Math.floor(nb / block);
}
