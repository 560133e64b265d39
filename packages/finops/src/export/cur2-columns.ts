import { PropsCheck } from '@keelson/conventions';
import { IConstruct } from 'constructs';
import { closest } from 'fastest-levenshtein';

/**
 * Every column name of the CUR 2.0 table (`COST_AND_USAGE_REPORT`) an export
 * may select.
 *
 * Source: the query AWS's Cloud Intelligence Dashboards send to Data Exports
 * (aws-solutions-library-samples/cloud-intelligence-dashboards-data-collection,
 * `data-exports/deploy/data-exports-aggregation.yaml`, the split-cost-allocation
 * and IAM-principal variant, 127 columns, file last changed 2026-06-19), plus
 * the columns the CUR 2.0 table dictionary
 * (docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html) lists
 * beyond it: the three `capacity_reservation_*` columns and
 * `line_item_user_identifier`.
 */
const ALLOWED = [
  'bill_bill_type', 'bill_billing_entity', 'bill_billing_period_end_date', 'bill_billing_period_start_date', 'bill_invoice_id',
  'bill_invoicing_entity', 'bill_payer_account_id', 'bill_payer_account_name', 'cost_category', 'discount', 'discount_bundled_discount',
  'discount_total_discount', 'identity_line_item_id', 'identity_time_interval', 'line_item_availability_zone', 'line_item_blended_cost',
  'line_item_blended_rate', 'line_item_currency_code', 'line_item_legal_entity', 'line_item_line_item_description',
  'line_item_line_item_type', 'line_item_net_unblended_cost', 'line_item_net_unblended_rate', 'line_item_normalization_factor',
  'line_item_normalized_usage_amount', 'line_item_operation', 'line_item_product_code', 'line_item_resource_id', 'line_item_tax_type',
  'line_item_unblended_cost', 'line_item_unblended_rate', 'line_item_usage_account_id', 'line_item_usage_account_name',
  'line_item_usage_amount', 'line_item_usage_end_date', 'line_item_usage_start_date', 'line_item_usage_type', 'pricing_currency',
  'pricing_lease_contract_length', 'pricing_offering_class', 'pricing_public_on_demand_cost', 'pricing_public_on_demand_rate',
  'pricing_purchase_option', 'pricing_rate_code', 'pricing_rate_id', 'pricing_term', 'pricing_unit', 'product', 'product_comment',
  'product_fee_code', 'product_fee_description', 'product_from_location', 'product_from_location_type', 'product_from_region_code',
  'product_instance_family', 'product_instance_type', 'product_instancesku', 'product_location', 'product_location_type',
  'product_operation', 'product_pricing_unit', 'product_product_family', 'product_region_code', 'product_servicecode', 'product_sku',
  'product_to_location', 'product_to_location_type', 'product_to_region_code', 'product_usagetype',
  'reservation_amortized_upfront_cost_for_usage', 'reservation_amortized_upfront_fee_for_billing_period', 'reservation_availability_zone',
  'reservation_effective_cost', 'reservation_end_time', 'reservation_modification_status', 'reservation_net_amortized_upfront_cost_for_usage',
  'reservation_net_amortized_upfront_fee_for_billing_period', 'reservation_net_effective_cost', 'reservation_net_recurring_fee_for_usage',
  'reservation_net_unused_amortized_upfront_fee_for_billing_period', 'reservation_net_unused_recurring_fee', 'reservation_net_upfront_value',
  'reservation_normalized_units_per_reservation', 'reservation_number_of_reservations', 'reservation_recurring_fee_for_usage',
  'reservation_reservation_a_r_n', 'reservation_start_time', 'reservation_subscription_id', 'reservation_total_reserved_normalized_units',
  'reservation_total_reserved_units', 'reservation_units_per_reservation', 'reservation_unused_amortized_upfront_fee_for_billing_period',
  'reservation_unused_normalized_unit_quantity', 'reservation_unused_quantity', 'reservation_unused_recurring_fee',
  'reservation_upfront_value', 'resource_tags', 'savings_plan_amortized_upfront_commitment_for_billing_period', 'savings_plan_end_time',
  'savings_plan_instance_type_family', 'savings_plan_net_amortized_upfront_commitment_for_billing_period',
  'savings_plan_net_recurring_commitment_for_billing_period', 'savings_plan_net_savings_plan_effective_cost', 'savings_plan_offering_type',
  'savings_plan_payment_option', 'savings_plan_purchase_term', 'savings_plan_recurring_commitment_for_billing_period',
  'savings_plan_region', 'savings_plan_savings_plan_a_r_n', 'savings_plan_savings_plan_effective_cost', 'savings_plan_savings_plan_rate',
  'savings_plan_start_time', 'savings_plan_total_commitment_to_date', 'savings_plan_used_commitment', 'split_line_item_actual_usage',
  'split_line_item_net_split_cost', 'split_line_item_net_unused_cost', 'split_line_item_parent_resource_id',
  'split_line_item_public_on_demand_split_cost', 'split_line_item_public_on_demand_unused_cost', 'split_line_item_reserved_usage',
  'split_line_item_split_cost', 'split_line_item_split_usage', 'split_line_item_split_usage_ratio', 'split_line_item_unused_cost', 'tags',
  'line_item_iam_principal',
  'capacity_reservation_capacity_reservation_arn', 'capacity_reservation_capacity_reservation_status',
  'capacity_reservation_capacity_reservation_type', 'line_item_user_identifier',
];

/** Columns that exist only with a table configuration switched on, and that switch. */
const NEEDS: Record<string, 'resources' | 'splitCostAllocationData' | 'iamPrincipalData'> = {
  line_item_resource_id: 'resources',
  line_item_iam_principal: 'iamPrincipalData',
  ...Object.fromEntries(ALLOWED.filter((c) => c.startsWith('split_line_item_')).map((c) => [c, 'splitCostAllocationData'])),
};

/** A CUR 2.0 column with the type the Glue table gives it. */
export class Cur2Column {
  /** A string column. */
  public static string(name: string): Cur2Column {
    return new Cur2Column(name, 'string');
  }

  /** A double column (costs, rates given as numbers, usage amounts). */
  public static double(name: string): Cur2Column {
    return new Cur2Column(name, 'double');
  }

  /** A timestamp column (UTC). */
  public static timestamp(name: string): Cur2Column {
    return new Cur2Column(name, 'timestamp');
  }

  /** A map column: `map<string,string>` (tags, product, cost categories) or `map<string,double>` (discounts). */
  public static map(name: string, valueType: 'string' | 'double' = 'string'): Cur2Column {
    return new Cur2Column(name, `map<string,${valueType}>`);
  }

  /**
   * @param name the CUR 2.0 column name
   * @param glueType its Glue / Hive type
   */
  private constructor(public readonly name: string, public readonly glueType: string) {}
}

const s = Cur2Column.string;
const d = Cur2Column.double;
const t = Cur2Column.timestamp;

/** The CUR 2.0 column set: every name allowed, and the columns Keelson selects by default. */
export class Cur2Columns {
  /** Every column name the CUR 2.0 table has (see the source above). */
  public static readonly ALLOWED_NAMES: string[] = [...ALLOWED];

  /**
   * What Keelson selects by default: what the cost queries, Kubecost and the
   * split-cost-allocation views read. The types are those of AWS's Cloud
   * Intelligence Dashboards Glue table for CUR 2.0 (the same file): account ids
   * and some rates are strings there, billing and usage dates timestamps.
   */
  public static readonly DEFAULT: Cur2Column[] = [
    s('bill_bill_type'), s('bill_billing_entity'), t('bill_billing_period_start_date'), t('bill_billing_period_end_date'),
    s('bill_invoice_id'), s('bill_payer_account_id'), s('bill_payer_account_name'),
    Cur2Column.map('cost_category'), Cur2Column.map('discount', 'double'), d('discount_bundled_discount'), d('discount_total_discount'),
    s('identity_line_item_id'), s('identity_time_interval'),
    s('line_item_availability_zone'), s('line_item_legal_entity'), s('line_item_line_item_description'), s('line_item_line_item_type'),
    s('line_item_operation'), s('line_item_product_code'), s('line_item_resource_id'),
    d('line_item_net_unblended_cost'), s('line_item_net_unblended_rate'), d('line_item_unblended_cost'), s('line_item_unblended_rate'),
    s('line_item_usage_account_id'), s('line_item_usage_account_name'), d('line_item_usage_amount'),
    t('line_item_usage_start_date'), t('line_item_usage_end_date'), s('line_item_usage_type'),
    s('pricing_lease_contract_length'), s('pricing_offering_class'), d('pricing_public_on_demand_cost'), s('pricing_public_on_demand_rate'),
    s('pricing_purchase_option'), s('pricing_rate_code'), s('pricing_term'), s('pricing_unit'),
    Cur2Column.map('product'), s('product_from_location'), s('product_instance_type'), s('product_product_family'), s('product_region_code'),
    s('product_servicecode'), s('product_sku'), s('product_to_location'),
    d('reservation_effective_cost'), s('reservation_reservation_a_r_n'), d('reservation_net_effective_cost'),
    d('reservation_unused_amortized_upfront_fee_for_billing_period'), d('reservation_unused_recurring_fee'),
    Cur2Column.map('resource_tags'),
    d('savings_plan_savings_plan_effective_cost'), d('savings_plan_net_savings_plan_effective_cost'), s('savings_plan_savings_plan_a_r_n'),
    d('savings_plan_total_commitment_to_date'), d('savings_plan_used_commitment'),
    s('split_line_item_parent_resource_id'), d('split_line_item_reserved_usage'), d('split_line_item_actual_usage'),
    d('split_line_item_split_usage'), d('split_line_item_split_usage_ratio'), d('split_line_item_split_cost'),
    d('split_line_item_unused_cost'), d('split_line_item_net_split_cost'), d('split_line_item_net_unused_cost'),
    d('split_line_item_public_on_demand_split_cost'), d('split_line_item_public_on_demand_unused_cost'),
  ];

  /**
   * Fail synth, naming `field`, unless every column is a CUR 2.0 column,
   * appears once, and is produced by the table configuration in force.
   */
  public static check(scope: IConstruct, field: string, columns: Cur2Column[], config: Cur2TableSwitches): void {
    if (columns.length === 0) PropsCheck.fail(scope, field, 'selects no column', 'select at least one CUR 2.0 column (Cur2Columns.DEFAULT)');
    const seen = new Set<string>();
    columns.forEach((column, i) => {
      if (!ALLOWED.includes(column.name)) {
        PropsCheck.fail(scope, `${field}[${i}]`, `"${column.name}" is not a CUR 2.0 column`, `did you mean "${closest(column.name, ALLOWED)}"?`);
      }
      if (seen.has(column.name)) PropsCheck.fail(scope, `${field}[${i}]`, `"${column.name}" is selected twice`, 'select each column once');
      seen.add(column.name);
      const needs = NEEDS[column.name];
      if (needs && !config[needs]) {
        PropsCheck.fail(scope, `${field}[${i}]`, `"${column.name}" exists only when ${needs} is included`, `set ${needs}: true, or leave the column out`);
      }
    });
  }

  /** The Data Exports SQL statement selecting `columns` (Data Exports rejects `SELECT *`). */
  public static query(columns: Cur2Column[]): string {
    return `SELECT ${columns.map((c) => c.name).join(', ')} FROM COST_AND_USAGE_REPORT`;
  }
}

/** The table configurations that add columns. */
export interface Cur2TableSwitches {
  /** `INCLUDE_RESOURCES`: adds `line_item_resource_id`. */
  readonly resources: boolean;
  /** `INCLUDE_SPLIT_COST_ALLOCATION_DATA`: adds the `split_line_item_*` columns. */
  readonly splitCostAllocationData: boolean;
  /** `INCLUDE_IAM_PRINCIPAL_DATA`: adds `line_item_iam_principal`. */
  readonly iamPrincipalData: boolean;
}
