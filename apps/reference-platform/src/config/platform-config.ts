/**
 * The reference platform's one typed configuration: the counterpart of the
 * source's `terraform.tfvars`. `defaults.ts` holds the documented example;
 * `environments.ts` holds per-environment overrides; CDK context can override
 * the environment name (`-c keelson:environment=prod`) and the account.
 */
export interface RegionConfig {
  /** AWS region, for example `ap-southeast-1`. */
  readonly region: string;
  /**
   * Availability zones to use, given explicitly so synth never looks them up.
   * Three by default.
   */
  readonly availabilityZones: string[];
  /** VPC CIDR; must not overlap the other region's. */
  readonly vpcCidr: string;
}

export interface PlatformConfig {
  /** `dev`, `staging`, `prod`: becomes the `Environment` tag. */
  readonly environment: string;
  /** Suffix of every physical name: `<resource>-<environmentSuffix>`. */
  readonly environmentSuffix: string;
  /**
   * AWS account for both regions. Synth without credentials uses the
   * documented placeholder `000000000000`; deploys must set a real account
   * (`-c keelson:account=123456789012` or `CDK_DEFAULT_ACCOUNT`).
   */
  readonly account: string;
  /** `Project` tag. */
  readonly project: string;
  /** `Owner` tag. */
  readonly owner: string;
  /** The primary region. */
  readonly primary: RegionConfig;
  /** The disaster-recovery region. */
  readonly dr: RegionConfig;
  /** `destroy` (default) or `retain`: the one removal-policy switch. */
  readonly removalPolicy: 'destroy' | 'retain';
}
