import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Ipv4Cidr, isIpv6Cidr, parseIpv4Cidr } from './cidr';

/** Parse an IPv4 CIDR or fail naming the field. Tokens are not allowed. */
export function requireIpv4Cidr(scope: IConstruct, field: string, text: string): Ipv4Cidr {
  if (Token.isUnresolved(text)) {
    PropsCheck.fail(scope, field, 'is an unresolved token', 'pass a literal IPv4 CIDR such as 10.1.0.0/16');
  }
  const parsed = parseIpv4Cidr(text);
  if ('error' in parsed) {
    PropsCheck.fail(scope, field, parsed.error,
      parsed.suggestion ? `use ${parsed.suggestion}` : 'use an IPv4 CIDR block such as 10.0.0.0/16');
    throw new Error('unreachable');
  }
  return parsed.cidr;
}

/** Validate an IPv4 or IPv6 CIDR (tokens pass). */
export function requireCidr(scope: IConstruct, field: string, text: string): void {
  if (Token.isUnresolved(text)) return;
  if (text.includes(':')) {
    if (!isIpv6Cidr(text)) PropsCheck.fail(scope, field, `"${text}" is not an IPv6 CIDR block`, 'use a block such as 2001:db8::/32');
    return;
  }
  requireIpv4Cidr(scope, field, text);
}

/** Validate a list of TCP ports. */
export function requirePorts(scope: IConstruct, field: string, ports: number[]): void {
  if (ports.length === 0) PropsCheck.fail(scope, field, 'is empty', 'list at least one TCP port or omit the prop');
  ports.forEach((port, i) => PropsCheck.inRange(scope, `${field}[${i}]`, port, 1, 65535));
}
