/**
 * The named Athena queries `CostAnalytics` creates, over the CUR 2.0 table.
 * `{table}` stands for the fully qualified table name. Each reads only
 * columns of `Cur2Columns.DEFAULT` and bounds the scan to one billing period
 * through the partition column.
 */
export interface CostQuery {
  /** Name of the named query (before the environment suffix). */
  readonly name: string;
  /** What it answers. */
  readonly description: string;
  /** The SQL, with `{table}` for the table. */
  readonly sql: string;
}

const CURRENT_PERIOD = "billing_period = date_format(current_date, '%Y-%m')";

/** This month's EKS pod rows of split cost allocation data (AWS's own dashboards select them by operation). */
const EKS_POD_ROWS = `FROM {table}
WHERE ${CURRENT_PERIOD}
  AND line_item_operation IN ('EKSPod-EC2', 'FargatePod')`;

/** The named queries `CostAnalytics` creates. */
export class CostQueries {
  /** Every query (namespace and label costs need split cost allocation data; the others do not). */
  public static readonly ALL: CostQuery[] = [
    {
      name: 'cost-by-namespace',
      description: 'EKS pod cost by cluster and namespace this month, from split cost allocation data (split cost plus its share of unused capacity)',
      sql: `SELECT resource_tags['aws_eks_cluster_name'] AS cluster,
       resource_tags['aws_eks_namespace'] AS namespace,
       round(sum(split_line_item_split_cost), 2) AS split_cost,
       round(sum(split_line_item_unused_cost), 2) AS unused_cost,
       round(sum(split_line_item_split_cost + split_line_item_unused_cost), 2) AS total_cost
${EKS_POD_ROWS}
GROUP BY 1, 2
ORDER BY total_cost DESC`,
    },
    {
      name: 'cost-by-label',
      description: 'EKS pod cost by the platform\'s component and owner labels this month (pod labels arrive in resource_tags as user_<label>)',
      sql: `SELECT resource_tags['user_component'] AS component,
       resource_tags['user_owner'] AS owner,
       round(sum(split_line_item_split_cost + split_line_item_unused_cost), 2) AS total_cost
${EKS_POD_ROWS}
GROUP BY 1, 2
ORDER BY total_cost DESC`,
    },
    {
      name: 'spot-vs-on-demand',
      description: 'EC2 instance cost this month, spot against on-demand, with what the same usage would cost on demand',
      sql: `SELECT CASE WHEN line_item_usage_type LIKE '%SpotUsage%' THEN 'spot' ELSE 'on-demand' END AS purchase,
       product_instance_type AS instance_type,
       round(sum(line_item_usage_amount), 1) AS hours,
       round(sum(line_item_unblended_cost), 2) AS cost,
       round(sum(pricing_public_on_demand_cost), 2) AS on_demand_equivalent
FROM {table}
WHERE ${CURRENT_PERIOD}
  AND line_item_product_code = 'AmazonEC2'
  AND line_item_line_item_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')
  AND (line_item_usage_type LIKE '%BoxUsage%' OR line_item_usage_type LIKE '%SpotUsage%')
GROUP BY 1, 2
ORDER BY cost DESC`,
    },
    {
      name: 'idle-capacity',
      description: 'Node capacity EKS pods did not use this month, by cluster and instance: the unused cost split cost allocation data reports',
      sql: `SELECT resource_tags['aws_eks_cluster_name'] AS cluster,
       split_line_item_parent_resource_id AS instance_id,
       round(sum(split_line_item_unused_cost), 2) AS unused_cost,
       round(sum(split_line_item_split_cost), 2) AS used_cost,
       round(sum(split_line_item_unused_cost) / nullif(sum(split_line_item_split_cost + split_line_item_unused_cost), 0), 3) AS idle_share
${EKS_POD_ROWS}
GROUP BY 1, 2
ORDER BY unused_cost DESC`,
    },
    {
      name: 'top-10-services',
      description: 'The ten services that cost most this month',
      sql: `SELECT product_servicecode AS service,
       round(sum(line_item_unblended_cost), 2) AS cost
FROM {table}
WHERE ${CURRENT_PERIOD}
GROUP BY 1
ORDER BY cost DESC
LIMIT 10`,
    },
  ];
}
