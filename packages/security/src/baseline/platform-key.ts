import { KeelsonCommonProps, KeyPolicies, PropsCheck, ResourceNaming, StatefulRemoval } from '@keelson/conventions';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props of {@link PlatformKey}. */
export interface PlatformKeyProps extends KeelsonCommonProps {
  /**
   * What the key protects; the alias is `alias/<purpose>-<environmentSuffix>`.
   * Lowercase letters, digits and hyphens, starting with a letter.
   */
  readonly purpose: string;

  /**
   * Key description.
   * @default - "Keelson <purpose> key"
   */
  readonly description?: string;
}

/**
 * A customer-managed KMS key with rotation on, an alias named by the naming
 * convention and helpers that scope its key policy to the AWS services that
 * use it (CloudWatch Logs, CloudTrail).
 */
export class PlatformKey extends Construct {
  /** The key. */
  public readonly key: kms.Key;
  /** The alias, `alias/<purpose>-<environmentSuffix>`. */
  public readonly alias: kms.Alias;

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{0,100}$/.test(props.purpose)) {
      PropsCheck.fail(this, 'purpose', `"${props.purpose}" is not a valid key purpose`, 'use lowercase letters, digits and hyphens, starting with a letter');
    }
    const naming = ResourceNaming.of(this, props.environmentSuffix);
    this.key = new kms.Key(this, 'Key', {
      description: props.description ?? `Keelson ${props.purpose} key`,
      enableKeyRotation: true,
      ...StatefulRemoval.of(props.removalPolicy).key,
    });
    this.alias = new kms.Alias(this, 'Alias', {
      aliasName: `alias/${naming.name(props.purpose, 256 - 'alias/'.length)}`,
      targetKey: this.key,
      removalPolicy: StatefulRemoval.of(props.removalPolicy).policy,
    });
  }

  /**
   * Let CloudWatch Logs in this region use the key for one log group, bound
   * by the `kms:EncryptionContext:aws:logs:arn` condition.
   */
  public allowCloudWatchLogs(logGroupName: string): void {
    KeyPolicies.allowCloudWatchLogs(this.key, logGroupName);
  }

  /**
   * Let CloudTrail encrypt log files for one trail of this account
   * (`aws:SourceArn` and `kms:EncryptionContext:aws:cloudtrail:arn` conditions)
   * and describe the key.
   */
  public allowCloudTrail(trailName: string): void {
    const stack = Stack.of(this);
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
    const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailEncrypt',
      principals: [principal],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': stack.formatArn({ service: 'cloudtrail', region: '*', resource: 'trail', resourceName: '*' }) },
      },
    }));
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailDescribe',
      principals: [principal],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }));
  }
}
