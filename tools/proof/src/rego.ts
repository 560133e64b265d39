import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CloudFormationValidatePlugin } from 'aws-cdk-lib';

/** A Gatekeeper-style Rego v1 policy: a package whose `violation` set yields `{"msg": ...}`. */
export interface RegoPolicy {
  /** Name shown in diagnostics. */
  readonly name: string;
  /** Rego v1 source (`import rego.v1`, `violation contains {"msg": msg} if {...}`). */
  readonly source: string;
}

/** What a policy said about one object. */
export interface RegoDecision {
  /** Index of the object in the input list. */
  readonly index: number;
  /** Violation messages; empty means admitted. */
  readonly messages: string[];
}

const REVIEW_TYPE = 'Custom::KeelsonAdmissionReview';

/**
 * Evaluate a Gatekeeper Rego v1 policy against Kubernetes objects, offline.
 *
 * The evaluator is the Rego engine that aws-cdk-lib bundles for its
 * CloudFormation validation, used through its public plugin API
 * (`CloudFormationValidatePlugin` with `regoRules`). That engine's input is a
 * CloudFormation template, so each object is wrapped in a resource whose
 * properties are a Gatekeeper review (`review.object`, `parameters`), and a
 * small adapter module evaluates the policy's `violation` set `with input as`
 * each review.
 */
export function evaluateRego(policy: RegoPolicy, objects: object[], parameters: object = {}): RegoDecision[] {
  const pkg = /^\s*package\s+([\w.]+)/m.exec(policy.source)?.[1];
  if (!pkg) throw new Error(`${policy.name}: no package declaration`);
  if (!/^\s*import\s+rego\.v1\s*$/m.test(policy.source) && !/\bcontains\b[\s\S]*\bif\b/.test(policy.source)) {
    throw new Error(`${policy.name}: not Rego v1 (expected \`import rego.v1\` or v1 keywords)`);
  }

  const resources: Record<string, unknown> = {};
  objects.forEach((object, i) => {
    const [group, version] = splitApiVersion((object as any).apiVersion ?? 'v1');
    resources[`Review${i}`] = {
      Type: REVIEW_TYPE,
      Properties: {
        review: { object, kind: { group, version, kind: (object as any).kind }, operation: 'CREATE' },
        parameters,
      },
    };
  });

  const adapter = [
    'package keelson_admission_adapter',
    '',
    'import rego.v1',
    '',
    'violation contains v if {',
    '\tsome name, res in input.resources',
    `\tres.resourceType == "${REVIEW_TYPE}"`,
    `\tsome decision in data.${pkg}.violation with input as res.properties`,
    '\tv := make_diag("ADMISSION", "ERROR", name, decision.msg)',
    '}',
  ].join('\n');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-rego-'));
  const templatePath = path.join(dir, 'reviews.template.json');
  fs.writeFileSync(templatePath, JSON.stringify({ Resources: resources }));
  try {
    const plugin = new CloudFormationValidatePlugin({
      includeDefaultRules: false,
      regoRules: [{ name: policy.name, content: policy.source }, { name: 'keelson-admission-adapter', content: adapter }],
    });
    const report = plugin.validate({
      appConstruct: new App(),
      templatePaths: [templatePath],
      stackTemplates: [{
        stackConstructPath: 'AdmissionReviews',
        templatePath,
        accountId: undefined,
        region: undefined,
      }],
    });
    const messages = new Map<number, string[]>();
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        const index = Number(resource.resourceLogicalId?.replace('Review', ''));
        messages.set(index, [...(messages.get(index) ?? []), violation.description]);
      }
    }
    return objects.map((_, index) => ({ index, messages: messages.get(index) ?? [] }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}
