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
 * `inventory` stands in for Gatekeeper's replicated data (`data.inventory`,
 * filled from its sync Config), for policies that read other objects:
 * `{ namespace: { <ns>: { <groupVersion>: { <Kind>: { <name>: object } } } }, cluster: {...} }`.
 *
 * The evaluator is the Rego engine that aws-cdk-lib bundles for its
 * CloudFormation validation, used through its public plugin API
 * (`CloudFormationValidatePlugin` with `regoRules`). That engine's input is a
 * CloudFormation template, so each object is wrapped in a resource whose
 * properties are a Gatekeeper review (`review.object`, `parameters`), and a
 * small adapter module evaluates the policy's `violation` set `with input as`
 * each review.
 */
export function evaluateRego(policy: RegoPolicy, objects: object[], parameters: object = {}, inventory: object = {}): RegoDecision[] {
  return evaluateRegoCases([{ policy, objects, parameters, inventory }])[0];
}

/** One policy and the objects to evaluate it against (see {@link evaluateRegoCases}). */
export interface RegoCase {
  /** The policy. */
  readonly policy: RegoPolicy;
  /** The objects, each reviewed as a CREATE. */
  readonly objects: object[];
  /** The constraint's parameters (`input.parameters`). */
  readonly parameters?: object;
  /** Gatekeeper's replicated data (`data.inventory`). */
  readonly inventory?: object;
}

/**
 * Evaluate several policies, each against its own objects, with one engine.
 * Building the engine costs most of the time (about 20 s on these machines;
 * each evaluation then takes milliseconds), so a test file evaluates all its
 * cases in one call.
 *
 * @returns the decisions of each case, in order
 */
export function evaluateRegoCases(cases: RegoCase[]): RegoDecision[][] {
  const modules = new Map<string, RegoPolicy>();
  const resources: Record<string, unknown> = {};
  const adapters: { name: string; content: string }[] = [];
  cases.forEach(({ policy, objects, parameters, inventory }, c) => {
    const pkg = /^\s*package\s+([\w.]+)/m.exec(policy.source)?.[1];
    if (!pkg) throw new Error(`${policy.name}: no package declaration`);
    if (!/^\s*import\s+rego\.v1\s*$/m.test(policy.source) && !/\bcontains\b[\s\S]*\bif\b/.test(policy.source)) {
      throw new Error(`${policy.name}: not Rego v1 (expected \`import rego.v1\` or v1 keywords)`);
    }
    const known = modules.get(pkg);
    if (known && known.source !== policy.source) throw new Error(`${policy.name}: package ${pkg} is also declared by ${known.name}`);
    modules.set(pkg, policy);
    objects.forEach((object, i) => {
      const [group, version] = splitApiVersion((object as any).apiVersion ?? 'v1');
      resources[`Case${c}Review${i}`] = {
        Type: REVIEW_TYPE,
        Properties: {
          review: { object, kind: { group, version, kind: (object as any).kind }, operation: 'CREATE' },
          parameters: parameters ?? {},
          inventory: inventory ?? {},
        },
      };
    });
    adapters.push({
      name: `keelson-admission-adapter-${c}`,
      content: [
        `package keelson_admission_adapter_${c}`,
        '',
        'import rego.v1',
        '',
        'violation contains v if {',
        '\tsome name, res in input.resources',
        `\tres.resourceType == "${REVIEW_TYPE}"`,
        `\tstartswith(name, "Case${c}Review")`,
        `\tsome decision in data.${pkg}.violation with input as res.properties with data.inventory as res.properties.inventory`,
        '\tv := make_diag("ADMISSION", "ERROR", name, decision.msg)',
        '}',
      ].join('\n'),
    });
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-rego-'));
  const templatePath = path.join(dir, 'reviews.template.json');
  fs.writeFileSync(templatePath, JSON.stringify({ Resources: resources }));
  try {
    const plugin = new CloudFormationValidatePlugin({
      includeDefaultRules: false,
      regoRules: [...[...modules.values()].map((p) => ({ name: p.name, content: p.source })), ...adapters],
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
    const messages = new Map<string, string[]>();
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        const id = resource.resourceLogicalId ?? '';
        messages.set(id, [...(messages.get(id) ?? []), violation.description]);
      }
    }
    return cases.map((k, c) => k.objects.map((_, index) => ({ index, messages: messages.get(`Case${c}Review${index}`) ?? [] })));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}
