import * as path from 'path';
import { DEFAULT_CONFIG } from './defaults';
import { EXAMPLE } from './example-values';
import { findConfigFile, readConfigFile } from './file';
import { PlatformConfig } from './platform-config';
import { ConfigError } from './validate';

/** A partial config: objects merge field by field, arrays and values replace. */
export type ConfigOverride = { readonly [K in keyof PlatformConfig]?: DeepPartial<PlatformConfig[K]> };
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Per-environment overrides of {@link DEFAULT_CONFIG}. */
export const ENVIRONMENTS: Record<string, ConfigOverride> = {
  dev: {
    // A development platform leaves nothing behind on `cdk destroy`: chosen here, never a default.
    removalPolicy: 'destroy',
    // One NAT gateway is enough for a development platform.
    network: { natGateways: 'single' },
    security: { slackWebhookSecretName: 'keelson/dev/slack-webhook' },
    // Grafana's GitHub OAuth app (its client secret stays in Secrets Manager).
    observability: { grafanaGithub: { clientId: EXAMPLE.githubClientId, clientSecretName: 'keelson/dev/grafana-github' } },
    // The mesh shown end to end: gateway, sample services, backend exported to the other cluster.
    mesh: { sampleApplication: true },
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

/**
 * Defaults, then `file` (the settings of keelson.config.yaml), then the named
 * environment, then explicit overrides (from context or tests). Objects merge
 * field by field; lists and values replace. The result is not yet validated.
 */
export function resolveConfig(environment: string, override: ConfigOverride = {}, file: Record<string, unknown> = {}): PlatformConfig {
  const env = environmentOverride(environment);
  return [file, env, override].reduce((acc, layer) => merge(acc, layer), DEFAULT_CONFIG as unknown) as PlatformConfig;
}

/** The named environment's overrides; an unknown name fails before it is used anywhere (a file name). */
function environmentOverride(environment: string): ConfigOverride {
  if (!Object.hasOwn(ENVIRONMENTS, environment)) {
    throw new Error(`config.environment: ${JSON.stringify(environment)} is not defined. Fix: use one of ${Object.keys(ENVIRONMENTS).join(', ')} or add it to environments.ts`);
  }
  return ENVIRONMENTS[environment];
}

function merge(base: any, override: any): any {
  if (override === undefined) return base;
  if (Array.isArray(override) || typeof override !== 'object' || override === null || typeof base !== 'object' || base === null) {
    return override;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // Own properties only, defined rather than assigned: a "__proto__" or "constructor" key stays
    // a plain (unknown, so refused) setting instead of reaching a prototype.
    const merged = merge(Object.hasOwn(base, key) ? base[key] : undefined, value);
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
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
  /** `-c keelson:configFile=path/to/keelson.config.yaml`: a config file other than the app folder's. */
  configFile: 'keelson:configFile',
} as const;

/** Where each layer of a config came from, for the check command's report. */
export interface ConfigSources {
  readonly environment: string;
  /** The config file read, if any. */
  readonly file?: string;
  /** The environment's config file read, if any. */
  readonly environmentFile?: string;
}

/**
 * The config for an app, unvalidated, from every source, lowest first:
 *   1. the defaults (`defaults.ts`);
 *   2. keelson.config.yaml / .yml / .json in `dir` (or the file `keelson:configFile` names);
 *   3. the environment (`keelson:environment`, default `dev`) from `environments.ts`;
 *   4. keelson.config.<environment>.yaml / .yml / .json beside the config file (or in `dir`);
 *   5. JSON overrides from `keelson:overrides`;
 *   6. the account from `keelson:account`, else `CDK_DEFAULT_ACCOUNT`, else the placeholder.
 * A file that cannot be read, or overrides that are not JSON, throw a {@link ConfigError}.
 */
export function configFromContext(
  node: { tryGetContext(key: string): any },
  env: NodeJS.ProcessEnv = process.env,
  dir: string = process.cwd(),
): PlatformConfig {
  return resolveFromContext(node, env, dir).config;
}

/** {@link configFromContext}, with where the layers came from. */
export function resolveFromContext(
  node: { tryGetContext(key: string): any },
  env: NodeJS.ProcessEnv = process.env,
  dir: string = process.cwd(),
): { config: PlatformConfig; sources: ConfigSources } {
  const environment = node.tryGetContext(CONTEXT_KEYS.environment) ?? 'dev';
  // Checked before it becomes part of a file name.
  environmentOverride(environment);
  const fileName: string | undefined = node.tryGetContext(CONTEXT_KEYS.configFile) ?? findConfigFile(dir);
  const read = (name: string | undefined): Record<string, unknown> => {
    if (!name) return {};
    const result = readConfigFile(name);
    if (result.problems.length > 0) throw new ConfigError(result.problems);
    return result.content ?? {};
  };
  const file = read(fileName);
  // keelson.config.<environment>.yaml beside the config file (or in the app folder).
  const environmentFileName = findConfigFile(fileName ? path.dirname(fileName) : dir, environment);
  const environmentFile = read(environmentFileName);
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
  const config = resolveConfig(environment, merge(environmentFile, { ...overrides, ...(account ? { account: String(account) } : {}) }), file);
  return { config, sources: { environment, file: fileName, environmentFile: environmentFileName } };
}
