import { PlatformNamespaces, PodSecurityLevel } from '@keelson/eks-core';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { OBSERVABILITY_NAMESPACE } from './names';

/**
 * Register the shared `observability` namespace (baseline; not backed up:
 * metrics are re-scraped, logs live in S3, dashboards are code). Every part
 * registers the same spec, so the registry returns the one manifest whichever
 * part comes first.
 */
export function observabilityNamespace(namespaces: PlatformNamespaces): eks.KubernetesManifest {
  return namespaces.register({
    name: OBSERVABILITY_NAMESPACE, component: 'observability', podSecurity: PodSecurityLevel.BASELINE, backup: false,
  });
}
