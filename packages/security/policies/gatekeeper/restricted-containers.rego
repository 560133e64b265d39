# Containers as Pod Security "restricted" requires them: no privilege, no
# escalation, non-root, all capabilities dropped (only NET_BIND_SERVICE may be
# added), a RuntimeDefault or Localhost seccomp profile, no host namespaces,
# host ports or hostPath volumes.
package keelsonrestrictedcontainers

pod_spec := input.review.object.spec if input.review.object.kind == "Pod"

pod_spec := input.review.object.spec.template.spec if input.review.object.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

pod_spec := input.review.object.spec.jobTemplate.spec.template.spec if input.review.object.kind == "CronJob"

containers contains c if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some c in object.get(pod_spec, field, [])
}

pod_context := object.get(pod_spec, "securityContext", {})

context(c) := object.get(c, "securityContext", {})

violation contains {"msg": sprintf("container %s is privileged", [c.name])} if {
	some c in containers
	context(c).privileged == true
}

violation contains {"msg": sprintf("container %s must set securityContext.allowPrivilegeEscalation to false", [c.name])} if {
	some c in containers
	object.get(context(c), "allowPrivilegeEscalation", true) != false
}

violation contains {"msg": sprintf("container %s must run as non-root (runAsNonRoot: true)", [c.name])} if {
	some c in containers
	object.get(context(c), "runAsNonRoot", object.get(pod_context, "runAsNonRoot", false)) != true
}

violation contains {"msg": sprintf("container %s runs as user 0", [c.name])} if {
	some c in containers
	object.get(context(c), "runAsUser", object.get(pod_context, "runAsUser", -1)) == 0
}

violation contains {"msg": sprintf("container %s must drop ALL capabilities", [c.name])} if {
	some c in containers
	not "ALL" in object.get(object.get(context(c), "capabilities", {}), "drop", [])
}

violation contains {"msg": sprintf("container %s adds capability %s (only NET_BIND_SERVICE is allowed)", [c.name, cap])} if {
	some c in containers
	some cap in object.get(object.get(context(c), "capabilities", {}), "add", [])
	cap != "NET_BIND_SERVICE"
}

violation contains {"msg": sprintf("container %s needs a RuntimeDefault or Localhost seccomp profile", [c.name])} if {
	some c in containers
	profile := object.get(context(c), "seccompProfile", object.get(pod_context, "seccompProfile", {}))
	not object.get(profile, "type", "") in {"RuntimeDefault", "Localhost"}
}

violation contains {"msg": sprintf("container %s uses host port %v", [c.name, port.hostPort])} if {
	some c in containers
	some port in object.get(c, "ports", [])
	object.get(port, "hostPort", 0) != 0
}

violation contains {"msg": sprintf("the pod shares the host's %s namespace", [field])} if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	object.get(pod_spec, field, false) == true
}

violation contains {"msg": sprintf("volume %s is a hostPath volume", [v.name])} if {
	some v in object.get(pod_spec, "volumes", [])
	v.hostPath
}
