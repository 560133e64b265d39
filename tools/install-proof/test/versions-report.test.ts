import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as net from 'net';
import * as path from 'path';
import { ageInMonths, CataloguePin, chartRepositoriesUnreachable, formatReport, newestChartRelease, newestChartVersions, pinRows } from '../src';

// `npm run versions` (tools/install-proof/src/versions-cli.ts): the age arithmetic, the rows, and the
// index.yaml parser it uses when the chart repositories answer, on a saved index.
const index = fs.readFileSync(path.join(__dirname, 'fixtures', 'chart-index.yaml'), 'utf8');
const today = new Date('2026-12-06T12:00:00Z');

describe('version report', () => {
  test('age is whole calendar months to today', () => {
    expect(ageInMonths('2026-06-11', today)).toBe(5);
    expect(ageInMonths('2026-06-06', today)).toBe(6);
    expect(ageInMonths('2026-12-06', today)).toBe(0);
    expect(ageInMonths('2025-12-17', today)).toBe(11);
    expect(ageInMonths('2022-12-09', today)).toBe(47);
    expect(ageInMonths('2027-01-01', today)).toBe(0);
    expect(() => ageInMonths('June 2026', today)).toThrow('release date "June 2026" is not YYYY-MM-DD');
  });

  test('the newest chart release is the highest stable, non-deprecated semver, not the first or the latest created', () => {
    expect(newestChartRelease(index, 'argo-cd')).toEqual({ version: '10.10.2', appVersion: 'v3.5.4', created: '2026-11-20' });
    expect(newestChartRelease(index, 'argo-legacy')).toBeUndefined();
    expect(newestChartRelease(index, 'argo-rollouts')).toBeUndefined();
    expect(newestChartRelease('apiVersion: v1\nentries: {}\n', 'argo-cd')).toBeUndefined();
  });

  test('rows list every pin oldest first with its age, and the table shows them', () => {
    const pin = (name: string, releaseDate: string): CataloguePin => ({
      name, kind: 'HELM_CHART', version: '1.0.0', repository: 'https://example.com', upstreamRelease: `${name} tag v1.0.0`, releaseDate, kubernetesVersions: ['1.35', '1.36'],
    });
    const rows = pinRows({ a: [pin('new', '2026-11-01')], b: [pin('old', '2025-10-23'), pin('mid', '2026-06-11')] }, today);
    expect(rows.map((r) => [r.package, r.component, r.ageMonths])).toEqual([['b', 'old', 13], ['b', 'mid', 5], ['a', 'new', 1]]);
    const table = formatReport(rows).split('\n');
    expect(table[0]).toMatch(/^package\s+component\s+kind\s+version\s+released\s+age \(months\)\s+upstream release$/);
    expect(table[1]).toMatch(/^b\s+old\s+HELM_CHART\s+1\.0\.0\s+2025-10-23\s+13\s+old tag v1\.0\.0$/);
    expect(formatReport(rows, new Map([[rows[0], '2.0.0']])).split('\n')[1]).toMatch(/\s13\s+2\.0\.0\s+old tag v1\.0\.0$/);
  });
});

describe('newest upstream versions', () => {
  let server: http.Server;
  let repo: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/charts/index.yaml') res.writeHead(200, { 'content-type': 'text/yaml' }).end(index);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    repo = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const row = (component: string, repository: string) => {
    const pin = { name: component, kind: 'HELM_CHART', version: '10.1.1', repository, upstreamRelease: 'x', releaseDate: '2026-07-02', kubernetesVersions: ['1.36'] };
    return pinRows({ gitops: [pin] }, today)[0];
  };

  test('read from each repository\'s index.yaml; a repository that does not answer is named in its rows', async () => {
    const found = row('argo-cd', `${repo}/charts`);
    const missing = row('argo-rollouts', `${repo}/charts/`);
    const gone = row('argo-cd', `${repo}/moved`);
    const newest = await newestChartVersions([found, missing, gone], 2_000);
    expect(newest.get(found)).toBe('10.10.2 (app v3.5.4), 2026-11-20');
    expect(newest.get(missing)).toBe('not in index.yaml');
    expect(newest.get(gone)).toBe('index.yaml unreachable (HTTP 404)');
  });

  test('offline, the probe says so at once instead of failing or hanging', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const started = Date.now();
    const reason = await chartRepositoriesUnreachable([row('argo-cd', `http://127.0.0.1:${closed}`)], 2_000);
    expect(reason).toBe(`http://127.0.0.1:${closed}: fetch failed`);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await chartRepositoriesUnreachable([row('argo-cd', `${repo}/charts`)], 2_000)).toBeUndefined();
  });
});
