import * as semver from 'semver';
import { parse } from 'yaml';

/** The fields of a catalogue entry (eks-core's `VersionPin`) the report reads. */
export interface CataloguePin {
  readonly name: string;
  readonly kind: string;
  readonly version: string;
  readonly repository?: string;
  readonly upstreamRelease: string;
  readonly releaseDate: string;
  readonly kubernetesVersions: string[];
}

/** One line of the report. */
export interface PinRow {
  readonly package: string;
  readonly component: string;
  readonly kind: string;
  readonly version: string;
  readonly kubernetesVersions: string;
  readonly repository?: string;
  readonly upstreamRelease: string;
  readonly releaseDate: string;
  readonly ageMonths: number;
}

/** Whole calendar months from `releaseDate` (`YYYY-MM-DD`) to `today` (UTC): 2026-06-11 to 2026-12-06 is 5. */
export function ageInMonths(releaseDate: string, today: Date): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(releaseDate);
  if (!m) throw new Error(`release date "${releaseDate}" is not YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const months = (today.getUTCFullYear() - y) * 12 + (today.getUTCMonth() + 1 - mo) - (today.getUTCDate() < d ? 1 : 0);
  return Math.max(0, months);
}

/** The report's rows: every entry of every package's catalogue, oldest release first. */
export function pinRows(catalogues: Record<string, CataloguePin[]>, today: Date): PinRow[] {
  return Object.entries(catalogues).flatMap(([pkg, pins]) => pins.map((p) => ({
    package: pkg,
    component: p.name,
    kind: p.kind,
    version: p.version,
    kubernetesVersions: p.kubernetesVersions.join(', '),
    repository: p.repository,
    upstreamRelease: p.upstreamRelease,
    releaseDate: p.releaseDate,
    ageMonths: ageInMonths(p.releaseDate, today),
  }))).sort((a, b) => a.releaseDate.localeCompare(b.releaseDate) || a.package.localeCompare(b.package) || a.component.localeCompare(b.component));
}

/** A chart release as a chart repository's `index.yaml` lists it. */
export interface ChartRelease {
  readonly version: string;
  readonly appVersion?: string;
  /** The `created` timestamp's date, `YYYY-MM-DD`. */
  readonly created?: string;
}

/**
 * The newest release of `chart` in a chart repository's `index.yaml` text: the highest semver
 * version that is neither a pre-release nor deprecated. Undefined when the index lists none.
 */
export function newestChartRelease(indexYaml: string, chart: string): ChartRelease | undefined {
  const index = parse(indexYaml) as { entries?: Record<string, Array<Record<string, unknown>>> } | null;
  const releases = (index?.entries?.[chart] ?? [])
    .filter((e) => typeof e.version === 'string' && semver.valid(e.version as string) && !semver.prerelease(e.version as string) && e.deprecated !== true);
  if (releases.length === 0) return undefined;
  const newest = releases.reduce((a, b) => (semver.gt(b.version as string, a.version as string) ? b : a));
  const created = newest.created instanceof Date ? newest.created.toISOString() : (newest.created as string | undefined);
  return {
    version: newest.version as string,
    appVersion: newest.appVersion === undefined ? undefined : String(newest.appVersion),
    created: created?.slice(0, 10),
  };
}

/** The report as aligned text columns; `newest` (when the network was there) adds a column. */
export function formatReport(rows: PinRow[], newest?: Map<PinRow, string>): string {
  const header = ['package', 'component', 'kind', 'version', 'released', 'age (months)', ...(newest ? ['newest upstream'] : []), 'upstream release'];
  const cells = rows.map((r) => [r.package, r.component, r.kind, r.version, r.releaseDate, String(r.ageMonths),
    ...(newest ? [newest.get(r) ?? '-'] : []), r.upstreamRelease]);
  const widths = header.map((h, i) => (i === header.length - 1 ? 0 : Math.max(h.length, ...cells.map((c) => c[i].length))));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]))).join('  ');
  return [line(header), ...cells.map(line)].join('\n');
}

/** Reads a URL's text, giving up after `timeoutMs`. */
export type FetchText = (url: string, timeoutMs: number) => Promise<string>;

/** `fetch` with a timeout; throws on an HTTP error status. */
export const fetchText: FetchText = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
};

/** An error's message, also for errors from another realm (Node's fetch under a test runner's VM). */
const messageOf = (e: unknown): string => (typeof (e as { message?: unknown })?.message === 'string' ? (e as Error).message : String(e));

const indexUrl = (repository: string) => `${repository.replace(/\/$/, '')}/index.yaml`;
const isChartRepository = (r: PinRow) => r.kind === 'HELM_CHART' && /^https?:\/\//.test(r.repository ?? '');

/**
 * Whether the chart repositories answer: one request to the first one's index.yaml, so an offline
 * machine learns it in at most `timeoutMs`. The reason when they do not.
 */
export async function chartRepositoriesUnreachable(rows: PinRow[], timeoutMs: number, get: FetchText = fetchText): Promise<string | undefined> {
  const probe = rows.find(isChartRepository)?.repository;
  if (!probe) return 'no chart repository to probe';
  try {
    await get(indexUrl(probe), timeoutMs);
    return undefined;
  } catch (e) {
    return `${probe}: ${messageOf(e)}`;
  }
}

/**
 * The newest release each chart repository's index.yaml lists for each chart row (one request per
 * repository); a repository that does not answer is said so in its rows.
 */
export async function newestChartVersions(rows: PinRow[], timeoutMs: number, get: FetchText = fetchText): Promise<Map<PinRow, string>> {
  const repos = [...new Set(rows.filter(isChartRepository).map((r) => r.repository!))];
  const indexes = new Map(await Promise.all(repos.map(async (repo): Promise<[string, string | Error]> => {
    try {
      return [repo, await get(indexUrl(repo), timeoutMs)];
    } catch (e) {
      return [repo, new Error(messageOf(e))];
    }
  })));
  const out = new Map<PinRow, string>();
  for (const r of rows.filter(isChartRepository)) {
    const index = indexes.get(r.repository!)!;
    if (index instanceof Error) {
      out.set(r, `index.yaml unreachable (${index.message})`);
      continue;
    }
    const newest = newestChartRelease(index, r.component);
    out.set(r, newest ? `${newest.version}${newest.appVersion ? ` (app ${newest.appVersion})` : ''}${newest.created ? `, ${newest.created}` : ''}` : 'not in index.yaml');
  }
  return out;
}
