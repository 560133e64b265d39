import { CfnResource, Lazy, TagManager } from 'aws-cdk-lib';

/**
 * The tags CloudFormation gives `resource` (the platform's tag set from
 * `KeelsonTags.apply` plus `Component`), as a map read at synth, after the
 * tag aspects have run. Kubernetes objects and Helm values that make AWS
 * resources at run time (load balancers, Karpenter nodes) carry them, so cost
 * allocation by tag sees those resources too. `aws:` keys are reserved and left out.
 */
export function effectiveTags(resource: CfnResource, extra: Record<string, string> = {}): { [key: string]: string } {
  return Lazy.any({
    produce: () => {
      const manager = TagManager.of(resource);
      const tags = manager ? manager.tagValues() : {};
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...tags, ...extra })) {
        if (!k.startsWith('aws:')) out[k] = v;
      }
      return out;
    },
  }) as any;
}
