/**
 * The floor under every synth of this app: aws-cdk-lib's CloudFormation
 * validation (the plugin `@aws-cdk/core:validateAgainstDefaultRules` makes
 * fail synth) over the templates in cdk.out, alone, in a fresh process.
 * `npm run bench` runs it to show how much of synth time is that engine.
 * Prints one JSON line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';

const cdkOut = path.resolve(process.argv[2] ?? 'cdk.out');
const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8'));
const stackTemplates = Object.entries<any>(manifest.artifacts)
  .filter(([, a]) => a.type === 'aws:cloudformation:stack')
  .map(([id, a]) => ({
    stackConstructPath: id,
    templatePath: path.join(cdkOut, a.properties.templateFile),
    region: a.environment.split('/').pop(),
  }));

const started = process.hrtime.bigint();
const report = new CloudFormationValidatePlugin().validate({ templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates });
console.log(JSON.stringify({
  templates: stackTemplates.length,
  validationMs: Number(process.hrtime.bigint() - started) / 1e6,
  errors: report.violations.filter((v) => v.severity === 'error').length,
}));
