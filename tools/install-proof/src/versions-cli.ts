/**
 * `npm run versions` at the workspace root: every pin of every package's version catalogue with its
 * upstream release, release date and age in months, oldest first.
 *
 * With `--online`, or when a quick probe of one chart repository answers, it adds the newest
 * version each chart repository's index.yaml lists and, for the kubectl layers, the newest npm
 * release and whether the next Kubernetes version's layer is published. Without the network (CI
 * here reaches only package registries) the probe fails within seconds and that part is skipped
 * with one line; `--online` there marks each repository unreachable after its timeout instead.
 * `--offline` skips the probe.
 */
import { execFile } from 'child_process';
import { promisify } from 'util';
import { CataloguePin, chartRepositoriesUnreachable, formatReport, newestChartVersions, PinRow, pinRows } from './versions-report';

const run = promisify(execFile);
const PROBE_TIMEOUT_MS = 4_000;
const FETCH_TIMEOUT_MS = 10_000;
const NPM_TIMEOUT_MS = 20_000;

/** The packages with a catalogue, and the class their index exports it as. */
const CATALOGUES: Record<string, string> = {
  'eks-core': 'EksCoreVersions',
  'dr': 'DrVersions',
  'finops': 'FinOpsVersions',
  'gitops': 'GitOpsVersions',
  'mesh': 'MeshVersions',
  'observability': 'ObservabilityVersions',
  'security': 'SecurityVersions',
};

/**
 * A library's exports, from its build. The libraries are the workspace's (dev dependencies here, so
 * nx builds them first); the report runs only inside the workspace.
 */
function library(pkg: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`@keelson/${pkg}`) as Record<string, unknown>;
}

/** Every package's catalogue, read from the built libraries. */
function loadCatalogues(): Record<string, CataloguePin[]> {
  return Object.fromEntries(Object.entries(CATALOGUES).map(([pkg, cls]) => {
    const exported = library(pkg)[cls] as { all(): CataloguePin[] } | undefined;
    if (!exported) throw new Error(`@keelson/${pkg} exports no ${cls}`);
    return [pkg, exported.all()];
  }));
}

/** The newest npm release of a package with its publish date, or that it is not published. */
async function npmView(pkg: string): Promise<string> {
  try {
    const { stdout } = await run('npm', ['view', pkg, 'version', 'time', '--json'], { timeout: NPM_TIMEOUT_MS });
    const v = JSON.parse(stdout) as { version: string; time: Record<string, string> };
    return `${v.version} (npm, ${v.time[v.version]?.slice(0, 10)})`;
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string };
    return /E404/.test(`${out.stdout ?? ''}${out.stderr ?? ''}`) ? 'not published (npm)' : 'npm view failed';
  }
}

/** The newest upstream version of each row it can see: chart repositories' index.yaml, the kubectl layers on npm. */
async function newestUpstream(rows: PinRow[]): Promise<Map<PinRow, string>> {
  const out = await newestChartVersions(rows, FETCH_TIMEOUT_MS);
  for (const r of rows.filter((x) => x.kind === 'KUBERNETES' && x.repository)) out.set(r, `layer ${await npmView(r.repository!)}`);
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const today = new Date();
  const rows = pinRows(loadCatalogues(), today);
  let newest: Map<PinRow, string> | undefined;
  let skipped: string | undefined;
  if (args.includes('--offline')) {
    skipped = 'newest upstream: skipped (--offline)';
  } else if (args.includes('--online')) {
    newest = await newestUpstream(rows);
  } else {
    const unreachable = await chartRepositoriesUnreachable(rows, PROBE_TIMEOUT_MS);
    if (unreachable) skipped = `newest upstream: skipped, chart repositories unreachable (${unreachable}); where the network is there: npm run versions -- --online`;
    else newest = await newestUpstream(rows);
  }
  console.log(`Pinned versions on ${today.toISOString().slice(0, 10)} (${rows.length} pins, oldest first)\n`);
  console.log(formatReport(rows, newest));
  const oldest = rows[0];
  console.log(`\noldest: ${oldest.package} ${oldest.component} ${oldest.version}, released ${oldest.releaseDate}, ${oldest.ageMonths} months old`);
  if (newest) {
    const k = rows.filter((r) => r.kind === 'KUBERNETES').map((r) => Number(r.version.split('.')[1]));
    const next = `@aws-cdk/lambda-layer-kubectl-v${Math.max(...k) + 1}`;
    console.log(`next Kubernetes version's kubectl layer ${next}: ${await npmView(next)}`);
  }
  const eksCore = library('eks-core').EksCoreVersions as Record<string, unknown>;
  for (const [key, blockers] of Object.entries(eksCore).filter(([k]) => /^KUBERNETES_\d+_\d+_BLOCKERS$/.test(k))) {
    console.log(`\nKubernetes ${key.split('_').slice(1, 3).join('.')} is not supported yet:\n${(blockers as string[]).map((b) => `  - ${b}`).join('\n')}`);
  }
  if (skipped) console.log(skipped);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
