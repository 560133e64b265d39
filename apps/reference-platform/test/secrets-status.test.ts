import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { resolveConfig } from '../src/config';
import { platformSecretSpecs } from '../src/platform-secrets';
import { main } from '../src/secrets-status';

// The AWS SDK is mocked at SecretsManagerClient.send: each region answers from
// a table, and a planted value rides along in every answer to show that
// nothing the tool prints can come from a secret's value.
const FAKE_VALUE = 'FAKE-SECRET-VALUE-THAT-MUST-NEVER-PRINT';
const config = resolveConfig('dev');
const names = platformSecretSpecs(config).map((s) => s.name);
const [primary, dr] = [config.primary.region, config.dr.region];

function mockRegions(answers: Record<string, Record<string, 'value' | 'empty' | 'missing'>>, failWith?: string) {
  const calls: { region: string; command: string; id: string }[] = [];
  const send = jest.spyOn(SecretsManagerClient.prototype, 'send').mockImplementation(async function (this: SecretsManagerClient, command: any) {
    const region = await this.config.region();
    calls.push({ region, command: command.constructor.name, id: command.input.SecretId });
    if (failWith) throw Object.assign(new Error('Could not load credentials from any providers'), { name: failWith });
    const state = answers[region]?.[command.input.SecretId] ?? 'missing';
    if (state === 'missing') throw Object.assign(new Error('Secrets Manager can\'t find the specified secret.'), { name: 'ResourceNotFoundException' });
    return { Name: command.input.SecretId, SecretString: FAKE_VALUE, VersionIdsToStages: state === 'value' ? { v1: ['AWSCURRENT'] } : {} };
  } as any);
  return { calls, restore: () => send.mockRestore() };
}

async function run(argv: string[] = []) {
  let out = '';
  let err = '';
  const code = await main(argv, undefined, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

describe('npm run secrets', () => {
  test('a secret only an ignored setting names is not created: without External Secrets or a cost engine, only the security baseline\'s webhook', () => {
    const off = resolveConfig('dev', { services: { externalSecrets: false }, gitops: { enabled: false }, finops: { costEngine: 'none' } });
    expect(platformSecretSpecs(off).map((s) => s.name)).toEqual(['keelson/dev/slack-webhook']);
    expect(names).toEqual(expect.arrayContaining(['keelson/dev/slack-webhook', 'keelson/dev/grafana-github', 'keelson/dev/cost-monitoring/oidc']));
  });

  test('the dev config names the Argo CD secrets the platform reads, under its prefix', () => {
    expect(names).toEqual(expect.arrayContaining(['keelson/dev/argocd/github-oauth', 'keelson/dev/argocd/slack', 'keelson/dev/argocd/github-scm']));
  });

  test('every secret filled in the primary and replicated: one row each, "value" in both regions, exit 0; only DescribeSecret is called', async () => {
    const all = Object.fromEntries(names.map((n) => [n, 'value' as const]));
    const mock = mockRegions({ [primary]: all, [dr]: all });
    try {
      const { code, out, err } = await run();
      expect(code).toBe(0);
      expect(err).toBe('');
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^secret\\s+${primary}\\s+${dr}$`));
      for (const n of names) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${n}\\s+value\\s+value$`)));
      expect(out).toContain('every platform secret has a value in every region');
      expect(new Set(mock.calls.map((c) => c.command))).toEqual(new Set([DescribeSecretCommand.name]));
      expect(mock.calls).toHaveLength(names.length * 2);
      expect(out + err).not.toContain(FAKE_VALUE);
    } finally {
      mock.restore();
    }
  });

  test('an empty shell, and a secret not yet replicated to DR, are reported per region with the fix; exit 1', async () => {
    const [first, second, ...rest] = names;
    const filled = Object.fromEntries(rest.map((n) => [n, 'value' as const]));
    const mock = mockRegions({ [primary]: { [first]: 'empty', [second]: 'value', ...filled }, [dr]: { [first]: 'empty', ...filled } });
    try {
      const { code, out, err } = await run(['--environment', 'dev']);
      expect(code).toBe(1);
      expect(out).toMatch(new RegExp(`${first}\\s+empty\\s+empty`));
      expect(out).toMatch(new RegExp(`${second}\\s+value\\s+missing`));
      expect(err).toMatch(/2 secret\(s\) without a value somewhere\. Fix: put each value once, in ap-southeast-1/);
      expect(out + err).not.toContain(FAKE_VALUE);
    } finally {
      mock.restore();
    }
  });

  test('without AWS credentials it says so, cleanly, and exits 2', async () => {
    const mock = mockRegions({}, 'CredentialsProviderError');
    try {
      const { code, out, err } = await run();
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(/^secrets: no AWS credentials found \(Could not load credentials from any providers\)\. Fix: set AWS_PROFILE/);
      expect(mock.calls).toHaveLength(1);
    } finally {
      mock.restore();
    }
  });

  test('an unknown argument is a usage error (exit 2)', async () => {
    const { code, err } = await run(['--region']);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown argument --region/);
  });
});
