import { PlatformConfig } from './platform-config';

/** The placeholder account used when none is configured (synth only; never deployable). */
export const PLACEHOLDER_ACCOUNT = '000000000000';

/** The documented example configuration, and the base every environment overrides. */
export const DEFAULT_CONFIG: PlatformConfig = {
  environment: 'dev',
  environmentSuffix: 'dev',
  account: PLACEHOLDER_ACCOUNT,
  project: 'keelson',
  owner: 'platform-team',
  primary: {
    region: 'ap-southeast-1',
    availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
    vpcCidr: '10.0.0.0/16',
  },
  dr: {
    region: 'us-west-2',
    availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
    vpcCidr: '10.1.0.0/16',
  },
  removalPolicy: 'destroy',
};
