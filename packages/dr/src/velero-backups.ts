import { KeelsonCommonProps, KeelsonTags, PropsCheck } from '@keelson/conventions';
import {
  EksCoreVersions, NagNames, PlatformChart, PodSecurityLevel, ReasonedStatement, VersionCatalogue, WorkloadIdentity, WorkloadRole,
} from '@keelson/eks-core';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DrVersions } from './dr-versions';
import { backupBucket } from './private/backup-bucket';

/** Cross-region replication of the backup bucket. */
export interface BackupReplicationOptions {
  /** The replica bucket in the other region (for example `ReplicaBackupBucket.bucket`). */
  readonly destination: s3.IBucket;

  /**
   * The key replicas are re-encrypted with in the destination region.
   *
   * @default - the destination bucket's encryption key; required when it has none
   */
  readonly destinationKey?: kms.IKey;

  /**
   * S3 Replication Time Control: 99.99% of objects replicated within 15
   * minutes, with replication metrics. Costs extra per GB; it is what makes
   * the stated RPO (24 h + 15 min) hold.
   *
   * @default true
   */
  readonly replicationTimeControl?: boolean;
}

/** Another cluster's backups, mounted read-only (restores only). */
export interface ReadOnlyBackupLocation {
  /** Name of the BackupStorageLocation, for `velero restore create --from-backup … ` (`--storage-location`). */
  readonly name: string;

  /** The bucket holding the backups (for example the DR replica of the primary's bucket). */
  readonly bucket: s3.IBucket;

  /**
   * The key the objects are encrypted with (Velero's role gets kms:Decrypt).
   *
   * @default - the bucket's encryption key, if any
   */
  readonly key?: kms.IKey;

  /**
   * Prefix of the backups in the bucket.
   *
   * @default 'velero' (what `VeleroBackups` writes under)
   */
  readonly prefix?: string;
}

/** Props of {@link VeleroBackups}. */
export interface VeleroBackupsProps extends KeelsonCommonProps {
  /** The cluster Velero runs in. */
  readonly cluster: eks.ICluster;

  /**
   * Namespaces the daily schedule backs up: pass the cluster's registry,
   * `PlatformNamespaces.backupNamespaces()`, so every namespace a package
   * registers is backed up without a list to keep in step.
   */
  readonly namespaces: string[];

  /**
   * Cron schedule of the backup (UTC).
   *
   * @default '0 3 * * *' (daily, 03:00 UTC)
   */
  readonly schedule?: string;

  /**
   * How long a backup is kept before Velero deletes it.
   *
   * @default Duration.days(30)
   */
  readonly ttl?: Duration;

  /**
   * Replicate this cluster's backup bucket to another region.
   *
   * @default - no replication
   */
  readonly replication?: BackupReplicationOptions;

  /**
   * Read-only backup locations (for example, in the DR cluster, the replica of
   * the primary's backups).
   *
   * @default - none
   */
  readonly readOnlyLocations?: ReadOnlyBackupLocation[];

  /**
   * How Velero's service account gets its role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Install the EKS `snapshot-controller` add-on (VolumeSnapshot CRDs and
   * controller), which CSI snapshots need. Turn off when the cluster already has it.
   *
   * @default true
   */
  readonly installSnapshotController?: boolean;

  /**
   * Version of the `snapshot-controller` add-on (`v<semver>-eksbuild.<n>`).
   *
   * @default EksCoreVersions.SNAPSHOT_CONTROLLER
   */
  readonly snapshotControllerVersion?: string;

  /**
   * Chart version.
   *
   * @default DrVersions.VELERO
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** The namespace Velero runs in. */
const NAMESPACE = 'velero';
/** Its server service account (set in the chart values). */
const SERVICE_ACCOUNT = 'velero-server';
/** Prefix of the backups in the bucket. */
const PREFIX = 'velero';

/**
 * Velero in one cluster: a hardened backup bucket (KMS, versioned,
 * lifecycle, TLS-only, access-logged), a least-privilege workload role
 * (eks-core `WorkloadRole`), the pinned vmware-tanzu chart with the AWS
 * plugin, CSI snapshots of EBS volumes (`EnableCSI`, a VolumeSnapshotClass for
 * `ebs.csi.aws.com`), a daily schedule with a TTL, optional read-only
 * locations and optional cross-region replication of the bucket.
 */
export class VeleroBackups extends Construct {
  /** The backup bucket (default, read-write location). */
  public readonly bucket: s3.Bucket;
  /** Its key. */
  public readonly key: kms.Key;
  /** The bucket receiving its access logs. */
  public readonly accessLogsBucket: s3.Bucket;
  /** Velero's workload role. */
  public readonly workloadRole: WorkloadRole;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart with its namespace, service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The values passed to the chart. */
  public readonly values: { [key: string]: any };
  /** The replication role, when replication is on. */
  public readonly replicationRole?: iam.Role;
  /** The snapshot-controller add-on, when installed here. */
  public readonly snapshotController?: eks.Addon;

  constructor(scope: Construct, id: string, props: VeleroBackupsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'velero');
    const stack = Stack.of(this);
    validate(this, props);

    const replication = props.replication;
    let replicationRules: s3.ReplicationRule[] | undefined;
    if (replication) {
      const destinationKey = replication.destinationKey ?? replication.destination.encryptionKey;
      if (!destinationKey) {
        PropsCheck.fail(this, 'replication.destinationKey', 'is required: the destination bucket exposes no encryption key', 'pass the key of the replica bucket (ReplicaBackupBucket.key)');
      }
      const rtc = replication.replicationTimeControl ?? true;
      this.replicationRole = new iam.Role(this, 'ReplicationRole', {
        assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
        description: 'S3 replication of Velero backups to the DR region',
      });
      replicationRules = [{
        id: 'velero-to-dr',
        destination: replication.destination,
        kmsKey: destinationKey,
        sseKmsEncryptedObjects: true,
        deleteMarkerReplication: false,
        replicationTimeControl: rtc ? s3.ReplicationTimeValue.FIFTEEN_MINUTES : undefined,
        metrics: rtc ? s3.ReplicationTimeValue.FIFTEEN_MINUTES : undefined,
        filter: { prefix: `${PREFIX}/` },
      }];
    }

    const parts = backupBucket(this, {
      removalPolicy: props.removalPolicy,
      description: 'Encrypts Velero backups',
      replicationRole: this.replicationRole,
      replicationRules,
    });
    this.bucket = parts.bucket;
    this.key = parts.key;
    this.accessLogsBucket = parts.accessLogsBucket;

    if (replication && this.replicationRole) {
      this.grantReplication(replication, (replication.destinationKey ?? replication.destination.encryptionKey)!);
    }

    const statements = this.statements(props);
    this.workloadRole = new WorkloadRole(this, 'Role', {
      cluster: props.cluster,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: 'Velero: backups in S3, EBS snapshots',
      statements: statements.map((s) => s.statement),
    });
    NagNames.acknowledgeWildcardResources(this.workloadRole, statements);
    if (props.installSnapshotController ?? true) {
      const version = props.snapshotControllerVersion ?? EksCoreVersions.SNAPSHOT_CONTROLLER.version;
      VersionCatalogue.checkAddonVersion(this, 'snapshotControllerVersion', version);
      this.snapshotController = new eks.Addon(this, 'SnapshotController', {
        cluster: props.cluster,
        addonName: 'snapshot-controller',
        addonVersion: version,
        preserveOnDelete: false,
      });
    }

    const ttlHours = (props.ttl ?? Duration.days(30)).toHours();
    const locations: any[] = [{
      name: 'default',
      provider: 'aws',
      bucket: this.bucket.bucketName,
      prefix: PREFIX,
      default: true,
      accessMode: 'ReadWrite',
      config: { region: stack.region, kmsKeyId: this.key.keyArn },
    }];
    for (const location of props.readOnlyLocations ?? []) {
      locations.push({
        name: location.name,
        provider: 'aws',
        bucket: location.bucket.bucketName,
        prefix: location.prefix ?? PREFIX,
        default: false,
        accessMode: 'ReadOnly',
        config: { region: Stack.of(location.bucket).region },
      });
    }
    const values = {
      initContainers: [{
        name: 'velero-plugin-for-aws',
        image: DrVersions.veleroAwsPluginImage,
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
      }],
      credentials: { useSecret: false },
      serviceAccount: { server: { create: true, name: SERVICE_ACCOUNT } },
      configuration: {
        backupStorageLocation: locations,
        volumeSnapshotLocation: [{ name: 'default', provider: 'aws', config: { region: stack.region } }],
        features: 'EnableCSI',
        defaultVolumesToFsBackup: false,
        // CSI snapshots stay in their region; moving their data into the bucket is what replication copies to DR.
        defaultSnapshotMoveData: true,
      },
      backupsEnabled: true,
      snapshotsEnabled: true,
      // The node agent runs the CSI snapshot data mover (kopia upload to the bucket).
      deployNodeAgent: true,
      schedules: {
        daily: {
          disabled: false,
          schedule: props.schedule ?? '0 3 * * *',
          useOwnerReferencesInBackup: false,
          template: {
            ttl: `${ttlHours}h0m0s`,
            storageLocation: 'default',
            includedNamespaces: props.namespaces,
            snapshotVolumes: true,
            snapshotMoveData: true,
            includeClusterResources: true,
          },
        },
      },
      extraObjects: [{
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotClass',
        metadata: {
          name: 'velero-ebs',
          labels: { 'velero.io/csi-volumesnapshot-class': 'true' },
        },
        driver: 'ebs.csi.aws.com',
        deletionPolicy: 'Retain',
      }],
    };

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: DrVersions.VELERO,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'velero',
      namespace: NAMESPACE,
      // The node agent (CSI data mover) mounts the kubelet's pod volumes from the host.
      podSecurity: PodSecurityLevel.PRIVILEGED,
      backup: false,
      serviceAccount: { role: this.workloadRole, create: false },
      wait: true,
      timeout: Duration.minutes(15),
      systemPoolPaths: ['kubectl'],
      values,
      valueOverrides: props.valueOverrides,
      dependsOn: this.snapshotController ? [this.snapshotController] : [],
    });
    this.chart = this.platformChart.chart;
    this.values = this.platformChart.values;
  }

  private statements(props: VeleroBackupsProps): ReasonedStatement[] {
    const stack = Stack.of(this);
    const volumes = stack.formatArn({ service: 'ec2', resource: 'volume', resourceName: '*' });
    // EBS snapshot ARNs carry no account.
    const snapshots = stack.formatArn({ service: 'ec2', account: '', resource: 'snapshot', resourceName: '*' });
    const objects = 'Velero writes backups under keys it generates at run time (<prefix>/backups/<name>/...), so the object ARN ends in /*; the bucket itself is this construct\'s own';
    const ebs = 'EBS volume and snapshot IDs exist only at run time; the actions are limited to volume and snapshot resource types';
    const statements: ReasonedStatement[] = [
      {
        statement: new iam.PolicyStatement({
          sid: 'BackupObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [this.bucket.arnForObjects('*')],
        }),
        reason: objects,
      },
      { statement: new iam.PolicyStatement({ sid: 'BackupBucket', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }), reason: objects },
      {
        statement: new iam.PolicyStatement({
          sid: 'BackupKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
          resources: [this.key.keyArn],
        }),
        reason: objects,
      },
      {
        statement: new iam.PolicyStatement({
          sid: 'DescribeVolumesAndSnapshots',
          actions: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'],
          resources: ['*'],
        }),
        reason: 'ec2:DescribeVolumes and ec2:DescribeSnapshots support no resource-level permissions; Velero reads volume and snapshot state with them',
      },
      {
        statement: new iam.PolicyStatement({ sid: 'SnapshotVolumes', actions: ['ec2:CreateSnapshot'], resources: [volumes, snapshots] }),
        reason: ebs,
      },
      {
        statement: new iam.PolicyStatement({ sid: 'RestoreVolumes', actions: ['ec2:CreateVolume'], resources: [volumes, snapshots] }),
        reason: ebs,
      },
      {
        statement: new iam.PolicyStatement({
          sid: 'TagOnCreate',
          actions: ['ec2:CreateTags'],
          resources: [volumes, snapshots],
          conditions: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateVolume'] } },
        }),
        reason: `${ebs}; tagging is allowed only as part of CreateSnapshot/CreateVolume (ec2:CreateAction)`,
      },
      {
        statement: new iam.PolicyStatement({
          sid: 'DeleteVeleroSnapshots',
          actions: ['ec2:DeleteSnapshot'],
          resources: [snapshots],
          conditions: { StringLike: { 'aws:ResourceTag/velero.io/backup': '*' } },
        }),
        reason: `${ebs}; only snapshots Velero tagged (velero.io/backup) can be deleted`,
      },
    ];
    for (const [i, location] of (props.readOnlyLocations ?? []).entries()) {
      const readOnly = `read-only location ${location.name}: restores read backups under keys written by another cluster, so the object ARN ends in /*; GetObject only`;
      statements.push({
        statement: new iam.PolicyStatement({ sid: `ReadOnlyObjects${i}`, actions: ['s3:GetObject'], resources: [location.bucket.arnForObjects('*')] }),
        reason: readOnly,
      });
      statements.push({
        statement: new iam.PolicyStatement({ sid: `ReadOnlyBucket${i}`, actions: ['s3:ListBucket'], resources: [location.bucket.bucketArn] }),
        reason: readOnly,
      });
      const key = location.key ?? location.bucket.encryptionKey;
      if (key) {
        statements.push({
          statement: new iam.PolicyStatement({ sid: `ReadOnlyKey${i}`, actions: ['kms:Decrypt'], resources: [key.keyArn] }),
          reason: readOnly,
        });
      }
    }
    return statements;
  }

  /** Least-privilege replication permissions (written out, not CDK's grants, so no key policy in the other region is touched). */
  private grantReplication(replication: BackupReplicationOptions, destinationKey: kms.IKey): void {
    const role = this.replicationRole!;
    const stack = Stack.of(this);
    const destinationRegion = Stack.of(replication.destination).region;
    const versions = 'S3 replication copies every object version under the backup prefix; their keys are generated by Velero at run time, so the object ARN ends in /*';
    const statements: ReasonedStatement[] = [
      {
        statement: new iam.PolicyStatement({
          sid: 'ReadSourceConfiguration',
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [this.bucket.bucketArn],
        }),
        reason: versions,
      },
      {
        statement: new iam.PolicyStatement({
          sid: 'ReadSourceVersions',
          actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
          resources: [this.bucket.arnForObjects('*')],
        }),
        reason: versions,
      },
      {
        statement: new iam.PolicyStatement({
          sid: 'WriteReplicas',
          actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          resources: [replication.destination.arnForObjects('*')],
        }),
        reason: `${versions}; writes go only to the replica bucket in the DR region`,
      },
      {
        statement: new iam.PolicyStatement({
          sid: 'DecryptSource',
          actions: ['kms:Decrypt'],
          resources: [this.key.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` },
            // With S3 Bucket Keys the context is the bucket ARN; without, the object ARN.
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [this.bucket.bucketArn, this.bucket.arnForObjects('*')] },
          },
        }),
        reason: versions,
      },
      {
        statement: new iam.PolicyStatement({
          sid: 'EncryptReplicas',
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [destinationKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${destinationRegion}.${stack.urlSuffix}` },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [replication.destination.bucketArn, replication.destination.arnForObjects('*')] },
          },
        }),
        reason: versions,
      },
    ];
    for (const { statement } of statements) role.addToPolicy(statement);
    NagNames.acknowledgeWildcardResources(role, statements);
    Validations.of(role).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'the replication role serves exactly one bucket\'s replication rule; inline keeps its statements deleted with the role and never attachable elsewhere',
    });
  }
}

function validate(scope: Construct, props: VeleroBackupsProps): void {
  if (props.namespaces.length === 0) {
    PropsCheck.fail(scope, 'namespaces', 'is empty, so the schedule would back up nothing', 'list the platform and workload namespaces to back up');
  }
  const schedule = props.schedule;
  if (schedule !== undefined && !Token.isUnresolved(schedule) && schedule.trim().split(/\s+/).length !== 5) {
    PropsCheck.fail(scope, 'schedule', `"${schedule}" is not a 5-field cron expression`, 'use minute hour day-of-month month day-of-week, for example "0 3 * * *"');
  }
  if (props.ttl && (props.ttl.toHours({ integral: false }) < 1)) {
    PropsCheck.fail(scope, 'ttl', `${props.ttl.toHumanString()} is shorter than an hour`, 'keep backups for at least one hour; 30 days is the default');
  }
  const names = new Set<string>(['default']);
  for (const location of props.readOnlyLocations ?? []) {
    PropsCheck.dnsLabel(scope, 'readOnlyLocations', location.name);
    if (names.has(location.name)) {
      PropsCheck.fail(scope, 'readOnlyLocations', `location name "${location.name}" is repeated`, 'use distinct names other than "default", for example primary-replica');
    }
    names.add(location.name);
  }
}
