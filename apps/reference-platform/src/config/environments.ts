import { DEFAULT_CONFIG } from './defaults';
import { PlatformConfig } from './platform-config';

/** A partial config: objects merge field by field, arrays and values replace. */
export type ConfigOverride = { readonly [K in keyof PlatformConfig]?: DeepPartial<PlatformConfig[K]> };
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Per-environment overrides of {@link DEFAULT_CONFIG}. */
export const ENVIRONMENTS: Record<string, ConfigOverride> = {
  dev: {
    // One NAT gateway is enough for a development platform.
    network: { natGateways: 'single' },
  },
  staging: {
    environment: 'staging',
    environmentSuffix: 'staging',
    primary: { vpcCidr: '10.10.0.0/16' },
    dr: { vpcCidr: '10.11.0.0/16' },
    security: { slackWebhookSecretName: 'keelson/staging/slack-webhook' },
  },
  prod: {
    environment: 'prod',
    environmentSuffix: 'prod',
    removalPolicy: 'retain',
    primary: { vpcCidr: '10.20.0.0/16' },
    dr: { vpcCidr: '10.21.0.0/16', nodeScale: 1 },
    network: { flowLogRetentionDays: 365 },
    cluster: { appPool: { minSize: 4, desiredSize: 6, maxSize: 40 } },
    security: { slackWebhookSecretName: 'keelson/prod/slack-webhook' },
  },
};

/** Defaults, then the named environment, then explicit overrides (from context or tests). */
export function resolveConfig(environment: string, override: ConfigOverride = {}): PlatformConfig {
  const env = ENVIRONMENTS[environment];
  if (!env) {
    throw new Error(`config.environment: "${environment}" is not defined. Fix: use one of ${Object.keys(ENVIRONMENTS).join(', ')} or add it to environments.ts`);
  }
  return merge(merge(DEFAULT_CONFIG, env), override) as PlatformConfig;
}

function merge(base: any, override: any): any {
  if (override === undefined) return base;
  if (Array.isArray(override) || typeof override !== 'object' || override === null || typeof base !== 'object' || base === null) {
    return override;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = merge(base[key], value);
  return out;
}

/** Context keys that override the config at synth. */
export const CONTEXT_KEYS = {
  /** `-c keelson:environment=prod`: which entry of {@link ENVIRONMENTS}. */
  environment: 'keelson:environment',
  /** `-c keelson:account=123456789012`: the account of both regions. */
  account: 'keelson:account',
  /** `-c 'keelson:overrides={"dr":{"enabled":false}}'`: any part of the config, as JSON. */
  overrides: 'keelson:overrides',
} as const;

/**
 * The config for an app: the environment from context (default `dev`), then
 * JSON overrides from context, then the account from context or
 * `CDK_DEFAULT_ACCOUNT`, else the placeholder.
 */
export function configFromContext(node: { tryGetContext(key: string): any }, env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const environment = node.tryGetContext(CONTEXT_KEYS.environment) ?? 'dev';
  const raw = node.tryGetContext(CONTEXT_KEYS.overrides);
  let overrides: ConfigOverride = {};
  if (raw !== undefined) {
    try {
      overrides = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch (e) {
      throw new Error(`context.${CONTEXT_KEYS.overrides}: is not JSON (${(e as Error).message}). Fix: pass an object such as '{"dr":{"enabled":false}}'`);
    }
  }
  const account = node.tryGetContext(CONTEXT_KEYS.account) ?? env.CDK_DEFAULT_ACCOUNT;
  return resolveConfig(environment, { ...overrides, ...(account ? { account: String(account) } : {}) });
}
