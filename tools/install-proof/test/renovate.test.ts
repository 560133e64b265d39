import * as fs from 'fs';
import * as path from 'path';
import * as JSON5 from 'json5';
import { workspaceRoot } from '../src';
import { cataloguePins } from './catalogue-source';
import { coverageProblems, extractDependencies, re2Problems, RegexManager, RepositoryFile } from './renovate-coverage';

// renovate.json5 is generated from projenrc/renovate.ts. Its custom regex managers must read every
// entry of every package's version catalogue, each exactly once and from the right datasource, so a
// new entry written in a shape no manager reads fails here instead of silently never being updated.
const root = workspaceRoot();
const config = JSON5.parse(fs.readFileSync(path.join(root, 'renovate.json5'), 'utf8'));
const managers: RegexManager[] = config.customManagers;

/** Every `*-versions.ts` under a package's src, found without the config's file patterns. */
function catalogueFiles(): RepositoryFile[] {
  const out: RepositoryFile[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/-versions\.ts$/.test(e.name)) out.push({ path: path.relative(root, p).split(path.sep).join('/'), text: fs.readFileSync(p, 'utf8') });
    }
  };
  for (const pkg of fs.readdirSync(path.join(root, 'packages'))) {
    const src = path.join(root, 'packages', pkg, 'src');
    if (fs.existsSync(src)) walk(src);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

const catalogues = catalogueFiles();
const packageOf = (file: string) => file.split('/')[1];

describe('Renovate coverage of the version catalogues', () => {
  test('the catalogues are the seven packages\' and the parser reads every entry their all() lists', () => {
    expect(catalogues.map((c) => packageOf(c.path))).toEqual(['dr', 'eks-core', 'finops', 'gitops', 'mesh', 'observability', 'security']);
    let total = 0;
    for (const file of catalogues) {
      const pins = cataloguePins(file.text, file.path);
      const classes = [...new Set(pins.map((p) => p.className))];
      expect(classes).toHaveLength(1);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(`@keelson/${packageOf(file.path)}`)[classes[0]].all() as Array<Record<string, unknown>>;
      const shape = (p: { name: unknown; kind: unknown; version: unknown; repository?: unknown; kubernetesVersions: unknown }) =>
        JSON.stringify([p.kind, p.name, p.version, p.repository ?? null, p.kubernetesVersions]);
      expect(pins.map(shape).sort()).toEqual(exported.map((p) => shape(p as never)).sort());
      total += pins.length;
    }
    expect(total).toBe(45);
  });

  test('every pin of every catalogue is matched exactly once, with the datasource and name its kind needs', () => {
    expect(coverageProblems(managers, catalogues)).toEqual([]);
    const deps = extractDependencies(managers, catalogues);
    const byDatasource = deps.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.datasource!]: (acc[d.datasource!] ?? 0) + 1 }), {});
    // 45 pins, 42 locations: the four Istio charts share one version literal.
    expect(byDatasource).toEqual({ 'helm': 25, 'docker': 5, 'github-releases': 2, 'aws-eks-addon': 8, 'endoflife-date': 2 });
    expect(deps.find((d) => d.depName === 'vpc-cni')?.packageName).toBe('{"addonName":"vpc-cni","kubernetesVersion":"1.35"}');
    expect(deps.find((d) => d.depName === 'kube-proxy' && d.currentValue.startsWith('v1.36'))?.packageName).toBe('{"addonName":"kube-proxy","kubernetesVersion":"1.36"}');
    expect(deps.find((d) => d.depName === 'argo-cd')?.registryUrl).toBe('https://argoproj.github.io/argo-helm');
    expect(deps.find((d) => d.depName === 'karpenter')).toMatchObject({ datasource: 'docker', packageName: 'public.ecr.aws/karpenter/karpenter' });
  });

  test('an entry written in a shape no manager reads fails the check, naming the entry', () => {
    const reshaped = fs.readFileSync(path.join(__dirname, 'fixtures', 'gitops-versions-reshaped.txt'), 'utf8');
    const problems = coverageProblems(managers, [{ path: 'packages/gitops/src/gitops-versions.ts', text: reshaped }]);
    expect(problems).toEqual([
      'packages/gitops/src/gitops-versions.ts: GitOpsVersions.ARGO_ROLLOUTS (argo-rollouts 2.41.0): no Renovate manager matches this entry',
    ]);
  });

  test('a catalogue outside the managers\' file patterns, or a pattern RE2 refuses, fails the check', () => {
    const gitops = catalogues.find((c) => packageOf(c.path) === 'gitops')!;
    expect(coverageProblems(managers, [{ ...gitops, path: 'packages/gitops/lib/gitops-versions.ts' }])).toHaveLength(3);
    expect(re2Problems("name: '(?<depName>[^']+)'(?=,)")).toEqual(['lookaround']);
    expect(re2Problems("(?<q>['\"])x\\k<q>")).toEqual(['backreference']);
    for (const m of managers) for (const s of m.matchStrings) expect(re2Problems(s)).toEqual([]);
  });

  test('updates are grouped per package, security fixes labelled, npm left to projen\'s ranges', () => {
    for (const pkg of catalogues.map((c) => packageOf(c.path))) {
      expect(config.packageRules).toContainEqual(expect.objectContaining({ matchFileNames: [`packages/${pkg}/**`], groupName: `${pkg} pins` }));
    }
    expect(config.packageRules).toContainEqual(expect.objectContaining({
      matchDatasources: ['docker', 'aws-eks-addon'], matchDepNames: ['cluster-autoscaler', 'kube-proxy'], matchUpdateTypes: ['major', 'minor'], enabled: false,
    }));
    expect(config.vulnerabilityAlerts).toEqual({ enabled: true, labels: ['dependencies', 'security'] });
    expect(config.osvVulnerabilityAlerts).toBe(true);
    expect(config.enabledManagers).toEqual(['custom.regex', 'npm']);
    expect(config.packageRules).toContainEqual(expect.objectContaining({ matchManagers: ['npm'], rangeStrategy: 'in-range-only' }));
  });
});
