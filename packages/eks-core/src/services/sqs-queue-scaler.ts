import { PropsCheck } from '@keelson/conventions';
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Keda } from './keda';
import { checkKind, checkReplicas, scaleTargetRef } from '../private/scaling';
import { checkDnsLabel } from '../private/services';

/** Properties of {@link SqsQueueScaler}. */
export interface SqsQueueScalerProps {
  /** KEDA; its operator role is granted `sqs:GetQueueAttributes` on the queue, nothing else. */
  readonly keda: Keda;
  /** The queue whose depth drives scaling. */
  readonly queue: sqs.IQueue;
  /** Namespace of the workload. */
  readonly namespace: string;
  /** Name of the workload to scale. */
  readonly scaleTargetName: string;
  /**
   * Kind of the workload: `Deployment`, `StatefulSet` or `Rollout`.
   *
   * @default 'Deployment'
   */
  readonly scaleTargetKind?: string;
  /**
   * Visible messages per replica.
   *
   * @default 5
   */
  readonly messagesPerReplica?: number;
  /**
   * Minimum replicas (0 scales to zero on an empty queue).
   *
   * @default 0
   */
  readonly minReplicas?: number;
  /**
   * Maximum replicas.
   *
   * @default 10
   */
  readonly maxReplicas?: number;
}

/**
 * Scale a workload on SQS queue depth: a KEDA `aws-sqs-queue` trigger whose
 * TriggerAuthentication uses the KEDA operator's identity (`podIdentity`
 * provider `aws`, `identityOwner: keda`); the operator's workload role gains
 * only `sqs:GetQueueAttributes` on this queue.
 */
export class SqsQueueScaler extends Construct {
  /** The TriggerAuthentication and ScaledObject. */
  public readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: SqsQueueScalerProps) {
    super(scope, id);
    const kind = props.scaleTargetKind ?? 'Deployment';
    checkKind(this, kind);
    checkDnsLabel(this, 'namespace', props.namespace);
    checkDnsLabel(this, 'scaleTargetName', props.scaleTargetName);
    const min = props.minReplicas ?? 0;
    const max = props.maxReplicas ?? 10;
    checkReplicas(this, min, max);
    const perReplica = props.messagesPerReplica ?? 5;
    PropsCheck.inRange(this, 'messagesPerReplica', perReplica, 1, 100000);

    props.keda.operatorRole.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sqs:GetQueueAttributes'],
      resources: [props.queue.queueArn],
    }));

    const authName = `${props.scaleTargetName}-sqs`;
    this.manifest = new eks.KubernetesManifest(this, 'ScaledObject', {
      cluster: props.keda.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'TriggerAuthentication',
          metadata: { name: authName, namespace: props.namespace },
          spec: { podIdentity: { provider: 'aws', identityOwner: 'keda' } },
        },
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: `${props.scaleTargetName}-queue`, namespace: props.namespace },
          spec: {
            scaleTargetRef: scaleTargetRef(props.scaleTargetName, kind),
            minReplicaCount: min,
            maxReplicaCount: max,
            triggers: [{
              type: 'aws-sqs-queue',
              name: 'queue-depth',
              authenticationRef: { name: authName },
              metadata: {
                queueURL: props.queue.queueUrl,
                queueLength: String(perReplica),
                awsRegion: Stack.of(this).region,
              },
            }],
          },
        },
      ],
    });
    this.manifest.node.addDependency(props.keda.chart);
  }
}
