import * as fs from 'fs';
import * as path from 'path';
import { VersionCatalogue } from '@keelson/eks-core';
import { DrVersions } from '../src';

// The versions table in the docs is generated from the catalogue. Run the
// tests with KEELSON_UPDATE_DOCS=1 to rewrite it after changing a pin.
const TABLE = path.join(__dirname, '..', 'VERSIONS.md');

describe('DrVersions (the version catalogue)', () => {
  test('every entry names its upstream release, its release date and the Kubernetes versions it was checked for', () => {
    expect(DrVersions.all().map((p) => p.name)).toEqual(['velero', 'velero-plugin-for-aws']);
    expect(VersionCatalogue.problems(DrVersions.all())).toEqual([]);
    expect(DrVersions.veleroAwsPluginImage).toBe('velero/velero-plugin-for-aws:v1.14.4');
  });

  test('the checked-in versions table is the one the catalogue generates', () => {
    const generated = VersionCatalogue.markdown('@keelson/dr pinned versions', DrVersions.all());
    if (process.env.KEELSON_UPDATE_DOCS === '1') fs.writeFileSync(TABLE, generated);
    expect(fs.readFileSync(TABLE, 'utf8')).toBe(generated);
  });
});
