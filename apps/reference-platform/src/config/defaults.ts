import { PlatformKubernetesVersion } from '@keelson/eks-core';
import { EXAMPLE } from './example-values';
import { PlatformConfig } from './platform-config';

/** The placeholder account used when none is configured (synth only; never deployable). */
export const PLACEHOLDER_ACCOUNT = EXAMPLE.account;

const arn = (role: string) => `arn:aws:iam::${EXAMPLE.account}:role/${role}`;

/**
 * The documented example configuration, and the base every environment
 * overrides. Its identities (domain, zone, organization, roles, the cosign
 * key, the identity provider, email domains) are examples (`EXAMPLE`): a
 * development platform synthesizes with them, any other environment must
 * replace each (`exampleValueProblems`).
 */
export const DEFAULT_CONFIG: PlatformConfig = {
  environment: 'dev',
  environmentSuffix: 'dev',
  account: PLACEHOLDER_ACCOUNT,
  project: 'keelson',
  owner: 'platform-team',
  // Keep data unless an environment chooses otherwise (dev does, explicitly).
  removalPolicy: 'retain',
  primary: {
    region: 'ap-southeast-1',
    availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
    vpcCidr: '10.0.0.0/16',
  },
  dr: {
    enabled: true,
    region: 'us-west-2',
    availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
    vpcCidr: '10.1.0.0/16',
    nodeScale: 0.5,
  },
  network: {
    natGateways: 'per-az',
    flowLogRetentionDays: 30,
  },
  cluster: {
    kubernetesVersion: PlatformKubernetesVersion.DEFAULT.version,
    publicAccessCidrs: ['203.0.113.0/24'],
    adminRoleArns: [arn('PlatformAdmin')],
    developerRoleArns: [arn('PlatformDeveloper')],
    developerNamespaces: ['dev', 'staging'],
    readOnlyRoleArns: [arn('PlatformReadOnly')],
    systemPool: { instanceTypes: ['m7i.large'], minSize: 2, desiredSize: 2, maxSize: 4 },
    appPool: {
      onDemandInstanceTypes: ['m7i.xlarge'],
      spotInstanceTypes: ['m7i.xlarge', 'm6i.xlarge', 'm7a.xlarge', 'm6a.xlarge'],
      spotPercentage: 50,
      minSize: 2,
      desiredSize: 4,
      maxSize: 20,
    },
    gpuPool: { enabled: true, instanceTypes: ['g5.xlarge'], minSize: 0, desiredSize: 0, maxSize: 4 },
  },
  services: {
    nodeAutoscaler: 'cluster-autoscaler',
    loadBalancerController: true,
    externalSecrets: true,
    metricsServer: true,
    keda: true,
    containerInsights: true,
  },
  backups: {
    enabled: true,
    schedule: '0 3 * * *',
    ttlDays: 30,
  },
  security: {
    guardDuty: true,
    securityHub: true,
    cloudTrail: true,
    webAcl: true,
    securityAlertsEmail: 'security-alerts@example.com',
    cosignPublicKey: EXAMPLE.cosignPublicKey,
  },
  gitops: {
    domainName: EXAMPLE.domainName,
    repoUrl: `https://github.com/${EXAMPLE.githubOrg}/platform-gitops`,
    githubOrg: EXAMPLE.githubOrg,
    enabled: true,
    hostedZoneId: EXAMPLE.hostedZoneId,
    adminTeams: ['argocd-admins'],
    slackChannel: 'platform-deployments',
  },
  observability: {
    slackChannel: 'platform-alerts',
    tracesSamplingRatio: 1,
  },
  finops: {
    enabled: true,
    costAlertsEmail: 'finops@example.com',
    monthlyBudgetUsd: 2500,
    anomalyThresholdUsd: 50,
    legacyReport: false,
    spotDataFeed: true,
    costEngine: 'kubecost',
    costUiSignIn: {
      issuer: EXAMPLE.identityProvider,
      authorizationEndpoint: `${EXAMPLE.identityProvider}/authorize`,
      tokenEndpoint: `${EXAMPLE.identityProvider}/oauth/token`,
      userInfoEndpoint: `${EXAMPLE.identityProvider}/userinfo`,
    },
  },
  mesh: {
    enabled: true,
    dataplaneMode: 'ambient',
    serviceDiscovery: {
      enabled: true,
      clusterSetId: 'keelson',
      exportedNamespaces: ['production'],
      registry: 'primary',
    },
    // The mesh sample (gateway, three services, Cloud Map export) is a demonstration: on in dev only.
    sampleApplication: false,
  },
};
