import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagPack, proofApp, ProofAppOptions } from '../src';

export const DLQ_ACK = { id: 'AwsSolutions-SQS3', reason: 'test: no DLQ on purpose' };
export const RANGE_ACK = { id: 'CloudFormation-Validate::F3034', reason: 'test: out-of-range timeout on purpose' };

export interface Shape {
  /** Plant an out-of-range, unencrypted queue without a DLQ in the `Changing` stack. */
  readonly plant?: boolean;
  /** Acknowledge the planted queue's DLQ rule (cdk-nag) and its range rule (CloudFormation validation). */
  readonly acknowledge?: boolean;
  /** The bucket in `Steady` as a `CfnBucket` (true) or a plain `CfnResource` of the same type, which renders the same template. */
  readonly typedBucket?: boolean;
}

/**
 * Two stacks under both nag packs and CloudFormation validation: `Steady`
 * never changes; `Changing` gets what a test plants. Plain module (no jest),
 * so a child process can build the same app.
 */
export function build(
  cache: string | false, shape: Shape = {}, outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'proof-validation-cache-out-')), options: ProofAppOptions = {},
): App {
  const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5], validationCache: cache, outdir, ...options });
  const env = { account: '111111111111', region: 'eu-west-1' };
  const secure = { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED };

  const steady = new Stack(app, 'Steady', { env });
  const dlq = new sqs.Queue(steady, 'Dlq', secure);
  new sqs.Queue(steady, 'Queue', { ...secure, deadLetterQueue: { maxReceiveCount: 3, queue: dlq } });
  const bucket = shape.typedBucket ? new s3.CfnBucket(steady, 'Bucket') : new CfnResource(steady, 'Bucket', { type: 'AWS::S3::Bucket' });
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test' }, { id: 'AwsSolutions-S10', reason: 'test' });

  const changing = new Stack(app, 'Changing', { env });
  new sqs.Queue(changing, 'Fine', { ...secure, deadLetterQueue: { maxReceiveCount: 3, queue: new sqs.Queue(changing, 'FineDlq', secure) } });
  if (shape.plant) {
    const planted = new sqs.CfnQueue(changing, 'Planted', { visibilityTimeout: 999_999 });
    if (shape.acknowledge) Validations.of(planted).acknowledge(DLQ_ACK, RANGE_ACK);
  }
  return app;
}
