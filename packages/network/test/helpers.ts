import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export const ENV = { account: '111111111111', region: 'ap-southeast-1' };
export const ZONES = ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'];

/** A stack placed in ap-southeast-1 whose AZs are known without a lookup. */
export class ZonedStack extends Stack {
  private readonly zones: string[];
  constructor(scope: Construct, id: string, props: StackProps & { zones?: string[] } = {}) {
    super(scope, id, { env: ENV, ...props });
    this.zones = props.zones ?? ZONES;
  }
  public get availabilityZones(): string[] {
    return this.zones;
  }
}
