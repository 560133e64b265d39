import * as fs from 'fs';
import * as path from 'path';
import { EksCoreVersions, PinKind, VersionCatalogue, VersionPin } from '../src';

// The versions table in the docs is generated from the catalogue. Run the
// tests with KEELSON_UPDATE_DOCS=1 to rewrite it after changing a pin.
const TABLE = path.join(__dirname, '..', 'VERSIONS.md');
const TITLE = '@keelson/eks-core pinned versions';

describe('EksCoreVersions (the version catalogue)', () => {
  test('every entry names its upstream release, its release date and the Kubernetes versions it was checked for', () => {
    expect(VersionCatalogue.problems(EksCoreVersions.all())).toEqual([]);
    expect(EksCoreVersions.all().length).toBe(18);
  });

  test('the checked-in versions table is the one the catalogue generates', () => {
    const generated = VersionCatalogue.markdown(TITLE, EksCoreVersions.all());
    if (process.env.KEELSON_UPDATE_DOCS === '1') fs.writeFileSync(TABLE, generated);
    expect(fs.readFileSync(TABLE, 'utf8')).toBe(generated);
  });

  test('both supported Kubernetes versions have every add-on, the autoscaler image and a kubectl layer', () => {
    for (const k of ['1.35', '1.36']) {
      for (const addon of ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver', 'eks-pod-identity-agent', 'amazon-cloudwatch-observability', 'snapshot-controller']) {
        expect(`${addon}@${k}: ${EksCoreVersions.addonVersion(addon, k)}`).toMatch(/: v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      }
      expect(EksCoreVersions.clusterAutoscalerImageTag(k)).toMatch(new RegExp(`^v${k.replace('.', '\\.')}\\.\\d+$`));
      expect(EksCoreVersions.find(PinKind.KUBERNETES, 'kubernetes', k)?.repository).toBe(`@aws-cdk/lambda-layer-kubectl-v${k.split('.')[1]}`);
    }
    expect(EksCoreVersions.addonVersion('kube-proxy', '1.35')).toBe('v1.35.3-eksbuild.29');
    expect(EksCoreVersions.addonVersion('kube-proxy', '1.36')).toBe('v1.36.0-eksbuild.25');
    expect(EksCoreVersions.addonVersion('kube-proxy', '1.34')).toBeUndefined();
  });

  test('the AWS Load Balancer Controller is on the 3.x line, where the chart version equals the app version', () => {
    expect(EksCoreVersions.AWS_LOAD_BALANCER_CONTROLLER.version).toMatch(/^3\./);
    expect(EksCoreVersions.AWS_LOAD_BALANCER_CONTROLLER.upstreamRelease).toContain(`v${EksCoreVersions.AWS_LOAD_BALANCER_CONTROLLER.version}`);
    expect(EksCoreVersions.CLOUDWATCH_OBSERVABILITY.version).toMatch(/^v6\./);
  });
});

describe('VersionCatalogue.problems', () => {
  const good: VersionPin = {
    name: 'x',
    kind: PinKind.HELM_CHART,
    version: '1.0.0',
    repository: 'https://example.com/charts',
    upstreamRelease: 'example/x tag v1.0.0',
    releaseDate: '2026-01-02',
    kubernetesVersions: ['1.36'],
  };

  test('finds an entry without upstream release, date, Kubernetes version or repository, a bad version and a double pin', () => {
    expect(VersionCatalogue.problems([good])).toEqual([]);
    expect(VersionCatalogue.problems([{ ...good, upstreamRelease: '' }])).toEqual(['x 1.0.0: no upstream release']);
    expect(VersionCatalogue.problems([{ ...good, releaseDate: 'August 2026' }])).toEqual(['x 1.0.0: release date "August 2026" is not YYYY-MM-DD']);
    expect(VersionCatalogue.problems([{ ...good, kubernetesVersions: [] }])).toEqual(['x 1.0.0: no Kubernetes version it was checked for']);
    expect(VersionCatalogue.problems([{ ...good, repository: undefined }])).toEqual(['x 1.0.0: no repository']);
    expect(VersionCatalogue.problems([{ ...good, version: 'latest' }])).toEqual(['x latest: not a chart version']);
    expect(VersionCatalogue.problems([{ ...good, kind: PinKind.EKS_ADDON, version: '1.2.3', repository: undefined }])).toEqual(['x 1.2.3: not an EKS add-on version']);
    expect(VersionCatalogue.problems([good, { ...good, version: '1.0.1' }])).toEqual(['x 1.0.1: x is pinned twice for Kubernetes 1.36']);
  });

  test('renders a Markdown table with one row per entry', () => {
    const md = VersionCatalogue.markdown('T', [good, { ...good, name: 'a|b', note: 'n' }]);
    expect(md.split('\n').filter((l) => l.startsWith('| Helm chart'))).toEqual([
      '| Helm chart | a\\|b | 1.0.0 | 1.36 | example/x tag v1.0.0 | 2026-01-02 | https://example.com/charts | n |',
      '| Helm chart | x | 1.0.0 | 1.36 | example/x tag v1.0.0 | 2026-01-02 | https://example.com/charts |  |',
    ]);
  });
});
