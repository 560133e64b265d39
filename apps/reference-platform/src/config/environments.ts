import { DEFAULT_CONFIG } from './defaults';
import { PlatformConfig } from './platform-config';

/** A partial override of the defaults; nested region settings merge field by field. */
export type ConfigOverride = Partial<Omit<PlatformConfig, 'primary' | 'dr'>> & {
  readonly primary?: Partial<PlatformConfig['primary']>;
  readonly dr?: Partial<PlatformConfig['dr']>;
};

/** Per-environment overrides of {@link DEFAULT_CONFIG}. */
export const ENVIRONMENTS: Record<string, ConfigOverride> = {
  dev: {},
  staging: {
    environment: 'staging',
    environmentSuffix: 'staging',
    primary: { vpcCidr: '10.10.0.0/16' },
    dr: { vpcCidr: '10.11.0.0/16' },
  },
  prod: {
    environment: 'prod',
    environmentSuffix: 'prod',
    removalPolicy: 'retain',
    primary: { vpcCidr: '10.20.0.0/16' },
    dr: { vpcCidr: '10.21.0.0/16' },
  },
};

/** Defaults, then the named environment, then explicit overrides. */
export function resolveConfig(environment: string, override: ConfigOverride = {}): PlatformConfig {
  const env = ENVIRONMENTS[environment];
  if (!env) {
    throw new Error(`config.environment: "${environment}" is not defined. Fix: use one of ${Object.keys(ENVIRONMENTS).join(', ')} or add it to environments.ts`);
  }
  return merge(merge(DEFAULT_CONFIG, env), override);
}

function merge(base: PlatformConfig, o: ConfigOverride): PlatformConfig {
  return {
    ...base,
    ...o,
    primary: { ...base.primary, ...o.primary },
    dr: { ...base.dr, ...o.dr },
  } as PlatformConfig;
}
