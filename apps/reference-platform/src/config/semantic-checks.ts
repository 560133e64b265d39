import { Cidr, VpcCidrRule } from '@keelson/conventions';
import { exampleValueProblems } from './example-values';
import type { PlatformConfig } from './platform-config';

/** Environment names treated as production (`environment`, the Environment tag). */
export const PRODUCTION_ENVIRONMENTS: readonly string[] = ['prod', 'production'];

/** One invalid field: its dotted path (without `config.`), what is wrong, and the fix. */
export interface ConfigProblem {
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * Checks across fields, which no single field's schema can make. They run on
 * the input even when other fields are invalid, so one run reports every
 * error; a check runs only when every field it reads passed the schema
 * (`valid(path)`), so it never reports a consequence of another error.
 */
export function semanticChecks(config: PlatformConfig, valid: (...paths: string[]) => boolean): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (path: string, problem: string, fix: string) => out.push({ path, problem, fix });

  if (valid('primary.region', 'dr.region') && config.primary.region === config.dr.region) {
    add('dr.region', `is the same as primary.region (${config.primary.region})`, 'choose a different region for disaster recovery');
  }
  for (const role of ['primary', 'dr'] as const) {
    const region = config[role];
    if (valid(`${role}.region`, `${role}.availabilityZones`)) {
      region.availabilityZones.forEach((az, i) => {
        if (!new RegExp(`^${region.region}[a-z]$`).test(az)) {
          add(`${role}.availabilityZones[${i}]`, `"${az}" is not a zone of ${region.region}`, `use zones such as ${region.region}a`);
        }
      });
    }
    if (valid(`${role}.vpcCidr`, `${role}.availabilityZones`)) {
      // The network construct's own rule (conventions), with the construct's default subnet masks.
      const problem = VpcCidrRule.problems(region.vpcCidr, { availabilityZoneCount: region.availabilityZones.length }).find((p) => p.field === 'cidr');
      if (problem) add(`${role}.vpcCidr`, problem.problem, problem.fix);
    }
  }
  if (valid('primary.vpcCidr', 'dr.vpcCidr') && Cidr.overlaps(config.primary.vpcCidr, config.dr.vpcCidr)) {
    add('dr.vpcCidr', `${config.dr.vpcCidr} overlaps primary.vpcCidr ${config.primary.vpcCidr}`, 'pick non-overlapping ranges, for example 10.0.0.0/16 and 10.1.0.0/16');
  }

  const pools = ['systemPool', 'appPool', 'gpuPool'] as const;
  for (const pool of pools) {
    const p = `cluster.${pool}`;
    if (valid(`${p}.minSize`, `${p}.desiredSize`, `${p}.maxSize`)) {
      const { minSize, desiredSize, maxSize } = config.cluster[pool];
      if (minSize > desiredSize || desiredSize > maxSize) {
        add(p, `min ${minSize}, desired ${desiredSize}, max ${maxSize} are out of order`, 'set 0 <= minSize <= desiredSize <= maxSize');
      } else if (maxSize === 0 && !(pool === 'gpuPool' && !config.cluster.gpuPool.enabled)) {
        add(`${p}.maxSize`, 'is 0, so the pool can never run a node', pool === 'gpuPool' ? 'raise maxSize, or set gpuPool.enabled to false' : 'raise maxSize to at least 1');
      }
    }
  }

  if (valid('cluster.publicAccessCidrs', 'cluster.openEndpointAcknowledgement')) {
    const { publicAccessCidrs, openEndpointAcknowledgement } = config.cluster;
    let open = 0;
    publicAccessCidrs.forEach((c, i) => {
      if (Cidr.isAllAddresses(c)) {
        open++;
        if (!openEndpointAcknowledgement) {
          add(`cluster.publicAccessCidrs[${i}]`, `${c} opens the Kubernetes API endpoint to the whole internet`,
            'list only the CIDRs that need the API (your VPN or office egress), or set cluster.openEndpointAcknowledgement to the reason it must be open');
          return;
        }
      }
      // EKS takes IPv4 blocks only for the public endpoint.
      const problem = Cidr.problem(c, 4);
      if (problem) add(`cluster.publicAccessCidrs[${i}]`, problem.problem, 'use an IPv4 block such as 203.0.113.0/24');
    });
    if (openEndpointAcknowledgement !== undefined && open === 0) {
      add('cluster.openEndpointAcknowledgement', 'is set but no CIDR in publicAccessCidrs is open to the internet', 'remove the acknowledgement');
    }
  }

  if (valid('environment', 'removalPolicy', 'productionDestroyAcknowledgement')) {
    // destroy also drops termination protection, so on production it must be deliberate.
    const production = PRODUCTION_ENVIRONMENTS.includes(config.environment);
    const destroys = production && config.removalPolicy === 'destroy';
    if (destroys && !config.productionDestroyAcknowledgement) {
      add('removalPolicy', `is destroy on the production environment "${config.environment}": cdk destroy (or a replaced resource) would delete its buckets, keys and logs, and its stacks lose termination protection`,
        'use retain, or set productionDestroyAcknowledgement to the reason this production platform may lose its data');
    } else if (!destroys && config.productionDestroyAcknowledgement !== undefined) {
      add('productionDestroyAcknowledgement', `is set but ${production ? 'removalPolicy is retain' : `environment "${config.environment}" is not production`}`, 'remove the acknowledgement');
    }
  }

  if (valid('gitops.githubOrg', 'gitops.repoUrl')) {
    const { githubOrg, repoUrl } = config.gitops;
    if (!new RegExp(`^https://github\\.com/${githubOrg}/[\\w.-]+?(\\.git)?$`).test(repoUrl)) {
      add('gitops.repoUrl', `"${repoUrl}" is not an HTTPS repository of ${githubOrg}`, `use https://github.com/${githubOrg}/<repo>`);
    }
  }
  if (valid('gitops.enabled', 'services.externalSecrets', 'services.loadBalancerController') && config.gitops.enabled) {
    for (const service of ['externalSecrets', 'loadBalancerController'] as const) {
      if (!config.services[service]) {
        add(`services.${service}`, `is off, but gitops.enabled needs it (${service === 'externalSecrets' ? 'Argo CD\'s secrets come through External Secrets' : 'Argo CD is reached through an ALB Ingress'})`,
          `turn services.${service} on, or set gitops.enabled to false`);
      }
    }
  }
  if (valid('finops.enabled', 'finops.costEngine', 'finops.costUiSignIn', 'services.externalSecrets', 'services.loadBalancerController')
    && config.finops.enabled && config.finops.costEngine !== 'none' && config.finops.costUiSignIn) {
    for (const service of ['externalSecrets', 'loadBalancerController'] as const) {
      // One message per field: GitOps' check above names it already when both need the service.
      if (!config.services[service] && !out.some((p) => p.path === `services.${service}`)) {
        add(`services.${service}`, `is off, but finops.costUiSignIn needs it (${service === 'externalSecrets' ? 'the OIDC client comes through External Secrets' : 'the cost UI is reached through an ALB Ingress'})`,
          `turn services.${service} on, or remove finops.costUiSignIn`);
      }
    }
  }
  if (valid('mesh.serviceDiscovery.enabled', 'mesh.serviceDiscovery.registry', 'dr.enabled') && config.mesh.serviceDiscovery.enabled
    && config.mesh.serviceDiscovery.registry === 'dr' && !config.dr.enabled) {
    add('mesh.serviceDiscovery.registry', 'is dr, but dr.enabled is false', 'use primary, or enable the DR region');
  }

  // Settings that would do nothing. A boolean the user can flip is refused; where the ignored setting may
  // come from a lower layer (defaults, the environment) that no layer can remove, it is a warning instead.
  if (valid('mesh.enabled', 'mesh.serviceDiscovery.enabled') && !config.mesh.enabled && config.mesh.serviceDiscovery.enabled) {
    add('mesh.serviceDiscovery.enabled', 'is true, but mesh.enabled is false: the Cloud Map namespaces and the MCS controller are installed with the mesh, so nothing would be discovered',
      'set mesh.serviceDiscovery.enabled to false, or mesh.enabled to true');
  }
  if (valid('services.externalSecrets', 'observability.slackWebhookSecretName') && !config.services.externalSecrets && config.observability.slackWebhookSecretName) {
    add('observability.slackWebhookSecretName', 'is set, but services.externalSecrets is false: Alertmanager reads the webhook through External Secrets, so no alert would reach Slack',
      'turn services.externalSecrets on, or remove observability.slackWebhookSecretName (critical alerts still go to security.securityAlertsEmail)');
  }

  if (valid('mesh.sampleApplication', 'mesh.enabled', 'services.loadBalancerController') && config.mesh.sampleApplication) {
    if (!config.mesh.enabled) {
      add('mesh.sampleApplication', 'is true, but mesh.enabled is false: there is no mesh to run it in', 'set mesh.enabled to true, or mesh.sampleApplication to false');
    } else if (!config.services.loadBalancerController && !out.some((p) => p.path === 'services.loadBalancerController')) {
      // One message per field, as above.
      add('services.loadBalancerController', 'is off, but mesh.sampleApplication needs it (its gateway is reached through an NLB the controller provisions)',
        'turn services.loadBalancerController on, or set mesh.sampleApplication to false');
    }
  }

  if (valid('environment')) out.push(...exampleValueProblems(config, (path) => valid(path)));
  return out;
}

/**
 * Settings that do nothing with the rest of the config, but may come from a
 * lower layer (the defaults, the environment) that no config layer can
 * remove: refusing them would leave the switch that turned them off unusable,
 * so each is named with what it would take to make it work. Run on a valid
 * config only.
 */
export function semanticWarnings(config: PlatformConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (path: string, problem: string, fix: string) => out.push({ path, problem, fix });
  if (config.finops.enabled && config.finops.costEngine === 'none' && config.finops.costUiSignIn) {
    add('finops.costUiSignIn', 'has no effect: finops.costEngine is none, so there is no cost UI to sign in to',
      'set finops.costEngine to kubecost or opencost for a cost UI behind this sign-in; otherwise nothing reads it');
  }
  if (!config.services.externalSecrets) {
    if (config.observability.grafanaGithub) {
      add('observability.grafanaGithub', 'has no effect: services.externalSecrets is false, and Grafana reads the OAuth client secret through External Secrets, so Grafana keeps its admin login',
        'turn services.externalSecrets on for GitHub sign-in to Grafana');
    }
    if (config.security.slackWebhookSecretName) {
      add('security.slackWebhookSecretName', 'reaches the security baseline\'s alerts only: services.externalSecrets is false, so Falco and Alertmanager cannot read the webhook, and cluster alerts go to security.securityAlertsEmail only',
        'turn services.externalSecrets on for cluster alerts in Slack');
    }
  }
  return out;
}
