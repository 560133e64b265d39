import { Cidr, PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Fail unless `text` is a literal IPv4 CIDR block (the shared rule in conventions), naming the field. */
export function requireIpv4Cidr(scope: IConstruct, field: string, text: string): void {
  if (Token.isUnresolved(text)) {
    PropsCheck.fail(scope, field, 'is an unresolved token', 'pass a literal IPv4 CIDR such as 10.1.0.0/16');
  }
  Cidr.check(scope, field, text, 4);
}

/** Validate an IPv4 or IPv6 CIDR (tokens pass). */
export function requireCidr(scope: IConstruct, field: string, text: string): void {
  Cidr.check(scope, field, text);
}

/** Validate a list of TCP ports. */
export function requirePorts(scope: IConstruct, field: string, ports: number[]): void {
  if (ports.length === 0) PropsCheck.fail(scope, field, 'is empty', 'list at least one TCP port or omit the prop');
  ports.forEach((port, i) => PropsCheck.inRange(scope, `${field}[${i}]`, port, 1, 65535));
}
