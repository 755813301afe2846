package access

import "strings"

// Patterns here are IAM wildcard patterns: * matches any run of characters, ? any
// one character, everything else itself. ARN patterns (the Arn* condition operators)
// match each of the six colon-separated parts of an ARN on its own, as IAM does.

// globMatch reports whether pattern matches s.
func globMatch(pattern, s string) bool {
	p, t := 0, 0
	star, mark := -1, 0
	for t < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[t]):
			p++
			t++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, t
			p++
		case star >= 0:
			p = star + 1
			mark++
			t = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// globCovers reports whether every string that specific matches is also matched by
// general: general's * may absorb anything of specific (also its wildcards), its ?
// one character or ?, and a character only itself. It never says yes wrongly; for
// the patterns of policies it is also never wrong the other way.
func globCovers(general, specific string) bool {
	switch {
	case !hasWildcard(specific):
		return globMatch(general, specific)
	case !hasWildcard(general):
		return false // one string cannot hold all that a pattern matches
	}
	memo := map[[2]int]bool{}
	seen := map[[2]int]bool{}
	var rec func(i, j int) bool
	rec = func(i, j int) bool {
		k := [2]int{i, j}
		if seen[k] {
			return memo[k]
		}
		seen[k] = true
		var ok bool
		switch {
		case i == len(general):
			ok = j == len(specific)
		case general[i] == '*':
			ok = rec(i+1, j) || (j < len(specific) && rec(i, j+1))
		case j == len(specific):
			ok = false
		case general[i] == '?':
			ok = specific[j] != '*' && rec(i+1, j+1)
		default:
			ok = specific[j] == general[i] && rec(i+1, j+1)
		}
		memo[k] = ok
		return ok
	}
	return rec(0, 0)
}

// globIntersect reports whether some string matches both a and b.
func globIntersect(a, b string) bool {
	switch {
	case !hasWildcard(b):
		return globMatch(a, b)
	case !hasWildcard(a):
		return globMatch(b, a)
	}
	memo := map[[2]int]bool{}
	seen := map[[2]int]bool{}
	var rec func(i, j int) bool
	rec = func(i, j int) bool {
		k := [2]int{i, j}
		if seen[k] {
			return memo[k]
		}
		seen[k] = true
		var ok bool
		switch {
		case i < len(a) && a[i] == '*':
			ok = rec(i+1, j) || (j < len(b) && rec(i, j+1))
		case j < len(b) && b[j] == '*':
			ok = rec(i, j+1) || (i < len(a) && rec(i+1, j))
		case i == len(a) || j == len(b):
			ok = i == len(a) && j == len(b)
		default:
			ok = (a[i] == '?' || b[j] == '?' || a[i] == b[j]) && rec(i+1, j+1)
		}
		memo[k] = ok
		return ok
	}
	return rec(0, 0)
}

// arnParts splits an ARN into its six parts, or returns nil when s is not an ARN.
func arnParts(s string) []string {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" && parts[0] != "*" {
		return nil
	}
	return parts
}

// arnMatch reports whether the ARN pattern matches arn, part by part.
func arnMatch(pattern, arn string) bool {
	pp, ap := arnParts(pattern), arnParts(arn)
	if pp == nil || ap == nil {
		return globMatch(pattern, arn)
	}
	for i := range pp {
		if !globMatch(pp[i], ap[i]) {
			return false
		}
	}
	return true
}

// arnCovers is globCovers for ARN patterns, part by part.
func arnCovers(general, specific string) bool {
	gp, sp := arnParts(general), arnParts(specific)
	if gp == nil || sp == nil {
		return globCovers(general, specific)
	}
	for i := range gp {
		if !globCovers(gp[i], sp[i]) {
			return false
		}
	}
	return true
}

// arnIntersect is globIntersect for ARN patterns, part by part.
func arnIntersect(a, b string) bool {
	ap, bp := arnParts(a), arnParts(b)
	if ap == nil || bp == nil {
		return globIntersect(a, b)
	}
	for i := range ap {
		if !globIntersect(ap[i], bp[i]) {
			return false
		}
	}
	return true
}

// hasWildcard reports whether s holds * or ?.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// escapeGlob makes a literal string into a pattern that matches only itself, as far
// as patterns here go: * and ? of a literal become characters no pattern uses.
func escapeGlob(s string) string {
	if !hasWildcard(s) {
		return s
	}
	return strings.NewReplacer("*", "\x00", "?", "\x01").Replace(s)
}

// actionsCover reports whether the action patterns general allow every action that
// specific allow (actions are case-insensitive).
func actionsCover(general, specific []string) bool {
	for _, s := range specific {
		if !anyCovers(general, s) {
			return false
		}
	}
	return true
}

// anyCovers reports whether one of the action patterns general allows s.
func anyCovers(general []string, s string) bool {
	for _, g := range general {
		if globCovers(strings.ToLower(g), strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// actionsIntersect reports whether some action is allowed by both lists.
func actionsIntersect(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if globIntersect(strings.ToLower(x), strings.ToLower(y)) {
				return true
			}
		}
	}
	return false
}
