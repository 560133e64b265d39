import { HardenedBucket, KeelsonCommonProps, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CostQueries } from './cost-queries';
import { Cur2Column } from '../export/cur2-columns';

/**
 * Where a cost tool (Kubecost, OpenCost) queries the export: the Athena
 * workgroup and Glue table of {@link CostAnalytics}, and the buckets and key
 * its queries touch. Plain names and ARNs, so a cluster in another region
 * can take them (as cross-region references or literals).
 */
export interface CostQuerySource {
  /** The region of the workgroup, table and buckets (the export's, us-east-1). */
  readonly region: string;
  /** The account of the workgroup, table and buckets. */
  readonly account: string;
  /** The Glue database. */
  readonly databaseName: string;
  /** The Glue table over the export. */
  readonly tableName: string;
  /** The Athena workgroup (its settings are enforced: results location and encryption). */
  readonly workGroupName: string;
  /** The bucket the export writes to. */
  readonly exportBucketName: string;
  /** Prefix of the export's data in that bucket. */
  readonly exportDataPrefix: string;
  /** The bucket holding query results. */
  readonly resultsBucketName: string;
  /** The KMS key encrypting query results. */
  readonly resultsKeyArn: string;
}

/** Props of {@link CostAnalytics}. */
export interface CostAnalyticsProps extends KeelsonCommonProps {
  /** The bucket the CUR 2.0 export writes to (`CostAndUsageExport.bucket`). */
  readonly exportBucket: s3.IBucket;
  /** Prefix of the export's data, `<prefix>/<exportName>/data` (`CostAndUsageExport.dataPrefix`). */
  readonly dataPrefix: string;
  /** The columns the export selects (`CostAndUsageExport.columns`): the table's schema. */
  readonly columns: Cur2Column[];

  /**
   * A query that would scan more than this is cancelled (the workgroup's
   * `BytesScannedCutoffPerQuery`; Athena bills by bytes scanned).
   *
   * @default Size.gibibytes(10)
   */
  readonly bytesScannedCutoffPerQuery?: Size;

  /**
   * First billing period the table's partition projection covers, `YYYY-MM`.
   *
   * @default '2025-01'
   */
  readonly firstBillingPeriod?: string;

  /**
   * Age at which query results are deleted.
   *
   * @default Duration.days(30)
   */
  readonly resultsRetention?: Duration;
}

/**
 * The query side of the cost and usage export: a Glue database and table
 * over the export, an Athena workgroup with KMS-encrypted results and a
 * bytes-scanned limit, and the named queries the platform team starts from
 * (cost by namespace and by label, spot against on-demand, idle capacity,
 * the top 10 services).
 *
 * The table has a defined schema (the export's own column list) and is
 * partitioned by billing period through partition projection, not a
 * crawler: the export's layout (`data/BILLING_PERIOD=YYYY-MM/`) and columns
 * are known at synth, so a crawler would only cost money, run late for a new
 * month, and guess types the export already fixes.
 */
export class CostAnalytics extends Construct {
  /** The Glue database. */
  public readonly database: glue.CfnDatabase;
  /** The Glue table over the export. */
  public readonly table: glue.CfnTable;
  /** The Athena workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The bucket holding query results, SSE-KMS. */
  public readonly resultsBucket: s3.IBucket;
  /** The key encrypting query results. */
  public readonly resultsKey: kms.IKey;
  /** The named queries, by name. */
  public readonly namedQueries: Record<string, athena.CfnNamedQuery>;
  /** `<database>.<table>`, for queries. */
  public readonly qualifiedTableName: string;
  /** What a cost tool needs to query the export through this workgroup (`CostMonitoring.querySource`). */
  public readonly querySource: CostQuerySource;

  constructor(scope: Construct, id: string, props: CostAnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    const firstPeriod = props.firstBillingPeriod ?? '2025-01';
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(firstPeriod)) {
      PropsCheck.fail(this, 'firstBillingPeriod', `"${firstPeriod}" is not a billing period`, 'use YYYY-MM, for example 2025-01');
    }
    const cutoff = props.bytesScannedCutoffPerQuery ?? Size.gibibytes(10);
    // Athena's own bounds for BytesScannedCutoffPerQuery: at least 10 MB.
    PropsCheck.inRange(this, 'bytesScannedCutoffPerQuery (MiB)', cutoff.toMebibytes(), 10, 1024 * 1024 * 1024);

    const results = new HardenedBucket(this, 'Results', {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      keyDescription: 'Keelson cost query results',
      accessLogsPrefix: 'cost-query-results/',
      lifecycleRules: [{ id: 'expire-results', expiration: props.resultsRetention ?? Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      notReplicatedReason: 'query results are derived from the cost export and can be produced again by re-running the query',
    });
    this.resultsBucket = results.bucket;
    this.resultsKey = results.encryptionKey!;

    const databaseName = naming.name('keelson_cost', 255).replace(/-/g, '_');
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: databaseName, description: 'Keelson: the CUR 2.0 export' },
    });

    const location = `s3://${props.exportBucket.bucketName}/${props.dataPrefix}/`;
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName,
      tableInput: {
        name: 'cur2',
        description: 'CUR 2.0 (AWS Data Exports), partitioned by billing period through partition projection',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          'classification': 'parquet',
          'projection.enabled': 'true',
          'projection.billing_period.type': 'date',
          'projection.billing_period.format': 'yyyy-MM',
          'projection.billing_period.range': `${firstPeriod},NOW`,
          'projection.billing_period.interval': '1',
          'projection.billing_period.interval.unit': 'MONTHS',
          'storage.location.template': `${location}BILLING_PERIOD=\${billing_period}/`,
        },
        partitionKeys: [{ name: 'billing_period', type: 'string' }],
        storageDescriptor: {
          location,
          columns: props.columns.map((c) => ({ name: c.name, type: c.glueType })),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    this.table.node.addDependency(this.database);
    this.qualifiedTableName = `${databaseName}.cur2`;

    const workGroupName = naming.name('keelson-cost', 128);
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: workGroupName,
      description: 'Keelson: queries over the cost and usage export',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff.toBytes(),
        engineVersion: { selectedEngineVersion: 'AUTO' },
        resultConfiguration: {
          outputLocation: `s3://${results.bucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: results.encryptionKey!.keyArn },
        },
      },
    });

    this.namedQueries = Object.fromEntries(CostQueries.ALL.map((query) => [query.name, new athena.CfnNamedQuery(this, `Query-${query.name}`, {
      name: naming.name(query.name, 128),
      description: query.description,
      database: databaseName,
      workGroup: this.workGroup.ref,
      queryString: query.sql.split('{table}').join(this.qualifiedTableName),
    })]));
    for (const query of Object.values(this.namedQueries)) query.node.addDependency(this.workGroup);
    this.querySource = {
      region: stack.region,
      account: stack.account,
      databaseName,
      tableName: 'cur2',
      workGroupName,
      exportBucketName: props.exportBucket.bucketName,
      exportDataPrefix: props.dataPrefix,
      resultsBucketName: results.bucket.bucketName,
      resultsKeyArn: results.encryptionKey!.keyArn,
    };
  }
}
