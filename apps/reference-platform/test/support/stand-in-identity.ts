import * as path from 'path';
import { ConfigOverride, PlatformConfig, readConfigFile, resolveConfig } from '../../src/config';

/**
 * Stand-in identities (domain, zone, organization, roles, cosign key, identity
 * provider, mailboxes) that are not the documentation's examples, so tests can
 * synthesize staging and prod without weakening the guard that refuses
 * examples there. One file, read by the tests and by `npm run cost`.
 */
export const STAND_IN_IDENTITY_FILE = path.join(__dirname, 'stand-in-identity.yaml');

const file = readConfigFile(STAND_IN_IDENTITY_FILE);
if (file.problems.length > 0 || !file.content) throw new Error(`${STAND_IN_IDENTITY_FILE}: ${file.problems.map((p) => p.problem).join('; ')}`);

/** The stand-in identities, as a config layer. */
export const STAND_IN_IDENTITY = file.content;

/** `environment`'s config with the stand-in identities in the file layer (below the environment), then `override`. */
export function standInConfig(environment: string, override: ConfigOverride = {}): PlatformConfig {
  return resolveConfig(environment, override, STAND_IN_IDENTITY);
}
