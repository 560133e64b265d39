import * as fs from 'fs';
import * as path from 'path';
import { PriceTable } from './price-table';

/** Assumptions of a {@link PlatformCostEstimate}. */
export interface CostEstimateOptions {
  /**
   * The price table.
   *
   * @default PriceTable.DEFAULT
   */
  readonly prices?: PriceTable;

  /**
   * Hours in a month.
   *
   * @default 730
   */
  readonly hoursPerMonth?: number;

  /**
   * Spot price as a discount on the on-demand price, in percent. Spot prices
   * move by the hour and by zone; this is an assumption, stated in every
   * spot line. The default follows the AWS Auto Scaling user guide's example
   * table ("Spot price per unit hour example", example prices, not current),
   * where spot costs about half of on-demand; AWS's Spot pricing page says
   * "up to 90%".
   *
   * @default 50
   */
  readonly spotDiscountPercent?: number;

  /**
   * Log data assumed ingested into each CloudWatch Logs log group a month,
   * in GB (log ingestion depends on traffic; this makes its floor visible).
   *
   * @default 1
   */
  readonly logGbPerGroupMonth?: number;
}

/** One line of the estimate: one kind of thing in one stack. */
export interface CostLine {
  /** The stack (its name in the cloud assembly). */
  readonly stack: string;
  /** The stack's region. */
  readonly region: string;
  /** What is counted (`EKS control plane`, `NAT gateways`, `node group <id> (m7i.large, on-demand)`...). */
  readonly what: string;
  /** How many (clusters, gateways, endpoint-AZs, instances, keys, GB). */
  readonly quantity: number;
  /** The monthly cost in US dollars; 0 for a line that is not a fixed cost (`fixed` false). */
  readonly monthlyUsd: number;
  /** Whether the line is part of the fixed monthly total. */
  readonly fixed: boolean;
  /** The price's table entry (`item@region`), or why the line has no price. */
  readonly price: string;
  /**
   * An assumption or caveat: a price taken from another region, a spot discount, a usage-based service.
   *
   * @default - none
   */
  readonly note?: string;
}

/** The estimate of a cloud assembly. */
export interface CostEstimateReport {
  /** Every line, by stack. */
  readonly lines: CostLine[];
  /** Fixed monthly total per region, US dollars. */
  readonly byRegion: { [region: string]: number };
  /** Fixed monthly total per stack, US dollars. */
  readonly byStack: { [stack: string]: number };
  /** Fixed monthly total, US dollars. */
  readonly totalUsd: number;
  /** The lines priced at another region's price (the table lacks the stack region's). */
  readonly borrowedPrices: number;
}

interface StackTemplate {
  readonly name: string;
  readonly region: string;
  readonly template: any;
}

/**
 * The fixed monthly cost of a synthesized platform, read from its cloud
 * assembly (`cdk.out`): EKS control planes, NAT gateways, interface
 * endpoints (per AZ), managed node groups at their desired size (on-demand,
 * and spot at an assumed discount), load balancers (CloudFormation's, and the
 * ALBs that Ingresses of class `alb` in the cluster's manifests and Helm
 * values will create), Private CAs, KMS keys and a log-ingestion floor. What
 * is usage-based (GuardDuty, Security Hub, data processed, Karpenter's
 * run-time capacity) is listed, not priced.
 *
 * Hand-written: the CDK cost tools in the ecosystem price through the live
 * Price List API, which needs network access and credentials at synth; this
 * reads the templates offline with a checked-in table.
 */
export class PlatformCostEstimate {
  /**
   * Estimate the stacks of the cloud assembly in `assemblyDir`.
   *
   * @param assemblyDir the cloud assembly (`cdk.out`)
   * @param options assumptions and the price table
   */
  public static fromAssembly(assemblyDir: string, options: CostEstimateOptions = {}): CostEstimateReport {
    return PlatformCostEstimate.estimate(readAssembly(assemblyDir), options);
  }

  /**
   * The estimate as a text table: per region, per stack, each line with its
   * price's source key, then the assumptions and the sources.
   */
  public static format(report: CostEstimateReport, options: CostEstimateOptions = {}): string {
    const prices = options.prices ?? PriceTable.DEFAULT;
    const usd = (n: number) => `$${n.toFixed(2)}`;
    const out: string[] = [];
    const regions = Object.keys(report.byRegion).sort();
    for (const region of regions) {
      out.push(`${region}: ${usd(report.byRegion[region])} / month`);
      const stacks = [...new Set(report.lines.filter((l) => l.region === region).map((l) => l.stack))].sort();
      for (const stack of stacks) {
        out.push(`  ${stack}: ${usd(report.byStack[stack] ?? 0)} / month`);
        for (const l of report.lines.filter((x) => x.stack === stack)) {
          const cost = l.fixed ? usd(l.monthlyUsd).padStart(10) : '     usage';
          out.push(`    ${cost}  ${l.quantity} x ${l.what} [${l.price}]${l.note ? ` (${l.note})` : ''}`);
        }
      }
    }
    out.push(`Total fixed: ${usd(report.totalUsd)} / month`);
    if (report.borrowedPrices > 0) out.push(`${report.borrowedPrices} line(s) use the us-east-1 price: the table has no price for their region (marked "us-east-1 price").`);
    out.push('', 'Prices used:');
    const used = new Set(report.lines.map((l) => l.price).filter((p) => p.includes('@')));
    for (const e of prices.entries) {
      const key = `${e.item}@${e.region}`;
      if (used.has(key)) out.push(`  ${key} = $${e.usd}/${e.unit} (${e.sourceDate}): ${e.source}`);
    }
    return out.join('\n');
  }

  /** Estimate templates already read (`{ name, region, template }` each). */
  private static estimate(stacks: StackTemplate[], options: CostEstimateOptions): CostEstimateReport {
    const prices = options.prices ?? PriceTable.DEFAULT;
    const hours = options.hoursPerMonth ?? 730;
    const spotDiscount = options.spotDiscountPercent ?? 50;
    const logGb = options.logGbPerGroupMonth ?? 1;
    if (!(hours > 0 && hours <= 744)) throw new Error(`PlatformCostEstimate: invalid hoursPerMonth: ${hours}. Fix: use 1 to 744 (730 is the average month)`);
    if (!(spotDiscount >= 0 && spotDiscount < 100)) throw new Error(`PlatformCostEstimate: invalid spotDiscountPercent: ${spotDiscount}. Fix: use 0 to 99`);
    if (!(logGb >= 0)) throw new Error(`PlatformCostEstimate: invalid logGbPerGroupMonth: ${logGb}. Fix: use a number of GB, 0 or more`);

    const lines: CostLine[] = [];
    let borrowed = 0;
    for (const s of stacks) {
      const resources: Record<string, any> = s.template.Resources ?? {};
      const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
      const priced = (what: string, quantity: number, item: string, perUnitMonth: (usd: number) => number, note?: string) => {
        if (quantity === 0) return;
        const p = prices.lookup(item, s.region);
        if (!p) {
          lines.push({ stack: s.name, region: s.region, what, quantity, monthlyUsd: 0, fixed: false, price: `no price for ${item}`, note });
          return;
        }
        const elsewhere = p.region !== '*' && p.region !== s.region;
        if (elsewhere) borrowed++;
        const notes = [note, elsewhere ? 'us-east-1 price' : undefined].filter((x) => x).join('; ');
        lines.push({
          stack: s.name,
          region: s.region,
          what,
          quantity,
          monthlyUsd: round(quantity * perUnitMonth(p.usd)),
          fixed: true,
          price: `${p.item}@${p.region}`,
          note: notes || undefined,
        });
      };
      const hourly = (usd: number) => usd * hours;
      const usage = (what: string, quantity: number, note: string) => {
        if (quantity > 0) lines.push({ stack: s.name, region: s.region, what, quantity, monthlyUsd: 0, fixed: false, price: 'usage-based', note });
      };

      const clusters = ofType('AWS::EKS::Cluster');
      priced('EKS control plane', clusters.length, 'eks-cluster-hour', hourly);
      priced('NAT gateway', ofType('AWS::EC2::NatGateway').length, 'nat-gateway-hour', hourly);
      const endpointAzs = ofType('AWS::EC2::VPCEndpoint')
        .filter(([, r]) => r.Properties?.VpcEndpointType === 'Interface')
        .reduce((n, [, r]) => n + (Array.isArray(r.Properties.SubnetIds) ? r.Properties.SubnetIds.length : 1), 0);
      priced('interface endpoint-AZ', endpointAzs, 'interface-endpoint-az-hour', hourly);

      for (const [id, r] of ofType('AWS::EKS::Nodegroup')) {
        const p = r.Properties ?? {};
        const desired = Number(p.ScalingConfig?.DesiredSize ?? 0);
        const types: string[] = Array.isArray(p.InstanceTypes) ? p.InstanceTypes.filter((t: any) => typeof t === 'string') : [];
        const spot = p.CapacityType === 'SPOT';
        if (types.length === 0) {
          lines.push({ stack: s.name, region: s.region, what: `node group ${id}`, quantity: desired, monthlyUsd: 0, fixed: false, price: 'no instance type in the template' });
          continue;
        }
        const what = `${types[0]} in node group ${id} (${spot ? 'spot' : 'on-demand'})`;
        const note = spot ? `spot at ${spotDiscount}% off on-demand, priced as ${types[0]}, the first of ${types.join(', ')}` : undefined;
        priced(what, desired, `ec2:${types[0]}-hour`, (usd) => hourly(usd) * (spot ? 1 - spotDiscount / 100 : 1), note);
      }

      const cfnAlbs = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').filter(([, r]) => (r.Properties?.Type ?? 'application') === 'application').length;
      priced('Application Load Balancer', cfnAlbs, 'alb-hour', hourly, 'hourly charge; LCUs are usage');
      const ingressAlbs = ingressLoadBalancers(resources);
      priced('ALB from Ingresses of class alb', ingressAlbs, 'alb-hour', hourly, 'created by the AWS Load Balancer Controller; hourly charge, LCUs are usage');

      for (const mode of ['GENERAL_PURPOSE', 'SHORT_LIVED_CERTIFICATE']) {
        const cas = ofType('AWS::ACMPCA::CertificateAuthority').filter(([, r]) => (r.Properties?.UsageMode ?? 'GENERAL_PURPOSE') === mode).length;
        priced(`Private CA (${mode === 'GENERAL_PURPOSE' ? 'general-purpose' : 'short-lived certificates'})`, cas,
          mode === 'GENERAL_PURPOSE' ? 'private-ca-general-purpose-month' : 'private-ca-short-lived-month', (usd) => usd);
      }
      priced('KMS customer managed key', ofType('AWS::KMS::Key').length, 'kms-key-month', (usd) => usd, 'rotated keys add $1 per backing key after the first rotation');
      const logGroups = ofType('AWS::Logs::LogGroup').length
        + clusters.filter(([, r]) => (r.Properties?.Logging?.ClusterLogging?.EnabledTypes ?? []).length > 0).length;
      priced('GB of log ingestion (assumed)', logGroups * logGb, 'logs-ingestion-gb', (usd) => usd, `${logGb} GB a month assumed for each of ${logGroups} log group(s)`);

      usage('GuardDuty detector', ofType('AWS::GuardDuty::Detector').length, 'billed by events and data analysed; no fixed fee');
      usage('Security Hub', ofType('AWS::SecurityHub::Hub').length, 'billed by security checks and findings ingested; no fixed fee');
      usage('Karpenter NodePool', kubernetesObjects(resources).filter((o) => o.kind === 'NodePool').length, 'nodes launched at run time, not at deploy');
    }

    const byRegion: { [region: string]: number } = {};
    const byStack: { [stack: string]: number } = {};
    for (const s of stacks) {
      byRegion[s.region] = byRegion[s.region] ?? 0;
      byStack[s.name] = 0;
    }
    for (const l of lines) {
      byRegion[l.region] = round(byRegion[l.region] + l.monthlyUsd);
      byStack[l.stack] = round(byStack[l.stack] + l.monthlyUsd);
    }
    const totalUsd = round(lines.reduce((n, l) => n + l.monthlyUsd, 0));
    return { lines, byRegion, byStack, totalUsd, borrowedPrices: borrowed };
  }

  private constructor() {}
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The CloudFormation stacks of a cloud assembly, with their regions. */
function readAssembly(dir: string): StackTemplate[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`PlatformCostEstimate: invalid assemblyDir: ${dir} has no manifest.json. Fix: synthesize first (npm run synth) and pass the cdk.out directory`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const out: StackTemplate[] = [];
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly') {
      out.push(...readAssembly(path.join(dir, artifact.properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const region = String(artifact.environment ?? '').split('/').pop() ?? '';
    if (!region || region === 'unknown-region') {
      throw new Error(`PlatformCostEstimate: stack ${name} has no region. Fix: give the stack env.region, so its prices can be looked up`);
    }
    const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8'));
    out.push({ name: artifact.displayName ?? name, region, template });
  }
  return out;
}

/** Kubernetes objects the template applies (manifests), with deploy-time values left as they are. */
function kubernetesObjects(resources: Record<string, any>): any[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
    .flatMap((r) => {
      try {
        return JSON.parse(flatten(r.Properties.Manifest)) as any[];
      } catch {
        return [];
      }
    });
}

/**
 * ALBs the AWS Load Balancer Controller will create: one per IngressGroup
 * (`alb.ingress.kubernetes.io/group.name`) or per Ingress without one, over
 * the Ingress manifests and the Helm values that enable an Ingress of class `alb`.
 */
function ingressLoadBalancers(resources: Record<string, any>): number {
  const groups = new Set<string>();
  let ungrouped = 0;
  const add = (annotations: Record<string, any> | undefined) => {
    const group = annotations?.['alb.ingress.kubernetes.io/group.name'];
    if (typeof group === 'string') groups.add(group);
    else ungrouped++;
  };
  for (const o of kubernetesObjects(resources)) {
    if (o.kind === 'Ingress' && o.spec?.ingressClassName === 'alb') add(o.metadata?.annotations);
  }
  for (const r of Object.values(resources)) {
    if (r.Type !== 'Custom::AWSCDK-EKS-HelmChart' || r.Properties?.Values === undefined) continue;
    let values: any;
    try {
      values = JSON.parse(flatten(r.Properties.Values));
    } catch {
      continue;
    }
    walk(values, (node) => {
      if (node.enabled === true && (node.ingressClassName === 'alb' || node.className === 'alb')) add(node.annotations);
    });
  }
  return groups.size + ungrouped;
}

function walk(node: any, visit: (node: any) => void): void {
  if (!node || typeof node !== 'object') return;
  if (!Array.isArray(node)) visit(node);
  for (const v of Object.values(node)) walk(v, visit);
}

function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value && Array.isArray(value['Fn::Join'])) {
    const [sep, parts] = value['Fn::Join'];
    return (parts as any[]).map((p) => (typeof p === 'string' ? p : 'RESOLVED-AT-DEPLOY')).join(sep);
  }
  throw new Error('not a string');
}
