import { NagPack, formatFindings, kubernetesSchemaErrors, proofApp, synthesize } from '@keelson/proof';
import { stackWithVpc } from './fixture';
import { templateQueries } from './helm';
import { EksCoreVersions, PlatformCluster, PlatformKubernetesVersion, PlatformServices } from '../src';

// Kubernetes N and N-1: the same platform synthesized at 1.36 and at 1.35,
// every gate on, and what differs between the two asserted.
function platformAt(version: PlatformKubernetesVersion) {
  const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
  const { stack, vpc } = stackWithVpc(app, `K${version.minor}`);
  const platform = new PlatformCluster(stack, 'Platform', { vpc, version, publicAccessCidrs: ['203.0.113.0/24'] });
  new PlatformServices(stack, 'Services', { platform });
  const result = synthesize(app);
  const json = result.template(stack.stackName).toJSON();
  const q = templateQueries(json);
  const addons = Object.fromEntries(q.ofType('AWS::EKS::Addon').map(([, r]) => [r.Properties.AddonName, r.Properties.AddonVersion]));
  const layers = q.ofType('AWS::Lambda::LayerVersion').map(([, r]) => r.Properties.Description as string);
  const cluster = q.ofType('AWS::EKS::Cluster')[0][1].Properties;
  return { result, json, q, addons, layers, cluster };
}

const n = platformAt(PlatformKubernetesVersion.V1_36);
const n1 = platformAt(PlatformKubernetesVersion.V1_35);

describe('Kubernetes N (1.36) and N-1 (1.35)', () => {
  test('both pass cdk-nag and the Kubernetes schemas', () => {
    for (const p of [n, n1]) {
      expect(formatFindings(p.result.findings)).toBe('');
      expect(kubernetesSchemaErrors(p.q.objects)).toEqual([]);
    }
  });

  test('the cluster version and the kubectl layer follow the version', () => {
    expect(n.cluster.Version).toBe('1.36');
    expect(n1.cluster.Version).toBe('1.35');
    expect(n.layers.join(' ')).toMatch(/kubectl.*1\.36|v36|1\.36/i);
    expect(n1.layers.join(' ')).toMatch(/kubectl.*1\.35|v35|1\.35/i);
    expect(n.layers).not.toEqual(n1.layers);
  });

  test('version-specific add-on builds and the Cluster Autoscaler image come from the catalogue; the rest is shared', () => {
    expect(n.addons['kube-proxy']).toBe('v1.36.0-eksbuild.25');
    expect(n1.addons['kube-proxy']).toBe('v1.35.3-eksbuild.29');
    const differing = Object.keys(n.addons).filter((a) => n.addons[a] !== n1.addons[a]);
    expect(differing).toEqual(['kube-proxy']);
    for (const [addon, version] of Object.entries(n1.addons)) expect(EksCoreVersions.addonVersion(addon, '1.35')).toBe(version);
    expect(n.q.helm['cluster-autoscaler'].values.image.tag).toBe('v1.36.1');
    expect(n1.q.helm['cluster-autoscaler'].values.image.tag).toBe('v1.35.2');
  });

  test('apart from the version, the layer and those pins, the two templates have the same resources', () => {
    const types = (j: any) => Object.values(j.Resources).map((r: any) => r.Type).sort();
    expect(types(n1.json)).toEqual(types(n.json));
  });

  test('the supported versions are N and N-1, each with a catalogue entry naming its layer package', () => {
    expect(PlatformKubernetesVersion.supported().map((v) => v.version)).toEqual(['1.36', '1.35']);
    expect(EksCoreVersions.KUBERNETES_1_35.repository).toBe('@aws-cdk/lambda-layer-kubectl-v35');
  });
});
