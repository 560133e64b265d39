/**
 * The proof that a Go user can `go get` every released package and run its README example: one
 * module outside the workspace requires every package's generated Go module (from the `package`
 * task's dist/go) and aws-cdk-go from the Go proxy; every README example, as jsii-rosetta
 * translated it to Go (with the repairs of src/go-examples.ts for rosetta's own defects), is
 * compiled into one program and run, and writes a cloud assembly with at least one stack.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AWS_CDK_GO, buildGoExamples, GoBuild, GoConsumer, prepareGoConsumer, releasablePackages, runGoExamples,
  SynthOutcome, translatedReadmeExamples, workspaceRoot,
} from '../src';

const packages = releasablePackages(workspaceRoot());
const examples = packages.flatMap((p) => translatedReadmeExamples(p, 'go'));

let consumer: GoConsumer;
let build: GoBuild;
let outcomes: Record<string, SynthOutcome>;
beforeAll(async () => {
  const started = Date.now();
  consumer = prepareGoConsumer(packages);
  const prepared = Date.now();
  build = buildGoExamples(consumer, examples, packages);
  const built = Date.now();
  outcomes = await runGoExamples(consumer, build, examples);
  // The cost of this proof, for the note: caches created or reused, the build, then the runs.
  console.log(`go consumer: ${consumer.install}; ${consumer.goVersion}, aws-cdk-go v${consumer.cdkVersion} (npm's newest: ${consumer.npmNewest}); `
    + `stand-ins built from npm: ${consumer.standIns.map((s) => s.npmPackage).join(', ') || 'none'}; `
    + `prepared in ${((prepared - started) / 1000).toFixed(1)} s, ${build.builds} go build(s) in ${((built - prepared) / 1000).toFixed(1)} s `
    + `(repairs: ${JSON.stringify(build.repairs)}), ${examples.length} examples run in ${((Date.now() - built) / 1000).toFixed(1)} s`);
});

test('every released package has a README example in Go', () => {
  expect(new Set(examples.map((e) => e.packageName))).toEqual(new Set(packages.map((p) => p.name)));
});

test('Go: every package is required from the Go module its package task generated', () => {
  const goMod = fs.readFileSync(path.join(consumer.project, 'go.mod'), 'utf8');
  for (const m of consumer.modules) expect(goMod).toContain(`replace ${m.module} => ${m.dir}\n`);
});

test('Go: aws-cdk-go is the newest the proxy serves up to the aws-cdk-lib the npm smoke test calls newest', () => {
  expect(fs.readFileSync(path.join(consumer.project, 'go.mod'), 'utf8')).toMatch(new RegExp(`^\\s*${AWS_CDK_GO.replace(/\./g, '\\.')} v${consumer.cdkVersion.replace(/\./g, '\\.')}$`, 'm'));
});

test.each(examples.map((e) => [`${e.packageName} README example (line ${e.line})`, e] as const))('Go: %s synthesizes', (_label, example) => {
  expect(outcomes[example.id].error).toBe('');
  expect(outcomes[example.id].templates).toBeGreaterThan(0);
});

afterAll(() => {
  // Keep the caches and the program (reused next run); drop the cloud assemblies, which hold the kubectl layer.
  if (consumer) fs.rmSync(path.join(consumer.project, 'cdk.out'), { recursive: true, force: true });
});
