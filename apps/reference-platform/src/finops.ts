import { CostAlerts, CostAllocationTags, CostAnalytics, CostAndUsageExport } from '@keelson/finops';
import { RemovalPolicy } from 'aws-cdk-lib';
import { PlatformConfig } from './config';
import { PlatformStack } from './platform-stack';

/**
 * The platform's cost side, in its own us-east-1 stack (where AWS Data
 * Exports, the CUR, Budgets and Cost Explorer are served): the CUR 2.0 export,
 * the Glue table and Athena workgroup over it, the budget and anomaly alerts,
 * and the cost allocation tags.
 */
export function buildFinOps(stack: PlatformStack, config: PlatformConfig, common: { environmentSuffix: string; removalPolicy: RemovalPolicy }): void {
  const f = config.finops;
  const cur = new CostAndUsageExport(stack, 'CostExport', { ...common, legacyReport: f.legacyReport });
  new CostAnalytics(stack, 'CostAnalytics', { ...common, exportBucket: cur.bucket, dataPrefix: cur.dataPrefix, columns: cur.columns });
  new CostAlerts(stack, 'CostAlerts', {
    ...common,
    email: f.costAlertsEmail,
    monthlyBudgetUsd: f.monthlyBudgetUsd,
    anomalyThresholdUsd: f.anomalyThresholdUsd,
  });
  new CostAllocationTags(stack, 'CostAllocationTags');
}
