# A workload is admitted only into a namespace that has a NetworkPolicy.
# Reads Gatekeeper's replicated data: its Config syncs
# networking.k8s.io/v1 NetworkPolicy into data.inventory.
package keelsonnamespacenetworkpolicy

namespace := input.review.namespace if input.review.namespace

namespace := input.review.object.metadata.namespace if not input.review.namespace

has_policy if {
	some _ in data.inventory.namespace[namespace]["networking.k8s.io/v1"].NetworkPolicy
}

violation contains {"msg": msg} if {
	not has_policy
	msg := sprintf("namespace %s has no NetworkPolicy: %s %s would run unrestricted", [namespace, input.review.object.kind, object.get(input.review.object.metadata, "name", "")])
}
