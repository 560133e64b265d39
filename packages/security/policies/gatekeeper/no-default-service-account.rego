# Workloads run as their own service account, never the namespace's `default`.
package keelsonnodefaultserviceaccount

pod_spec := input.review.object.spec if input.review.object.kind == "Pod"

pod_spec := input.review.object.spec.template.spec if input.review.object.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

pod_spec := input.review.object.spec.jobTemplate.spec.template.spec if input.review.object.kind == "CronJob"

violation contains {"msg": msg} if {
	object.get(pod_spec, "serviceAccountName", "default") == "default"
	msg := sprintf("%s %s runs as the default service account: set serviceAccountName to a dedicated one", [input.review.object.kind, object.get(input.review.object.metadata, "name", "")])
}
