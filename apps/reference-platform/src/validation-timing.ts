/**
 * The floor under every synth of this app: aws-cdk-lib's CloudFormation
 * validation (the plugin `@aws-cdk/core:validateAgainstDefaultRules` makes
 * fail synth) over the templates in cdk.out, alone, in a fresh process.
 * `npm run bench` runs it to show how much of synth time is that engine.
 * Prints one JSON line.
 */
import * as path from 'path';
import { App, CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

const stackTemplates = new CloudAssembly(path.resolve(process.argv[2] ?? 'cdk.out'), { skipVersionCheck: true }).stacks.map((s) => ({
  stackConstructPath: s.hierarchicalId,
  templatePath: s.templateFullPath,
  accountId: s.environment.account,
  region: s.environment.region,
}));

const started = process.hrtime.bigint();
const report = new CloudFormationValidatePlugin().validate({
  appConstruct: new App(), templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates,
});
console.log(JSON.stringify({
  templates: stackTemplates.length,
  validationMs: Number(process.hrtime.bigint() - started) / 1e6,
  errors: report.violations.filter((v) => v.severity === 'error').length,
}));
