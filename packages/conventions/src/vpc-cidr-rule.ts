import * as ipaddr from 'ipaddr.js';
import { Cidr } from './cidr';
import { ValidationProblem } from './validation-problem';

/** The subnet layout a VPC block must hold. */
export interface VpcLayoutOptions {
  /** Availability zones: one subnet per tier in each. */
  readonly availabilityZoneCount: number;
  /**
   * Prefix length of each public subnet.
   * @default VpcCidrRule.DEFAULT_PUBLIC_SUBNET_MASK (24)
   */
  readonly publicSubnetMask?: number;
  /**
   * Prefix length of each private subnet (nodes and pods).
   * @default VpcCidrRule.DEFAULT_PRIVATE_SUBNET_MASK (19)
   */
  readonly privateSubnetMask?: number;
  /**
   * Prefix length of each isolated subnet.
   * @default - no isolated subnets
   */
  readonly isolatedSubnetMask?: number;
}

/** A {@link ValidationProblem} of a VPC block and its layout, with the field it belongs to. */
export interface VpcCidrProblem extends ValidationProblem {
  /** `cidr`, `publicSubnetMask`, `privateSubnetMask` or `isolatedSubnetMask`. */
  readonly field: string;
}

/** Subnets laid out in a VPC block. */
export interface SubnetPlan {
  /** Whether every subnet fits inside the block. */
  readonly fits: boolean;
  /** Addresses consumed from the start of the block, alignment gaps included. */
  readonly addressesUsed: number;
  /** The subnet CIDRs in allocation order (those that fit). */
  readonly subnets: string[];
}

/**
 * The one rule for a platform VPC's IPv4 block: a /16 to /28 that holds a
 * public and a private subnet (and optionally an isolated one) in every
 * availability zone, laid out the way `ec2.Vpc` lays them out. `PlatformNetwork`
 * enforces it, and configuration schemas call it so they accept exactly what
 * the construct accepts.
 */
export class VpcCidrRule {
  /** The widest VPC block EC2 allows. */
  public static readonly MIN_PREFIX = 16;
  /** The narrowest VPC block EC2 allows. */
  public static readonly MAX_PREFIX = 28;
  /** Default public subnet: /24 (251 usable addresses per AZ for load balancers and NAT). */
  public static readonly DEFAULT_PUBLIC_SUBNET_MASK = 24;
  /** Default private subnet: /19 (8,187 addresses per AZ, room for VPC-CNI pod IPs). */
  public static readonly DEFAULT_PRIVATE_SUBNET_MASK = 19;
  /** Default isolated subnet, when isolated subnets are on: /24. */
  public static readonly DEFAULT_ISOLATED_SUBNET_MASK = 24;

  /**
   * Every problem of `cidr` with this layout, most basic first; empty when it
   * is valid. A subnet mask wider than the block yields a mask problem and then
   * the block's capacity problem.
   */
  public static problems(cidr: string, options: VpcLayoutOptions): VpcCidrProblem[] {
    const parsed = Cidr.problem(cidr, 4);
    if (parsed) return [{ field: 'cidr', ...parsed }];
    const block = Cidr.parse(cidr, 4);
    const prefix = block.prefixLength;
    if (prefix < VpcCidrRule.MIN_PREFIX || prefix > VpcCidrRule.MAX_PREFIX) {
      return [{
        field: 'cidr',
        problem: `${cidr} has a /${prefix} prefix; VPCs take /16 to /28`,
        fix: `use a prefix from /16 to /28, for example ${block.networkAddress}/16`,
      }];
    }
    const masks = VpcCidrRule.masks(options);
    const problems: VpcCidrProblem[] = [];
    for (const [field, mask] of masks) {
      if (!Number.isInteger(mask) || mask < VpcCidrRule.MIN_PREFIX || mask > VpcCidrRule.MAX_PREFIX) {
        problems.push({ field, problem: `${mask} is outside 16–28`, fix: 'use an integer from 16 to 28' });
      }
    }
    if (problems.length > 0) return problems;
    for (const [field, mask] of masks) {
      if (mask < prefix) {
        problems.push({ field, problem: `a /${mask} subnet is larger than the /${prefix} VPC`, fix: `use a mask of /${prefix} or longer, or a larger cidr` });
      }
    }
    // The capacity problem is reported even after a mask problem: a caller that fixes the
    // masks (a config with the default masks) names the block instead.
    const tierMasks = masks.map(([, m]) => m);
    const plan = VpcCidrRule.planSubnets(cidr, tierMasks, options.availabilityZoneCount);
    if (!plan.fits) {
      const need = VpcCidrRule.minimumPrefix(tierMasks, options.availabilityZoneCount);
      const tiers = masks.map(([f, m]) => `${f.replace('SubnetMask', '')} /${m}`).join(' + ');
      problems.push({
        field: 'cidr',
        problem: `${cidr} holds ${2 ** (32 - prefix)} addresses but ${options.availabilityZoneCount} AZs × (${tiers}) need ${plan.addressesUsed}`,
        fix: need !== undefined
          ? `use a /${need} or larger VPC, fewer AZs, or longer subnet masks`
          : 'use fewer AZs or longer subnet masks (even a /16 is too small)',
      });
    }
    return problems;
  }

  /**
   * Lay out subnets the way `ec2.Vpc` does: tier by tier in the order given,
   * one subnet per AZ, each aligned up to its own size.
   *
   * @param cidr the VPC's IPv4 block
   * @param tierMasks the prefix length of each subnet tier, in configuration order
   * @param availabilityZoneCount subnets per tier
   */
  public static planSubnets(cidr: string, tierMasks: number[], availabilityZoneCount: number): SubnetPlan {
    const block = Cidr.parse(cidr, 4);
    const network = ipaddr.IPv4.parse(block.networkAddress).toByteArray().reduce((acc, o) => acc * 256 + o, 0);
    const end = network + 2 ** (32 - block.prefixLength);
    let next = network;
    let fits = true;
    const subnets: string[] = [];
    for (const mask of tierMasks) {
      const size = 2 ** (32 - mask);
      for (let i = 0; i < availabilityZoneCount; i++) {
        const start = Math.ceil(next / size) * size;
        next = start + size;
        if (next > end) fits = false;
        else subnets.push(`${formatIpv4(start)}/${mask}`);
      }
    }
    return { fits, addressesUsed: next - network, subnets };
  }

  /**
   * The longest VPC prefix (the smallest block, no wider than /16) that holds
   * the subnets, or `undefined` when even a /16 is too small.
   */
  public static minimumPrefix(tierMasks: number[], availabilityZoneCount: number): number | undefined {
    for (let prefix = Math.min(VpcCidrRule.MAX_PREFIX, ...tierMasks); prefix >= VpcCidrRule.MIN_PREFIX; prefix--) {
      if (VpcCidrRule.planSubnets(`0.0.0.0/${prefix}`, tierMasks, availabilityZoneCount).fits) return prefix;
    }
    return undefined;
  }

  /** `[field, mask]` per subnet tier, defaults applied, in `ec2.Vpc` order. */
  private static masks(options: VpcLayoutOptions): Array<[string, number]> {
    const masks: Array<[string, number]> = [
      ['publicSubnetMask', options.publicSubnetMask ?? VpcCidrRule.DEFAULT_PUBLIC_SUBNET_MASK],
      ['privateSubnetMask', options.privateSubnetMask ?? VpcCidrRule.DEFAULT_PRIVATE_SUBNET_MASK],
    ];
    if (options.isolatedSubnetMask !== undefined) masks.push(['isolatedSubnetMask', options.isolatedSubnetMask]);
    return masks;
  }

  private constructor() {}
}

function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}
