import { Cidr } from '@keelson/conventions';
import type { ConfigProblem } from './semantic-checks';

/**
 * The example values the documented config ships with (defaults.ts,
 * environments.ts, the README's example). They make the example complete and
 * synthesizable, and none of them can run a real platform: the domain and its
 * zone belong to no one, the roles to no account, the key's private half was
 * discarded. Defaults read them from here, and {@link exampleValueProblems}
 * refuses every value that matches one, whatever field it sits in, outside
 * development environments.
 */
export const EXAMPLE = {
  /** The platform domain (example.com is reserved for documentation, RFC 2606). */
  domainName: 'platform.example.com',
  /** The identity provider of the cost UI's sign-in. */
  identityProvider: 'https://login.example.com',
  /** A Route 53 hosted zone id of the right shape that is no one's zone. */
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  githubOrg: 'example-org',
  /** A GitHub OAuth app's client ID of the right shape (Grafana's sign-in in dev). */
  githubClientId: 'Iv1.0123456789abcdef',
  /** An ECDSA P-256 public key whose private half was discarded: no image is ever signed with it. */
  cosignPublicKey: [
    '-----BEGIN PUBLIC KEY-----',
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE75ednUI2kQ0JXDQG0+EJNJlhBAJD',
    'TeYhF4Lyd9oE+MrRfI0NM1b4zed3O1zKrrSDungqBfB7l2MFG9bPO+D5IA==',
    '-----END PUBLIC KEY-----',
  ].join('\n'),
  /** The placeholder account of offline synth, in the example role ARNs. */
  account: '000000000000',
} as const;

/** Environments where the example values are accepted: development platforms, which synthesize offline. */
export const DEVELOPMENT_ENVIRONMENTS: readonly string[] = ['dev'];

/** One kind of example value: how to find it in a string, what it is, and what to give instead. */
interface ExampleValue {
  /** The example inside `value`, when it holds one. */
  readonly find: (value: string) => string | undefined;
  /** What the example is, after "<example> is". */
  readonly what: string;
  readonly fix: string;
}

/** RFC 5737's documentation ranges: no client ever has one of these addresses. */
const DOCUMENTATION_CIDRS = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];
/** The documentation domains of RFC 2606 and any name under them (in a domain, a URL's host or an email address). */
const EXAMPLE_DOMAIN = /(?:^|[@/.])((?:[a-z0-9-]+\.)*example\.(?:com|org|net)|(?:[a-z0-9-]+\.)+example)(?=$|[/:?#])/i;
const normalizedKey = (v: string) => v.replace(/\s+/g, '');

/** The one list the refusals are derived from: a value matching an entry is refused in any field. */
const EXAMPLE_VALUES: readonly ExampleValue[] = [
  {
    find: (v) => (normalizedKey(v) === normalizedKey(EXAMPLE.cosignPublicKey) ? v : undefined),
    what: 'the documentation\'s example cosign key, whose private half was discarded (Kyverno would refuse every image)',
    fix: 'paste your own cosign.pub (`cosign generate-key-pair`, or `cosign public-key --key awskms:///<key-arn>` for a KMS key)',
  },
  {
    find: (v) => EXAMPLE_DOMAIN.exec(v)?.[1],
    what: 'a documentation domain (RFC 2606) no one can receive mail, certificates or sign-ins for',
    fix: 'use a domain your organization owns (its Route 53 zone for gitops.domainName, your identity provider\'s URLs, a mailbox someone reads)',
  },
  {
    find: (v) => (v === EXAMPLE.hostedZoneId ? v : undefined),
    what: 'the example hosted zone id, no one\'s zone',
    fix: 'use the id of gitops.domainName\'s hosted zone (`aws route53 list-hosted-zones-by-name --dns-name <domain>`)',
  },
  {
    find: (v) => (v === EXAMPLE.githubOrg || v.includes(`github.com/${EXAMPLE.githubOrg}/`) ? EXAMPLE.githubOrg : undefined),
    what: 'the example GitHub organization',
    fix: 'use your GitHub organization (Argo CD and Grafana sign in its members) and its GitOps repository',
  },
  {
    find: (v) => (v === EXAMPLE.githubClientId ? v : undefined),
    what: 'the example OAuth client ID',
    fix: 'use the client ID of your GitHub OAuth app',
  },
  {
    find: (v) => (new RegExp(`^arn:aws[\\w-]*:[\\w-]+:[\\w-]*:${EXAMPLE.account}:`).test(v) ? `account ${EXAMPLE.account}` : undefined),
    what: 'the placeholder account, where no role exists',
    fix: 'use the ARN of a role in your account, for example an IAM Identity Center permission-set role',
  },
  {
    find: (v) => (Cidr.problem(v, 4) === undefined ? DOCUMENTATION_CIDRS.find((d) => Cidr.overlaps(v, d)) : undefined),
    what: 'a documentation range (RFC 5737) no client has an address in',
    fix: 'list the CIDRs that need this access, for example your VPN or office egress',
  },
];

/**
 * The example values in `config`, one problem per field that holds one (the
 * first kind it matches), unless `config.environment` is a development one.
 * `valid(path)` says whether the field passed the schema: an invalid field is
 * reported by the schema, not twice.
 */
export function exampleValueProblems(config: unknown, valid: (path: string) => boolean): ConfigProblem[] {
  const environment = (config as { environment?: unknown } | undefined)?.environment;
  if (typeof environment !== 'string' || DEVELOPMENT_ENVIRONMENTS.includes(environment)) return [];
  const out: ConfigProblem[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      const [example, found] = EXAMPLE_VALUES.map((e) => [e, e.find(value)] as const).find(([, f]) => f !== undefined) ?? [];
      if (!example || !valid(path)) return;
      // A key is named, not printed; a value that contains an example says which part.
      const subject = value.includes('\n') ? 'the key' : found === value ? JSON.stringify(value) : `${JSON.stringify(value)} holds ${found}, which`;
      out.push({
        path,
        problem: `${subject} is ${example.what}: an example value, refused on environment "${environment}"`,
        fix: `${example.fix} (examples are accepted only on ${DEVELOPMENT_ENVIRONMENTS.join(', ')})`,
      });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
    }
  };
  visit(config, '');
  return out;
}
