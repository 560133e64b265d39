import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RegionConfig } from './config';

export interface PlatformStackProps extends StackProps {
  /** The region this stack is placed in, with its zones (none for a stack without a VPC). */
  readonly regionConfig: Pick<RegionConfig, 'region' | 'availabilityZones'>;
}

/**
 * A stack placed explicitly in one of the platform's regions. Availability
 * zones come from config, so synth never performs a context lookup.
 */
export class PlatformStack extends Stack {
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.zones = props.regionConfig.availabilityZones;
  }

  public get availabilityZones(): string[] {
    return this.zones;
  }
}
