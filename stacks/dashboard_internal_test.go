package stacks

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crosswire/crosswire/internal/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestDashboardLaysOutARowPerHalf(t *testing.T) {
	// GIVEN two halves, one with five alarms and one with one
	rows := []dashboardRow{
		{title: "invoices (Crosswire-billing)", alarms: []string{"a1", "a2", "a3", "a4", "a5"}},
		{title: "refunds (Crosswire-billing)", alarms: []string{"b1"}},
	}
	// WHEN the dashboard body is laid out
	body, n := dashboardBody(rows, "eu-west-1", "222222222222")
	// THEN each half has a header and a graph per alarm, four to a line, rows apart
	var got struct {
		Widgets []struct {
			Type       string
			X, Y       int
			Properties struct{ Annotations struct{ Alarms []string } }
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if n != 8 || len(got.Widgets) != 8 {
		t.Fatalf("%d widgets (counted %d), want 2 headers and 6 graphs", len(got.Widgets), n)
	}
	type pos struct{ x, y int }
	want := []pos{{0, 0}, {0, 1}, {6, 1}, {12, 1}, {18, 1}, {0, 7}, {0, 13}, {0, 14}}
	for i, w := range got.Widgets {
		if (pos{w.X, w.Y}) != want[i] {
			t.Errorf("widget %d at (%d,%d), want %v", i, w.X, w.Y, want[i])
		}
	}
	if a := got.Widgets[7].Properties.Annotations.Alarms; len(a) != 1 || a[0] != "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:b1" {
		t.Errorf("last graph shows %v, want alarm b1's ARN", a)
	}
}

func TestDashboardOverTheWidgetQuotaIsRefused(t *testing.T) {
	// GIVEN dashboards at and above CloudWatch's 500 widgets
	// WHEN they are checked
	// THEN only the one above is refused, naming the account, dashboard and count
	if p := dashboardQuota("billing", "crosswire-billing-eu-west-1", 500); p != "" {
		t.Errorf("500 widgets refused: %s", p)
	}
	p := dashboardQuota("billing", "crosswire-billing-eu-west-1", 501)
	for _, want := range []string{"account billing", "crosswire-billing-eu-west-1", "501 widgets", "at most 500"} {
		if !strings.Contains(p, want) {
			t.Errorf("problem %q does not say %q", p, want)
		}
	}
}
