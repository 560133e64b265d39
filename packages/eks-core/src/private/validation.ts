import { Cidr, Ec2InstanceTypes, PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** EKS accepts at most this many CIDR blocks for the public endpoint. */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

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
    Cidr.check(scope, 'publicAccessCidrs', cidr, 4);
  }
}

/** The family of an instance type: `g5.xlarge` → `g5`. */
export function instanceFamily(instanceType: string): string {
  return Ec2InstanceTypes.family(instanceType);
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

/** Fail unless every instance type is one EC2 offers (the shared catalogue in conventions), each listed once. */
export function checkInstanceTypes(scope: IConstruct, field: string, instanceTypes: string[], minimum: number = 1): void {
  Ec2InstanceTypes.check(scope, field, instanceTypes, minimum);
}

/** Fail unless every instance type belongs to a GPU family EKS supports. */
export function checkGpuInstanceTypes(scope: IConstruct, field: string, instanceTypes: string[]): void {
  for (const t of instanceTypes) {
    const problem = Ec2InstanceTypes.gpuProblem(t);
    if (problem) PropsCheck.fail(scope, field, problem.problem, problem.fix);
  }
}
