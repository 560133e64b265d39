import { HardenedBucket, KeelsonCommonProps, PropsCheck } from '@keelson/conventions';
import { NagNames, ReasonedStatement, WorkloadIdentity, WorkloadRole } from '@keelson/eks-core';
import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** What {@link objectStore} is built from (a store's props, spread, plus what it stores). */
export interface ObjectStoreInput extends KeelsonCommonProps {
  readonly cluster: eks.ICluster;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** @default WorkloadIdentity.POD_IDENTITY */
  readonly identity?: WorkloadIdentity;
  /** Who stores what, for the key, the role and the bucket's reasons (`Loki log store`). */
  readonly purpose: string;
  /** How long the store keeps data (checked: whole days, at least one); the bucket expires objects a day later as a backstop. */
  readonly retention?: Duration;
  /** The retention without one given. */
  readonly defaultRetentionDays: number;
  /** The object actions the store needs (beyond `s3:ListBucket` on the bucket). */
  readonly objectActions: string[];
  /** Why the object ARN ends in `/*`. */
  readonly wildcardReason: string;
  /** Why the bucket is not replicated. */
  readonly notReplicatedReason: string;
}

/** A KMS-encrypted bucket and the workload role that alone may use it. */
export interface ObjectStore {
  readonly bucket: s3.IBucket;
  readonly role: WorkloadRole;
  readonly retentionDays: number;
  /** Whether the role is bound by IRSA (the chart's service account then carries the role ARN annotation). */
  readonly irsa: boolean;
}

/**
 * A telemetry store's bucket (a `HardenedBucket` with its own KMS key and an
 * expiry backstop a day past the store's own retention) and its workload
 * role, limited to that bucket and key. Loki and Tempo both store this way.
 */
export function objectStore(scope: Construct, input: ObjectStoreInput): ObjectStore {
  const retentionDays = (input.retention ?? Duration.days(input.defaultRetentionDays)).toDays({ integral: false });
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    PropsCheck.fail(scope, 'retention', `${retentionDays} days is not a whole number of days of at least 1`, 'give Duration.days(n) with n >= 1');
  }
  const store = new HardenedBucket(scope, 'Bucket', {
    environmentSuffix: input.environmentSuffix,
    removalPolicy: input.removalPolicy,
    keyDescription: `Keelson ${input.purpose}`,
    lifecycleRules: [{
      id: 'retention-backstop',
      expiration: Duration.days(retentionDays + 1),
      noncurrentVersionExpiration: Duration.days(1),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    }],
    notReplicatedReason: input.notReplicatedReason,
  });
  const reason = input.wildcardReason;
  const statements: ReasonedStatement[] = [
    {
      statement: new iam.PolicyStatement({ sid: 'StoreObjects', actions: input.objectActions, resources: [store.bucket.arnForObjects('*')] }),
      reason,
    },
    { statement: new iam.PolicyStatement({ sid: 'StoreBucket', actions: ['s3:ListBucket'], resources: [store.bucket.bucketArn] }), reason },
    {
      statement: new iam.PolicyStatement({ sid: 'StoreKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [store.encryptionKey!.keyArn] }),
      reason,
    },
  ];
  const role = new WorkloadRole(scope, 'Role', {
    cluster: input.cluster,
    namespace: input.namespace,
    serviceAccount: input.serviceAccount,
    identity: input.identity ?? WorkloadIdentity.POD_IDENTITY,
    statements: statements.map((s) => s.statement),
    description: `${input.purpose} (${input.namespace}/${input.serviceAccount}): its bucket and key only`,
  });
  NagNames.acknowledgeWildcardResources(role, statements);
  return { bucket: store.bucket, role, retentionDays, irsa: role.identity === WorkloadIdentity.IRSA };
}
