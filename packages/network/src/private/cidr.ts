/**
 * IPv4 CIDR arithmetic used for synth-time validation. Internal: not part of
 * the jsii API.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly network: number;
  /** The prefix length, 0–32. */
  readonly prefix: number;
  /** The CIDR as text, for messages. */
  readonly text: string;
}

/** The outcome of parsing: a CIDR or the reason it is not one. */
export type ParsedCidr = { readonly cidr: Ipv4Cidr } | { readonly error: string; readonly suggestion?: string };

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Number of addresses in a block of the given prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The address as dotted-quad text. */
export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** Parse `a.b.c.d/n`, rejecting out-of-range octets, prefixes and set host bits. */
export function parseIpv4Cidr(text: string): ParsedCidr {
  const match = IPV4_CIDR.exec(text);
  if (!match) return { error: `"${text}" is not an IPv4 CIDR block (a.b.c.d/n)` };
  const octets = match.slice(1, 5).map((o) => Number(o));
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255)) return { error: `"${text}" has an octet above 255` };
  if (prefix > 32) return { error: `"${text}" has a prefix length above 32` };
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = blockSize(prefix);
  const network = address - (address % size);
  if (network !== address) {
    return {
      error: `"${text}" has host bits set`,
      suggestion: `${formatIpv4(network)}/${prefix}`,
    };
  }
  return { cidr: { network, prefix, text } };
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.network + blockSize(a.prefix);
  const bEnd = b.network + blockSize(b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

/** True when `ip` (dotted quad) lies inside the block. */
export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.network && address < cidr.network + blockSize(cidr.prefix);
}

/** The result of laying subnets out in a VPC block. */
export interface SubnetPlan {
  /** Whether every subnet fits inside the VPC block. */
  readonly fits: boolean;
  /** Addresses consumed from the start of the block, alignment gaps included. */
  readonly addressesUsed: number;
  /** The subnet CIDRs in allocation order (those that fit). */
  readonly subnets: string[];
}

/**
 * Lay out subnets the way `ec2.Vpc` does: tier by tier in configuration
 * order, one subnet per AZ, each block aligned up to its own size.
 *
 * @param vpc the VPC block
 * @param tierMasks the prefix length of each subnet tier, in configuration order
 * @param azCount subnets per tier
 */
export function planSubnets(vpc: Ipv4Cidr, tierMasks: number[], azCount: number): SubnetPlan {
  const end = vpc.network + blockSize(vpc.prefix);
  let next = vpc.network;
  let fits = true;
  const subnets: string[] = [];
  for (const mask of tierMasks) {
    const size = blockSize(mask);
    for (let i = 0; i < azCount; i++) {
      const start = Math.ceil(next / size) * size;
      next = start + size;
      if (next > end) {
        fits = false;
      } else {
        subnets.push(`${formatIpv4(start)}/${mask}`);
      }
    }
  }
  return { fits, addressesUsed: next - vpc.network, subnets };
}

/**
 * The longest VPC prefix (smallest block, not shorter than `/16`) that holds
 * the subnets, or undefined when even a `/16` is too small.
 */
export function minimumVpcPrefix(tierMasks: number[], azCount: number): number | undefined {
  for (let prefix = Math.min(28, ...tierMasks); prefix >= 16; prefix--) {
    if (planSubnets({ network: 0, prefix, text: `0.0.0.0/${prefix}` }, tierMasks, azCount).fits) return prefix;
  }
  return undefined;
}

const IPV6_CIDR = /^[0-9a-fA-F:]+\/(\d{1,3})$/;

/** True when the text looks like an IPv6 CIDR block (`2001:db8::/32`). */
export function isIpv6Cidr(text: string): boolean {
  const match = IPV6_CIDR.exec(text);
  return !!match && text.includes(':') && Number(match[1]) <= 128;
}
