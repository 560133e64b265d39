import { ValidationProblem } from './validation-problem';

/** One RFC 1123 label: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit. */
const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const LABEL_PATTERN = `^${LABEL}$`;
const HOST_NAME_PATTERN = `^(?=.{1,253}$)(?:${LABEL}\\.)+[a-z]{2,63}$`;
const IS_LABEL = new RegExp(LABEL_PATTERN);
const IS_HOST_NAME = new RegExp(HOST_NAME_PATTERN);

/**
 * The DNS-label rule (RFC 1123), the shape of Kubernetes namespace and most
 * object names, and of each part of a host name: the one definition behind
 * `PropsCheck.dnsLabel`, the host-name checks and the reference app's schema.
 */
export class DnsLabel {
  /** The longest label. */
  public static readonly MAX_LENGTH = 63;
  /** The rule as a regular expression source (for schemas: JSON Schema `pattern`, zod `regex`). */
  public static readonly PATTERN = LABEL_PATTERN;
  /** A lowercase host name (see `isHostName`, without the wildcard) as a regular expression source. */
  public static readonly HOST_NAME_PATTERN = HOST_NAME_PATTERN;

  /** True when `value` is one DNS label. */
  public static isValid(value: string): boolean {
    return typeof value === 'string' && IS_LABEL.test(value);
  }

  /** What is wrong with `value` as a Kubernetes name (a DNS label), or `undefined` when it is one. */
  public static problem(value: string): ValidationProblem | undefined {
    if (DnsLabel.isValid(value)) return undefined;
    return { problem: `"${value}" is not a Kubernetes name`, fix: 'use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit' };
  }

  /**
   * True when `value` is a lowercase host name: DNS labels joined by dots, ending in a
   * top-level domain of letters, at most 253 characters (`platform.example.com`).
   *
   * @param value the name
   * @param wildcard accept one leading `*.` (a certificate or gateway host)
   */
  public static isHostName(value: string, wildcard?: boolean): boolean {
    if (typeof value !== 'string') return false;
    return IS_HOST_NAME.test(wildcard && value.startsWith('*.') ? value.slice(2) : value);
  }

  private constructor() {}
}
