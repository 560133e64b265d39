import { PlatformCluster, PlatformKubernetesVersion } from '@keelson/eks-core';
import { proofApp } from '@keelson/proof';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  ConfigOverride, configFromContext, configProblems, configWarnings, DEFAULT_CONFIG, formatProblem, KUBERNETES_VERSION_NAMES, PlatformConfig,
  resolveConfig, validateConfig,
} from '../src/config';
import { buildPlatform } from '../src/platform';
import { STAND_IN_IDENTITY, standInConfig } from './support/stand-in-identity';
import { STATEFUL_TYPES } from './support/stateful';

/** A secp256k1 public key: valid PEM, a curve cosign does not sign with (private half discarded). */
const SECP256K1_KEY = [
  '-----BEGIN PUBLIC KEY-----',
  'MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEjfiSOuG32OBYVQrFii6otQlvsM2x8kWz',
  '6p2H0x4AQ4M99RwpHHyRNWo5dUdRIXUZRujRlIhVcFswnQIncc7pHQ==',
  '-----END PUBLIC KEY-----',
].join('\n');

/**
 * The stand-in identities, and a client ID for dev's Grafana sign-in that is not the example: the
 * dev environment with another `environment` name (the table below overrides dev).
 */
const DEV_AS_PRODUCTION = { ...STAND_IN_IDENTITY, observability: { grafanaGithub: { clientId: 'Iv1.5a4d0e57a11d1e00' } } };

/** External Secrets off, with what needs it off too: Argo CD, and the cost UI's sign-in (no cost engine). */
const WITHOUT_EXTERNAL_SECRETS = { services: { externalSecrets: false }, gitops: { enabled: false }, finops: { costEngine: 'none' } };

/**
 * Mistaken inputs, one or more per section, each with the exact line it must
 * produce (`config.<path>: <problem>. Fix: <fix>`), given as context overrides
 * of the dev environment (the same path `-c keelson:overrides=...` takes).
 */
const MISTAKES: [string, unknown, string | RegExp][] = [
  // top level
  ['a misspelled top-level key', { clustr: {} }, 'config.clustr: is not a setting of the top level. Fix: did you mean `cluster`?'],
  ['an unknown top-level key', { monitoring: true }, /^config\.monitoring: is not a setting of the top level\. Fix: remove it; the top level takes environment, environmentSuffix, account/],
  ['an empty owner', { owner: '' }, 'config.owner: is an empty string. Fix: set it, for example platform-team'],
  ['a null project', { project: null }, 'config.project: is null. Fix: give a value or leave the key out to keep the default: set it, for example keelson'],
  ['a suffix with capitals', { environmentSuffix: 'Prod' }, 'config.environmentSuffix: "Prod" is not valid here. Fix: use 1–16 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen'],
  ['a bad account', { account: '12345' }, 'config.account: "12345" is not valid here. Fix: set keelson:account in context or CDK_DEFAULT_ACCOUNT (12 digits)'],
  ['an account as a number', { account: 123456789012 }, 'config.account: is the number 123456789012, not a string. Fix: set keelson:account in context or CDK_DEFAULT_ACCOUNT (12 digits)'],
  ['an unknown removal policy', { removalPolicy: 'snapshot' }, 'config.removalPolicy: "snapshot" is not allowed. Fix: use one of destroy, retain'],
  // production and destroy (destroy also drops termination protection)
  // (with the stand-in identities: production refuses the example values, tested below)
  ['destroy on production without an acknowledgement', { ...DEV_AS_PRODUCTION, environment: 'prod' },
    'config.removalPolicy: is destroy on the production environment "prod": cdk destroy (or a replaced resource) would delete its buckets, keys and logs, and its stacks lose termination protection. Fix: use retain, or set productionDestroyAcknowledgement to the reason this production platform may lose its data'],
  ['destroy on an environment named production', { ...DEV_AS_PRODUCTION, environment: 'production' }, /^config\.removalPolicy: is destroy on the production environment "production"/],
  ['an empty production-destroy acknowledgement', { ...DEV_AS_PRODUCTION, environment: 'prod', productionDestroyAcknowledgement: '' }, /^config\.productionDestroyAcknowledgement: is an empty string\. Fix: say why this production platform may be deleted/],
  ['a production-destroy acknowledgement on a production platform that retains', { ...DEV_AS_PRODUCTION, environment: 'prod', removalPolicy: 'retain', productionDestroyAcknowledgement: 'decommissioning' },
    'config.productionDestroyAcknowledgement: is set but removalPolicy is retain. Fix: remove the acknowledgement'],
  ['a production-destroy acknowledgement outside production', { productionDestroyAcknowledgement: 'decommissioning' },
    'config.productionDestroyAcknowledgement: is set but environment "dev" is not production. Fix: remove the acknowledgement'],
  // primary
  ['a null region', { dr: { region: null } }, /^config\.dr\.region: is null\. Fix: give a value or leave the key out to keep the default: use one of us-east-1, /],
  ['an unknown region', { primary: { region: 'mars-north-1' } }, /^config\.primary\.region: "mars-north-1" is not allowed\. Fix: use one of us-east-1, /],
  ['a malformed CIDR', { primary: { vpcCidr: '10.0.0/16' } }, 'config.primary.vpcCidr: "10.0.0/16" is not an IPv4 CIDR block (a.b.c.d/n). Fix: use an IPv4 CIDR block such as 10.0.0.0/16'],
  ['a CIDR with host bits', { primary: { vpcCidr: '10.0.0.1/16' } }, 'config.primary.vpcCidr: "10.0.0.1/16" has host bits set. Fix: use 10.0.0.0/16'],
  ['a /20 the network construct refuses', { primary: { vpcCidr: '10.0.0.0/20' } },
    'config.primary.vpcCidr: 10.0.0.0/20 holds 4096 addresses but 3 AZs × (public /24 + private /19) need 32768. Fix: use a /17 or larger VPC, fewer AZs, or longer subnet masks'],
  ['a CIDR wider than /16', { primary: { vpcCidr: '172.16.0.0/12' } }, 'config.primary.vpcCidr: 172.16.0.0/12 has a /12 prefix; VPCs take /16 to /28. Fix: use a prefix from /16 to /28, for example 172.16.0.0/16'],
  ['a zone of another region', { primary: { availabilityZones: ['ap-southeast-1a', 'us-west-2b'] } }, 'config.primary.availabilityZones[1]: "us-west-2b" is not a zone of ap-southeast-1. Fix: use zones such as ap-southeast-1a'],
  ['a zone listed twice', { primary: { availabilityZones: ['ap-southeast-1a', 'ap-southeast-1a'] } }, 'config.primary.availabilityZones[1]: "ap-southeast-1a" is listed twice (also at [0]). Fix: list each entry once'],
  ['a misspelled region key', { primary: { vpcCIDR: '10.0.0.0/16' } }, 'config.primary.vpcCIDR: is not a setting of primary. Fix: did you mean `vpcCidr`?'],
  // dr
  ['one zone only', { dr: { availabilityZones: ['us-west-2a'] } }, 'config.dr.availabilityZones: lists 1 entry, at least 2 needed. Fix: list 2 to 6 zones (3 recommended)'],
  ['overlapping CIDRs', { dr: { vpcCidr: '10.0.128.0/17' } }, 'config.dr.vpcCidr: 10.0.128.0/17 overlaps primary.vpcCidr 10.0.0.0/16. Fix: pick non-overlapping ranges, for example 10.0.0.0/16 and 10.1.0.0/16'],
  ['the same region twice', { dr: { region: 'ap-southeast-1', availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'] } },
    'config.dr.region: is the same as primary.region (ap-southeast-1). Fix: choose a different region for disaster recovery'],
  ['a DR scale above 1', { dr: { nodeScale: 1.5 } }, 'config.dr.nodeScale: 1.5 is above 1. Fix: use a factor such as 0.5 (half the primary\'s nodes) or 1 (a hot standby)'],
  ['a DR scale of 0', { dr: { nodeScale: 0 } }, 'config.dr.nodeScale: 0 is below or at 0. Fix: use a factor such as 0.5 (half the primary\'s nodes) or 1 (a hot standby)'],
  ['a string where a boolean belongs', { dr: { enabled: 'false' } }, 'config.dr.enabled: is the string "false", not a boolean. Fix: use true or false'],
  // mesh
  ['service discovery with nothing to export', { mesh: { serviceDiscovery: { exportedNamespaces: [] } } },
    'config.mesh.serviceDiscovery.exportedNamespaces: lists 0 entries, at least 1 needed. Fix: name at least one namespace, or set serviceDiscovery.enabled to false'],
  ['a namespace that is not a Kubernetes name', { mesh: { serviceDiscovery: { exportedNamespaces: ['Payments'] } } },
    'config.mesh.serviceDiscovery.exportedNamespaces[0]: "Payments" is not valid here. Fix: use lowercase letters, digits and hyphens (a Kubernetes namespace name)'],
  ['the registry in a DR region that is off', { dr: { enabled: false }, mesh: { serviceDiscovery: { registry: 'dr' } } },
    'config.mesh.serviceDiscovery.registry: is dr, but dr.enabled is false. Fix: use primary, or enable the DR region'],
  ['service discovery with the mesh off', { mesh: { enabled: false, sampleApplication: false } },
    'config.mesh.serviceDiscovery.enabled: is true, but mesh.enabled is false: the Cloud Map namespaces and the MCS controller are installed with the mesh, so nothing would be discovered. Fix: set mesh.serviceDiscovery.enabled to false, or mesh.enabled to true'],
  // network
  ['a misspelled NAT key', { network: { natGateway: 'single' } }, 'config.network.natGateway: is not a setting of network. Fix: did you mean `natGateways`?'],
  ['an unknown NAT mode', { network: { natGateways: 'none' } }, 'config.network.natGateways: "none" is not allowed. Fix: use one of per-az, single'],
  ['a retention CloudWatch does not offer', { network: { flowLogRetentionDays: 45 } }, /^config\.network\.flowLogRetentionDays: 45 is not allowed\. Fix: use one of 1, 3, 5, 7, 14, 30/],
  // cluster
  ['a Kubernetes version without a kubectl layer', { cluster: { kubernetesVersion: '1.28' } }, 'config.cluster.kubernetesVersion: "1.28" is not allowed. Fix: use one of 1.36, 1.35'],
  ['an empty public CIDR allow-list', { cluster: { publicAccessCidrs: [] } },
    'config.cluster.publicAccessCidrs: lists 0 entries, at least 1 needed. Fix: list the CIDRs allowed to reach the API, for example your VPN egress'],
  ['the API endpoint open to the internet', { cluster: { publicAccessCidrs: ['0.0.0.0/0'] } },
    'config.cluster.publicAccessCidrs[0]: 0.0.0.0/0 opens the Kubernetes API endpoint to the whole internet. Fix: list only the CIDRs that need the API (your VPN or office egress), or set cluster.openEndpointAcknowledgement to the reason it must be open'],
  ['the API endpoint open to every IPv6 address', { cluster: { publicAccessCidrs: ['203.0.113.0/24', '::/0'] } },
    /^config\.cluster\.publicAccessCidrs\[1\]: ::\/0 opens the Kubernetes API endpoint to the whole internet\. Fix: /],
  ['an acknowledgement with nothing open', { cluster: { openEndpointAcknowledgement: 'demo' } },
    'config.cluster.openEndpointAcknowledgement: is set but no CIDR in publicAccessCidrs is open to the internet. Fix: remove the acknowledgement'],
  ['an IPv6 block EKS does not take', { cluster: { publicAccessCidrs: ['2001:db8::/32'] } },
    'config.cluster.publicAccessCidrs[0]: "2001:db8::/32" is an IPv6 block where an IPv4 block is needed. Fix: use an IPv4 block such as 203.0.113.0/24'],
  ['a user ARN where a role is expected', { cluster: { adminRoleArns: ['arn:aws:iam::123456789012:user/alice'] } },
    'config.cluster.adminRoleArns[0]: "arn:aws:iam::123456789012:user/alice" is not an IAM role ARN. Fix: give role ARNs like arn:aws:iam::123456789012:role/platform-admins'],
  ['a role listed twice', { cluster: { readOnlyRoleArns: ['arn:aws:iam::000000000000:role/R', 'arn:aws:iam::000000000000:role/R'] } },
    'config.cluster.readOnlyRoleArns[1]: "arn:aws:iam::000000000000:role/R" is listed twice (also at [0]). Fix: list each entry once'],
  ['a namespace with capitals', { cluster: { developerNamespaces: ['Dev'] } }, 'config.cluster.developerNamespaces[0]: "Dev" is not valid here. Fix: use lowercase letters, digits and hyphens (a Kubernetes namespace name)'],
  ['an instance type that does not exist', { cluster: { systemPool: { instanceTypes: ['m7i.huge'] } } },
    /^config\.cluster\.systemPool\.instanceTypes\[0\]: "m7i\.huge" is not an EC2 instance type\. Fix: m7i comes in .*\blarge\b/],
  ['a malformed instance type', { cluster: { systemPool: { instanceTypes: ['large'] } } },
    'config.cluster.systemPool.instanceTypes[0]: "large" is not an EC2 instance type. Fix: use a type EC2 offers, written family.size, for example m7i.large'],
  ['a duplicated instance type', { cluster: { appPool: { spotInstanceTypes: ['m7i.xlarge', 'm6i.xlarge', 'm7i.xlarge'] } } },
    'config.cluster.appPool.spotInstanceTypes[2]: "m7i.xlarge" is listed twice (also at [0]). Fix: list each entry once'],
  ['spot with one instance type', { cluster: { appPool: { spotInstanceTypes: ['m7i.xlarge'] } } },
    'config.cluster.appPool.spotInstanceTypes: lists 1 entry, at least 2 needed. Fix: list at least 2 (spot needs several types to find capacity)'],
  ['a spot share over 100', { cluster: { appPool: { spotPercentage: 150 } } }, 'config.cluster.appPool.spotPercentage: 150 is above 100. Fix: use a whole number from 0 to 100'],
  ['desired above max', { cluster: { appPool: { minSize: 1, desiredSize: 30, maxSize: 20 } } },
    'config.cluster.appPool: min 1, desired 30, max 20 are out of order. Fix: set 0 <= minSize <= desiredSize <= maxSize'],
  ['min above desired', { cluster: { systemPool: { minSize: 3, desiredSize: 2, maxSize: 4 } } },
    'config.cluster.systemPool: min 3, desired 2, max 4 are out of order. Fix: set 0 <= minSize <= desiredSize <= maxSize'],
  ['a fractional node count', { cluster: { systemPool: { maxSize: 2.5 } } }, /^config\.cluster\.systemPool\.maxSize: .* Fix: use a whole number, 0 or more$/],
  ['a GPU pool without a GPU type', { cluster: { gpuPool: { instanceTypes: ['m7i.xlarge'] } } },
    /^config\.cluster\.gpuPool\.instanceTypes\[0\]: "m7i\.xlarge" is not a GPU instance type \(family "m7i"\)\. Fix: use a GPU family: g4dn, g5/],
  ['a misspelled pool key', { cluster: { gpuPool: { maxsize: 2 } } }, 'config.cluster.gpuPool.maxsize: is not a setting of cluster.gpuPool. Fix: did you mean `maxSize`?'],
  // services
  ['an unknown node autoscaler', { services: { nodeAutoscaler: 'keda' } }, 'config.services.nodeAutoscaler: "keda" is not allowed. Fix: use one of cluster-autoscaler, karpenter'],
  ['a string where a boolean belongs (services)', { services: { keda: 'yes' } }, 'config.services.keda: is the string "yes", not a boolean. Fix: use true or false'],
  ['a misspelled service', { services: { metricServer: false } }, 'config.services.metricServer: is not a setting of services. Fix: did you mean `metricsServer`?'],
  // backups
  ['a backup schedule that is not cron', { backups: { schedule: 'daily' } },
    'config.backups.schedule: "daily" has 1 field(s); Velero takes five-field cron. Fix: use minute hour day-of-month month day-of-week, for example "0 3 * * *"'],
  ['a backup schedule out of range', { backups: { schedule: '0 25 * * *' } },
    'config.backups.schedule: "0 25 * * *" is not a valid cron schedule (Invalid value for hour: 25). Fix: check each field: minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-6'],
  ['a six-field (seconds) schedule', { backups: { schedule: '0 0 3 * * *' } }, /^config\.backups\.schedule: "0 0 3 \* \* \*" has 6 field\(s\); Velero takes five-field cron/],
  ['a TTL of zero days', { backups: { ttlDays: 0 } }, 'config.backups.ttlDays: 0 is below 1. Fix: keep backups for 1 to 3650 days'],
  // security
  ['an email that is not an email', { security: { securityAlertsEmail: 'security-at-example.com' } },
    'config.security.securityAlertsEmail: "security-at-example.com" is not an email address. Fix: give one address such as team@example.com'],
  ['a webhook URL instead of a secret name', { security: { slackWebhookSecretName: 'https://hooks.slack.example/x' } },
    'config.security.slackWebhookSecretName: looks like a webhook URL. Fix: store the URL in Secrets Manager and give the secret\'s name here'],
  ['an empty Slack secret name', { security: { slackWebhookSecretName: '' } }, 'config.security.slackWebhookSecretName: is an empty string. Fix: use a Secrets Manager secret name'],
  ['a cosign key that is not PEM', { security: { cosignPublicKey: 'ssh-ed25519 AAAA' } },
    'config.security.cosignPublicKey: "ssh-ed25519 AAAA" is not valid here. Fix: paste the contents of cosign.pub (-----BEGIN PUBLIC KEY----- ...)'],
  ['a list where a boolean belongs', { security: { guardDuty: [true] } }, 'config.security.guardDuty: is a list, not a boolean. Fix: use true or false'],
  ['a PEM-shaped cosign key that is not a key', { security: { cosignPublicKey: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEnotakeynotakeynotakeynotakeynotakeyAA\n-----END PUBLIC KEY-----\n' } },
    /^config\.security\.cosignPublicKey: is PEM-shaped but not a public key \(.+\)\. Fix: paste the contents of cosign\.pub \(-----BEGIN PUBLIC KEY----- \.\.\.\), whole and unchanged$/],
  ['a cosign key on a curve cosign does not sign with', { security: { cosignPublicKey: SECP256K1_KEY } },
    'config.security.cosignPublicKey: is an ec (secp256k1) key, which cosign does not sign with. Fix: use an ECDSA P-256/P-384/P-521, RSA or Ed25519 key (cosign generate-key-pair makes ECDSA P-256)'],
  // gitops
  ['a domain that is not a domain', { gitops: { domainName: 'not a domain' } }, 'config.gitops.domainName: "not a domain" is not valid here. Fix: use a lowercase DNS name such as platform.example.com'],
  ['a repo outside the org', { gitops: { repoUrl: 'https://github.com/someone-else/gitops' } },
    'config.gitops.repoUrl: "https://github.com/someone-else/gitops" is not an HTTPS repository of example-org. Fix: use https://github.com/example-org/<repo>'],
  ['a missing domain', { gitops: { domainName: undefined } }, /^config\.gitops\.domainName: is missing\. Fix: set it \(string\): use a lowercase DNS name/],
  ['a hosted zone that is not a zone id', { gitops: { hostedZoneId: 'platform.example.com' } },
    'config.gitops.hostedZoneId: "platform.example.com" is not valid here. Fix: use the Route 53 hosted zone id of domainName, such as Z0123456789ABCDEFGHIJ'],
  ['no Argo CD admin team', { gitops: { adminTeams: [] } }, /^config\.gitops\.adminTeams: .*Fix: list team slugs/],
  ['a team that is not a slug', { gitops: { adminTeams: ['Platform Admins'] } }, /^config\.gitops\.adminTeams\[0\]: "Platform Admins" is not valid here\. Fix: use the team slug/],
  ['a Slack channel with #', { gitops: { slackChannel: '#deploys' } }, 'config.gitops.slackChannel: "#deploys" is not valid here. Fix: use the channel name without #'],
  ['GitOps without External Secrets', { services: { externalSecrets: false } },
    'config.services.externalSecrets: is off, but gitops.enabled needs it (Argo CD\'s secrets come through External Secrets). Fix: turn services.externalSecrets on, or set gitops.enabled to false'],
  // observability
  ['an alert channel with #', { observability: { slackChannel: '#alerts' } }, 'config.observability.slackChannel: "#alerts" is not valid here. Fix: use the channel name without #'],
  ['an alert webhook URL instead of a secret name', { observability: { slackWebhookSecretName: 'https://hooks.slack.example/x' } },
    'config.observability.slackWebhookSecretName: looks like a webhook URL. Fix: store the URL in Secrets Manager and give the secret\'s name here'],
  ['a GitHub client id with spaces', { observability: { grafanaGithub: { clientId: 'my client' } } },
    /^config\.observability\.grafanaGithub\.clientId: "my client" is not valid here\. Fix: use the OAuth app's client ID as GitHub shows it/],
  ['GitHub sign-in without its secret name', { observability: { grafanaGithub: { clientSecretName: undefined } } },
    /^config\.observability\.grafanaGithub\.clientSecretName: is missing\. Fix: set it \(string\): use a Secrets Manager secret name/],
  ['an alert webhook with no External Secrets to read it', { ...WITHOUT_EXTERNAL_SECRETS, observability: { slackWebhookSecretName: 'keelson/dev/alerts-webhook' } },
    'config.observability.slackWebhookSecretName: is set, but services.externalSecrets is false: Alertmanager reads the webhook through External Secrets, so no alert would reach Slack. Fix: turn services.externalSecrets on, or remove observability.slackWebhookSecretName (critical alerts still go to security.securityAlertsEmail)'],
  ['a sampling ratio above 1', { observability: { tracesSamplingRatio: 2 } }, /^config\.observability\.tracesSamplingRatio: .*Fix: give a share from 0 to 1/],
  // finops
  ['a cost email that is not an email', { finops: { costAlertsEmail: 'finops@' } }, 'config.finops.costAlertsEmail: "finops@" is not an email address. Fix: give one address such as team@example.com'],
  ['an object where settings belong', { finops: 'finops@example.com' }, 'config.finops: is the string "finops@example.com", not an object. Fix: see keelson.config.schema.json'],
  ['a budget of nothing', { finops: { monthlyBudgetUsd: 0 } }, /^config\.finops\.monthlyBudgetUsd: .*Fix: give the monthly budget in US dollars, such as 2500$/],
  ['an anomaly threshold under a dollar', { finops: { anomalyThresholdUsd: 0.5 } }, /^config\.finops\.anomalyThresholdUsd: .*Fix: give a dollar amount of at least 1, such as 50$/],
  ['a legacy report switch that is not a switch', { finops: { legacyReport: 'yes' } }, /^config\.finops\.legacyReport: .*Fix: use true or false$/],
  ['an unknown cost engine', { finops: { costEngine: 'cloudability' } }, /^config\.finops\.costEngine: .*Fix: use one of kubecost, opencost, none$/],
  ['a sign-in endpoint over plain http', { finops: { costUiSignIn: { tokenEndpoint: 'http://login.example.com/oauth/token' } } },
    /^config\.finops\.costUiSignIn\.tokenEndpoint: .*Fix: give the https URL from the provider's \.well-known\/openid-configuration$/],
  ['cost UI sign-in without the load balancer controller', { services: { loadBalancerController: false }, gitops: { enabled: false } },
    'config.services.loadBalancerController: is off, but finops.costUiSignIn needs it (the cost UI is reached through an ALB Ingress). Fix: turn services.loadBalancerController on, or remove finops.costUiSignIn'],
];

/** A deep merge that keeps `undefined` (to delete a key), unlike the config's own merge. */
function withOverride(override: unknown): unknown {
  const merged = resolveConfig('dev', override as ConfigOverride) as any;
  const remove = (target: any, o: any) => {
    for (const [k, v] of Object.entries(o ?? {})) {
      if (v === undefined) delete target[k];
      else if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object') remove(target[k], v);
    }
  };
  remove(merged, override);
  return merged;
}

describe('config validation: every mistake named with its field and fix', () => {
  test('the table covers at least 40 mistakes across every section', () => {
    expect(MISTAKES.length).toBeGreaterThanOrEqual(40);
    const sections = new Set(MISTAKES.map(([, o]) => Object.keys(o as object)[0]));
    for (const section of ['primary', 'dr', 'network', 'cluster', 'services', 'backups', 'security', 'gitops', 'finops', 'owner']) expect(sections).toContain(section);
  });

  test.each(MISTAKES)('%s', (_name, override, expected) => {
    const lines = configProblems(withOverride(override)).map(formatProblem);
    expect(lines).toHaveLength(1);
    if (typeof expected === 'string') expect(lines[0]).toBe(expected);
    else expect(lines[0]).toMatch(expected);
  });

  test('every error is reported at once, in field order, one line each', () => {
    const all = Object.assign({}, ...MISTAKES.filter(([name]) => ['a misspelled NAT key', 'an empty owner'].includes(name)).map(([, o]) => o));
    const override = { ...all, backups: { schedule: '0 25 * * *' }, services: { keda: 'yes' }, cluster: { publicAccessCidrs: ['0.0.0.0/0'] } };
    const app = new App();
    let message = '';
    try {
      buildPlatform(app, withOverride(override) as PlatformConfig);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n').map((l) => l.split(':')[0])).toEqual([
      'config.owner', 'config.network.natGateway', 'config.cluster.publicAccessCidrs[0]', 'config.services.keda', 'config.backups.schedule',
    ]);
    // Nothing was built.
    expect(app.node.children).toHaveLength(0);
  });

  test('the documented example is valid on dev, and every environment with identities that are not examples; the open endpoint passes with its acknowledgement', () => {
    expect(() => validateConfig(DEFAULT_CONFIG)).not.toThrow();
    expect(configProblems(resolveConfig('dev'))).toEqual([]);
    for (const env of ['dev', 'staging', 'prod']) expect(configProblems(standInConfig(env))).toEqual([]);
    expect(configProblems(resolveConfig('dev', { cluster: { publicAccessCidrs: ['0.0.0.0/0'], openEndpointAcknowledgement: 'sandbox account, no data' } }))).toEqual([]);
    expect(configProblems(standInConfig('prod', { removalPolicy: 'destroy', productionDestroyAcknowledgement: 'decommissioning: backups exported to the archive account' }))).toEqual([]);
  });

  test('data is retained unless an environment chooses destroy: the default and staging retain, dev destroys explicitly', () => {
    expect(DEFAULT_CONFIG.removalPolicy).toBe('retain');
    expect(resolveConfig('staging').removalPolicy).toBe('retain');
    expect(resolveConfig('prod').removalPolicy).toBe('retain');
    expect(resolveConfig('dev').removalPolicy).toBe('destroy');
  });

  test('an unknown environment names the choices', () => {
    expect(() => resolveConfig('qa')).toThrow('config.environment: "qa" is not defined. Fix: use one of dev, staging, prod');
  });

  test('the config accepts exactly eks-core\'s supported Kubernetes versions, each with its kubectl layer, and defaults to eks-core\'s default', () => {
    expect(KUBERNETES_VERSION_NAMES).toEqual(PlatformKubernetesVersion.supported().map((v) => v.version));
    for (const name of KUBERNETES_VERSION_NAMES) {
      expect(PlatformKubernetesVersion.of(name).version).toBe(name);
      expect(PlatformKubernetesVersion.of(name).hasKubectlLayer).toBe(true);
    }
    expect(DEFAULT_CONFIG.cluster.kubernetesVersion).toBe(PlatformKubernetesVersion.DEFAULT.version);
  });
});

/**
 * Each example value of the documentation (example-values.ts), put back into
 * an otherwise valid prod config (the stand-in identities): the lines it must
 * produce, one per field that holds it.
 */
const EXAMPLE_REFUSALS: [string, ConfigOverride, [string, RegExp][]][] = [
  ['the example domain', { gitops: { domainName: 'platform.example.com' } }, [['gitops.domainName', /^"platform\.example\.com" is a documentation domain \(RFC 2606\)/]]],
  ['a name under example.org', { gitops: { domainName: 'eks.example.org' } }, [['gitops.domainName', /^"eks\.example\.org" is a documentation domain/]]],
  ['a mailbox at example.net', { security: { securityAlertsEmail: 'soc@alerts.example.net' } },
    [['security.securityAlertsEmail', /^"soc@alerts\.example\.net" holds alerts\.example\.net, which is a documentation domain/]]],
  ['the example cost mailbox', { finops: { costAlertsEmail: 'finops@example.com' } }, [['finops.costAlertsEmail', /^"finops@example\.com" holds example\.com, which is a documentation domain/]]],
  ['the example hosted zone', { gitops: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } },
    [['gitops.hostedZoneId', /^"Z0123456789ABCDEFGHIJ" is the example hosted zone id, no one's zone: an example value, refused on environment "prod"\. Fix: use the id of gitops\.domainName's hosted zone/]]],
  ['the example GitHub organization (and its repository)', { gitops: { githubOrg: 'example-org', repoUrl: 'https://github.com/example-org/platform-gitops' } }, [
    ['gitops.repoUrl', /^"https:\/\/github\.com\/example-org\/platform-gitops" holds example-org, which is the example GitHub organization/],
    ['gitops.githubOrg', /^"example-org" is the example GitHub organization: an example value, refused on environment "prod"\. Fix: use your GitHub organization/],
  ]],
  ['the example OIDC issuer', { finops: { costUiSignIn: { issuer: 'https://login.example.com' } } }, [['finops.costUiSignIn.issuer', /^"https:\/\/login\.example\.com" holds login\.example\.com/]]],
  ['the example OIDC authorization endpoint', { finops: { costUiSignIn: { authorizationEndpoint: 'https://login.example.com/authorize' } } },
    [['finops.costUiSignIn.authorizationEndpoint', /^"https:\/\/login\.example\.com\/authorize" holds login\.example\.com/]]],
  ['the example OIDC token endpoint', { finops: { costUiSignIn: { tokenEndpoint: 'https://login.example.com/oauth/token' } } },
    [['finops.costUiSignIn.tokenEndpoint', /^"https:\/\/login\.example\.com\/oauth\/token" holds login\.example\.com/]]],
  ['the example OIDC user info endpoint', { finops: { costUiSignIn: { userInfoEndpoint: 'https://login.example.com/userinfo' } } },
    [['finops.costUiSignIn.userInfoEndpoint', /^"https:\/\/login\.example\.com\/userinfo" holds login\.example\.com/]]],
  ['an admin role in the placeholder account', { cluster: { adminRoleArns: ['arn:aws:iam::000000000000:role/PlatformAdmin'] } },
    [['cluster.adminRoleArns[0]', /^"arn:aws:iam::000000000000:role\/PlatformAdmin" holds account 000000000000, which is the placeholder account, where no role exists.*Fix: use the ARN of a role in your account/]]],
  ['a developer role in the placeholder account', { cluster: { developerRoleArns: ['arn:aws:iam::000000000000:role/PlatformDeveloper'] } },
    [['cluster.developerRoleArns[0]', /holds account 000000000000/]]],
  ['a read-only role in the placeholder account', { cluster: { readOnlyRoleArns: ['arn:aws:iam::111111111111:role/R', 'arn:aws:iam::000000000000:role/PlatformReadOnly'] } },
    [['cluster.readOnlyRoleArns[1]', /holds account 000000000000/]]],
  ['the example cosign key', { security: { cosignPublicKey: DEFAULT_CONFIG.security.cosignPublicKey } },
    [['security.cosignPublicKey', /^the key is the documentation's example cosign key, whose private half was discarded \(Kyverno would refuse every image\): an example value, refused on environment "prod"\. Fix: paste your own cosign\.pub/]]],
  ['the example cosign key, re-wrapped', { security: { cosignPublicKey: `${DEFAULT_CONFIG.security.cosignPublicKey}\n` } }, [['security.cosignPublicKey', /^the key is the documentation's example cosign key/]]],
  ['the documentation range as the API allow-list', { cluster: { publicAccessCidrs: ['203.0.113.0/24'] } },
    [['cluster.publicAccessCidrs[0]', /^"203\.0\.113\.0\/24" is a documentation range \(RFC 5737\).*Fix: list the CIDRs that need this access/]]],
  ['the example GitHub OAuth client of Grafana', { observability: { grafanaGithub: { clientId: 'Iv1.0123456789abcdef', clientSecretName: 'keelson/prod/grafana-github' } } },
    [['observability.grafanaGithub.clientId', /^"Iv1\.0123456789abcdef" is the example OAuth client ID.*Fix: use the client ID of your GitHub OAuth app/]]],
];

describe('staging and prod refuse the documentation\'s example values, each field named with its fix', () => {
  test.each(EXAMPLE_REFUSALS)('%s', (_name, override, expected) => {
    const lines = configProblems(standInConfig('prod', override)).map(formatProblem);
    expect(lines).toHaveLength(expected.length);
    expected.forEach(([path, problem], i) => {
      const [head, rest] = [lines[i].slice(0, `config.${path}: `.length), lines[i].slice(`config.${path}: `.length)];
      expect(head).toBe(`config.${path}: `);
      expect(rest).toMatch(problem);
      expect(rest).toMatch(/: an example value, refused on environment "prod"\. Fix: .+ \(examples are accepted only on dev\)$/);
    });
  });

  test('staging refuses them too, an environment of any other name as well; dev accepts them', () => {
    const example = { gitops: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } };
    expect(configProblems(standInConfig('staging', example)).map(formatProblem)).toEqual([expect.stringMatching(/^config\.gitops\.hostedZoneId: .* refused on environment "staging"\./)]);
    expect(configProblems(resolveConfig('dev', { ...DEV_AS_PRODUCTION, environment: 'qa', gitops: { ...STAND_IN_IDENTITY.gitops as object, ...example.gitops } })).map((p) => p.path)).toEqual(['gitops.hostedZoneId']);
    expect(configProblems(standInConfig('dev', example))).toEqual([]);
  });

  test('a field the schema refuses is named once, by the schema', () => {
    expect(configProblems(standInConfig('prod', { cluster: { adminRoleArns: ['arn:aws:iam::000000000000:user/alice'] } })).map((p) => p.path)).toEqual(['cluster.adminRoleArns[0]']);
  });
});

describe('settings that would do nothing, with a lower layer behind them: warnings', () => {
  const config = resolveConfig('dev', WITHOUT_EXTERNAL_SECRETS as ConfigOverride);

  test('each is named with its field and what would make it work; the config is valid', () => {
    expect(configProblems(config)).toEqual([]);
    expect(configWarnings(config).map(formatProblem)).toEqual([
      'config.security.slackWebhookSecretName: reaches the security baseline\'s alerts only: services.externalSecrets is false, so Falco and Alertmanager cannot read the webhook, and cluster alerts go to security.securityAlertsEmail only. Fix: turn services.externalSecrets on for cluster alerts in Slack',
      'config.observability.grafanaGithub: has no effect: services.externalSecrets is false, and Grafana reads the OAuth client secret through External Secrets, so Grafana keeps its admin login. Fix: turn services.externalSecrets on for GitHub sign-in to Grafana',
      'config.finops.costUiSignIn: has no effect: finops.costEngine is none, so there is no cost UI to sign in to. Fix: set finops.costEngine to kubecost or opencost for a cost UI behind this sign-in; otherwise nothing reads it',
    ]);
    expect(configWarnings(resolveConfig('dev'))).toEqual([]);
    // An invalid config reports its errors, not warnings.
    expect(configWarnings(resolveConfig('dev', { ...WITHOUT_EXTERNAL_SECRETS, owner: '' } as ConfigOverride))).toEqual([]);
  });

  test('synth carries them as warnings on the primary cluster stack', () => {
    const platform = buildPlatform(new App(), { ...config, dr: { ...config.dr, enabled: false } });
    const warnings = platform.primaryCluster.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual(configWarnings(config).map((w) => expect.stringContaining(formatProblem(w))));
  });
});

describe('node autoscaler', () => {
  // Construction only (no synth): which node groups each choice creates, in both clusters.
  const nodeGroupsOf = (nodeAutoscaler: 'cluster-autoscaler' | 'karpenter') => {
    const app = new App();
    const platform = buildPlatform(app, resolveConfig('dev', { services: { nodeAutoscaler } }));
    const clusters = app.node.findAll().filter((c): c is PlatformCluster => c instanceof PlatformCluster);
    return { platform, groups: clusters.map((c) => Object.keys(c.nodePools).sort()) };
  };

  test('karpenter: only the system pool is a managed node group in both clusters, and no warning of doubled pools', () => {
    const { platform, groups } = nodeGroupsOf('karpenter');
    expect(groups).toEqual([['system'], ['system']]);
    const warnings = platform.stacks.flatMap((s) => s.node.findAll()).flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning');
    expect(warnings).toEqual([]);
  });

  test('cluster-autoscaler: system, app (on-demand + spot) and gpu managed node groups in both clusters', () => {
    expect(nodeGroupsOf('cluster-autoscaler').groups).toEqual([
      ['app-on-demand', 'app-spot', 'gpu', 'system'], ['app-on-demand', 'app-spot', 'gpu', 'system'],
    ]);
  });
});

describe('config sources', () => {
  test('environments override the defaults field by field', () => {
    const prod = resolveConfig('prod');
    expect(prod).toMatchObject({ environmentSuffix: 'prod', removalPolicy: 'retain', primary: { region: 'ap-southeast-1', vpcCidr: '10.20.0.0/16' } });
    expect(prod.cluster.appPool).toMatchObject({ minSize: 4, desiredSize: 6, maxSize: 40, spotPercentage: 50 });
    expect(prod.dr.nodeScale).toBe(1);
    expect(resolveConfig('dev').network.natGateways).toBe('single');
  });

  test('context picks the environment and the account; CDK_DEFAULT_ACCOUNT is the fallback', () => {
    const app = new App({ context: { 'keelson:environment': 'staging', 'keelson:account': '123456789012' } });
    expect(configFromContext(app.node, {})).toMatchObject({ environment: 'staging', account: '123456789012' });
    expect(configFromContext(new App().node, { CDK_DEFAULT_ACCOUNT: '210987654321' }).account).toBe('210987654321');
    expect(configFromContext(new App().node, {}).account).toBe('000000000000');
  });

  test('context overrides any part of the config as JSON, and a bad value names the key', () => {
    const app = new App({ context: { 'keelson:overrides': '{"dr":{"enabled":false},"cluster":{"gpuPool":{"enabled":false}}}' } });
    const config = configFromContext(app.node, {});
    expect(config.dr).toMatchObject({ enabled: false, region: 'us-west-2' });
    expect(config.cluster.gpuPool.enabled).toBe(false);
    expect(() => configFromContext(new App({ context: { 'keelson:overrides': '{dr:' } }).node, {}))
      .toThrow(/^context\.keelson:overrides: is not JSON .* Fix: pass an object/);
  });
});

describe('removalPolicy retain (prod) reaches every stateful resource', () => {
  // The one synth of this file, through the proof harness: CloudFormation validation reuses each
  // stack's report while its template is unchanged. No nag pack: platform.test.ts gates the app.
  const app = proofApp({ nagPacks: [] });
  const platform = buildPlatform(app, standInConfig('prod', { dr: { enabled: false } }));

  test('buckets, log groups, keys and queues are retained; stacks are termination-protected', () => {
    const stateful = platform.stacks.flatMap((stack) => Object.entries<any>(Template.fromStack(stack).toJSON().Resources)
      .filter(([, r]) => STATEFUL_TYPES.includes(r.Type))
      .map(([id, r]) => `${stack.stackName}/${id} ${r.Type} ${r.DeletionPolicy}`));
    expect(stateful.length).toBeGreaterThan(5);
    expect(stateful.filter((s) => !s.endsWith(' Retain'))).toEqual([]);
    expect(platform.stacks.every((s) => s.terminationProtection)).toBe(true);
    expect(platform.dr).toBeUndefined();
  });
});
