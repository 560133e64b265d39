/**
 * Building aws-cdk-lib's CloudFormation validation engine ahead of the first
 * template: shared by the prewarmed worker and the resident engine process.
 * Not part of the harness's API.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CloudFormationValidatePlugin, PolicyValidationStack } from 'aws-cdk-lib';
import type { ValidationRuleSet } from './engine-protocol';

/**
 * aws-cdk-lib's own plugin, built and warmed for `resourceTypes`. Loaded on
 * call: a worker that reaches a resident engine never loads aws-cdk-lib.
 */
export function warmValidationPlugin(rules: ValidationRuleSet, resourceTypes: string[]): CloudFormationValidatePlugin {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CloudFormationValidatePlugin: Plugin } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const plugin = new Plugin(rules);
  warm(plugin, resourceTypes);
  return plugin;
}

/**
 * Build the engine for `resourceTypes` and run one validation through it.
 *
 * aws-cdk-lib builds the engine on the first `validate` for the resource types
 * of the templates it is given, and reuses it while later templates' types are
 * a subset. One resource of each type the last synth used makes that first
 * build the one later batches reuse; the throwaway validation also pays the
 * engine's lazy first-call setup (about 0.3 s).
 */
function warm(validator: CloudFormationValidatePlugin, types: string[]): void {
  const template = { Resources: Object.fromEntries(types.map((type, i) => [`Warm${i}`, { Type: type }])) };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-engine-warmup-')), 'warmup.template.json');
  try {
    fs.writeFileSync(file, JSON.stringify(template));
    const stack: PolicyValidationStack = { stackConstructPath: 'Warmup', templatePath: file, accountId: undefined, region: undefined };
    validator.validate({ templatePaths: [file], stackTemplates: [stack] } as never);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
