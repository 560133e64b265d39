import { ReasonedStatement } from '@keelson/eks-core';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Where the controller registers: the registry region, the Kubernetes
 * namespaces it may export from, and (when the registry is in this stack)
 * the Cloud Map namespaces and their hosted zones.
 */
export interface CloudMapRegistry {
  readonly region: string;
  readonly namespaceNames: string[];
  /** ARNs of the registry's namespaces, when this stack owns them. */
  readonly namespaceArns?: string[];
  /** Route 53 hosted zone IDs of the registry's namespaces, when this stack owns them. */
  readonly hostedZoneIds?: string[];
}

/**
 * The MCS controller's permissions, from the calls it makes (v0.3.1:
 * `ListNamespaces`, `ListServices`, `GetOperation`, `CreateService`,
 * `DiscoverInstances`, `RegisterInstance`, `DeregisterInstance`) and what
 * Cloud Map needs of its caller to write the DNS records of a private DNS
 * namespace (Route 53 record changes and the hosted zone's read).
 *
 * Not granted: `CreateHttpNamespace`. The controller creates an HTTP
 * namespace for an export in a Kubernetes namespace with no Cloud Map
 * namespace; without the permission such an export fails, so only the
 * declared namespaces carry registrations.
 *
 * In the registry's own stack the namespace ARNs and hosted zones are known
 * and named. A cluster whose registry is in another region cannot know them
 * at synth without a deploy-time read of that region, which would make the
 * DR stack undeployable while the primary region is down; there they are
 * region-scoped, and record changes are limited by record name to the
 * exported namespaces' domains.
 */
export function cloudMapRegistrationStatements(scope: Construct, registry: CloudMapRegistry): ReasonedStatement[] {
  const stack = Stack.of(scope);
  const arn = (resource: string) => stack.formatArn({ service: 'servicediscovery', region: registry.region, resource, resourceName: '*' });
  const assigned = 'Cloud Map assigns the IDs of the services the controller creates, so only service/* in the registry region can name them';
  const elsewhere = registry.namespaceArns ? '' : '; outside the registry\'s stack its namespace IDs are not known at synth without a deploy-time cross-region read, '
    + 'which would tie this stack\'s deploys to the registry region';
  const zones = registry.hostedZoneIds?.map((id) => stack.formatArn({ service: 'route53', region: '', account: '', resource: 'hostedzone', resourceName: id }))
    ?? [stack.formatArn({ service: 'route53', region: '', account: '', resource: 'hostedzone', resourceName: '*' })];
  const namespaces = registry.namespaceArns ?? [arn('namespace')];
  const zoneReason = 'the registry\'s hosted zones are created by Cloud Map in the registry\'s stack and are not known at synth elsewhere '
    + 'without a deploy-time cross-region read, which would tie this stack\'s deploys to the registry region';
  return [
    {
      statement: new iam.PolicyStatement({
        sid: 'ListTheRegistry',
        actions: ['servicediscovery:ListNamespaces', 'servicediscovery:ListServices'],
        resources: ['*'],
      }),
      reason: 'ListNamespaces and ListServices have no resource types in the Service Authorization Reference: they accept only "*"',
    },
    {
      statement: new iam.PolicyStatement({
        sid: 'CreateServicesInExportedNamespaces',
        actions: ['servicediscovery:CreateService'],
        resources: [...namespaces, arn('service')],
      }),
      reason: `CreateService authorizes the service it creates too; ${assigned}; the namespace resource limits where${elsewhere}`,
    },
    {
      statement: new iam.PolicyStatement({
        sid: 'FollowOperations',
        actions: ['servicediscovery:GetOperation'],
        resources: [...namespaces, arn('service')],
      }),
      reason: `GetOperation reads the state of the controller's own CreateService and RegisterInstance calls; ${assigned}${elsewhere}`,
    },
    {
      statement: new iam.PolicyStatement({
        sid: 'RegisterEndpoints',
        actions: ['servicediscovery:RegisterInstance', 'servicediscovery:DeregisterInstance'],
        resources: [arn('service')],
      }),
      reason: `a service ARN carries no namespace and ${assigned}; CreateService above limits which namespaces hold services`,
    },
    {
      statement: new iam.PolicyStatement({
        sid: 'DiscoverExportedNamespaces',
        actions: ['servicediscovery:DiscoverInstances'],
        resources: [arn('namespace'), arn('service')],
        conditions: { StringEquals: { 'servicediscovery:NamespaceName': registry.namespaceNames } },
      }),
      reason: 'the servicediscovery:NamespaceName condition limits discovery to the exported namespaces; the services are the controller\'s own, with IDs Cloud Map assigns',
    },
    {
      statement: new iam.PolicyStatement({
        sid: 'WriteExportedNamespacesRecords',
        actions: ['route53:ChangeResourceRecordSets'],
        resources: zones,
        conditions: {
          'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': registry.namespaceNames.map((n) => `*.${n}`) },
        },
      }),
      reason: `${zoneReason}; the route53:ChangeResourceRecordSetsNormalizedRecordNames condition limits changes to names in the exported namespaces`,
    },
    {
      statement: new iam.PolicyStatement({
        sid: 'ReadExportedNamespacesZones',
        actions: ['route53:GetHostedZone'],
        resources: zones,
      }),
      reason: `${zoneReason}; GetHostedZone only reads`,
    },
  ];
}
