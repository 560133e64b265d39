import { helmReleasesIn, kubernetesObjectsIn } from '@keelson/proof';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';

export const VPC_CIDR = '10.40.0.0/16';
/** The public (load balancer) subnets of the imported VPC. */
export const PUBLIC_SUBNET_CIDRS = ['10.40.0.0/24', '10.40.1.0/24'];

/**
 * An existing cluster with a kubectl provider, as in-cluster security finds
 * it: the cluster itself is eks-core's (tested there), so these tests see
 * only what this package adds.
 */
export function importedCluster(stack: Stack, id = 'Cluster'): eks.ICluster {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, `${id}Vpc`, {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: VPC_CIDR,
    availabilityZones: ['ap-southeast-1a', 'ap-southeast-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    publicSubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'],
    publicSubnetIpv4CidrBlocks: PUBLIC_SUBNET_CIDRS,
  });
  return eks.Cluster.fromClusterAttributes(stack, id, {
    clusterName: 'platform-test',
    vpc,
    kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, `${id}Kubectl`, {
      serviceToken: `arn:aws:lambda:ap-southeast-1:111111111111:function:${id}-kubectl`,
    }),
  });
}

/** Helm releases (deploy-time values as `DEPLOY_TIME_PLACEHOLDER`) and Kubernetes objects of a synthesized template. */
export function clusterObjects(template: { Resources?: Record<string, any> }) {
  const objects: any[] = kubernetesObjectsIn(template);
  return {
    objects,
    releases: helmReleasesIn(template),
    ofKind: (kind: string) => objects.filter((o) => o.kind === kind),
    find: (kind: string, name: string, namespace?: string) =>
      objects.find((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace)),
  };
}

/** A cosign public key (public by nature; generated for the tests, its private half discarded). */
export const COSIGN_PUBLIC_KEY = [
  '-----BEGIN PUBLIC KEY-----',
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+ag48DkLJASyX8Y6k7oHKG45A1uV',
  'sffMfg8ajEx2QaAFloP8YUPslCort0rFT/Vv7nIFL77fsFcHbczHH0N7OQ==',
  '-----END PUBLIC KEY-----',
  '',
].join('\n');
