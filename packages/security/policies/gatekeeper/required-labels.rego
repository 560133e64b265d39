# Every workload object carries the labels the platform reports and bills by.
# Parameters: labels (the required label keys).
package keelsonrequiredlabels

violation contains {"msg": msg, "details": {"missing_labels": missing}} if {
	provided := {label | some label, _ in object.get(input.review.object.metadata, "labels", {})}
	required := {label | some label in input.parameters.labels}
	missing := required - provided
	count(missing) > 0
	msg := sprintf("%s %s lacks the required labels %v", [input.review.object.kind, object.get(input.review.object.metadata, "name", ""), sort(missing)])
}

violation contains {"msg": msg} if {
	some label in input.parameters.labels
	value := input.review.object.metadata.labels[label]
	trim_space(value) == ""
	msg := sprintf("%s %s has an empty \"%s\" label", [input.review.object.kind, object.get(input.review.object.metadata, "name", ""), label])
}
