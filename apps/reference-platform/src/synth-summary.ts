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

/** A gate's outcome. SKIPPED is never PASS: a gate that did not run proved nothing. */
export type GateStatus = 'PASS' | 'FAIL' | 'SKIPPED';

/** What the cfn-lint gate reports, from the runs of every region. */
export interface LintOutcome {
  readonly ran: boolean;
  readonly skipReason?: string;
  readonly findings: readonly unknown[];
  readonly errors: readonly unknown[];
  /** Templates linted now, and templates whose earlier lint was reused. */
  readonly linted: number;
  readonly cached: number;
}

/**
 * The cfn-lint gate's line: PASS or FAIL when it ran; when cfn-lint is missing,
 * SKIPPED on a workstation and FAIL under CI (`CI=true`), where a gate that
 * cannot run must stop the build.
 */
export function cfnLintGate(lint: LintOutcome, env: NodeJS.ProcessEnv = process.env): [GateStatus, string] {
  if (!lint.ran) {
    return env.CI === 'true'
      ? ['FAIL', `cfn-lint is required under CI and is missing: ${lint.skipReason}`]
      : ['SKIPPED', `cfn-lint did not run (${lint.skipReason}); install it (bash .ci/python-tools) to check the templates`];
  }
  return [lint.errors.length === 0 ? 'PASS' : 'FAIL',
    `${lint.errors.length} errors, ${lint.findings.length - lint.errors.length} warnings (${lint.linted} templates linted, ${lint.cached} unchanged since their last lint)`];
}

/** One result line of the summary. */
export function gateLine(status: GateStatus, gate: string, detail: string): string {
  return `${status.padEnd(7)} ${gate}: ${detail}`;
}

/** Print the stacks and each gate's result for the assembly in `cdkOut`; true when every gate passes. */
export async function summarize(cdkOut: string): Promise<boolean> {
  const stacks = new CloudAssembly(cdkOut, { skipVersionCheck: true }).stacks.map((s) => ({
    id: s.id,
    region: s.environment.region,
    file: s.templateFullPath,
    bytes: fs.statSync(s.templateFullPath).size,
    template: s.template,
  }));

  const results: [string, GateStatus, string][] = [];
  results.push(['cdk-nag (AwsSolutions, NIST 800-53 r5) + CloudFormation validation', 'PASS', 'ran in synth; no unacknowledged finding']);

  // Each template is linted for the region it deploys to; the regions lint in parallel, and in
  // parallel with the Kubernetes schema check below (both are child processes).
  const linting = Promise.all([...new Set(stacks.map((s) => s.region))].map((region) =>
    cfnLintAsync(stacks.filter((s) => s.region === region).map((s) => s.file), { regions: [region], cacheDir: lintCache })));

  const objects = stacks.flatMap((s) => kubernetesObjectsIn(s.template));
  const k8sErrors = kubernetesSchemaErrors(objects);

  // Under CI, the proof kit throws when cfn-lint is missing; that is this gate's FAIL.
  const lints = await linting.catch((e: Error): Awaited<typeof linting> => [{ ran: false, skipReason: e.message, findings: [], errors: [] }]);
  const cached = lints.reduce((sum, l) => sum + (l.cached ?? 0), 0);
  const lint = {
    ran: lints.every((l) => l.ran),
    skipReason: lints.find((l) => !l.ran)?.skipReason,
    findings: lints.flatMap((l) => l.findings),
    errors: lints.flatMap((l) => l.errors),
    linted: stacks.length - cached,
    cached,
  };
  results.push(['cfn-lint', ...cfnLintGate(lint)]);
  results.push(['Kubernetes schemas', k8sErrors.length === 0 ? 'PASS' : 'FAIL', `${objects.length} objects, ${k8sErrors.length} invalid`]);

  const over = stacks.filter((s) => Object.keys(s.template.Resources ?? {}).length >= TEMPLATE_LIMITS.resources || s.bytes >= TEMPLATE_LIMITS.bytes);
  results.push([`template limits (< ${TEMPLATE_LIMITS.resources} resources, < ${TEMPLATE_LIMITS.bytes / 1024} KB)`, over.length === 0 ? 'PASS' : 'FAIL', over.length ? over.map((s) => s.id).join(', ') : 'all within']);

  console.log('\nstack'.padEnd(46) + 'region'.padEnd(18) + 'resources'.padStart(10) + 'KB'.padStart(8));
  for (const s of stacks) {
    const resources = String(Object.keys(s.template.Resources ?? {}).length);
    console.log(s.id.padEnd(45) + s.region.padEnd(18) + resources.padStart(10) + String(Math.round(s.bytes / 1024)).padStart(8));
  }
  console.log('');
  for (const [gate, status, detail] of results) console.log(gateLine(status, gate, detail));
  const problems = [...lint.errors.map((e) => `cfn-lint ${e.rule} ${e.file} ${e.path}: ${e.message}`), ...k8sErrors];
  for (const line of problems) console.log(`  ${line}`);
  return results.every(([, status]) => status !== 'FAIL');
}
