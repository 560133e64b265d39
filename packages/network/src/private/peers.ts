import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** An IPv4 or IPv6 security-group peer from CIDR text. */
export function cidrPeer(cidr: string): ec2.IPeer {
  return cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr);
}
