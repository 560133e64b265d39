import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** EKS accepts at most this many CIDR blocks for the public endpoint. */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** True when `cidr` is a well-formed IPv4 CIDR block. */
export function isIpv4Cidr(cidr: string): boolean {
  const m = IPV4_CIDR.exec(cidr);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) && Number(m[5]) <= 32;
}

/**
 * Validate the public endpoint allow-list: present and non-empty while the
 * public endpoint is on, every entry an IPv4 CIDR, at most 40 entries.
 * `0.0.0.0/0` passes only because the caller wrote it.
 */
export function checkPublicAccessCidrs(scope: IConstruct, publicAccess: boolean, cidrs: string[] | undefined): void {
  if (!publicAccess) {
    if (cidrs !== undefined && cidrs.length > 0) {
      PropsCheck.fail(scope, 'publicAccessCidrs', 'an allow-list was given but the public endpoint is off (EndpointAccessMode.PRIVATE)',
        'drop publicAccessCidrs, or use EndpointAccessMode.PUBLIC_AND_PRIVATE');
    }
    return;
  }
  if (cidrs === undefined || cidrs.length === 0) {
    PropsCheck.fail(scope, 'publicAccessCidrs', 'the public endpoint is on but its CIDR allow-list is empty',
      'list the CIDR blocks allowed to reach the API server (e.g. your office or VPN egress /32s), write "0.0.0.0/0" explicitly to open it to all, or use EndpointAccessMode.PRIVATE');
    return;
  }
  if (cidrs.length > MAX_PUBLIC_ACCESS_CIDRS) {
    PropsCheck.fail(scope, 'publicAccessCidrs', `${cidrs.length} CIDR blocks exceed the EKS limit of ${MAX_PUBLIC_ACCESS_CIDRS}`, 'aggregate the blocks into fewer, wider ones');
  }
  for (const cidr of cidrs) {
    if (Token.isUnresolved(cidr)) continue;
    if (!isIpv4Cidr(cidr)) {
      PropsCheck.fail(scope, 'publicAccessCidrs', `"${cidr}" is not an IPv4 CIDR block`, 'write each entry as a.b.c.d/n, for example 203.0.113.10/32');
    }
  }
}

/** GPU instance families EKS's Bottlerocket NVIDIA AMIs support, by architecture. */
export const GPU_FAMILIES_X86_64 = ['g4dn', 'g5', 'g6', 'g6e', 'g6f', 'gr6', 'gr6f', 'g7e', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200'];
/** Graviton GPU families (Bottlerocket ARM 64 NVIDIA). */
export const GPU_FAMILIES_ARM_64 = ['g5g'];

/** The family of an instance type: `g5.xlarge` → `g5`. */
export function instanceFamily(instanceType: string): string {
  return instanceType.split('.')[0].toLowerCase();
}

/** True for Graviton (ARM 64) families such as `m7g`, `c7gn`, `r8g`, `t4g`, `g5g`. */
export function isArmFamily(family: string): boolean {
  return /^[a-z]+\d+g[a-z]*$/.test(family);
}

/** The CPU architecture shared by all the instance types, failing when they are mixed. */
export function commonArchitecture(scope: IConstruct, field: string, instanceTypes: string[]): 'x86_64' | 'arm64' {
  const arches = new Set(instanceTypes.map((t) => (isArmFamily(instanceFamily(t)) ? 'arm64' : 'x86_64')));
  if (arches.size > 1) {
    PropsCheck.fail(scope, field, `[${instanceTypes.join(', ')}] mix x86_64 and arm64 (Graviton) types`, 'use one architecture per node group');
  }
  return arches.has('arm64') ? 'arm64' : 'x86_64';
}

/** Fail unless every instance type is well formed (`family.size`). */
export function checkInstanceTypes(scope: IConstruct, field: string, instanceTypes: string[], minimum: number = 1): void {
  if (instanceTypes.length < minimum) {
    PropsCheck.fail(scope, field, `${instanceTypes.length} instance type(s) given, at least ${minimum} needed`, `list at least ${minimum} instance types`);
  }
  for (const t of instanceTypes) {
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(t)) {
      PropsCheck.fail(scope, field, `"${t}" is not an EC2 instance type`, 'write instance types as family.size, for example m7i.large');
    }
  }
}

/** Fail unless every instance type belongs to a GPU family EKS supports. */
export function checkGpuInstanceTypes(scope: IConstruct, field: string, instanceTypes: string[]): void {
  const allowed = [...GPU_FAMILIES_X86_64, ...GPU_FAMILIES_ARM_64];
  for (const t of instanceTypes) {
    const family = instanceFamily(t);
    if (!allowed.includes(family)) {
      PropsCheck.fail(scope, field, `"${t}" is not a GPU instance type (family "${family}")`, `use a GPU family: ${allowed.join(', ')}`);
    }
  }
}
