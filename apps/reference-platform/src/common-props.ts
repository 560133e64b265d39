import { RemovalPolicy } from 'aws-cdk-lib';
import { PlatformConfig } from './config';

/** The props every Keelson construct of the platform takes from the config. */
export interface CommonProps {
  readonly environmentSuffix: string;
  readonly removalPolicy: RemovalPolicy;
}

/** The config's environment suffix and removal policy (`retain` keeps data; anything else destroys it). */
export function commonProps(config: PlatformConfig): CommonProps {
  return {
    environmentSuffix: config.environmentSuffix,
    removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  };
}
