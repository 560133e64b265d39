import { PlatformServices } from '@keelson/eks-core';
import { clusterFixture } from '@keelson/test-support';
import { App, Duration } from 'aws-cdk-lib';
import { Grafana, LokiLogs, OpenTelemetryCollectors, PlatformObservability, PrometheusStack, TempoTraces } from '../src';

// Bad input fails at construction, naming the field and the fix. One cluster; each case adds its
// construct under a fresh id (construction throws before anything is synthesized).
const app = new App();
const { stack, platform } = clusterFixture(app, { id: 'Validation' });
const services = new PlatformServices(stack, 'Services', { platform });
const base = { cluster: platform.cluster, namespaces: services.namespaces! };
const prometheus = [{ name: 'Prometheus', type: 'prometheus', uid: 'prometheus', url: 'http://p:9090' }];
const github = { organization: 'my-org', clientId: 'Iv1.x', clientSecretName: 'keelson/dev/gh' };
let n = 0;
const id = () => `Case${n++}`;

describe('bad input fails at synth with the field and the fix', () => {
  test.each([
    ['a Slack secret without External Secrets', () => new PrometheusStack(stack, id(), { ...base, alerts: { slackWebhookSecretName: 'keelson/dev/slack' } }),
      /invalid alerts\.slackWebhookSecretName: the Slack webhook reaches Alertmanager through External Secrets, and no operator is given\. Fix: pass externalSecrets/],
    ['a Slack secret outside the operator\'s path prefix', () => new PrometheusStack(stack, id(), {
      ...base, externalSecrets: services.externalSecrets, alerts: { slackWebhookSecretName: 'other/slack' },
    }), /remoteRef: "other\/slack" is outside the path prefix keelson\/dev\//],
    ['alert emails without a topic', () => new PrometheusStack(stack, id(), { ...base, alerts: { alertEmails: ['oncall@example.com'] } }),
      /invalid alerts\.alertEmails: are given, but there is no alert topic to subscribe them to\. Fix: pass alerts\.topic/],
    ['an alert email that is not one', () => new PlatformObservability(stack, id(), { ...base, alerts: { alertEmails: ['oncall at example'] } }),
      /invalid alerts\.alertEmails\[0\]: /],
    ['an AMP workspace ARN that is not one', () => new PrometheusStack(stack, id(), { ...base, remoteWrite: { workspaceArn: 'arn:aws:s3:::bucket' } }),
      /invalid remoteWrite\.workspaceArn: "arn:aws:s3:::bucket" is not an Amazon Managed Service for Prometheus workspace ARN\. Fix: give arn:<partition>:aps:/],
    ['a Prometheus volume under 10 GiB', () => new PrometheusStack(stack, id(), { ...base, storageGiB: 5 }),
      /invalid storageGiB: 5 is not a whole number of GiB of at least 10\. Fix:/],
    ['a retention under a day', () => new PrometheusStack(stack, id(), { ...base, retention: Duration.hours(6) }),
      /invalid retention: 0\.25 days is not a whole number of days of at least 1\. Fix: give Duration\.days\(n\)/],
    ['a chart range instead of a version', () => new PrometheusStack(stack, id(), { ...base, chartVersion: '^88.0.0' }),
      /invalid chartVersion: "\^88\.0\.0" is not a Helm chart version\. Fix: pin an exact chart version/],
    ['a Loki retention of zero', () => new LokiLogs(stack, id(), { ...base, retention: Duration.days(0) }),
      /invalid retention: 0 days is not a whole number of days of at least 1/],
    ['GitHub sign-in without External Secrets', () => new Grafana(stack, id(), { ...base, dataSources: prometheus, github }),
      /invalid github: the GitHub client secret reaches Grafana through External Secrets, and no operator is given\. Fix:/],
    ['a GitHub organisation that is not one', () => new Grafana(stack, id(), {
      ...base, externalSecrets: services.externalSecrets, dataSources: prometheus, github: { ...github, organization: 'my org!' },
    }), /invalid github\.organization: "my org!" is not a GitHub organisation name\. Fix: give the org login/],
    ['a Tempo retention of half a day', () => new TempoTraces(stack, id(), { ...base, retention: Duration.hours(12) }),
      /invalid retention: 0\.5 days is not a whole number of days of at least 1\. Fix: give Duration\.days\(n\)/],
    ['a sampling ratio above 1', () => new OpenTelemetryCollectors(stack, id(), { ...base, tracesEndpoint: 'tempo:4317', samplingRatio: 1.5 }),
      /invalid samplingRatio: 1\.5 is not a share between 0 and 1\. Fix: give 1 to record every new trace/],
    ['an operator chart range instead of a version', () => new OpenTelemetryCollectors(stack, id(), { ...base, tracesEndpoint: 'tempo:4317', chartVersion: '0.x' }),
      /invalid chartVersion: "0\.x" is not a Helm chart version/],
    ['Grafana with no data source', () => new Grafana(stack, id(), { ...base, dataSources: [] }),
      /invalid dataSources: no data source is given\. Fix: give at least Prometheus/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('settings that would silently do nothing are named', () => {
  test('an alert topic created with no subscriber is a synth warning naming the fix', () => {
    const o = new PlatformObservability(stack, id(), { ...base, logs: { enabled: false }, traces: { enabled: false }, grafana: { enabled: false } });
    const warnings = o.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/the critical-alerts topic created here has no subscriber: give alerts\.alertEmails/)]);
  });
});
