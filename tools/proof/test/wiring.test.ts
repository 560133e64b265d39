import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AssemblyTemplate, referencedResource, unsubscribedTopics } from '../src';

// One synth: topics subscribed in their own stack, from another stack of the
// same region (export/import), from another region (CDK's SSM-backed
// cross-region references), inline, and one topic nobody subscribes to.
const app = new App();
const env = { account: '111111111111', region: 'ap-southeast-1' };
const alerts = new Stack(app, 'Alerts', { env, crossRegionReferences: true });
const local = new sns.Topic(alerts, 'Local');
new sns.Subscription(alerts, 'LocalMail', { topic: local, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: 'ops@example.com' });
const shared = new sns.Topic(alerts, 'Shared');
const farAway = new sns.Topic(alerts, 'FarAway');
new sns.CfnTopic(alerts, 'Inline', { subscription: [{ protocol: 'email', endpoint: 'ops@example.com' }] });
new sns.Topic(alerts, 'Forgotten');
const consumer = new Stack(app, 'Consumer', { env });
new sns.Subscription(consumer, 'SharedMail', { topic: shared, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: 'ops@example.com' });
const other = new Stack(app, 'OtherRegion', { env: { ...env, region: 'us-west-2' }, crossRegionReferences: true });
new sns.Subscription(other, 'FarMail', { topic: farAway, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: 'ops@example.com' });
const assembly = app.synth();
const templates: AssemblyTemplate[] = assembly.stacks.map((s) => ({ id: s.id, template: s.template }));
const logicalId = (stack: Stack, topic: sns.Topic) => stack.resolve((topic.node.defaultChild as sns.CfnTopic).logicalId);

describe('wiring: every topic subscribed', () => {
  test('only the topic nobody subscribes to is reported', () => {
    expect(unsubscribedTopics(templates)).toEqual([`Alerts/${alerts.resolve((alerts.node.findChild('Forgotten').node.defaultChild as sns.CfnTopic).logicalId)}`]);
  });

  test('references are followed across stacks (export/import) and regions (the cross-region export reader)', () => {
    const subscriptionIn = (id: string) => Object.values<any>(templates.find((t) => t.id === id)!.template.Resources!)
      .find((r) => r.Type === 'AWS::SNS::Subscription').Properties.TopicArn;
    expect(subscriptionIn('Consumer')['Fn::ImportValue']).toBeDefined();
    expect(referencedResource(templates, 'Consumer', subscriptionIn('Consumer'))).toEqual({ stack: 'Alerts', logicalId: logicalId(alerts, shared) });
    expect(subscriptionIn('OtherRegion')['Fn::GetAtt']).toBeDefined();
    expect(referencedResource(templates, 'OtherRegion', subscriptionIn('OtherRegion'))).toEqual({ stack: 'Alerts', logicalId: logicalId(alerts, farAway) });
  });

  test('a subscription whose reference cannot be followed subscribes nothing', () => {
    expect(referencedResource(templates, 'Consumer', 'arn:aws:sns:ap-southeast-1:111111111111:literal')).toBeUndefined();
    const withoutConsumer = templates.filter((t) => t.id !== 'Consumer');
    expect(unsubscribedTopics(withoutConsumer)).toContain(`Alerts/${logicalId(alerts, shared)}`);
  });
});
