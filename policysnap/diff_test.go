package policysnap_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/crosswire/crosswire/policysnap"
)

// numbered returns n lines "line 1\n" ... "line n\n" with the given
// 1-based lines replaced.
func numbered(n int, replace map[int]string) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		if r, ok := replace[i]; ok {
			sb.WriteString(r)
			continue
		}
		fmt.Fprintf(&sb, "line %d\n", i)
	}
	return sb.String()
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		diff      string
	}{
		{
			name: "equal input",
			want: "a\nb\nc\n",
			got:  "a\nb\nc\n",
			diff: "",
		},
		{
			name: "both empty",
			want: "",
			got:  "",
			diff: "",
		},
		{
			name: "changed line with context",
			want: numbered(10, nil),
			got:  numbered(10, map[int]string{5: "line five\n"}),
			diff: "@@ line 2 @@\n  line 2\n  line 3\n  line 4\n- line 5\n+ line five\n  line 6\n  line 7\n  line 8\n",
		},
		{
			name: "insertion at the start",
			want: "b\nc\n",
			got:  "a\nb\nc\n",
			diff: "@@ line 1 @@\n+ a\n  b\n  c\n",
		},
		{
			name: "deletion at the end",
			want: "a\nb\nc\n",
			got:  "a\nb\n",
			diff: "@@ line 1 @@\n  a\n  b\n- c\n",
		},
		{
			name: "distant changes make two hunks",
			want: numbered(20, nil),
			got:  numbered(20, map[int]string{2: "two\n", 18: "eighteen\n"}),
			diff: "@@ line 1 @@\n  line 1\n- line 2\n+ two\n  line 3\n  line 4\n  line 5\n" +
				"@@ line 15 @@\n  line 15\n  line 16\n  line 17\n- line 18\n+ eighteen\n  line 19\n  line 20\n",
		},
		{
			name: "close changes share one hunk",
			want: numbered(12, nil),
			got:  numbered(12, map[int]string{3: "three\n", 9: "nine\n"}),
			diff: "@@ line 1 @@\n  line 1\n  line 2\n- line 3\n+ three\n  line 4\n  line 5\n  line 6\n  line 7\n  line 8\n- line 9\n+ nine\n  line 10\n  line 11\n  line 12\n",
		},
		{
			name: "missing trailing newline",
			want: "a\nb\n",
			got:  "a\nb",
			diff: "@@ line 1 @@\n  a\n- b\n+ b\n\\ no newline at end of file\n",
		},
		{
			name: "everything replaced",
			want: "a\n",
			got:  "b\n",
			diff: "@@ line 1 @@\n- a\n+ b\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN two texts (tt.want and tt.got)

			// WHEN they are diffed
			got := policysnap.Diff(tt.want, tt.got)

			// THEN the diff shows exactly the changed lines with context
			if got != tt.diff {
				t.Errorf("Diff:\n--- got ---\n%s--- want ---\n%s", got, tt.diff)
			}
		})
	}
}

// lcsLen returns the length of the longest common subsequence of a and b by
// dynamic programming, as a reference for the minimality of Diff.
func lcsLen(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// randomLines returns up to 30 lines drawn from a small alphabet so that
// random inputs share many lines.
func randomLines(r *rand.Rand) []string {
	lines := make([]string, r.IntN(30))
	for i := range lines {
		lines[i] = string(rune('a' + r.IntN(4)))
	}
	return lines
}

func TestDiff_MinimalAndConsistent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			// GIVEN two random texts
			a, b := randomLines(r), randomLines(r)
			want, got := strings.Join(a, "\n")+"\n", strings.Join(b, "\n")+"\n"
			if len(a) == 0 {
				want = ""
			}
			if len(b) == 0 {
				got = ""
			}

			// WHEN they are diffed
			diff := policysnap.Diff(want, got)

			// THEN the diff is empty only for equal texts, its change lines
			// number the minimal edit distance, and the context and change
			// lines of each side are subsequences of that side
			if (diff == "") != (want == got) {
				t.Fatalf("Diff(%q, %q) = %q", want, got, diff)
			}
			var dels, ins int
			var left, right []string
			for _, l := range strings.Split(strings.TrimSuffix(diff, "\n"), "\n") {
				switch {
				case strings.HasPrefix(l, "- "):
					dels++
					left = append(left, l[2:])
				case strings.HasPrefix(l, "+ "):
					ins++
					right = append(right, l[2:])
				case strings.HasPrefix(l, "  "):
					left = append(left, l[2:])
					right = append(right, l[2:])
				}
			}
			lcs := lcsLen(a, b)
			if dels != len(a)-lcs || ins != len(b)-lcs {
				t.Errorf("Diff(%q, %q) has %d deletions and %d insertions, want %d and %d:\n%s",
					want, got, dels, ins, len(a)-lcs, len(b)-lcs, diff)
			}
			if !isSubsequence(left, a) || !isSubsequence(right, b) {
				t.Errorf("Diff(%q, %q) lines are not in order:\n%s", want, got, diff)
			}
		})
	}
}

// isSubsequence reports whether sub is a subsequence of s.
func isSubsequence(sub, s []string) bool {
	i := 0
	for _, l := range s {
		if i < len(sub) && sub[i] == l {
			i++
		}
	}
	return i == len(sub)
}

func TestDiff_LargeInputs(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		changes   int
	}{
		{
			name:    "few changes in a long file",
			want:    numbered(5000, nil),
			got:     numbered(5000, map[int]string{10: "x\n", 2500: "y\n", 4990: "z\n"}),
			changes: 6,
		},
		{
			name:    "completely different files",
			want:    numbered(3000, nil),
			got:     strings.ReplaceAll(numbered(3000, nil), "line", "row"),
			changes: 6000,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// GIVEN two texts of thousands of lines (tt.want and tt.got)

			// WHEN they are diffed
			start := time.Now()
			diff := policysnap.Diff(tt.want, tt.got)
			elapsed := time.Since(start)

			// THEN the diff has the minimal number of change lines and is
			// computed quickly
			// Every diff starts with a hunk header, so each change line
			// follows a newline.
			changes := strings.Count(diff, "\n- ") + strings.Count(diff, "\n+ ")
			if changes != tt.changes {
				t.Errorf("diff has %d change lines, want %d", changes, tt.changes)
			}
			if elapsed > 10*time.Second {
				t.Errorf("Diff took %v", elapsed)
			}
		})
	}
}

func TestDiffHunksNameThePolicy(t *testing.T) {
	// GIVEN a snapshot of two policies, of which the second changes
	policy := func(id, typ, action string) string {
		return `    {
      "logicalId": "` + id + `",
      "type": "` + typ + `",
      "property": "PolicyDocument",
      "document": {
        "Statement": [
          {
            "Action": [
              "` + action + `"
            ]
          }
        ]
      }
    }`
	}
	snap := func(second string) string {
		return "{\n  \"Crosswire-billing\": [\n" + policy("KeyA", "AWS::KMS::Key", "kms:Decrypt") + ",\n" +
			policy("QueuePolicyB", "AWS::SQS::QueuePolicy", second) + "\n  ]\n}\n"
	}
	// WHEN the two versions are diffed
	d := policysnap.Diff(snap("sqs:SendMessage"), snap("sqs:*"))
	// THEN the hunk header names the stack, the logical ID, the type and the property
	// of the changed policy, not the one above it
	want := "@@ line 22: Crosswire-billing QueuePolicyB (AWS::SQS::QueuePolicy) PolicyDocument @@\n"
	if !strings.HasPrefix(d, want) {
		t.Errorf("diff starts\n%s\nwant\n%s", d, want)
	}
}
