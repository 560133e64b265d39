/**
 * The proof that a Python user can `pip install` every released package and run its README
 * example: the wheels the `package` task built are installed, with their dependencies from the
 * registry, into one virtual environment, and every README example, as jsii-rosetta translated it
 * to Python, writes a cloud assembly with at least one stack.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  builtWheel, consumerHome, installedPythonVersion, preparePythonConsumer, PythonConsumer, releasablePackages,
  runPythonExamples, SynthOutcome, translatedReadmeExamples, workspaceRoot,
} from '../src';

const packages = releasablePackages(workspaceRoot());
const examples = packages.flatMap((p) => translatedReadmeExamples(p, 'python'));
const conventions = examples.find((e) => e.packageName === '@keelson/conventions')!;
/** The conventions example without its last line, `app.synth()`: TypeScript synthesizes on exit, Python does not. */
const withoutSynth = { ...conventions, id: 'no_synth_1' };
const withoutSynthSource = conventions.source.replace(/^app\.synth\(\)\s*$/m, '');

let consumer: PythonConsumer;
let outcomes: Record<string, SynthOutcome>;
beforeAll(async () => {
  const started = Date.now();
  consumer = preparePythonConsumer(packages);
  const prepared = Date.now();
  outcomes = await runPythonExamples(consumer, [...examples, withoutSynth], { sources: { [withoutSynth.id]: withoutSynthSource } });
  // The cost of this proof, for the note: environment created, wheels reinstalled or reused, then the runs.
  console.log(`python consumer: ${consumer.install}; ${consumer.pythonVersion}, aws-cdk-lib ${consumer.cdkVersion} `
    + `(npm's newest: ${consumer.npmNewest}); prepared in ${((prepared - started) / 1000).toFixed(1)} s, `
    + `${examples.length + 1} examples run in ${((Date.now() - prepared) / 1000).toFixed(1)} s`);
});

test('every released package has a README example in Python', () => {
  expect(new Set(examples.map((e) => e.packageName))).toEqual(new Set(packages.map((p) => p.name)));
});

test.each(packages.map((p) => [p.name, p] as const))('Python: %s installs from its wheel', (_name, pkg) => {
  const distribution = path.basename(builtWheel(pkg)).split('-')[0];
  expect(installedPythonVersion(consumer, distribution)).toBe(pkg.manifest.version);
});

test('Python: aws-cdk-lib is the newest PyPI serves up to the one the npm smoke test calls newest', () => {
  expect(installedPythonVersion(consumer, 'aws-cdk-lib')).toBe(consumer.cdkVersion);
});

test.each(examples.map((e) => [`${e.packageName} README example (line ${e.line})`, e] as const))('Python: %s synthesizes', (_label, example) => {
  expect(outcomes[example.id].error).toBe('');
  expect(outcomes[example.id].templates).toBeGreaterThan(0);
});

test('Python catches an example that leaves synthesis to the process exit, as only TypeScript\'s App does', () => {
  expect(withoutSynthSource).not.toBe(conventions.source);
  expect(outcomes[withoutSynth.id]).toEqual({ templates: 0, error: 'wrote no cloud assembly' });
});

afterAll(() => {
  // Keep the environment (reused next run); drop the cloud assemblies, which hold the kubectl layer.
  fs.rmSync(path.join(consumerHome(), 'python', 'cdk.out'), { recursive: true, force: true });
});
