import { KeelsonLabels } from '@keelson/conventions';
import { TrafficPeer, TrafficPeerKind } from '../kit/traffic-peer';

/** Labels on every NetworkPolicy the kit emits (the `managed-by` label marks what the platform owns). */
const LABELS = KeelsonLabels.component('network-policies');

/** A networking.k8s.io/v1 NetworkPolicy. */
export function networkPolicy(namespace: string, name: string, spec: { [key: string]: any }): { [key: string]: any } {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels: { ...LABELS } }, spec };
}

/** The NetworkPolicy peers (`from`/`to` entries) of a peer declared in `namespace`. */
export function renderPeer(peer: TrafficPeer, namespace: string, apiCidrs: () => string[]): { [key: string]: any }[] {
  switch (peer.kind) {
    case TrafficPeerKind.CIDR:
      return [{ ipBlock: { cidr: peer.cidrBlock } }];
    case TrafficPeerKind.KUBERNETES_API:
      return apiCidrs().map((cidr) => ({ ipBlock: { cidr } }));
    case TrafficPeerKind.PODS: {
      const pods = Object.keys(peer.podLabels ?? {}).length > 0 ? { matchLabels: { ...peer.podLabels } } : {};
      // A peer without namespaceSelector means the policy's own namespace.
      if (!peer.namespaceName || peer.namespaceName === namespace) return [{ podSelector: pods }];
      return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespaceName } }, podSelector: pods }];
    }
  }
}
