/**
 * The reference platform's one typed configuration: the counterpart of the
 * source's `terraform.tfvars`. `defaults.ts` holds the documented example;
 * `environments.ts` the per-environment overrides; CDK context overrides the
 * environment name and the account (`-c keelson:environment=prod
 * -c keelson:account=123456789012`). `validate.ts` checks all of it before
 * any construct is built.
 */

/** One region of the platform. */
export interface RegionConfig {
  /** AWS region, for example `ap-southeast-1`. */
  readonly region: string;
  /** Availability zones, given explicitly so synth never looks them up (2–6; 3 recommended). */
  readonly availabilityZones: string[];
  /** VPC CIDR, /16 to /20; must not overlap the other region's. */
  readonly vpcCidr: string;
}

/** Size of one node pool. 0 <= min <= desired <= max. */
export interface PoolSize {
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

/** A node pool of one instance-type list. */
export interface NodePoolConfig extends PoolSize {
  /** EC2 instance types, for example `m7i.large`. */
  readonly instanceTypes: string[];
}

/** The app pool: on-demand and spot. */
export interface AppPoolConfig extends PoolSize {
  readonly onDemandInstanceTypes: string[];
  /** At least two types, so spot capacity can be found. */
  readonly spotInstanceTypes: string[];
  /** Share of the pool on spot, 0–100. */
  readonly spotPercentage: number;
}

/** The GPU pool: scales from zero. */
export interface GpuPoolConfig extends NodePoolConfig {
  readonly enabled: boolean;
}

export interface ClusterConfig {
  /** Kubernetes minor version; `1.36` has a kubectl layer. */
  readonly kubernetesVersion: string;
  /** CIDRs allowed to reach the public API endpoint. */
  readonly publicAccessCidrs: string[];
  /** IAM role ARNs with cluster-admin (for example IAM Identity Center permission-set roles). */
  readonly adminRoleArns: string[];
  /** IAM role ARNs with edit rights in `developerNamespaces`. */
  readonly developerRoleArns: string[];
  readonly developerNamespaces: string[];
  /** IAM role ARNs with cluster-wide read-only access. */
  readonly readOnlyRoleArns: string[];
  readonly systemPool: NodePoolConfig;
  readonly appPool: AppPoolConfig;
  readonly gpuPool: GpuPoolConfig;
}

export interface NetworkConfig {
  /** `per-az` (resilient, default) or `single` (cheap, for dev). */
  readonly natGateways: 'per-az' | 'single';
  /** Flow-log retention in days (a CloudWatch Logs retention value). */
  readonly flowLogRetentionDays: number;
}

export interface SecurityConfig {
  readonly guardDuty: boolean;
  readonly securityHub: boolean;
  /** Off when an organization trail already exists. */
  readonly cloudTrail: boolean;
  readonly webAcl: boolean;
  /** Where security findings are emailed. */
  readonly securityAlertsEmail: string;
  /** Secrets Manager name of the Slack webhook URL; empty for no Slack. */
  readonly slackWebhookSecretName: string;
  /** The cosign public key (PEM) Kyverno verifies images against; public by nature. */
  readonly cosignPublicKey: string;
}

export interface GitOpsConfig {
  /** The platform's DNS domain, for example `platform.example.com`. */
  readonly domainName: string;
  /** The GitOps repository, `https://github.com/<org>/<repo>`. */
  readonly repoUrl: string;
  /** The GitHub organization for Dex SSO. */
  readonly githubOrg: string;
}

export interface FinOpsConfig {
  /** Where budget and cost alerts are emailed. */
  readonly costAlertsEmail: string;
}

/** Disaster-recovery settings beyond the region itself. */
export interface DrConfig extends RegionConfig {
  /** Whether to build the DR region at all. */
  readonly enabled: boolean;
  /**
   * DR node pools run the primary's pools with min and desired sizes scaled by
   * this factor (max kept, so DR can grow to primary size on failover). 0 < x <= 1.
   */
  readonly nodeScale: number;
}

/** In-cluster platform services (each can be switched off). */
export interface ServicesConfig {
  /**
   * `cluster-autoscaler` (default) scales the managed node groups; `karpenter` provisions app and gpu
   * nodes itself, so `cluster.appPool` and `cluster.gpuPool` then create no managed node groups
   * (their instance types and sizes no longer apply; Karpenter's NodePools do).
   */
  readonly nodeAutoscaler: 'cluster-autoscaler' | 'karpenter';
  readonly loadBalancerController: boolean;
  readonly externalSecrets: boolean;
  readonly metricsServer: boolean;
  readonly keda: boolean;
  readonly containerInsights: boolean;
}

/** Velero backups in both clusters, the primary's replicated to DR. */
export interface BackupConfig {
  readonly enabled: boolean;
  /** Cron schedule of the daily backup (UTC). */
  readonly schedule: string;
  /** How long a backup is kept, in days. */
  readonly ttlDays: number;
}

export interface PlatformConfig {
  /** `dev`, `staging`, `prod`: the `Environment` tag. */
  readonly environment: string;
  /** Suffix of every physical name: `<resource>-<environmentSuffix>`. */
  readonly environmentSuffix: string;
  /**
   * AWS account for both regions. Synth without credentials uses the
   * documented placeholder `000000000000`; deploys need a real account.
   */
  readonly account: string;
  /** `Project` tag. */
  readonly project: string;
  /** `Owner` tag. */
  readonly owner: string;
  /** `destroy` (default) or `retain`: the one removal-policy switch. */
  readonly removalPolicy: 'destroy' | 'retain';
  readonly primary: RegionConfig;
  readonly dr: DrConfig;
  readonly network: NetworkConfig;
  readonly cluster: ClusterConfig;
  readonly services: ServicesConfig;
  readonly backups: BackupConfig;
  readonly security: SecurityConfig;
  readonly gitops: GitOpsConfig;
  readonly finops: FinOpsConfig;
}
