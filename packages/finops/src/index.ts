export * from './export/cur2-columns';
export * from './export/cost-and-usage-export';
export * from './analytics/cost-queries';
export * from './analytics/cost-analytics';
export * from './alerts/cost-alerts';
export * from './alerts/cost-allocation-tags';
