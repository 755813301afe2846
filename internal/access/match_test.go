package access

import "testing"

func TestPatterns(t *testing.T) {
	cases := []struct {
		a, b                     string
		match, covers, intersect bool // globMatch(a, b), globCovers(a, b), globIntersect(a, b)
	}{
		{"sqs:SendMessage", "sqs:SendMessage", true, true, true},
		{"sqs:*", "sqs:SendMessage", true, true, true},
		{"sqs:Send*", "sqs:*", false, false, true},
		{"sqs:*", "sqs:Send*", true, true, true},
		{"sqs:?endMessage", "sqs:SendMessage", true, true, true},
		// As a string, b's * is a character: ? matches it; as patterns, ? does not
		// cover a run of characters.
		{"sqs:?endMessage", "sqs:*endMessage", true, false, true},
		{"*", "", true, true, true},
		{"a*c", "abd", false, false, false},
		{"a*", "*b", false, false, true},
		{"sns:Publish", "sqs:SendMessage", false, false, false},
	}
	for _, c := range cases {
		t.Run(c.a+" vs "+c.b, func(t *testing.T) {
			// GIVEN two patterns
			// WHEN they are matched, compared and intersected
			// THEN the answers are IAM's
			if got := globMatch(c.a, c.b); got != c.match {
				t.Errorf("globMatch = %v, want %v", got, c.match)
			}
			if got := globCovers(c.a, c.b); got != c.covers {
				t.Errorf("globCovers = %v, want %v", got, c.covers)
			}
			if got := globIntersect(c.a, c.b); got != c.intersect {
				t.Errorf("globIntersect = %v, want %v", got, c.intersect)
			}
		})
	}
}

func TestArnPatternsMatchPartByPart(t *testing.T) {
	cases := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:iam::*:role/consumer", "arn:aws:iam::111111111111:role/consumer", true},
		// A * in the account part does not reach into the resource part.
		{"arn:aws:sqs:eu-west-1:1*:jobs", "arn:aws:sqs:eu-west-1:111111111111:x:jobs", false},
		{"arn:aws:sqs:eu-west-1:1*:jobs", "arn:aws:sqs:eu-west-1:111111111111:jobs", true},
		{"arn:aws:events:eu-west-1:*:rule/r", "arn:aws:events:eu-west-1:111111111111:rule/r", true},
		{"arn:aws:events:eu-west-1:*:rule/r", "arn:aws:events:eu-west-1:111111111111:rule/other", false},
	}
	for _, c := range cases {
		t.Run(c.pattern, func(t *testing.T) {
			// GIVEN an ARN pattern and an ARN
			// WHEN they are matched
			// THEN each of the six parts is matched on its own
			if got := arnMatch(c.pattern, c.arn); got != c.want {
				t.Errorf("arnMatch(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
			}
		})
	}
}

func TestActionSets(t *testing.T) {
	cases := []struct {
		name               string
		a, b               actionSet
		covers, intersects bool
	}{
		{"a list covers a smaller list", actionSet{List: []string{"sqs:SendMessage", "sqs:ReceiveMessage"}}, actionSet{List: []string{"sqs:SendMessage"}}, true, true},
		{"actions are case-insensitive", actionSet{List: []string{"SQS:sendmessage"}}, actionSet{List: []string{"sqs:SendMessage"}}, true, true},
		{"a list does not cover NotAction", actionSet{List: []string{"sqs:SendMessage"}}, actionSet{Not: true, List: []string{"sqs:DeleteQueue"}}, false, true},
		{"* covers NotAction", actionSet{List: []string{"*"}}, actionSet{Not: true, List: []string{"sqs:DeleteQueue"}}, true, true},
		{"NotAction covers what it does not except", actionSet{Not: true, List: []string{"sqs:Delete*"}}, actionSet{List: []string{"sqs:SendMessage"}}, true, true},
		{"NotAction does not cover what it excepts", actionSet{Not: true, List: []string{"sqs:Delete*"}}, actionSet{List: []string{"sqs:DeleteQueue"}}, false, false},
		{"a NotAction excepting less covers one excepting more", actionSet{Not: true, List: []string{"sqs:DeleteQueue"}}, actionSet{Not: true, List: []string{"sqs:Delete*"}}, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN two Action or NotAction elements
			// WHEN they are compared
			// THEN covers and intersects follow what each allows
			if got := c.a.covers(c.b); got != c.covers {
				t.Errorf("covers = %v, want %v", got, c.covers)
			}
			if got := c.a.intersects(c.b); got != c.intersects {
				t.Errorf("intersects = %v, want %v", got, c.intersects)
			}
		})
	}
}
