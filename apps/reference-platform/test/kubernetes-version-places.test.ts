import * as fs from 'fs';
import * as path from 'path';

// The supported Kubernetes versions have one definition (eks-core's PlatformKubernetesVersion)
// and per-version pins (eks-core's catalogue); everything else reads them. This counts the places
// in source (packages/*/src, apps/*/src) that name a Kubernetes version — a quoted `1.<minor>`, a
// `V1_<minor>` or `*_1_<minor>` name, a kubectl layer class or package — and fails when a file
// outside those two starts naming one, or when the count grows.
const ROOT = path.join(__dirname, '..', '..', '..');
const NAMES_A_VERSION = /(['"`])1\.\d{2}\1|\bV1_\d{2}\b|_1_\d{2}(?!\d)|KubectlV\d{2}Layer|lambda-layer-kubectl-v\d{2}/g;
/** The count reached when the versions got their one home (77 places in 12 files before). */
const MOST = 49;

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  for (const base of ['packages', 'apps']) {
    for (const pkg of fs.readdirSync(path.join(ROOT, base))) {
      const src = path.join(ROOT, base, pkg, 'src');
      if (fs.existsSync(src)) walk(src);
    }
  }
  return out;
}

const places: Record<string, number> = {};
for (const file of sourceFiles()) {
  const n = (fs.readFileSync(file, 'utf8').match(NAMES_A_VERSION) ?? []).length;
  if (n > 0) places[path.relative(ROOT, file).split(path.sep).join('/')] = n;
}

describe('places in source that name a Kubernetes version', () => {
  test('only the definition and the per-version pins name one', () => {
    expect(Object.keys(places).sort()).toEqual(['packages/eks-core/src/cluster/kubernetes-version.ts', 'packages/eks-core/src/eks-core-versions.ts']);
  });

  test(`at most ${MOST} places`, () => {
    const total = Object.values(places).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(MOST);
  });

  test('the pattern finds each way of naming a version, and nothing else', () => {
    const sample = "'1.36' \"1.35\" V1_37 KUBE_PROXY_1_36 KUBERNETES_1_37_BLOCKERS KubectlV35Layer lambda-layer-kubectl-v36 v1.36.1 1.36 '1.360' node-1.36";
    expect(sample.match(NAMES_A_VERSION)).toEqual(["'1.36'", '"1.35"', 'V1_37', '_1_36', '_1_37', 'KubectlV35Layer', 'lambda-layer-kubectl-v36']);
  });
});
