import { PlatformCluster, PlatformServices, WorkloadRole } from '@keelson/eks-core';
import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import { PlatformConfig } from './config';

/**
 * The outputs a team reads after a deploy (`aws cloudformation describe-stacks`
 * or the `cdk deploy` summary), on a cluster stack: the cluster, how to reach
 * it, who may, and the platform services' workload roles. Created at the
 * stack's top level, so each output's key is its name (`ClusterName`, ...).
 *
 * @returns the outputs, by name
 */
export function clusterOutputs(
  stack: Stack, platform: PlatformCluster, services: PlatformServices, config: PlatformConfig,
): { [name: string]: CfnOutput } {
  const outputs: { [name: string]: CfnOutput } = {};
  const { cluster } = platform;
  const region = stack.region;
  const out = (name: string, value: string, description: string) => {
    outputs[name] = new CfnOutput(stack, name, { value, description });
  };
  out('ClusterName', cluster.clusterName, 'EKS cluster name');
  out('ClusterEndpoint', cluster.clusterEndpoint, 'Kubernetes API server endpoint');
  out('OidcIssuer', cluster.clusterOpenIdConnectIssuerUrl, 'OIDC issuer URL of the cluster (IRSA trust)');
  out('UpdateKubeconfigCommand', Fn.join('', ['aws eks update-kubeconfig --region ', region, ' --name ', cluster.clusterName]),
    'Command that adds the cluster to your kubeconfig (with credentials of an admin, developer or read-only role)');
  const pools = Object.values(platform.nodePools).map((p) => p.nodegroup.nodegroupName);
  out('NodePools', pools.length ? Fn.join(',', pools) : 'none', 'Managed node groups of the cluster, comma-separated');
  const access = config.cluster;
  const arns = (list: string[]) => (list.length ? list.join(',') : 'none');
  out('AdminRoleArns', arns(access.adminRoleArns), 'IAM roles with the cluster-admin access entry, comma-separated');
  out('DeveloperRoleArns', arns(access.developerRoleArns),
    `IAM roles with the developer access entry (edit in ${access.developerNamespaces.join(', ')}), comma-separated`);
  out('ReadOnlyRoleArns', arns(access.readOnlyRoleArns), 'IAM roles with the read-only access entry, comma-separated');
  const workloadRoles: [string, WorkloadRole | undefined, string][] = [
    ['ClusterAutoscaler', services.clusterAutoscaler?.role, 'Cluster Autoscaler'],
    ['Karpenter', services.karpenter?.controllerRole, 'the Karpenter controller'],
    ['LoadBalancerController', services.loadBalancerController?.role, 'the AWS Load Balancer Controller'],
    ['ExternalSecrets', services.externalSecrets?.role, 'the External Secrets Operator'],
    ['Keda', services.keda?.operatorRole, 'the KEDA operator'],
    ['ContainerInsights', services.containerInsights?.role, 'the CloudWatch agent (Container Insights)'],
  ];
  for (const [name, role, what] of workloadRoles) {
    if (role) out(`${name}RoleArn`, role.role.roleArn, `Workload role of ${what} (service account ${role.namespace}/${role.serviceAccount})`);
  }
  return outputs;
}
