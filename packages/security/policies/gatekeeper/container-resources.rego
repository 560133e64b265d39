# Every container and init container states CPU and memory requests and limits.
package keelsoncontainerresources

pod_spec := input.review.object.spec if input.review.object.kind == "Pod"

pod_spec := input.review.object.spec.template.spec if input.review.object.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

pod_spec := input.review.object.spec.jobTemplate.spec.template.spec if input.review.object.kind == "CronJob"

containers contains c if {
	some field in ["containers", "initContainers"]
	some c in object.get(pod_spec, field, [])
}

violation contains {"msg": sprintf("container %s has no %s %s", [c.name, bound, resource])} if {
	some c in containers
	some bound in ["requests", "limits"]
	some resource in ["cpu", "memory"]
	not object.get(object.get(c, "resources", {}), bound, {})[resource]
}
