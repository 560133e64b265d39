import { LibraryFunctions, PropsCheck } from '@keelson/conventions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** Props of {@link CostAllocationTags}. */
export interface CostAllocationTagsProps {
  /**
   * The tag keys to activate for cost allocation.
   *
   * @default ['Environment', 'Project', 'Component', 'Owner'] (the platform's `KeelsonTags`)
   */
  readonly tagKeys?: string[];
}

/**
 * Activates the platform's tags as cost allocation tags, so Cost Explorer,
 * budgets and the CUR can group by them.
 *
 * No CloudFormation resource does this; Cost Explorer's
 * `UpdateCostAllocationTagsStatus` API does, so a narrowly scoped
 * `AwsCustomResource` calls it on every deploy (activating an active tag is
 * not an error). Removing the construct leaves the tags active: activation is
 * account-wide, and other teams' reports may group by the same keys.
 *
 * Only the management account (or a standalone account) may call the API,
 * and a key is accepted only once it has appeared in billing data (up to 24
 * hours after a tagged resource exists); until then the API lists the key in
 * its `Errors` and a later deploy activates it.
 */
export class CostAllocationTags extends Construct {
  /** The keys this construct activates. */
  public readonly tagKeys: string[];

  constructor(scope: Construct, id: string, props: CostAllocationTagsProps = {}) {
    super(scope, id);
    this.tagKeys = props.tagKeys ?? ['Environment', 'Project', 'Component', 'Owner'];
    // The API takes 1-20 keys per call.
    if (this.tagKeys.length < 1 || this.tagKeys.length > 20) {
      PropsCheck.fail(this, 'tagKeys', `lists ${this.tagKeys.length} keys`, 'give 1 to 20 tag keys (one UpdateCostAllocationTagsStatus call)');
    }
    this.tagKeys.forEach((key, i) => {
      if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key) || key.startsWith('aws:')) {
        PropsCheck.fail(this, `tagKeys[${i}]`, `"${key}" is not a user-defined tag key`, 'use a tag key of 1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:');
      }
    });
    const call: cr.AwsSdkCall = {
      service: 'CostExplorer',
      action: 'updateCostAllocationTagsStatus',
      parameters: { CostAllocationTagsStatus: this.tagKeys.map((TagKey) => ({ TagKey, Status: 'Active' })) },
      // Cost Explorer's API is served from us-east-1 only.
      region: 'us-east-1',
      physicalResourceId: cr.PhysicalResourceId.of(`cost-allocation-tags:${this.tagKeys.join(',')}`),
    };
    new cr.AwsCustomResource(this, 'Activate', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    const what = 'the activator is aws-cdk-lib\'s AwsCustomResource singleton; it calls ce:UpdateCostAllocationTagsStatus once per deployment';
    const inlinePolicies = 'the activator\'s policy allows ce:UpdateCostAllocationTagsStatus only';
    LibraryFunctions.acknowledgeAwsCustomResource(this, {
      createdBy: what,
      inlinePolicies,
      wildcardReason: 'ce:UpdateCostAllocationTagsStatus supports no resource-level permissions (the Cost Explorer service authorization reference lists no resource type for it), so its only resource is *; the policy allows that one action',
      outsideVpcReason: 'it calls only the Cost Explorer API in us-east-1; a VPC would add NAT dependencies to a deploy-time call',
    });
  }
}
