import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** [first, last] address of an IPv4 CIDR as unsigned integers, or undefined when malformed. */
export function cidrRange(cidr: string): [number, number] | undefined {
  const m = IPV4_CIDR.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  return [first, first + size - 1];
}

/** Fail unless `cidr` is a well-formed IPv4 CIDR (tokens pass). */
export function requireCidr(scope: IConstruct, field: string, cidr: string): void {
  if (Token.isUnresolved(cidr)) return;
  if (!cidrRange(cidr)) {
    PropsCheck.fail(scope, field, `"${cidr}" is not an IPv4 CIDR block`, 'use the form a.b.c.d/n, for example 10.1.0.0/16');
  }
}

/** Fail when two CIDR blocks overlap; the failure names `field` (the one to change). */
export function requireDisjoint(scope: IConstruct, field: string, cidr: string, otherField: string, other: string): void {
  if (Token.isUnresolved(cidr) || Token.isUnresolved(other)) return;
  const a = cidrRange(cidr);
  const b = cidrRange(other);
  if (!a || !b) return;
  if (a[0] <= b[1] && b[0] <= a[1]) {
    PropsCheck.fail(scope, field, `${cidr} overlaps ${otherField} ${other}; peered VPCs need disjoint address ranges`,
      `choose a ${field} outside ${other}, for example the next /16`);
  }
}
