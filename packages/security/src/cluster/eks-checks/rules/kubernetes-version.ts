import { EksCoreVersions } from '@keelson/eks-core';
import { isIntrinsic, ofType } from '../../../private/eks-checks';
import { EksCheck, EksCheckFinding, EksCheckResource } from '../eks-check';

/** The cluster runs a Kubernetes version within N-1 of the newest Keelson knows. */
export class EksKubernetesVersion extends EksCheck {
  public readonly id: string = 'Keelson-EKS7';
  public readonly description: string;
  public readonly fix: string;
  /** The versions accepted (the newest known and the one before it). */
  public readonly supported: string[];

  /** @param newest the newest Kubernetes minor version (default: the newest in `EksCoreVersions`) */
  constructor(newest?: string) {
    super();
    const known = newest ?? EksCoreVersions.all().filter((p) => p.name === 'kubernetes').map((p) => p.version).sort(byMinor).pop()!;
    const minor = Number(known.split('.')[1]);
    this.supported = [`1.${minor - 1}`, `1.${minor}`];
    this.description = `The cluster's Kubernetes version is pinned and within N-1 of ${known} (${this.supported.join(' or ')})`;
    this.fix = `set the cluster version to ${this.supported.join(' or ')}`;
  }

  public check(resources: EksCheckResource[]): EksCheckFinding[] {
    return ofType(resources, 'AWS::EKS::Cluster').flatMap((c) => {
      const v = c.properties.Version;
      if (isIntrinsic(v)) return [];
      if (typeof v !== 'string') return [{ logicalId: c.logicalId, problem: 'no Version: EKS picks its default, which moves', location: 'Version' }];
      return this.supported.includes(v) ? [] : [{ logicalId: c.logicalId, problem: `Version ${v} is not ${this.supported.join(' or ')}`, location: 'Version' }];
    });
  }
}

function byMinor(a: string, b: string): number {
  return Number(a.split('.')[1]) - Number(b.split('.')[1]);
}
