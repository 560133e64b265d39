import * as fs from 'fs';
import * as path from 'path';
import { VersionCatalogue } from '@keelson/eks-core';
import { ObservabilityVersions } from '../src';

// The versions table in the docs is generated from the catalogue. Run the
// tests with KEELSON_UPDATE_DOCS=1 to rewrite it after changing a pin.
const TABLE = path.join(__dirname, '..', 'VERSIONS.md');

describe('ObservabilityVersions (the version catalogue)', () => {
  test('every entry names its upstream release, its release date and the Kubernetes versions it was checked for', () => {
    expect(ObservabilityVersions.all().map((p) => `${p.name} ${p.version}`)).toEqual([
      'kube-prometheus-stack 92.3.0', 'loki 18.14.0', 'grafana 13.5.0', 'fluent-bit 0.58.2', 'opentelemetry-operator 0.123.1', 'tempo 2.4.0',
    ]);
    expect(VersionCatalogue.problems(ObservabilityVersions.all())).toEqual([]);
  });

  test('Loki, Grafana and Tempo come from the grafana-community repository; loki-stack is not used', () => {
    expect(ObservabilityVersions.LOKI.repository).toBe('https://grafana-community.github.io/helm-charts');
    expect(ObservabilityVersions.TEMPO.repository).toBe('https://grafana-community.github.io/helm-charts');
    expect(ObservabilityVersions.GRAFANA.repository).toBe('https://grafana-community.github.io/helm-charts');
    expect(ObservabilityVersions.all().map((p) => p.name)).not.toContain('loki-stack');
  });

  test('the checked-in versions table is the one the catalogue generates', () => {
    const generated = VersionCatalogue.markdown('@keelson/observability pinned versions', ObservabilityVersions.all());
    if (process.env.KEELSON_UPDATE_DOCS === '1') fs.writeFileSync(TABLE, generated);
    expect(fs.readFileSync(TABLE, 'utf8')).toBe(generated);
  });
});
