/**
 * Printed after `npm run synth`: the stacks, their regions and resource
 * counts, and the result of each proof gate over `cdk.out`.
 *
 * cdk-nag and aws-cdk-lib's CloudFormation validation already ran inside
 * synth (a finding fails it); cfn-lint, Kubernetes schemas and template limits
 * are checked here. cfn-lint keeps each template's findings in
 * node_modules/.cache/cfn-lint, keyed by the template's bytes, its region, the
 * config and the cfn-lint version, so only templates that changed are linted.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cfnLintAsync, kubernetesObjectsIn, kubernetesSchemaErrors } from '@keelson/proof';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { TEMPLATE_LIMITS } from './template-limits';

const lintCache = path.resolve(__dirname, '..', 'node_modules', '.cache', 'cfn-lint');

/** Print the stacks and each gate's result for the assembly in `cdkOut`; true when every gate passes. */
export async function summarize(cdkOut: string): Promise<boolean> {
  const stacks = new CloudAssembly(cdkOut, { skipVersionCheck: true }).stacks.map((s) => ({
    id: s.id,
    region: s.environment.region,
    file: s.templateFullPath,
    bytes: fs.statSync(s.templateFullPath).size,
    template: s.template,
  }));

  const results: [string, boolean, string][] = [];
  results.push(['cdk-nag (AwsSolutions, NIST 800-53 r5) + CloudFormation validation', true, 'ran in synth; no unacknowledged finding']);

  // Each template is linted for the region it deploys to; the regions lint in parallel, and in
  // parallel with the Kubernetes schema check below (both are child processes).
  const linting = Promise.all([...new Set(stacks.map((s) => s.region))].map((region) =>
    cfnLintAsync(stacks.filter((s) => s.region === region).map((s) => s.file), { regions: [region], cacheDir: lintCache })));

  const objects = stacks.flatMap((s) => kubernetesObjectsIn(s.template));
  const k8sErrors = kubernetesSchemaErrors(objects);

  const lints = await linting;
  const cached = lints.reduce((sum, l) => sum + (l.cached ?? 0), 0);
  const lint = {
    ran: lints.every((l) => l.ran),
    skipReason: lints.find((l) => !l.ran)?.skipReason,
    findings: lints.flatMap((l) => l.findings),
    errors: lints.flatMap((l) => l.errors),
  };
  results.push(['cfn-lint', !lint.ran || lint.errors.length === 0,
    lint.ran ? `${lint.errors.length} errors, ${lint.findings.length - lint.errors.length} warnings (${stacks.length - cached} templates linted, ${cached} unchanged since their last lint)` : `SKIPPED: ${lint.skipReason}`]);
  results.push(['Kubernetes schemas', k8sErrors.length === 0, `${objects.length} objects, ${k8sErrors.length} invalid`]);

  const over = stacks.filter((s) => Object.keys(s.template.Resources ?? {}).length >= TEMPLATE_LIMITS.resources || s.bytes >= TEMPLATE_LIMITS.bytes);
  results.push([`template limits (< ${TEMPLATE_LIMITS.resources} resources, < ${TEMPLATE_LIMITS.bytes / 1024} KB)`, over.length === 0, over.length ? over.map((s) => s.id).join(', ') : 'all within']);

  console.log('\nstack'.padEnd(46) + 'region'.padEnd(18) + 'resources'.padStart(10) + 'KB'.padStart(8));
  for (const s of stacks) {
    const resources = String(Object.keys(s.template.Resources ?? {}).length);
    console.log(s.id.padEnd(45) + s.region.padEnd(18) + resources.padStart(10) + String(Math.round(s.bytes / 1024)).padStart(8));
  }
  console.log('');
  for (const [gate, ok, detail] of results) console.log(`${ok ? 'PASS' : 'FAIL'}  ${gate}: ${detail}`);
  const problems = [...lint.errors.map((e) => `cfn-lint ${e.rule} ${e.file} ${e.path}: ${e.message}`), ...k8sErrors];
  for (const line of problems) console.log(`  ${line}`);
  return results.every(([, ok]) => ok);
}
