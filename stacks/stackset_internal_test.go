package stacks

import (
	"strings"
	"testing"

	"github.com/crosswire/crosswire/topology"
)

func TestTemplateSourceFollowsTheStackSetTemplateQuotas(t *testing.T) {
	for _, c := range []struct {
		size   int
		inline bool
		err    string
	}{
		{4_202, true, ""},
		{MaxTemplateBody, true, ""},
		{MaxTemplateBody + 1, false, ""},
		{MaxTemplateURL, false, ""},
		{MaxTemplateURL + 1, false, "the member template is 460801 bytes; a stack set's template may be at most 460800 bytes (TemplateURL)"},
	} {
		// GIVEN a member template of a size
		// WHEN the stack set chooses how to carry it
		inline, err := TemplateSource(c.size)
		// THEN it goes inline up to 51,200 bytes (TemplateBody), as a file asset named by
		// TemplateURL up to 460,800, and is refused above
		if inline != c.inline || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("size %d: inline %v, error %v; want inline %v, error %q", c.size, inline, err, c.inline, c.err)
		}
	}
}

func TestStackSetNamesAreLettersDigitsAndHyphens(t *testing.T) {
	// GIVEN link names with underscores, and a name prefix
	// WHEN the stack set names are made
	// THEN they keep to ^[a-zA-Z][a-zA-Z0-9-]{0,127}$, as StackSetName requires
	for _, c := range []struct{ prefix, link, unit, want string }{
		{"", "acme_events", "workloads", "Crosswire-acme-events-workloads"},
		{"acme", "findings", "sandbox", "Crosswire-acme-findings-sandbox"},
	} {
		tp := &topology.Topology{NamePrefix: c.prefix}
		if got := StackSetName(tp, c.link, c.unit); got != c.want {
			t.Errorf("StackSetName(%q, %q) = %q, want %q", c.link, c.unit, got, c.want)
		}
	}
}
