package linkcheck

import (
	"fmt"
	"testing"
	"time"

	"github.com/crosswire/crosswire/internal/problem"
)

func TestDurationAcceptsAWholeDurationInRange(t *testing.T) {
	for _, d := range []time.Duration{time.Minute, 90 * time.Second, 24 * time.Hour} {
		// GIVEN a duration option between 1m and 24h in whole seconds
		var p problem.List
		// WHEN it is checked
		ok := Duration(&p, "options.maxEventAge", d, time.Minute, 24*time.Hour, time.Second)
		// THEN it passes without a problem
		if !ok || p.Len() != 0 {
			t.Errorf("Duration(%v) = %v with %v, want true and no problem", d, ok, p.Items())
		}
	}
}

func TestDurationReportsARangeOrAUnitProblem(t *testing.T) {
	cases := []struct {
		d, unit time.Duration
		want    string
	}{
		{30 * time.Second, time.Second, "options.retention: retention 30s must be between 1m and 168h"},
		{169 * time.Hour, time.Second, "options.retention: retention 169h must be between 1m and 168h"},
		{90*time.Second + time.Millisecond, time.Second, "options.retention: retention 1m30.001s must be whole seconds"},
		{90 * time.Minute, time.Hour, "options.retention: retention 1h30m must be whole hours"},
		{90 * time.Second, time.Minute, "options.retention: retention 1m30s must be whole minutes"},
		{90 * time.Second, time.Hour / 2, "options.retention: retention 1m30s must be a multiple of 30m"},
	}
	for _, c := range cases {
		// GIVEN a duration option out of its range (1m to 168h) or not whole units
		var p problem.List
		// WHEN it is checked
		ok := Duration(&p, "options.retention", c.d, time.Minute, 168*time.Hour, c.unit)
		// THEN it fails with one problem at the option, which names the value as a
		// topology file writes it
		if ok || p.Len() != 1 || fmt.Sprint(p.Items()[0]) != c.want {
			t.Errorf("Duration(%v, %v) = %v with %v, want false and %q", c.d, c.unit, ok, p.Items(), c.want)
		}
	}
}

func TestReportIsNilForASoundLink(t *testing.T) {
	// GIVEN a check that finds nothing
	check := func(*problem.List) {}
	// WHEN a link is validated with it
	err := Report("queue", "invoices", check)
	// THEN there is no error
	if err != nil {
		t.Errorf("Report = %v, want nil", err)
	}
}

func TestReportGathersEveryProblemUnderTheLink(t *testing.T) {
	// GIVEN a check that finds two problems
	check := func(p *problem.List) {
		Organization(p, "org-1")
		Duration(p, "options.maxEventAge", time.Second, time.Minute, time.Hour, time.Second)
	}
	// WHEN a bus link is validated with it
	err := Report("bus", "audit", check)
	// THEN both are reported at once, under the kind and the link's name
	want := `bus link "audit": 2 problems
  - organization: organization ID "org-1" must look like o-a1b2c3d4e5
  - options.maxEventAge: maxEventAge 1s must be between 1m and 1h`
	if err == nil || err.Error() != want {
		t.Errorf("Report = %v, want %s", err, want)
	}
}

func TestAllowAcceptsAKnownValue(t *testing.T) {
	for _, c := range []struct{ allow, org string }{{"roles", ""}, {"accounts", ""}, {"organization", "o-a1b2c3d4e5"}} {
		// GIVEN a known allow value, the organization with the topology's ID
		var p problem.List
		// WHEN it is checked
		Allow(&p, c.allow, c.org, "organization", "roles", "accounts")
		// THEN there is no problem
		if p.Len() != 0 {
			t.Errorf("allow %q: %v", c.allow, p.Items())
		}
	}
}

func TestAllowReportsAnUnknownValueOrAMissingOrganization(t *testing.T) {
	cases := []struct {
		allow  string
		others []string
		want   string
	}{
		{"everyone", []string{"roles", "accounts"}, `options.allow: allow "everyone" is unknown; use "roles", "accounts" or "organization"`},
		{"roles", []string{"accounts"}, `options.allow: allow "roles" is unknown; use "accounts" or "organization"`},
		{"organization", []string{"accounts"}, `options.allow: allow "organization" needs the topology's organization ID`},
	}
	for _, c := range cases {
		// GIVEN an allow value the kind does not know, or the organization without
		// the topology's organization ID
		var p problem.List
		// WHEN it is checked
		Allow(&p, c.allow, "", "organization", c.others...)
		// THEN one problem at options.allow says what to use
		if p.Len() != 1 || fmt.Sprint(p.Items()[0]) != c.want {
			t.Errorf("allow %q: %v, want %q", c.allow, p.Items(), c.want)
		}
	}
}
