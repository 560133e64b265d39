import { KeelsonCommonProps, KeelsonTags } from '@keelson/conventions';
import { ExternalSecretsOperator, PlatformNamespaces } from '@keelson/eks-core';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Falco, FalcoOptions } from './falco/falco';
import { Gatekeeper, GatekeeperOptions } from './gatekeeper/gatekeeper';
import { Kyverno, KyvernoOptions } from './kyverno/kyverno';
import { ManagedObjectGuard } from './managed-object-guard';
import { WorkloadNetworkPolicies, WorkloadNetworkPoliciesOptions } from './network/workload-network-policies';
import { PolicyEnforcement } from './policy-enforcement';

/** Properties of {@link ClusterSecurity}. Every part is on unless switched off. */
export interface ClusterSecurityProps extends KeelsonCommonProps {
  /** The cluster's namespace registry: every part covers its workload namespaces. */
  readonly namespaces: PlatformNamespaces;

  /**
   * The cluster's External Secrets Operator (delivers Falcosidekick's Slack webhook).
   *
   * @default - none (Falco's Slack output needs it)
   */
  readonly externalSecrets?: ExternalSecretsOperator;

  /**
   * Key encrypting Falco's events log group, findings topic and importer.
   *
   * @default - Falco creates one
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What Gatekeeper and Kyverno do with a violation in each workload namespace.
   * One prop for both engines; a part's own `enforcement` option overrides it.
   *
   * @default PolicyEnforcement.byEnvironment() - deny, except warn in `dev`
   */
  readonly enforcement?: PolicyEnforcement;

  /**
   * Install Gatekeeper with its policy packs.
   *
   * @default true
   */
  readonly gatekeeper?: boolean;
  /**
   * Gatekeeper settings.
   *
   * @default - the workload policy pack
   */
  readonly gatekeeperOptions?: GatekeeperOptions;

  /**
   * Default-deny NetworkPolicies in every workload namespace.
   *
   * @default true
   */
  readonly networkPolicies?: boolean;
  /**
   * NetworkPolicy settings.
   *
   * @default - load balancers from the cluster VPC, no in-cluster ingress controller
   */
  readonly networkPoliciesOptions?: WorkloadNetworkPoliciesOptions;

  /**
   * Install Kyverno.
   *
   * @default true
   */
  readonly kyverno?: boolean;
  /**
   * Kyverno settings; give `imageSignatures` to verify images with a cosign key.
   *
   * @default - Kyverno without the signature policy
   */
  readonly kyvernoOptions?: KyvernoOptions;

  /**
   * Install Falco and Falcosidekick.
   *
   * @default true
   */
  readonly falco?: boolean;
  /**
   * Refuse changes to objects labelled `app.kubernetes.io/managed-by: keelson`
   * by developers, the read-only persona and workload service accounts
   * (`ManagedObjectGuard`), so nobody but an administrator removes the
   * platform's NetworkPolicies.
   *
   * @default true
   */
  readonly managedObjectGuard?: boolean;
  /**
   * Falco settings (Slack, CloudWatch Logs, Security Hub).
   *
   * @default - CloudWatch Logs and Security Hub on, no Slack
   */
  readonly falcoOptions?: FalcoOptions;
}

/**
 * In-cluster security for one cluster: Gatekeeper (workload policies in Rego
 * v1), default-deny NetworkPolicies, Kyverno (cosign image verification) and
 * Falco with Falcosidekick (runtime detection to Slack, CloudWatch Logs and
 * Security Hub), all over the namespace registry's workload namespaces, with
 * one enforcement setting.
 */
export class ClusterSecurity extends Construct {
  /** Gatekeeper, when enabled. */
  public readonly gatekeeper?: Gatekeeper;
  /** The NetworkPolicies, when enabled. */
  public readonly networkPolicies?: WorkloadNetworkPolicies;
  /** Kyverno, when enabled. */
  public readonly kyverno?: Kyverno;
  /** Falco, when enabled. */
  public readonly falco?: Falco;
  /** The guard of the platform's objects, when enabled. */
  public readonly managedObjectGuard?: ManagedObjectGuard;

  constructor(scope: Construct, id: string, props: ClusterSecurityProps) {
    super(scope, id);
    KeelsonTags.component(this, 'cluster-security');
    const enforcement = props.enforcement ?? PolicyEnforcement.byEnvironment();
    if (props.networkPolicies ?? true) {
      this.networkPolicies = new WorkloadNetworkPolicies(this, 'NetworkPolicies', { ...props.networkPoliciesOptions, namespaces: props.namespaces });
    }
    if (props.managedObjectGuard ?? true) {
      this.managedObjectGuard = new ManagedObjectGuard(this, 'ManagedObjectGuard', { namespaces: props.namespaces });
    }
    if (props.gatekeeper ?? true) {
      this.gatekeeper = new Gatekeeper(this, 'Gatekeeper', {
        ...props.gatekeeperOptions, enforcement: props.gatekeeperOptions?.enforcement ?? enforcement, namespaces: props.namespaces,
      });
      // The referential policy denies workloads in a namespace without a NetworkPolicy: create those first.
      if (this.networkPolicies) this.gatekeeper.constraints.node.addDependency(this.networkPolicies);
    }
    if (props.kyverno ?? true) {
      this.kyverno = new Kyverno(this, 'Kyverno', { ...props.kyvernoOptions, enforcement, namespaces: props.namespaces });
    }
    if (props.falco ?? true) {
      this.falco = new Falco(this, 'Falco', {
        ...props.falcoOptions,
        environmentSuffix: props.environmentSuffix,
        removalPolicy: props.removalPolicy,
        namespaces: props.namespaces,
        externalSecrets: props.externalSecrets,
        encryptionKey: props.encryptionKey,
      });
    }
  }
}
