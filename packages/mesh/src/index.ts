// The public API of @keelson/mesh.
export * from './ca/ca-usage-mode';
export * from './ca/cross-region-ca-signer';
export * from './ca/mesh-ca-options';
export * from './ca/mesh-root-ca';
export * from './ca/mesh-subordinate-ca';
export * from './discovery/cloud-map-service-discovery';
export * from './mesh-versions';
export * from './mesh-certificates';
export * from './istio/dataplane-mode';
export * from './istio/istio-mesh';
export * from './istio/mesh-ingress-gateway';
export * from './istio/mesh-router';
export * from './sample/mesh-service';
export * from './sample/sample-mesh-application';
export * from './sample/sample-image';
