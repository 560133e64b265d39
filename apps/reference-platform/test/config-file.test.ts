import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import {
  configFromContext, configJsonSchemaText, configProblems, findConfigFile, JSON_SCHEMA_FILE, PlatformConfigSchema, readConfigFile, resolveConfig,
} from '../src/config';
// eslint-disable-next-line import/order
import { z } from 'zod';
import { STAND_IN_IDENTITY_FILE } from './support/stand-in-identity';

const APP_DIR = path.join(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A folder holding one file. */
function folderWith(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'f-'));
  fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const context = (values: Record<string, string> = {}) => ({ tryGetContext: (k: string) => values[k] });

/** The README's whole example file: the first yaml block under "## Config". */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(APP_DIR, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Config'));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md has no yaml example under "## Config"');
  return match[1];
}

/** Every key path the schema defines (objects only; lists are leaves). */
function schemaKeys(schema: z.core.$ZodType, prefix = ''): string[] {
  const def: any = schema._zod.def;
  const inner = def.type === 'optional' ? def.innerType._zod.def : def;
  if (inner.type !== 'object') return [];
  return Object.entries<z.core.$ZodType>(inner.shape).flatMap(([k, v]) => [`${prefix}${k}`, ...schemaKeys(v, `${prefix}${k}.`)]);
}
function valueKeys(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...valueKeys(v, `${prefix}${k}.`)]);
}

describe('keelson.config.yaml', () => {
  test('a file in the app folder sits between the defaults and the environment; context overrides it', () => {
    const dir = folderWith('keelson.config.yaml', [
      '# yaml-language-server: $schema=./keelson.config.schema.json',
      'owner: payments-team',
      'network: { natGateways: per-az, flowLogRetentionDays: 90 }',
      'backups: { schedule: "30 1 * * 0" }',
      '',
    ].join('\n'));
    const dev = configFromContext(context(), {}, dir);
    expect(dev.owner).toBe('payments-team');
    expect(dev.backups).toEqual({ enabled: true, schedule: '30 1 * * 0', ttlDays: 30 });
    expect(dev.network.flowLogRetentionDays).toBe(90);
    // The dev environment sets natGateways: single, above the file.
    expect(dev.network.natGateways).toBe('single');
    // Context overrides sit above both, and the account above everything.
    const overridden = configFromContext(context({ 'keelson:overrides': '{"owner":"sre"}', 'keelson:account': '123456789012' }), {}, dir);
    expect(overridden).toMatchObject({ owner: 'sre', account: '123456789012' });
    expect(configProblems(dev)).toEqual([]);
  });

  test('keelson.config.<environment>.yaml sits above environments.ts and below context overrides', () => {
    const dir = folderWith('keelson.config.yaml', 'owner: payments-team\nnetwork: { flowLogRetentionDays: 90 }\n');
    fs.writeFileSync(path.join(dir, 'keelson.config.prod.yaml'), 'network: { flowLogRetentionDays: 731 }\ndr: { nodeScale: 0.75 }\n');
    const prod = configFromContext(context({ 'keelson:environment': 'prod' }), {}, dir);
    // environments.ts sets prod's retention to 365 and nodeScale to 1; the prod file wins.
    expect(prod.network.flowLogRetentionDays).toBe(731);
    expect(prod.dr.nodeScale).toBe(0.75);
    expect(prod.owner).toBe('payments-team');
    expect(configFromContext(context({ 'keelson:environment': 'staging' }), {}, dir).network.flowLogRetentionDays).toBe(90);
    expect(configFromContext(context({ 'keelson:environment': 'prod', 'keelson:overrides': '{"dr":{"nodeScale":0.25}}' }), {}, dir).dr.nodeScale).toBe(0.25);
  });

  test('JSON works the same, with $schema allowed', () => {
    const dir = folderWith('keelson.config.json', JSON.stringify({ $schema: './keelson.config.schema.json', project: 'atlas' }));
    expect(configFromContext(context(), {}, dir).project).toBe('atlas');
  });

  test('a misspelled key in the file is refused with the suggestion', () => {
    const dir = folderWith('keelson.config.yaml', 'network:\n  natGateway: single\n');
    expect(configProblems(configFromContext(context(), {}, dir)).map((p) => `${p.path}: ${p.fix}`))
      .toEqual(['network.natGateway: did you mean `natGateways`?']);
  });

  test('syntax errors, duplicate keys and a non-mapping file are refused with the line', () => {
    const bad = (text: string) => readConfigFile(path.join(folderWith('keelson.config.yaml', text), 'keelson.config.yaml')).problems.map((p) => p.problem);
    expect(bad('owner: a\nowner: b\n')).toEqual([expect.stringMatching(/^keelson\.config\.yaml line 2: Map keys must be unique/)]);
    expect(bad('cluster:\n  appPool: [\n')).toEqual([expect.stringMatching(/^keelson\.config\.yaml line \d+: /)]);
    expect(bad('- a\n- b\n')).toEqual(['keelson.config.yaml holds a list, not settings']);
    expect(() => configFromContext(context(), {}, folderWith('keelson.config.yaml', 'owner: a\nowner: b\n'))).toThrow(/^config: keelson\.config\.yaml line 2: /);
  });

  const problemsOf = (text: string | Buffer) => readConfigFile(path.join(folderWith('keelson.config.yaml', text as string), 'keelson.config.yaml')).problems.map((p) => `${p.problem}. Fix: ${p.fix}`);

  test('a YAML warning is an error: an unknown tag or an old-YAML directive changes what the file says', () => {
    expect(problemsOf('owner: !!secret platform-team\n')).toEqual([expect.stringMatching(/^keelson\.config\.yaml line 1: Unresolved tag: tag:yaml\.org,2002:secret\. Fix: correct the YAML\/JSON there$/)]);
    expect(() => configFromContext(context(), {}, folderWith('keelson.config.yaml', 'owner: !custom x\n'))).toThrow(/^config: keelson\.config\.yaml line 1: Unresolved tag/);
  });

  test('__proto__ and constructor keys are refused as unknown settings and reach no prototype', () => {
    const dir = folderWith('keelson.config.yaml', '__proto__:\n  polluted: true\nnetwork:\n  constructor: { natGateways: single }\n');
    const config = configFromContext(context({ 'keelson:overrides': '{"cluster":{"__proto__":{"polluted":true}}}' }), {}, dir);
    expect(configProblems(config).map((p) => `${p.path}: ${p.problem}`).sort()).toEqual([
      '__proto__: is not a setting of the top level',
      'cluster.__proto__: is not a setting of cluster',
      'network.constructor: is not a setting of network',
    ]);
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(config.cluster)).toBe(Object.prototype);
    expect(({} as any).polluted).toBeUndefined();
  });

  test('a file over 1 MB is refused unread', () => {
    const big = `owner: a\n# ${'x'.repeat(1024 * 1024)}\n`;
    expect(problemsOf(big)).toEqual([expect.stringMatching(/^keelson\.config\.yaml is 10\d{5} bytes, more than the 1048576 a config file may be\. Fix: keep only settings/)]);
  });

  test('an alias bomb is a config error naming the file, not a raw exception', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'owner: [*d, *d, *d, *d, *d, *d, *d, *d, *d]', ''].join('\n');
    expect(problemsOf(bomb)).toEqual([expect.stringMatching(/^keelson\.config\.yaml: Excessive alias count .*\. Fix: use aliases \(\*name\) only for small repeated settings, at most 100 expansions$/)]);
    expect(() => configFromContext(context(), {}, folderWith('keelson.config.yaml', bomb))).toThrow(/^config: keelson\.config\.yaml: Excessive alias count/);
  });

  test('the environment name is checked before it becomes part of a file name', () => {
    // A folder beside the app folder holds keelson.config.yaml: "../<it>/keelson.config" would read it.
    const beside = folderWith('keelson.config.yaml', 'owner: outside\n');
    const dir = fs.mkdtempSync(path.join(tmp, 'f-'));
    for (const environment of [`../${path.basename(beside)}/keelson.config`, '../../etc/passwd', 'Prod', '']) {
      expect(() => configFromContext(context({ 'keelson:environment': environment }), {}, dir)).toThrow(/^config\.environment: .* is not defined\. Fix: use one of dev, staging, prod/);
    }
    expect(() => findConfigFile(dir, '../x')).toThrow('config.environment: "../x" is not an environment name. Fix: use 1–16 lowercase letters');
  });

  test('a value in a field whose name says secret is never echoed in an error', () => {
    const pasted = 'gho_PASTED SECRET VALUE!';
    const problems = configProblems(resolveConfig('dev', { observability: { grafanaGithub: { clientId: 'Iv1.0123456789abcdef', clientSecretName: pasted } } }));
    expect(problems.map((p) => p.path)).toEqual(['observability.grafanaGithub.clientSecretName']);
    expect(problems[0].problem).toBe('(value not shown) is not a Secrets Manager name');
    expect(JSON.stringify(problems)).not.toContain('PASTED');
    const numeric = configProblems(resolveConfig('dev', { security: { slackWebhookSecretName: 424242424242 as any } }));
    expect(JSON.stringify(numeric)).not.toContain('424242424242');
    expect(numeric[0].path).toBe('security.slackWebhookSecretName');
    // Other fields still show their value.
    expect(configProblems(resolveConfig('dev', { owner: 42 as any }))[0].problem).toBe('is the number 42, not a string');
  });

  test('two config files in one folder are refused', () => {
    const dir = folderWith('keelson.config.yaml', 'owner: a\n');
    fs.writeFileSync(path.join(dir, 'keelson.config.json'), '{}');
    expect(() => findConfigFile(dir)).toThrow('config: keelson.config.yaml and keelson.config.json are both in');
  });
});

describe('the JSON Schema for editors', () => {
  test('the checked-in keelson.config.schema.json is what the schema generates (the build regenerates it)', () => {
    expect(fs.readFileSync(JSON_SCHEMA_FILE, 'utf8')).toBe(configJsonSchemaText());
  });

  test('it describes every field, refuses unknown keys and requires nothing (a file may be partial)', () => {
    const schema = JSON.parse(configJsonSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.network.additionalProperties).toBe(false);
    expect(schema.properties.network.properties.natGateways.enum).toEqual(['per-az', 'single']);
    expect(schema.properties.cluster.properties.publicAccessCidrs.description).toMatch(/openEndpointAcknowledgement/);
    expect(JSON.stringify(schema)).not.toContain('"required"');
  });
});

/** The field of each `config.<field>: ...` line. */
const fieldsOf = (stderr: string) => stderr.trimEnd().split('\n').map((l) => /^config\.(\S+?):/.exec(l)?.[1] ?? l);

describe('npm run check-config', () => {
  const check = (...args: string[]) => {
    const run = spawnSync('npm', ['run', '--silent', 'check-config', '--', ...args], { cwd: APP_DIR, encoding: 'utf8', env: { ...process.env, CDK_DEFAULT_ACCOUNT: '' } });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  test('the README example is a whole config: it passes on dev, and prod names each of its example values', () => {
    const example = readmeExample();
    expect(valueKeys(parse(example)).sort()).toEqual(schemaKeys(PlatformConfigSchema).filter((k) => !k.endsWith('openEndpointAcknowledgement') && k !== 'productionDestroyAcknowledgement').sort());
    const file = path.join(folderWith('keelson.config.yaml', example), 'keelson.config.yaml');
    const result = check(file);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^config valid: .*keelson\.config\.yaml, environment dev\n$/);
    const prod = check(file, '--environment', 'prod');
    expect(prod.status).toBe(1);
    expect(fieldsOf(prod.stderr)).toEqual([
      'cluster.publicAccessCidrs[0]', 'security.securityAlertsEmail', 'security.cosignPublicKey',
      'gitops.domainName', 'gitops.repoUrl', 'gitops.githubOrg', 'gitops.hostedZoneId', 'observability.grafanaGithub.clientId',
      'finops.costAlertsEmail', 'finops.costUiSignIn.issuer', 'finops.costUiSignIn.authorizationEndpoint', 'finops.costUiSignIn.tokenEndpoint',
      'finops.costUiSignIn.userInfoEndpoint',
    ]);
  });

  test('--environment prod fails on the defaults and names every example value; the stand-in identities pass', () => {
    const result = check('--environment', 'prod');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.every((l) => /^config\.\S+: .*: an example value, refused on environment "prod"\. Fix: /.test(l))).toBe(true);
    expect(fieldsOf(result.stderr)).toEqual([
      'cluster.publicAccessCidrs[0]', 'cluster.adminRoleArns[0]', 'cluster.developerRoleArns[0]', 'cluster.readOnlyRoleArns[0]',
      'security.securityAlertsEmail', 'security.cosignPublicKey',
      'gitops.domainName', 'gitops.repoUrl', 'gitops.githubOrg', 'gitops.hostedZoneId',
      'finops.costAlertsEmail', 'finops.costUiSignIn.issuer', 'finops.costUiSignIn.authorizationEndpoint', 'finops.costUiSignIn.tokenEndpoint',
      'finops.costUiSignIn.userInfoEndpoint',
    ]);
    expect(check(STAND_IN_IDENTITY_FILE, '--environment', 'prod')).toMatchObject({ status: 0, stderr: '' });
  });

  test('settings that would do nothing are warned on stderr; the config is still valid', () => {
    const result = check('--overrides', JSON.stringify({ services: { externalSecrets: false }, gitops: { enabled: false }, finops: { costEngine: 'none' } }));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^config valid: .*environment dev \(3 warnings\)\n$/);
    expect(result.stderr.trimEnd().split('\n').map((l) => l.split(': ')[0])).toEqual([
      'warning', 'warning', 'warning',
    ]);
    expect(fieldsOf(result.stderr.replace(/^warning: /gm, ''))).toEqual(['security.slackWebhookSecretName', 'observability.grafanaGithub', 'finops.costUiSignIn']);
  });

  test('mistakes: exit 1 and one line per error, every error at once', () => {
    const file = path.join(folderWith('keelson.config.yaml', [
      'network: { natGateway: single }',
      'cluster: { publicAccessCidrs: [0.0.0.0/0], systemPool: { instanceTypes: [m7i.large, m7i.large] } }',
      'backups: { schedule: "0 25 * * *" }',
      'services: { keda: "yes" }',
      '',
    ].join('\n')), 'keelson.config.yaml');
    const result = check(file);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'config.network.natGateway: is not a setting of network. Fix: did you mean `natGateways`?',
      expect.stringMatching(/^config\.cluster\.publicAccessCidrs\[0\]: 0\.0\.0\.0\/0 opens the Kubernetes API endpoint to the whole internet\. Fix: /),
      'config.cluster.systemPool.instanceTypes[1]: "m7i.large" is listed twice (also at [0]). Fix: list each entry once',
      'config.services.keda: is the string "yes", not a boolean. Fix: use true or false',
      expect.stringMatching(/^config\.backups\.schedule: "0 25 \* \* \*" is not a valid cron schedule/),
    ]);
  });

  test('overrides and environments on the command line; usage errors exit 2', () => {
    expect(check(path.join(folderWith('keelson.config.yaml', 'owner: x\n'), 'keelson.config.yaml'), '--overrides', '{"dr":{"nodeScale":2}}').stderr)
      .toBe('config.dr.nodeScale: 2 is above 1. Fix: use a factor such as 0.5 (half the primary\'s nodes) or 1 (a hot standby)\n');
    expect(check('--environment', 'qa')).toMatchObject({ status: 1, stderr: 'config.environment: "qa" is not defined. Fix: use one of dev, staging, prod or add it to environments.ts\n' });
    expect(check('--bogus').status).toBe(2);
  });
});
