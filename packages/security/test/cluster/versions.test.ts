import * as fs from 'fs';
import * as path from 'path';
import { VersionCatalogue } from '@keelson/eks-core';
import { SecurityVersions } from '../../src';

// VERSIONS.md is generated from the catalogue: run the package's
// tests with KEELSON_UPDATE_DOCS=1 to rewrite it after changing a pin.
const TABLE = path.join(__dirname, '..', '..', 'VERSIONS.md');
const TITLE = '@keelson/security pinned versions';

describe('SecurityVersions (the version catalogue)', () => {
  test('every entry names its upstream release, its release date and the Kubernetes versions it was checked for', () => {
    expect(VersionCatalogue.problems(SecurityVersions.all())).toEqual([]);
    expect(SecurityVersions.all().map((p) => `${p.name} ${p.version}`)).toEqual(['gatekeeper 3.23.1', 'kyverno 3.9.1', 'falco 9.2.0', 'falcosidekick 0.14.0']);
  });

  test('the checked-in versions table is the one the catalogue generates', () => {
    const generated = VersionCatalogue.markdown(TITLE, SecurityVersions.all());
    if (process.env.KEELSON_UPDATE_DOCS === '1') fs.writeFileSync(TABLE, generated);
    expect(fs.readFileSync(TABLE, 'utf8')).toBe(generated);
  });
});
