import * as fs from 'fs';
import * as path from 'path';
import { VersionCatalogue } from '@keelson/eks-core';
import { GitOpsVersions } from '../src';

// The versions table is generated from the catalogue. Run the tests with
// KEELSON_UPDATE_DOCS=1 to rewrite it after changing a pin.
const TABLE = path.join(__dirname, '..', 'VERSIONS.md');
const TITLE = '@keelson/gitops pinned versions';

describe('GitOpsVersions (the version catalogue)', () => {
  test('every entry names its upstream release, its release date and the Kubernetes versions it was checked for', () => {
    expect(VersionCatalogue.problems(GitOpsVersions.all())).toEqual([]);
    expect(GitOpsVersions.all().map((p) => `${p.name}@${p.version}`)).toEqual(['argo-cd@10.10.2', 'argo-rollouts@2.43.5', 'argocd-image-updater@1.3.1']);
  });

  test('the checked-in versions table is the one the catalogue generates', () => {
    const generated = VersionCatalogue.markdown(TITLE, GitOpsVersions.all());
    if (process.env.KEELSON_UPDATE_DOCS === '1') fs.writeFileSync(TABLE, generated);
    expect(fs.readFileSync(TABLE, 'utf8')).toBe(generated);
  });

  test('Argo CD is on the 10.x chart line (Argo CD 3.x), whose NetworkPolicies are on by default', () => {
    expect(GitOpsVersions.ARGO_CD.version).toMatch(/^10\./);
    expect(GitOpsVersions.ARGO_CD.upstreamRelease).toMatch(/appVersion v3\./);
  });
});
