import { KeelsonTags, ResourceNaming } from '@keelson/conventions';
import { App } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { PlatformConfig, RegionConfig, validateConfig } from './config';
import { PlatformStack } from './platform-stack';

/** The stacks of the platform, by region role. */
export interface Platform {
  readonly primary: PlatformStack[];
  readonly dr: PlatformStack[];
}

/**
 * Compose the whole platform into `app` from one validated config. The
 * config is validated before any construct is built.
 */
export function buildPlatform(app: App, config: PlatformConfig): Platform {
  validateConfig(config);
  const prefix = `keelson-${config.environmentSuffix}`;

  const regionStack = (role: 'primary' | 'dr', region: RegionConfig, peer: RegionConfig) => {
    const stack = new PlatformStack(app, `${prefix}-${role}-platform`, {
      env: { account: config.account, region: region.region },
      regionConfig: region,
      description: `Keelson ${role} platform in ${region.region} (${config.environment})`,
      terminationProtection: config.removalPolicy === 'retain',
    });
    KeelsonTags.component(stack, 'platform');
    // Where this region sits in the platform, for operators and cross-region tooling.
    new ssm.StringParameter(stack, 'PlatformDescriptor', {
      parameterName: `/keelson/${config.environmentSuffix}/platform/${role}`,
      description: 'Keelson platform descriptor: role, regions and CIDRs of this deployment',
      stringValue: JSON.stringify({
        role,
        region: region.region,
        vpcCidr: region.vpcCidr,
        peerRegion: peer.region,
        peerVpcCidr: peer.vpcCidr,
        name: ResourceNaming.of(stack, config.environmentSuffix).name('keelson'),
      }),
    });
    return stack;
  };

  const platform: Platform = {
    primary: [regionStack('primary', config.primary, config.dr)],
    dr: [regionStack('dr', config.dr, config.primary)],
  };
  KeelsonTags.apply(app, { environment: config.environment, project: config.project, owner: config.owner });
  return platform;
}
