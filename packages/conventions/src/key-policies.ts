import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/** Key-policy statements Keelson keys share. */
export class KeyPolicies {
  /**
   * Let CloudWatch Logs in the key's region use `key` for one log group only,
   * bound by the `kms:EncryptionContext:aws:logs:arn` condition. The statement
   * id is `AllowCloudWatchLogs<group name without punctuation>`. An imported
   * key is left untouched (allowNoOp): its policy is not ours to change.
   *
   * @param key the key that encrypts the log group
   * @param logGroupName the log group's name, for example `/aws/eks/platform-dev/cluster`
   */
  public static allowCloudWatchLogs(key: kms.IKey, logGroupName: string): void {
    const stack = Stack.of(key);
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowCloudWatchLogs${logGroupName.replace(/[^A-Za-z0-9]/g, '')}`,
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }), true);
  }

  private constructor() {}
}
