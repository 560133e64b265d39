import { HardenedBucket, HardenedBucketEncryption, KeelsonCommonProps, PropsCheck, ResourceNaming } from '@keelson/conventions';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as bcm from 'aws-cdk-lib/aws-bcmdataexports';
import * as cur from 'aws-cdk-lib/aws-cur';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Cur2Column, Cur2Columns } from './cur2-columns';

/** How finely CUR 2.0 rows are grouped in time. */
export enum CostExportGranularity {
  /** One row per resource and usage type per hour: what split cost allocation data per pod is read at. */
  HOURLY = 'HOURLY',
  /** One row per day. */
  DAILY = 'DAILY',
  /** One row per month. */
  MONTHLY = 'MONTHLY',
}

/** Props of {@link CostAndUsageExport}. */
export interface CostAndUsageExportProps extends KeelsonCommonProps {
  /**
   * The columns the export selects. Data Exports rejects `SELECT *`, and
   * each column is checked at synth against the CUR 2.0 column set.
   *
   * @default Cur2Columns.DEFAULT
   */
  readonly columns?: Cur2Column[];

  /**
   * Time granularity of the rows.
   *
   * @default CostExportGranularity.HOURLY
   */
  readonly granularity?: CostExportGranularity;

  /**
   * Include resource ids (`INCLUDE_RESOURCES`, the `line_item_resource_id` column).
   *
   * @default true
   */
  readonly includeResources?: boolean;

  /**
   * Include split cost allocation data (`INCLUDE_SPLIT_COST_ALLOCATION_DATA`,
   * the `split_line_item_*` columns): the cost of each EKS pod. The account's
   * management account must also opt in to split cost allocation data for
   * EKS in the Billing console (no API exists; see the README).
   *
   * @default true
   */
  readonly includeSplitCostAllocationData?: boolean;

  /**
   * Include the IAM principal behind each line (`INCLUDE_IAM_PRINCIPAL_DATA`).
   *
   * @default false
   */
  readonly includeIamPrincipalData?: boolean;

  /**
   * Prefix of the export in the bucket; objects land under
   * `<prefix>/<exportName>/data/BILLING_PERIOD=YYYY-MM/`.
   *
   * @default 'cur2'
   */
  readonly prefix?: string;

  /**
   * Also create a legacy Cost and Usage Report definition (Parquet, for
   * Athena) into the same bucket under `legacy-cur/`, for tools that still
   * read one.
   *
   * @default false
   */
  readonly legacyReport?: boolean;

  /**
   * Age at which exported objects are deleted.
   *
   * @default Duration.days(3 * 365)
   */
  readonly retention?: Duration;
}

/**
 * The Cost and Usage Report 2.0 through AWS Data Exports, into a hardened
 * bucket: Parquet, hourly, resource ids and split cost allocation data
 * included, an explicit column list checked at synth.
 *
 * Data Exports (and the legacy CUR) are served from us-east-1, so this
 * construct must be in a us-east-1 stack. The bucket is created beside it, in
 * the same stack: the export is then created only after the bucket policy it
 * is checked against, and nothing crosses regions at deploy time. Athena reads
 * it from there (`CostAnalytics`).
 */
export class CostAndUsageExport extends Construct {
  /** The region the Data Exports and CUR services run in. */
  public static readonly SERVICE_REGION = 'us-east-1';

  /** The bucket the export writes to. */
  public readonly bucket: s3.IBucket;
  /** The export. */
  public readonly export: bcm.CfnExport;
  /** The export's name (`cur2-<environmentSuffix>`). */
  public readonly exportName: string;
  /** Prefix of the export's data in the bucket: `<prefix>/<exportName>/data`. */
  public readonly dataPrefix: string;
  /** The columns the export selects (the Glue table's schema). */
  public readonly columns: Cur2Column[];
  /** The legacy report definition, when `legacyReport` is set. */
  public readonly legacyReport?: cur.CfnReportDefinition;

  constructor(scope: Construct, id: string, props: CostAndUsageExportProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region) && stack.region !== CostAndUsageExport.SERVICE_REGION) {
      PropsCheck.fail(this, 'env.region', `the stack is in ${stack.region}; AWS Data Exports is created in us-east-1 only`,
        'put CostAndUsageExport in its own stack with env.region us-east-1 (the bucket and Athena may read it from there)');
    }
    const switches = {
      resources: props.includeResources ?? true,
      splitCostAllocationData: props.includeSplitCostAllocationData ?? true,
      iamPrincipalData: props.includeIamPrincipalData ?? false,
    };
    this.columns = props.columns ?? Cur2Columns.DEFAULT.filter((c) => !(
      (c.name === 'line_item_resource_id' && !switches.resources) || (c.name.startsWith('split_line_item_') && !switches.splitCostAllocationData)));
    Cur2Columns.check(this, 'columns', this.columns, switches);
    const prefix = props.prefix ?? 'cur2';
    if (!/^[0-9A-Za-z!\-_.*'()]+(\/[0-9A-Za-z!\-_.*'()]+)*$/.test(prefix)) {
      PropsCheck.fail(this, 'prefix', `"${prefix}" is not an S3 key prefix Data Exports accepts`, 'use letters, digits and - _ . separated by /, with no leading or trailing /');
    }
    const retention = props.retention ?? Duration.days(3 * 365);
    PropsCheck.inRange(this, 'retention (days)', retention.toDays(), 90, 3650);

    const naming = ResourceNaming.of(this, props.environmentSuffix);
    this.exportName = naming.name('cur2', 128);

    const storage = new HardenedBucket(this, 'Bucket', {
      environmentSuffix: props.environmentSuffix,
      removalPolicy: props.removalPolicy,
      // Data Exports and the CUR deliver without a KMS grant: neither documents delivery into an
      // SSE-KMS bucket, so the bucket keeps S3-managed keys.
      encryption: HardenedBucketEncryption.S3_MANAGED,
      accessLogsPrefix: 'cost-export/',
      lifecycleRules: [
        { id: 'expire-exports', expiration: retention, noncurrentVersionExpiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      notReplicatedReason: 'the cost and usage data can be exported again from AWS Billing for any past period, so a replica adds cost and no recovery',
    });
    Validations.of(storage.bucket).acknowledge({
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason: 'AWS Data Exports and the Cost and Usage Report deliver with S3-managed keys; neither documents delivery into an SSE-KMS bucket',
    });
    this.bucket = storage.bucket;
    this.dataPrefix = `${prefix}/${this.exportName}/data`;

    // The delivery policy AWS documents for Data Exports and the CUR (both principals, write and
    // the policy check), bound to this account's exports and report definitions in us-east-1.
    const account = stack.account;
    const services = ['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com'];
    const policy = storage.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DataExportsDelivery',
      principals: services.map((service) => new iam.ServicePrincipal(service)),
      actions: ['s3:PutObject', 's3:GetBucketPolicy'],
      resources: [storage.bucket.bucketArn, storage.bucket.arnForObjects('*')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: {
          'aws:SourceArn': [
            `arn:${stack.partition}:bcm-data-exports:${CostAndUsageExport.SERVICE_REGION}:${account}:export/*`,
            `arn:${stack.partition}:cur:${CostAndUsageExport.SERVICE_REGION}:${account}:definition/*`,
          ],
        },
      },
    }));

    this.export = new bcm.CfnExport(this, 'Export', {
      export: {
        name: this.exportName,
        description: 'CUR 2.0 for the Keelson platform: Parquet, resource ids and split cost allocation data',
        dataQuery: {
          queryStatement: Cur2Columns.query(this.columns),
          tableConfigurations: {
            COST_AND_USAGE_REPORT: {
              TIME_GRANULARITY: props.granularity ?? CostExportGranularity.HOURLY,
              INCLUDE_RESOURCES: flag(switches.resources),
              INCLUDE_SPLIT_COST_ALLOCATION_DATA: flag(switches.splitCostAllocationData),
              INCLUDE_IAM_PRINCIPAL_DATA: flag(switches.iamPrincipalData),
              INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE',
            },
          },
        },
        destinationConfigurations: {
          s3Destination: {
            s3Bucket: storage.bucket.bucketName,
            s3Prefix: prefix,
            s3Region: stack.region,
            s3OutputConfigurations: { format: 'PARQUET', compression: 'PARQUET', outputType: 'CUSTOM', overwrite: 'OVERWRITE_REPORT' },
          },
        },
        refreshCadence: { frequency: 'SYNCHRONOUS' },
      },
    });
    // Data Exports checks that it may write when the export is created.
    if (policy.policyDependable) this.export.node.addDependency(policy.policyDependable);

    if (props.legacyReport) {
      this.legacyReport = new cur.CfnReportDefinition(this, 'LegacyReport', {
        reportName: naming.name('legacy-cur', 256),
        timeUnit: 'HOURLY',
        format: 'Parquet',
        compression: 'Parquet',
        additionalSchemaElements: ['RESOURCES', 'SPLIT_COST_ALLOCATION_DATA'],
        additionalArtifacts: ['ATHENA'],
        s3Bucket: storage.bucket.bucketName,
        s3Prefix: 'legacy-cur',
        s3Region: stack.region,
        refreshClosedReports: true,
        reportVersioning: 'OVERWRITE_REPORT',
      });
      if (policy.policyDependable) this.legacyReport.node.addDependency(policy.policyDependable);
    }
  }
}

function flag(on: boolean): string {
  return on ? 'TRUE' : 'FALSE';
}
