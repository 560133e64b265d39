/**
 * One list price of the checked-in table, with where it was read.
 */
export interface PriceEntry {
  /**
   * What is priced: `eks-cluster-hour`, `nat-gateway-hour`, `interface-endpoint-az-hour`,
   * `alb-hour`, `kms-key-month`, `private-ca-general-purpose-month`,
   * `private-ca-short-lived-month`, `logs-ingestion-gb`, or `ec2:<instance type>-hour`
   * (Linux, on-demand, shared tenancy).
   */
  readonly item: string;
  /** The region the price is for, or `*` when AWS publishes one price for every commercial region. */
  readonly region: string;
  /** The price in US dollars per unit. */
  readonly usd: number;
  /** The unit (`hour`, `month`, `GB`). */
  readonly unit: string;
  /**
   * Where the price was read. A source that is not AWS's own page or AWS's
   * own tooling says so, starting with `third-party:`.
   */
  readonly source: string;
  /** When the source states (or was generated on) this price, `YYYY-MM-DD` or `YYYY-MM`. */
  readonly sourceDate: string;
}

// Sources, once each. Nothing below is from memory: each figure was read in the source it names.
const EKS_BLOG = 'AWS Containers blog, "Amazon EKS extended support for Kubernetes versions pricing": standard support "$0.10 per cluster per hour"';
const PCA_PAGE = 'https://aws.amazon.com/private-ca/pricing/ (general-purpose mode $400 per CA per month; short-lived certificate mode $50 per CA per month)';
const KMS_PAGE = 'https://aws.amazon.com/kms/pricing/ ($1 per customer managed key per month, prorated hourly)';
const KARPENTER = 'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go ("generated at 2026-07-20T13:44:30Z for us-east-1" from the AWS Price List API; commit 6fc13b52, "Update data from AWS APIs")';
const INFRA_RULES = 'third-party: srdjanrist/get-infra-done references/cost-rules.md (us-east-1 on-demand list: NAT $0.045/hour, ALB $0.0225/hour, VPC endpoint $0.01/hour)';
const PRIVATELINK_USE1 = 'third-party: awsnegotiations.com PrivateLink cost analysis (interface endpoint $0.01 per AZ-hour, us-east-1)';
const NAT_USE1 = 'third-party: "AWS VPC and NAT Gateway Pricing (us-east-1)", collected from the AWS Pricing API (SKU M2YSHUBETB3JX4M4, $0.045 per hour; effective 2025-10-01)';
const SIN_BILL = 'third-party: an AWS bill reproduced in rahmat-ullah/DocParser backend/sample_full_document.md (Asia Pacific (Singapore): "$0.059 per NAT Gateway Hour", May 2025)';
const SIN_COST_MODEL = 'third-party: two public cost models in GitHub repositories quoting the AWS Pricing API for ap-southeast-1 (one queried 2026-08-21; found by exact-text search, which does not name the repository): NAT $0.059/hour, ALB $0.0252/hour, interface endpoint $0.013/hour per AZ (usage types APS1-NatGateway-Hours, APS1-VpcEndpoint-Hours)';
const LOGS_USE1 = 'third-party: c3x.dev, "CloudWatch Logs cost optimization" (us-east-1, June 2026: Standard ingestion $0.50 per GB)';

/**
 * The checked-in list prices `PlatformCostEstimate` uses, each with its source
 * and date. These build machines cannot reach the AWS Price List API, so
 * every figure was read in a stored copy of a public source; AWS's own pages
 * and tooling where one gave the figure, otherwise a third-party copy of the
 * Price List, marked `third-party:`. Regions the table lacks a price for are
 * estimated at the us-east-1 price and flagged in the estimate.
 */
export class PriceTable {
  /** The table Keelson ships. */
  public static readonly DEFAULT: PriceTable = new PriceTable([
    { item: 'eks-cluster-hour', region: '*', usd: 0.10, unit: 'hour', source: EKS_BLOG, sourceDate: '2024-01' },
    { item: 'private-ca-general-purpose-month', region: '*', usd: 400, unit: 'month', source: PCA_PAGE, sourceDate: '2026-06' },
    { item: 'private-ca-short-lived-month', region: '*', usd: 50, unit: 'month', source: PCA_PAGE, sourceDate: '2026-06' },
    { item: 'kms-key-month', region: '*', usd: 1, unit: 'month', source: KMS_PAGE, sourceDate: '2026-06' },

    { item: 'nat-gateway-hour', region: 'us-east-1', usd: 0.045, unit: 'hour', source: NAT_USE1, sourceDate: '2025-10-28' },
    { item: 'nat-gateway-hour', region: 'ap-southeast-1', usd: 0.059, unit: 'hour', source: `${SIN_COST_MODEL}; agrees with ${SIN_BILL}`, sourceDate: '2026-08-21' },
    { item: 'interface-endpoint-az-hour', region: 'us-east-1', usd: 0.01, unit: 'hour', source: `${PRIVATELINK_USE1}; agrees with ${INFRA_RULES}`, sourceDate: '2026-05' },
    { item: 'interface-endpoint-az-hour', region: 'ap-southeast-1', usd: 0.013, unit: 'hour', source: SIN_COST_MODEL, sourceDate: '2026-08-21' },
    { item: 'alb-hour', region: 'us-east-1', usd: 0.0225, unit: 'hour', source: INFRA_RULES, sourceDate: '2026' },
    { item: 'alb-hour', region: 'ap-southeast-1', usd: 0.0252, unit: 'hour', source: SIN_COST_MODEL, sourceDate: '2026-08-21' },
    { item: 'logs-ingestion-gb', region: 'us-east-1', usd: 0.50, unit: 'GB', source: LOGS_USE1, sourceDate: '2026-06' },

    { item: 'ec2:m7i.large-hour', region: 'us-east-1', usd: 0.1008, unit: 'hour', source: KARPENTER, sourceDate: '2026-07-20' },
    { item: 'ec2:m7i.xlarge-hour', region: 'us-east-1', usd: 0.2016, unit: 'hour', source: KARPENTER, sourceDate: '2026-07-20' },
    { item: 'ec2:m6i.xlarge-hour', region: 'us-east-1', usd: 0.192, unit: 'hour', source: KARPENTER, sourceDate: '2026-07-20' },
    { item: 'ec2:m7a.xlarge-hour', region: 'us-east-1', usd: 0.23184, unit: 'hour', source: KARPENTER, sourceDate: '2026-07-20' },
    { item: 'ec2:m6a.xlarge-hour', region: 'us-east-1', usd: 0.1728, unit: 'hour', source: KARPENTER, sourceDate: '2026-07-20' },
    { item: 'ec2:m5.large-hour', region: 'us-east-1', usd: 0.096, unit: 'hour', source: KARPENTER, sourceDate: '2026-07-20' },
    { item: 'ec2:t3.medium-hour', region: 'us-east-1', usd: 0.0416, unit: 'hour', source: KARPENTER, sourceDate: '2026-07-20' },
    { item: 'ec2:g5.xlarge-hour', region: 'us-east-1', usd: 1.006, unit: 'hour', source: KARPENTER, sourceDate: '2026-07-20' },
  ]);

  /** Every entry. */
  public readonly entries: PriceEntry[];

  /** @param entries the prices (one per item and region) */
  constructor(entries: PriceEntry[]) {
    const seen = new Set<string>();
    for (const e of entries) {
      const key = `${e.item}@${e.region}`;
      if (seen.has(key)) throw new Error(`PriceTable: invalid entries: ${key} is priced twice. Fix: keep one entry per item and region`);
      if (!(e.usd >= 0) || !e.source || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(e.sourceDate)) {
        throw new Error(`PriceTable: invalid entry ${key}: a price needs a non-negative usd, a source and a sourceDate (YYYY, YYYY-MM or YYYY-MM-DD). Fix: complete the entry`);
      }
      seen.add(key);
    }
    this.entries = [...entries];
  }

  /**
   * The price of `item` in `region`: the region's own, else the
   * region-independent one (`*`), else the us-east-1 price (the caller sees
   * which by the entry's `region`), else none.
   */
  public lookup(item: string, region: string): PriceEntry | undefined {
    const at = (r: string) => this.entries.find((e) => e.item === item && e.region === r);
    return at(region) ?? at('*') ?? at('us-east-1');
  }
}
