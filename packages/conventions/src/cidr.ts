import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { PropsCheck } from './props-check';
import { ValidationProblem } from './validation-problem';

/** A parsed IPv4 or IPv6 CIDR block. */
export interface CidrBlock {
  /** The block as written. */
  readonly cidr: string;
  /** `4` or `6`. */
  readonly ipVersion: number;
  /** The network address, normalized (`10.0.0.0`, `2001:db8::`). */
  readonly networkAddress: string;
  /** The prefix length: 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefixLength: number;
}

/**
 * The one IPv4/IPv6 CIDR parser and overlap check every Keelson package uses.
 *
 * Parsing is `ipaddr.js` (no dependencies of its own, IPv4 and IPv6, network
 * arithmetic for both), held to the strict form AWS APIs take: IPv4 in
 * four-part decimal (`ipaddr.js` alone would also read `10.0.0/16` and octal
 * `010.0.0.0/8`), a prefix within the family's width, and no host bits set.
 */
export class Cidr {
  /**
   * Parse a CIDR block, or throw an error whose message is `<problem>. Fix: <fix>`.
   *
   * @param ipVersion `4` or `6` to accept only that family
   * @default - either family
   */
  public static parse(cidr: string, ipVersion?: number): CidrBlock {
    const result = parseCidr(cidr, ipVersion);
    if ('problem' in result) throw new Error(`${result.problem}. Fix: ${result.fix}`);
    return result;
  }

  /**
   * What is wrong with `cidr`, or `undefined` when it is a well-formed block.
   *
   * @param ipVersion `4` or `6` to accept only that family
   * @default - either family
   */
  public static problem(cidr: string, ipVersion?: number): ValidationProblem | undefined {
    const result = parseCidr(cidr, ipVersion);
    return 'problem' in result ? result : undefined;
  }

  /** True when the two blocks share at least one address (blocks of different families never do). */
  public static overlaps(a: string, b: string): boolean {
    const [x, y] = [Cidr.parse(a), Cidr.parse(b)];
    if (x.ipVersion !== y.ipVersion) return false;
    // Aligned blocks overlap exactly when the longer-prefix one lies inside the shorter.
    const [inner, outer] = x.prefixLength >= y.prefixLength ? [x, y] : [y, x];
    return ipaddr.parse(inner.networkAddress).match(ipaddr.parse(outer.networkAddress), outer.prefixLength);
  }

  /** True when every address of `inner` lies in `outer`. */
  public static contains(outer: string, inner: string): boolean {
    const [o, i] = [Cidr.parse(outer), Cidr.parse(inner)];
    return o.ipVersion === i.ipVersion && i.prefixLength >= o.prefixLength
      && ipaddr.parse(i.networkAddress).match(ipaddr.parse(o.networkAddress), o.prefixLength);
  }

  /** True for a block of every address of its family: `0.0.0.0/0` or `::/0`. */
  public static isAllAddresses(cidr: string): boolean {
    return Cidr.parse(cidr).prefixLength === 0;
  }

  /** The number of addresses in an IPv4 block (`2^(32 - prefix)`). */
  public static ipv4AddressCount(cidr: string): number {
    const block = Cidr.parse(cidr, 4);
    return 2 ** (32 - block.prefixLength);
  }

  /**
   * Fail at synth, naming the field, unless `cidr` is a well-formed block. Tokens pass.
   *
   * @param ipVersion `4` or `6` to accept only that family
   * @default - either family
   */
  public static check(scope: IConstruct, field: string, cidr: string, ipVersion?: number): void {
    if (Token.isUnresolved(cidr)) return;
    const problem = Cidr.problem(cidr, ipVersion);
    if (problem) PropsCheck.fail(scope, field, problem.problem, problem.fix);
  }

  /**
   * Fail at synth, naming `field` (the one to change), when two blocks overlap.
   * Tokens and malformed blocks pass: check each with {@link Cidr.check} first.
   */
  public static checkDisjoint(scope: IConstruct, field: string, cidr: string, otherField: string, other: string): void {
    if (Token.isUnresolved(cidr) || Token.isUnresolved(other)) return;
    if (Cidr.problem(cidr) || Cidr.problem(other)) return;
    if (Cidr.overlaps(cidr, other)) {
      PropsCheck.fail(scope, field, `${cidr} overlaps ${otherField} ${other}; peered VPCs need disjoint address ranges`,
        `choose a ${field} outside ${other}, for example the next /16`);
    }
  }

  private constructor() {}
}

const IPV4_FIX = 'use an IPv4 CIDR block such as 10.0.0.0/16';
const IPV6_FIX = 'use an IPv6 CIDR block such as 2001:db8::/56';

function parseCidr(cidr: string, ipVersion?: number): CidrBlock | ValidationProblem {
  if (ipVersion !== undefined && ipVersion !== 4 && ipVersion !== 6) {
    throw new Error(`ipVersion: ${ipVersion} is neither 4 nor 6. Fix: pass 4, 6 or nothing`);
  }
  const text = typeof cidr === 'string' ? cidr : String(cidr);
  const v6 = text.includes(':');
  const fix = v6 ? IPV6_FIX : IPV4_FIX;
  if (ipVersion === 4 && v6) return { problem: `"${text}" is an IPv6 block where an IPv4 block is needed`, fix: IPV4_FIX };
  if (ipVersion === 6 && !v6) return { problem: `"${text}" is an IPv4 block where an IPv6 block is needed`, fix: IPV6_FIX };
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
  const valid = match && (v6 ? ipaddr.IPv6.isValid(match[1]) : ipaddr.IPv4.isValidFourPartDecimal(match[1]));
  if (!match || !valid) {
    return { problem: v6 ? `"${text}" is not an IPv6 CIDR block` : `"${text}" is not an IPv4 CIDR block (a.b.c.d/n)`, fix };
  }
  const width = v6 ? 128 : 32;
  const prefixLength = Number(match[2]);
  if (prefixLength > width) return { problem: `"${text}" has a prefix length above ${width}`, fix };
  const address = ipaddr.parse(match[1]);
  const network = v6 ? ipaddr.IPv6.networkAddressFromCIDR(text) : ipaddr.IPv4.networkAddressFromCIDR(text);
  if (network.toString() !== address.toString()) {
    return { problem: `"${text}" has host bits set`, fix: `use ${network.toString()}/${prefixLength}` };
  }
  return { cidr: text, ipVersion: v6 ? 6 : 4, networkAddress: network.toString(), prefixLength };
}
