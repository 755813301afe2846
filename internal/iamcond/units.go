package iamcond

// UnitCondition returns the condition that narrows Principal "*" to the principals
// of organizational units whose names match: ForAnyValue:StringLike on the
// multivalued aws:PrincipalOrgPaths with each unit's path and /* (which also covers
// the units below it), and ArnLike on key (aws:PrincipalArn for a role the member
// halves create, aws:SourceArn for their resources) with patterns, ARNs whose
// account is "*" (one is written as a string, more as a list). Whatever the number of member accounts, the condition
// has the same size; a principal of the same name outside the units, or outside the
// organization, is not admitted.
func UnitCondition(paths []string, key string, patterns ...string) map[string]any {
	var pattern any = anys(patterns)
	if len(patterns) == 1 {
		pattern = patterns[0]
	}
	return map[string]any{
		"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": anys(paths)},
		"ArnLike":                map[string]any{key: pattern},
	}
}
