import { NagPack, proofApp, synthesize, SynthResult, testProofGates } from '@keelson/proof';
import { App, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CostAlerts, CostAllocationTags, CostAnalytics, CostAndUsageExport, CostQueries, Cur2Column, Cur2Columns,
} from '../src';

const env = { account: '111111111111', region: 'us-east-1' };
let result: SynthResult;
let template: Template;
let json: any;
let exporter: CostAndUsageExport;
let analytics: CostAnalytics;

beforeAll(() => {
  const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
  const stack = new Stack(app, 'Billing', { env });
  exporter = new CostAndUsageExport(stack, 'Export', { environmentSuffix: 'dev', legacyReport: true });
  analytics = new CostAnalytics(stack, 'Analytics', {
    environmentSuffix: 'dev',
    exportBucket: exporter.bucket,
    dataPrefix: exporter.dataPrefix,
    columns: exporter.columns,
    bytesScannedCutoffPerQuery: Size.gibibytes(5),
  });
  new CostAlerts(stack, 'Alerts', { environmentSuffix: 'dev', email: 'finops@example.com', monthlyBudgetUsd: 2500 });
  new CostAllocationTags(stack, 'Tags');
  result = synthesize(app);
  template = result.template('Billing');
  json = template.toJSON();
});

const only = (type: string): any => {
  const found = Object.values(json.Resources).filter((r: any) => r.Type === type) as any[];
  expect(found).toHaveLength(1);
  return found[0].Properties;
};

describe('proof gates', () => {
  // cfn-lint judges the stack in us-east-1, where Data Exports and the CUR exist.
  testProofGates(() => result);
});

describe('CUR 2.0 export', () => {
  test('Parquet, hourly, resource ids and split cost allocation data, refreshed by the service', () => {
    const { Export } = only('AWS::BCMDataExports::Export');
    expect(Export.DataQuery.TableConfigurations).toEqual({
      COST_AND_USAGE_REPORT: {
        TIME_GRANULARITY: 'HOURLY',
        INCLUDE_RESOURCES: 'TRUE',
        INCLUDE_SPLIT_COST_ALLOCATION_DATA: 'TRUE',
        INCLUDE_IAM_PRINCIPAL_DATA: 'FALSE',
        INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE',
      },
    });
    expect(Export.DestinationConfigurations.S3Destination).toMatchObject({
      S3Prefix: 'cur2',
      S3Region: 'us-east-1',
      S3OutputConfigurations: { Format: 'PARQUET', Compression: 'PARQUET', OutputType: 'CUSTOM', Overwrite: 'OVERWRITE_REPORT' },
    });
    expect(Export.RefreshCadence).toEqual({ Frequency: 'SYNCHRONOUS' });
    expect(Export.Name).toBe('cur2-dev');
  });

  test('the query names every column, each a CUR 2.0 column, and never SELECT *', () => {
    const { Export } = only('AWS::BCMDataExports::Export');
    const statement: string = Export.DataQuery.QueryStatement;
    expect(statement).not.toMatch(/\*/);
    const selected = statement.replace(/^SELECT /, '').replace(/ FROM COST_AND_USAGE_REPORT$/, '').split(', ');
    expect(selected).toEqual(Cur2Columns.DEFAULT.map((c) => c.name));
    expect(selected.filter((c) => !Cur2Columns.ALLOWED_NAMES.includes(c))).toEqual([]);
    expect(selected).toEqual(expect.arrayContaining(['line_item_resource_id', 'split_line_item_split_cost', 'resource_tags']));
    expect(statement.length).toBeLessThanOrEqual(36000);
  });

  test('the bucket lets only this account\'s exports and reports deliver, and exists before the export', () => {
    const delivery = Object.values(json.Resources).filter((r: any) => r.Type === 'AWS::S3::BucketPolicy')
      .flatMap((r: any) => r.Properties.PolicyDocument.Statement).find((s: any) => s.Sid === 'DataExportsDelivery');
    expect(delivery).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: ['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com'] },
      Action: ['s3:PutObject', 's3:GetBucketPolicy'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: {
          'aws:SourceArn': [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bcm-data-exports:us-east-1:111111111111:export/*']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cur:us-east-1:111111111111:definition/*']] },
          ],
        },
      },
    });
    const [exportId] = Object.entries(json.Resources).find(([, r]: [string, any]) => r.Type === 'AWS::BCMDataExports::Export')!;
    const [policyId] = Object.entries(json.Resources).find(([, r]: [string, any]) => r.Type === 'AWS::S3::BucketPolicy'
      && JSON.stringify(r).includes('DataExportsDelivery'))!;
    expect(json.Resources[exportId].DependsOn).toContain(policyId);
  });

  test('the legacy report, when asked for: Parquet for Athena, overwritten, into the same bucket', () => {
    expect(only('AWS::CUR::ReportDefinition')).toMatchObject({
      Format: 'Parquet',
      Compression: 'Parquet',
      AdditionalArtifacts: ['ATHENA'],
      ReportVersioning: 'OVERWRITE_REPORT',
      AdditionalSchemaElements: ['RESOURCES', 'SPLIT_COST_ALLOCATION_DATA'],
      S3Prefix: 'legacy-cur',
      S3Region: 'us-east-1',
      TimeUnit: 'HOURLY',
    });
  });
});

describe('query side', () => {
  test('a Glue table with the export\'s columns, partitioned by billing period through projection', () => {
    const { TableInput } = only('AWS::Glue::Table');
    expect(TableInput.PartitionKeys).toEqual([{ Name: 'billing_period', Type: 'string' }]);
    expect(TableInput.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.billing_period.type': 'date',
      'projection.billing_period.format': 'yyyy-MM',
      'projection.billing_period.range': '2025-01,NOW',
    });
    expect(JSON.stringify(TableInput.Parameters['storage.location.template'])).toContain('/cur2/cur2-dev/data/BILLING_PERIOD=${billing_period}/');
    expect(TableInput.StorageDescriptor.Columns).toEqual(exporter.columns.map((c) => ({ Name: c.name, Type: c.glueType })));
    expect(TableInput.StorageDescriptor.Columns).toContainEqual({ Name: 'resource_tags', Type: 'map<string,string>' });
    expect(TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
  });

  test('an Athena workgroup that enforces KMS-encrypted results and the bytes-scanned limit', () => {
    const { WorkGroupConfiguration } = only('AWS::Athena::WorkGroup');
    expect(WorkGroupConfiguration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      BytesScannedCutoffPerQuery: 5 * 1024 ** 3,
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [expect.stringMatching(/^AnalyticsResultsKey/), 'Arn'] } } },
    });
  });

  test('the five named queries, on the table, each reading only columns the export selects', () => {
    const queries = Object.values(json.Resources).filter((r: any) => r.Type === 'AWS::Athena::NamedQuery').map((r: any) => r.Properties);
    expect(queries.map((q: any) => q.Name).sort()).toEqual(
      ['cost-by-label-dev', 'cost-by-namespace-dev', 'idle-capacity-dev', 'spot-vs-on-demand-dev', 'top-10-services-dev']);
    const selected = new Set(exporter.columns.map((c) => c.name));
    for (const query of queries) {
      expect(query.QueryString).toContain(`FROM ${analytics.qualifiedTableName}`);
      expect(query.QueryString).toContain("billing_period = date_format(current_date, '%Y-%m')");
      const columnsRead = (query.QueryString.match(/\b[a-z]+(?:_[a-z0-9]+)+\b/g) as string[]).filter((w) => Cur2Columns.ALLOWED_NAMES.includes(w));
      expect(columnsRead.filter((c) => !selected.has(c))).toEqual([]);
    }
    expect(CostQueries.ALL).toHaveLength(5);
  });
});

describe('budgets and anomalies', () => {
  test('a monthly cost budget alerting at 80% and 100% actual and 100% forecast, by email and SNS', () => {
    const budget = only('AWS::Budgets::Budget');
    expect(budget.Budget).toMatchObject({ BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 2500, Unit: 'USD' } });
    expect(budget.NotificationsWithSubscribers.map((n: any) => `${n.Notification.NotificationType} ${n.Notification.Threshold}`))
      .toEqual(['ACTUAL 80', 'ACTUAL 100', 'FORECASTED 100']);
    for (const n of budget.NotificationsWithSubscribers) {
      expect(n.Subscribers.map((s: any) => s.SubscriptionType)).toEqual(['EMAIL', 'SNS']);
      expect(n.Subscribers[0].Address).toBe('finops@example.com');
    }
  });

  test('the topic is KMS-encrypted and only Budgets and Cost Anomaly Detection of this account may publish', () => {
    expect(only('AWS::SNS::Topic').KmsMasterKeyId).toBeDefined();
    const statements = only('AWS::SNS::TopicPolicy').PolicyDocument.Statement;
    const publishers = statements.filter((s: any) => s.Effect === 'Allow' && s.Action === 'sns:Publish');
    expect(publishers.map((s: any) => s.Principal.Service).sort()).toEqual(['budgets.amazonaws.com', 'costalerts.amazonaws.com']);
    for (const s of publishers) expect(s.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
    expect(statements.some((s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
  });

  test('an anomaly monitor by service with an immediate subscription over $50', () => {
    expect(only('AWS::CE::AnomalyMonitor')).toMatchObject({ MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' });
    const subscription = only('AWS::CE::AnomalySubscription');
    expect(subscription.Frequency).toBe('IMMEDIATE');
    expect(subscription.Subscribers).toEqual([{ Type: 'SNS', Address: { Ref: expect.stringMatching(/^AlertsTopic/) } }]);
    expect(JSON.parse(subscription.ThresholdExpression)).toEqual({
      Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['50'] },
    });
  });

  test('the platform\'s four tags activated for cost allocation, through one Cost Explorer call', () => {
    const activation = Object.values(json.Resources).find((r: any) => r.Type === 'Custom::AWS') as any;
    const create = JSON.parse(JSON.stringify(activation.Properties.Create));
    expect(create).toContain('"action":"updateCostAllocationTagsStatus"');
    for (const key of ['Environment', 'Project', 'Component', 'Owner']) expect(create).toContain(`{"TagKey":"${key}","Status":"Active"}`);
    const policies = Object.values(json.Resources).filter((r: any) => r.Type === 'AWS::IAM::Policy').map((r: any) => r.Properties.PolicyDocument.Statement).flat();
    expect(policies.filter((s: any) => s.Resource === '*').map((s: any) => s.Action)).toEqual(['ce:UpdateCostAllocationTagsStatus']);
  });
});

describe('bad input fails at synth, naming the field and the fix', () => {
  const stack = (region = 'us-east-1') => new Stack(new App(), 'S', { env: { account: '111111111111', region } });
  test.each([
    ['the export outside us-east-1', () => new CostAndUsageExport(stack('eu-west-1'), 'E'), /env\.region.*us-east-1/],
    ['a misspelt column', () => new CostAndUsageExport(stack(), 'E', { columns: [Cur2Column.double('line_item_unblended_cots')] }),
      /columns\[0\].*"line_item_unblended_cots" is not a CUR 2.0 column.*did you mean "line_item_unblended_cost"/],
    ['a column twice', () => new CostAndUsageExport(stack(), 'E', { columns: [Cur2Column.string('bill_invoice_id'), Cur2Column.string('bill_invoice_id')] }),
      /columns\[1\].*selected twice/],
    ['a split cost column without split cost allocation data', () => new CostAndUsageExport(stack(), 'E', {
      includeSplitCostAllocationData: false, columns: [Cur2Column.double('split_line_item_split_cost')],
    }), /columns\[0\].*splitCostAllocationData.*set splitCostAllocationData: true/],
    ['no column', () => new CostAndUsageExport(stack(), 'E', { columns: [] }), /columns.*selects no column/],
    ['a prefix with a slash at the end', () => new CostAndUsageExport(stack(), 'E', { prefix: 'cur/' }), /prefix.*"cur\/"/],
    ['a first billing period that is no month', () => {
      const s = stack();
      const e = new CostAndUsageExport(s, 'E');
      new CostAnalytics(s, 'A', { exportBucket: e.bucket, dataPrefix: e.dataPrefix, columns: e.columns, firstBillingPeriod: '2025-13' });
    }, /firstBillingPeriod.*YYYY-MM/],
    ['a budget of 0', () => new CostAlerts(stack(), 'C', { email: 'a@example.com', monthlyBudgetUsd: 0 }), /monthlyBudgetUsd.*greater than 0/],
    ['a repeated threshold', () => new CostAlerts(stack(), 'C', { email: 'a@example.com', monthlyBudgetUsd: 10, actualThresholdsPercent: [80, 80] }),
      /actualThresholdsPercent.*repeats/],
    ['a malformed email', () => new CostAlerts(stack(), 'C', { email: 'finops', monthlyBudgetUsd: 10 }), /email/],
    ['an aws: tag key', () => new CostAllocationTags(stack(), 'T', { tagKeys: ['aws:createdBy'] }), /tagKeys\[0\].*not a user-defined tag key/],
    ['21 tag keys', () => new CostAllocationTags(stack(), 'T', { tagKeys: Array.from({ length: 21 }, (_, i) => `k${i}`) }), /tagKeys.*1 to 20/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});
