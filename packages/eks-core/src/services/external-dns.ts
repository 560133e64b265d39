import { KeelsonTags, PropsCheck } from '@keelson/conventions';
import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { EksCoreVersions } from '../eks-core-versions';
import { NagNames } from '../kit/nag-names';
import { PlatformChart } from '../kit/platform-chart';
import { PlatformNamespaces } from '../kit/platform-namespaces';
import { WorkloadIdentity } from '../kit/workload-identity';
import { WorkloadRole } from '../kit/workload-role';

/** What external-dns may do to the records it finds in its zones. */
export enum ExternalDnsPolicy {
  /** Create and update records, never delete one (`--policy=upsert-only`). */
  UPSERT_ONLY = 'upsert-only',
  /** Create, update and delete the records it owns (`--policy=sync`). */
  SYNC = 'sync',
  /** Create records only (`--policy=create-only`). */
  CREATE_ONLY = 'create-only',
}

/** Options of external-dns (also used by `PlatformServices`). */
export interface ExternalDnsOptions {
  /**
   * Install it (read by `PlatformServices` only). `true` without `hostedZones` is refused.
   *
   * @default - installed when `hostedZones` is given
   */
  readonly enabled?: boolean;

  /**
   * The Route 53 hosted zones external-dns writes to; its role may change
   * records in these zones only.
   *
   * @default - none (required by `ExternalDns`; `PlatformServices` installs nothing without them)
   */
  readonly hostedZones?: route53.IHostedZone[];

  /**
   * Domains whose names external-dns manages (`--domain-filter`); names
   * outside them are ignored and refused by the role's record-name condition.
   *
   * @default - the hosted zones' names
   */
  readonly domainFilters?: string[];

  /**
   * The owner id written in the TXT registry records (`--txt-owner-id`).
   * Each cluster needs its own, so the primary and DR clusters never take
   * over each other's records.
   *
   * @default - the cluster's name
   */
  readonly txtOwnerId?: string;

  /**
   * What external-dns may do to records.
   *
   * @default ExternalDnsPolicy.UPSERT_ONLY
   */
  readonly policy?: ExternalDnsPolicy;

  /**
   * Kubernetes sources of host names (`--source`).
   *
   * @default ['ingress', 'service']
   */
  readonly sources?: string[];

  /**
   * How external-dns gets its IAM role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Helm chart version.
   *
   * @default EksCoreVersions.EXTERNAL_DNS
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** Properties of {@link ExternalDns}. */
export interface ExternalDnsProps extends ExternalDnsOptions {
  /** The cluster. */
  readonly cluster: eks.ICluster;
  /** The cluster's name (the default TXT owner id). */
  readonly clusterName: string;
  /**
   * The namespace registry the `external-dns` namespace joins.
   *
   * @default - the chart creates its namespace itself
   */
  readonly namespaces?: PlatformNamespaces;
}

const NAMESPACE = 'external-dns';
const SERVICE_ACCOUNT = 'external-dns';
const SOURCES = ['ingress', 'service', 'gateway-httproute', 'gateway-grpcroute', 'gateway-tlsroute', 'gateway-tcproute', 'gateway-udproute', 'istio-gateway', 'istio-virtualservice', 'crd'];
// The record types external-dns writes for ALB/NLB hosts: alias A/AAAA, CNAME, and its TXT registry.
const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'];
const ACTIONS: Record<ExternalDnsPolicy, string[]> = {
  [ExternalDnsPolicy.CREATE_ONLY]: ['CREATE'],
  [ExternalDnsPolicy.UPSERT_ONLY]: ['CREATE', 'UPSERT'],
  [ExternalDnsPolicy.SYNC]: ['CREATE', 'UPSERT', 'DELETE'],
};

/**
 * external-dns (Helm, pinned) writing Route 53 records for the hosts of the
 * cluster's Ingresses and LoadBalancer Services, so every UI the platform
 * exposes resolves without a manual step. Its role may change records in the
 * given hosted zones only, only under the domain filters, only of the types
 * it writes and only with the actions its policy allows; `upsert-only` by
 * default, so it never deletes a record. Each cluster writes TXT ownership
 * records under its own owner id: the DR cluster writes its own names and
 * never overwrites the primary's.
 */
export class ExternalDns extends Construct {
  /** The workload role. */
  public readonly role: WorkloadRole;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart with its namespace, service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The TXT owner id. */
  public readonly txtOwnerId: string;
  /** The domains it manages. */
  public readonly domainFilters: string[];

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    KeelsonTags.component(this, 'external-dns');
    const zones = props.hostedZones ?? [];
    if (zones.length === 0) {
      PropsCheck.fail(this, 'hostedZones', 'is empty; external-dns would have no zone to write to', 'give the Route 53 hosted zone(s) of the platform domain, or leave external-dns out (externalDns.enabled: false)');
    }
    this.domainFilters = props.domainFilters ?? zones.map((z) => z.zoneName);
    this.domainFilters.forEach((d, i) => {
      if (!Token.isUnresolved(d) && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d)) {
        PropsCheck.fail(this, `domainFilters[${i}]`, `"${d}" is not a lower-case domain name`, 'give a domain such as platform.example.com, without a trailing dot or wildcard');
      }
    });
    this.txtOwnerId = props.txtOwnerId ?? props.clusterName;
    if (!Token.isUnresolved(this.txtOwnerId) && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(this.txtOwnerId)) {
      PropsCheck.fail(this, 'txtOwnerId', `"${this.txtOwnerId}" is not a usable owner id`, 'use letters, digits, ".", "_" and "-" (up to 128), unique per cluster');
    }
    const policy = props.policy ?? ExternalDnsPolicy.UPSERT_ONLY;
    const sources = props.sources ?? ['ingress', 'service'];
    if (sources.length === 0) PropsCheck.fail(this, 'sources', 'is empty; external-dns would find no host names', "give at least one source, such as 'ingress'");
    sources.forEach((s, i) => {
      if (!SOURCES.includes(s)) PropsCheck.fail(this, `sources[${i}]`, `"${s}" is not an external-dns source Keelson knows`, `use one of ${SOURCES.join(', ')}`);
    });

    const stack = Stack.of(this);
    const zoneArns = zones.map((z) => z.hostedZoneArn);
    const listZones = new iam.PolicyStatement({ actions: ['route53:ListHostedZones'], resources: ['*'] });
    this.role = new WorkloadRole(this, 'Role', {
      cluster: props.cluster,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `external-dns of ${props.clusterName} (${NAMESPACE}/${SERVICE_ACCOUNT})`,
      statements: [
        new iam.PolicyStatement({
          actions: ['route53:ChangeResourceRecordSets'],
          resources: zoneArns,
          conditions: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsRecordTypes': RECORD_TYPES,
              'route53:ChangeResourceRecordSetsActions': ACTIONS[policy],
            },
            // Normalized names are lower case without the trailing dot: the domain itself and names under it.
            'ForAllValues:StringLike': {
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': this.domainFilters.flatMap((d) => [d, `*.${d}`]),
            },
          },
        }),
        new iam.PolicyStatement({ actions: ['route53:ListResourceRecordSets', 'route53:ListTagsForResources'], resources: zoneArns }),
        listZones,
      ],
    });
    NagNames.acknowledgeWildcardResources(this.role.role, [{
      statement: listZones,
      reason: 'route53:ListHostedZones has no resource type (IAM service authorization reference); external-dns lists zones and keeps only those of --zone-id-filter, and its writes are limited to those zones\' ARNs',
    }]);

    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.cluster,
      pin: EksCoreVersions.EXTERNAL_DNS,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'external-dns',
      namespace: NAMESPACE,
      namespaces: props.namespaces,
      // Its state is the TXT registry in Route 53: nothing to back up in the cluster.
      backup: false,
      serviceAccount: { role: this.role },
      values: {
        provider: { name: 'aws' },
        serviceAccount: { create: false, name: SERVICE_ACCOUNT },
        sources,
        policy,
        registry: 'txt',
        txtOwnerId: this.txtOwnerId,
        domainFilters: this.domainFilters,
        // Route 53 is global; the SDK still needs a region for its endpoint and STS.
        env: [{ name: 'AWS_DEFAULT_REGION', value: stack.region }],
        extraArgs: zones.map((z) => `--zone-id-filter=${z.hostedZoneId}`),
        priorityClassName: 'system-cluster-critical',
      },
      valueOverrides: props.valueOverrides,
    });
    // external-dns writes Route 53 records.
    this.platformChart.traffic?.allowAwsApis();
    this.chart = this.platformChart.chart;
  }
}
