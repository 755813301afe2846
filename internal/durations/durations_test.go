package durations

import (
	"testing"
	"time"
)

func TestFormatWritesDurationsAsATopologyFileDoes(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{2 * time.Hour, "2h"},
		{90 * time.Minute, "1h30m"},
		{45 * time.Second, "45s"},
		{time.Minute, "1m"},
		{24 * time.Hour, "24h"},
		{8760 * time.Hour, "8760h"},
		{time.Hour + time.Second, "1h0m1s"},
		{1500 * time.Millisecond, "1.5s"},
		{90500 * time.Millisecond, "1m30.5s"},
		{0, "0s"},
	}
	for _, c := range cases {
		// GIVEN a duration
		// WHEN it is formatted
		got := Format(c.d)
		// THEN it reads as a topology file writes it, without trailing zero units
		if got != c.want {
			t.Errorf("Format(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
