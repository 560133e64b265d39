# Every long-running container has a liveness and a readiness probe.
package keelsoncontainerprobes

pod_spec := input.review.object.spec if input.review.object.kind == "Pod"

pod_spec := input.review.object.spec.template.spec if input.review.object.kind in {"Deployment", "StatefulSet", "DaemonSet"}

violation contains {"msg": sprintf("container %s has no %s", [c.name, probe])} if {
	some c in object.get(pod_spec, "containers", [])
	some probe in ["livenessProbe", "readinessProbe"]
	not c[probe]
}
