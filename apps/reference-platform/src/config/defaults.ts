import { PlatformKubernetesVersion } from '@keelson/eks-core';
import { PlatformConfig } from './platform-config';

/** The placeholder account used when none is configured (synth only; never deployable). */
export const PLACEHOLDER_ACCOUNT = '000000000000';

/**
 * An example ECDSA P-256 public key (its private half was discarded), so the
 * example config is complete. Replace it with your own `cosign.pub`.
 */
const EXAMPLE_COSIGN_KEY = [
  '-----BEGIN PUBLIC KEY-----',
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE75ednUI2kQ0JXDQG0+EJNJlhBAJD',
  'TeYhF4Lyd9oE+MrRfI0NM1b4zed3O1zKrrSDungqBfB7l2MFG9bPO+D5IA==',
  '-----END PUBLIC KEY-----',
].join('\n');

/** The documented example configuration, and the base every environment overrides. */
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
    adminRoleArns: ['arn:aws:iam::000000000000:role/PlatformAdmin'],
    developerRoleArns: ['arn:aws:iam::000000000000:role/PlatformDeveloper'],
    developerNamespaces: ['dev', 'staging'],
    readOnlyRoleArns: ['arn:aws:iam::000000000000:role/PlatformReadOnly'],
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
    cosignPublicKey: EXAMPLE_COSIGN_KEY,
  },
  gitops: {
    domainName: 'platform.example.com',
    repoUrl: 'https://github.com/example-org/platform-gitops',
    githubOrg: 'example-org',
    enabled: true,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
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
      issuer: 'https://login.example.com',
      authorizationEndpoint: 'https://login.example.com/authorize',
      tokenEndpoint: 'https://login.example.com/oauth/token',
      userInfoEndpoint: 'https://login.example.com/userinfo',
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
  },
};
