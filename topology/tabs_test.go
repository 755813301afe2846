package topology

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/crosswire/crosswire/internal/problem"
)

func TestEveryTabInIndentationIsReportedAtOnce(t *testing.T) {
	// GIVEN a topology indented with tabs on lines 6, 11 and 12 (a tab alone and a
	// tab after spaces), which the YAML parser reports as "line 6: found character
	// that cannot start any token" and nothing more
	text := strings.Join([]string{
		"region: eu-west-1",         // 1
		"accounts:",                 // 2
		`  orders: "111111111111"`,  // 3
		`  billing: "222222222222"`, // 4
		"links:",                    // 5
		"\t- name: invoices",        // 6
		"    kind: queue",           // 7
		"    from: orders",          // 8
		"    to: billing",           // 9
		"  - name: refunds",         // 10
		"\t  kind: queue",           // 11
		"  \tfrom: orders",          // 12
		"    to: billing",           // 13
		"",
	}, "\n")

	// WHEN it is parsed
	_, err := Parse("tabs.yaml", []byte(text))

	// THEN one report names each of those lines, and says what to do
	want := "tabs.yaml: 3 problems\n" +
		"  - line 6: indentation holds a tab; indent with spaces\n" +
		"  - line 11: indentation holds a tab; indent with spaces\n" +
		"  - line 12: indentation holds a tab; indent with spaces"
	var perr *problem.Error
	if !errors.As(err, &perr) || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

func TestTabsOnlyCountInIndentation(t *testing.T) {
	cases := []struct {
		name string
		text string
		// lines are the lines reported.
		lines []int
		// stricter marks a line the YAML parser accepts but that is reported all the
		// same, because its leading tab is indentation to a reader.
		stricter bool
	}{
		{name: "a mapping indented by a tab", text: "a:\n\tb: 1\n", lines: []int{2}},
		{name: "a tab after spaces", text: "a:\n  \tb: 1\n", lines: []int{2}},
		{name: "sequence entries indented by tabs", text: "a:\n\t- 1\n\t- 2\n", lines: []int{2, 3}},
		{name: "windows line ends", text: "a:\r\n\tb: 1\r\n", lines: []int{2}},
		{name: "a line of only a tab", text: "a: 1\n\t\nb: 2\n", lines: []int{2}},
		{name: "a comment line that starts with a tab", text: "a: 1\n\t# note\nb: 2\n", lines: []int{2}},
		{name: "a blank line of spaces and a tab, after a key", text: "a:\n  \t\n  b: 2\n", lines: []int{2}},
		{name: "tabs after a value and before a comment", text: "a:\t1\t# note\n"},

		{name: "a tab in a literal block scalar's text", text: "a: |\n  x\n  \ty\nb: 1\n"},
		{name: "a tab in a folded block scalar with a header and a comment", text: "a: >- # note\n    x\n    \ty\nb: 1\n"},
		{name: "a tab on a blank line of a block scalar, after its indentation", text: "a: |\n  x\n  \t\n  y\n"},
		{name: "a block scalar of a quoted key", text: "\"k\": |\n  x\n  \ty\n"},
		{name: "a block scalar in a sequence", text: "- k: |\n    x\n    \ty\n"},
		{name: "a block scalar whose text starts with a tab", text: "a: |\n\tx\nb: 1\n", lines: []int{2}},
		{name: "a block scalar line with a tab before its indentation", text: "- k: |\n   x\n  \ty\n", lines: []int{3}},
		{name: "a tab on a blank line of a block scalar, before its indentation", text: "a: |\n  x\n\t\n  y\n", lines: []int{3}},
		{name: "a tab after a block scalar ends", text: "a: |\n  x\nb:\n\tc: 1\n", lines: []int{4}},
		{name: "a plain scalar ending in a bar is no block scalar", text: "a: x |\nb:\n\tc: 1\n", lines: []int{3}},

		{name: "a double-quoted string over two lines", text: "a: \"x\n\ty\"\nb: 1\n"},
		{name: "an escaped quote in a double-quoted string", text: "a: \"x\\\"\n\ty\"\nb: 1\n"},
		{name: "a single-quoted string with a quote, over two lines", text: "a: 'it''s\n\tz'\nb: 1\n"},
		{name: "flow collections over several lines", text: "a: [1,\n\t2]\nb: {x: 1,\n\ty: [\n\t3]}\n"},
		{name: "a quoted string in a flow collection", text: "a: [\"x,\n\ty\", 1]\nb:\n\tc: 1\n", lines: []int{4}},
		{name: "an apostrophe in a plain scalar opens no string", text: "a: it's\nb:\n\tc: 1\n", lines: []int{3}},
		{name: "a quote in a comment opens no string", text: "a: 1 # don't\nb:\n\tc: 1\n", lines: []int{3}},
		{name: "a hash inside a plain scalar", text: "a: x#'y\nb:\n\tc: 1\n", lines: []int{3}},

		// After a plain scalar, the parser takes some tabs that it refuses elsewhere.
		{name: "a plain scalar's next line indented by spaces and a tab", text: "a: foo\n  \tbar\n", lines: []int{2}, stricter: true},
		{name: "a blank line of spaces and a tab, after a value", text: "a: 1\n  \t\nb: 2\n", lines: []int{2}, stricter: true},
		{name: "a comment line with a tab after spaces, after a value", text: "a: 1\n  \t# note\nb: 2\n", lines: []int{2}, stricter: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a YAML text with tabs
			// WHEN it is scanned for tabs in indentation
			got := tabsInIndentation([]byte(c.text))

			// THEN exactly the lines whose indentation holds a tab are reported
			var lines []int
			for _, p := range got.Items() {
				lines = append(lines, p.Line)
				if p.Msg != tabInIndentation && p.Msg != tabOnBlankLine {
					t.Errorf("line %d: message %q", p.Line, p.Msg)
				}
			}
			if !slices.Equal(lines, c.lines) {
				t.Errorf("reported lines %v, want %v", lines, c.lines)
			}
			// AND the YAML parser refuses the text exactly when a line is reported
			// (unless the case is marked stricter), so that no file it reads is refused
			var v any
			perr := yaml.Unmarshal([]byte(c.text), &v)
			if refused := perr != nil; refused != (len(c.lines) > 0 && !c.stricter) {
				t.Errorf("the YAML parser says %v, but the scan reported lines %v", perr, lines)
			}
		})
	}
}

func TestTabsInsideTextDoNotStopAValidTopology(t *testing.T) {
	// GIVEN a valid topology whose event pattern is a block of JSON with tabs in it,
	// after the block's indentation
	text := "region: eu-west-1\n" +
		"accounts:\n" +
		"  orders: \"111111111111\"\n" +
		"  billing: \"222222222222\"\n" +
		"links:\n" +
		"  - name: ec2-state\n" +
		"    kind: bus\n" +
		"    from: orders\n" +
		"    to: billing\n" +
		"    options:\n" +
		"      eventPattern: |\n" +
		"        {\n" +
		"        \t\"source\": [\"aws.ec2\"]\n" +
		"        }\n"

	// WHEN it is parsed
	topo, err := Parse("pattern.yaml", []byte(text))

	// THEN it is accepted, with the pattern as written
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Links) != 1 || topo.Links[0].Spec == nil {
		t.Fatalf("links %+v", topo.Links)
	}
}
