import { PropsCheck } from '@keelson/conventions';
import { Resource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The region `target` lives in (an imported resource's own `env.region`, else
 * its stack's); fails when it is not a concrete region.
 */
export function concreteRegion(scope: IConstruct, field: string, target: IConstruct): string {
  const region = Resource.isResource(target) ? target.env.region : Stack.of(target).region;
  if (Token.isUnresolved(region)) {
    PropsCheck.fail(scope, field, `lives in a stack without an explicit region (${Stack.of(target).node.path})`,
      'give that stack env: { account, region } so the region can be used across regions');
  }
  return region;
}
