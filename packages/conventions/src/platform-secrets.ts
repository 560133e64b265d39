import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { KeelsonCommonProps } from './common-props';
import { PropsCheck } from './props-check';
import { StatefulRemoval } from './removal';
import { KeelsonTags } from './tagging';

/** One secret the platform reads, created as an empty shell. */
export interface PlatformSecretSpec {
  /** The secret's name in Secrets Manager (what the platform's ExternalSecrets and functions reference). */
  readonly name: string;
  /** What the secret is for and what operators put in it (its keys); shown in the console. */
  readonly description: string;
}

/** A region the platform secrets are replicated to. */
export interface PlatformSecretReplica {
  /** The region, for example `us-west-2`. */
  readonly region: string;
  /**
   * ARN of the KMS key (in that region) encrypting the replicas.
   *
   * @default - the region's AWS managed key for Secrets Manager (`aws/secretsmanager`)
   */
  readonly kmsKeyId?: string;
}

/** Properties of {@link PlatformSecrets}. */
export interface PlatformSecretsProps extends KeelsonCommonProps {
  /** The secrets, each created empty. */
  readonly secrets: PlatformSecretSpec[];

  /**
   * Regions the secrets are replicated to (a value written in this region reaches them within minutes).
   *
   * @default - none
   */
  readonly replicas?: PlatformSecretReplica[];

  /**
   * The KMS key encrypting the secrets in this region. Readers need `kms:Decrypt` on it.
   *
   * @default - a new key with rotation, removed per `removalPolicy`, whose policy lets any principal of the account decrypt through Secrets Manager (as the AWS managed key does), so a reader needs only its secret permissions
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The Secrets Manager secrets a platform reads (OAuth client secrets, SCM
 * tokens, Slack webhooks), created as empty shells: a name, a description, a
 * KMS key and replicas in the other regions, and no value. CloudFormation
 * creates a secret with no version when neither `SecretString` nor
 * `GenerateSecretString` is given, so no value, generated or placeholder,
 * ever appears in a template; operators put each value once, in this region
 * (`aws secretsmanager put-secret-value`), and Secrets Manager copies it to
 * the replicas. Until then a reader fails visibly (no `AWSCURRENT` version)
 * instead of reading a fake value.
 */
export class PlatformSecrets extends Construct {
  /** The secrets, by name. */
  public readonly secrets: { [name: string]: secretsmanager.Secret } = {};
  /** The key encrypting them in this region. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: PlatformSecretsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'platform-secrets');
    if (props.secrets.length === 0) PropsCheck.fail(this, 'secrets', 'is empty', 'list the secrets the platform reads, or leave PlatformSecrets out');
    const seen = new Set<string>();
    props.secrets.forEach((s, i) => {
      if (!Token.isUnresolved(s.name) && !/^[\w/+=.@-]{1,512}$/.test(s.name)) {
        PropsCheck.fail(this, `secrets[${i}].name`, `"${s.name}" is not a Secrets Manager name`, 'use letters, digits and /_+=.@- (up to 512)');
      }
      if (seen.has(s.name)) PropsCheck.fail(this, `secrets[${i}].name`, `"${s.name}" is listed twice`, 'list each secret once');
      seen.add(s.name);
      if (s.description.trim().length === 0) PropsCheck.fail(this, `secrets[${i}].description`, 'is empty', 'say what the secret is for and which keys operators put in it');
    });
    (props.replicas ?? []).forEach((r, i) => PropsCheck.region(this, `replicas[${i}].region`, r.region));
    const removal = StatefulRemoval.of(props.removalPolicy);
    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
    } else {
      const key = new kms.Key(this, 'Key', {
        description: 'Keelson platform secrets (OAuth client secrets, SCM tokens, webhooks)',
        enableKeyRotation: true,
        ...removal.key,
      });
      // As the AWS managed key does: whoever may read a secret of this account may decrypt it,
      // through Secrets Manager only; who reads which secret stays with their IAM permissions.
      const stack = Stack.of(this);
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'DecryptThroughSecretsManagerInThisAccount',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:CallerAccount': stack.account, 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` } },
      }));
      this.encryptionKey = key;
    }

    props.secrets.forEach((spec, i) => {
      const secret = new secretsmanager.Secret(this, `Secret${i}`, {
        secretName: spec.name,
        description: spec.description,
        encryptionKey: this.encryptionKey,
        replicaRegions: (props.replicas ?? []).map((r) => ({ region: r.region, encryptionKey: r.kmsKeyId ? kms.Key.fromKeyArn(this, `ReplicaKey${i}${r.region}`, r.kmsKeyId) : undefined })),
        removalPolicy: removal.policy,
      });
      // The L2 generates a value unless told otherwise; a shell has none.
      (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
      Validations.of(secret).acknowledge(
        { id: 'AwsSolutions-SMG4', reason: 'the value is a credential issued by a third party (GitHub OAuth app, GitHub token, Slack webhook, identity provider): Secrets Manager cannot rotate it; operators rotate it at the issuer and put the new value (docs/operations/secret-rotation.md)' },
        { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason: 'the value is a credential issued by a third party (GitHub OAuth app, GitHub token, Slack webhook, identity provider): Secrets Manager cannot rotate it; operators rotate it at the issuer and put the new value (docs/operations/secret-rotation.md)' },
      );
      this.secrets[spec.name] = secret;
    });
  }
}
