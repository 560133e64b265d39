import { formatFindings, kubernetesObjectsIn, kubernetesSchemaErrors, synthesize } from '@keelson/proof';
import { resolveConfig } from '../src/config';
import { buildPlatform } from '../src/platform';
import { platformApp } from '../src/platform-app';

// Kubernetes N-1: the whole reference platform at 1.35, with cdk-nag, CloudFormation validation and the Kubernetes schemas.
test('the whole platform at Kubernetes 1.35 passes every gate', () => {
  const app = platformApp();
  buildPlatform(app, resolveConfig('dev', { cluster: { kubernetesVersion: '1.35' } }));
  const result = synthesize(app);
  expect(formatFindings(result.findings)).toBe('');
  const templates = result.assembly.stacks.map((s) => s.template as any);
  const objects = templates.flatMap((t) => kubernetesObjectsIn(t));
  expect(kubernetesSchemaErrors(objects)).toEqual([]);
  const versions = templates.flatMap((t) => Object.values<any>(t.Resources ?? {})).filter((r) => r.Type === 'AWS::EKS::Cluster').map((r) => r.Properties.Version);
  expect(versions).toEqual(['1.35', '1.35']);
});
