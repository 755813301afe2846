package policysnap

import (
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines shown around each change.
const diffContext = 3

// opKind is the kind of one line of an edit script.
type opKind byte

const (
	opEqual opKind = iota
	opDelete
	opInsert
)

// diffOp is one line of an edit script: a line of want (opDelete), of got
// (opInsert) or of both (opEqual). a and b are the 0-based line indexes in
// want and got where the op applies.
type diffOp struct {
	kind opKind
	a, b int
}

// Diff returns a line diff from want to got, or "" when they are equal.
// Lines only in want are prefixed with "- ", lines only in got with "+ " and
// unchanged context lines with "  ". Changes are grouped into hunks with up
// to three lines of context, each introduced by "@@ line N @@" where N is
// the 1-based line number in want at which the hunk starts; in a [Snapshot],
// the header also names the policy the first change is in: its stack,
// logical ID, resource type and property ("@@ line 12: Crosswire-billing
// QueuePolicy1A2B (AWS::SQS::QueuePolicy) PolicyDocument @@"). The diff is
// minimal (Myers' O(ND) algorithm in linear space).
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	a, b := splitLines(want), splitLines(got)
	ops := editScript(a, b)

	var sb strings.Builder
	for start := 0; start < len(ops); {
		// Find the next change.
		for start < len(ops) && ops[start].kind == opEqual {
			start++
		}
		if start == len(ops) {
			break
		}
		// Extend the hunk while the next change is close enough for the
		// context of both to touch.
		end := start
		for {
			for end < len(ops) && ops[end].kind != opEqual {
				end++
			}
			next := end
			for next < len(ops) && ops[next].kind == opEqual {
				next++
			}
			if next == len(ops) || next-end > 2*diffContext {
				break
			}
			end = next
		}
		lo := max(start-diffContext, 0)
		hi := min(end+diffContext, len(ops))
		where := ""
		if first := ops[start]; first.kind == opInsert {
			where = policyAt(b, first.b)
		} else {
			where = policyAt(a, first.a)
		}
		if where != "" {
			where = ": " + where
		}
		fmt.Fprintf(&sb, "@@ line %d%s @@\n", ops[lo].a+1, where)
		for _, op := range ops[lo:hi] {
			switch op.kind {
			case opEqual:
				writeLine(&sb, "  ", a[op.a])
			case opDelete:
				writeLine(&sb, "- ", a[op.a])
			case opInsert:
				writeLine(&sb, "+ ", b[op.b])
			}
		}
		start = hi
	}
	return sb.String()
}

// policyAt names the policy of a Snapshot that line i of lines is in: "stack
// logicalId (type) property", as much of it as the lines above i say; "" for a
// text that is no snapshot.
func policyAt(lines []string, i int) string {
	field := func(line, key string) (string, bool) {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), `"`+key+`": "`)
		if !ok {
			return "", false
		}
		v, _, _ := strings.Cut(rest, `"`)
		return v, true
	}
	var stack, id, typ, prop string
	for j := min(i, len(lines)-1); j >= 0; j-- {
		line := lines[j]
		if id == "" {
			if v, ok := field(line, "logicalId"); ok {
				id = v
				// type and property follow logicalId in a snapshot.
				for k := j + 1; k < len(lines) && k <= j+2; k++ {
					if v, ok := field(lines[k], "type"); ok {
						typ = v
					}
					if v, ok := field(lines[k], "property"); ok {
						prop = v
					}
				}
			}
		}
		// A stack's list opens at two spaces of indentation: `  "Stack": [`.
		if strings.HasPrefix(line, `  "`) && !strings.HasPrefix(line, `   `) && strings.HasSuffix(strings.TrimSpace(line), `": [`) {
			stack = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), `"`), `": [`)
			break
		}
	}
	var parts []string
	for _, p := range []string{stack, id} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if typ != "" {
		parts = append(parts, "("+typ+")")
	}
	if prop != "" && id != "" {
		parts = append(parts, prop)
	}
	return strings.Join(parts, " ")
}

// splitLines splits s into lines that keep their trailing "\n", so that a
// missing newline at the end of the text is a difference too.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// writeLine writes one diff line with the given prefix.
func writeLine(sb *strings.Builder, prefix, line string) {
	sb.WriteString(prefix)
	if text, ok := strings.CutSuffix(line, "\n"); ok {
		sb.WriteString(text)
		sb.WriteString("\n")
		return
	}
	sb.WriteString(line)
	sb.WriteString("\n\\ no newline at end of file\n")
}

// editScript returns a minimal edit script that turns a into b.
func editScript(a, b []string) []diffOp {
	// Compare small integers instead of strings.
	ids := map[string]int{}
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	m := &myers{a: intern(a), b: intern(b)}
	m.deleted = make([]bool, len(a))
	m.inserted = make([]bool, len(b))
	size := 2*((len(a)+len(b)+1)/2) + 3
	m.vf = make([]int, size)
	m.vb = make([]int, size)
	m.compare(0, len(a), 0, len(b))

	ops := make([]diffOp, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && m.deleted[i]:
			ops = append(ops, diffOp{opDelete, i, j})
			i++
		case j < len(b) && m.inserted[j]:
			ops = append(ops, diffOp{opInsert, i, j})
			j++
		default:
			ops = append(ops, diffOp{opEqual, i, j})
			i++
			j++
		}
	}
	return ops
}

// myers finds a shortest edit script with the linear space refinement of
// Myers' "An O(ND) Difference Algorithm and Its Variations" (1986): it
// finds the middle snake of an optimal path and recurses on both sides,
// marking the lines of a that are deleted and the lines of b that are
// inserted.
type myers struct {
	a, b              []int
	deleted, inserted []bool
	vf, vb            []int // furthest reaching x per diagonal, reused
}

// compare marks the edits between a[aLo:aHi] and b[bLo:bHi].
func (m *myers) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && m.a[aLo] == m.b[bLo] {
		aLo++
		bLo++
	}
	for aLo < aHi && bLo < bHi && m.a[aHi-1] == m.b[bHi-1] {
		aHi--
		bHi--
	}
	switch {
	case aLo == aHi:
		for j := bLo; j < bHi; j++ {
			m.inserted[j] = true
		}
	case bLo == bHi:
		for i := aLo; i < aHi; i++ {
			m.deleted[i] = true
		}
	default:
		// Both ranges are non-empty and differ at both ends, so an
		// optimal path has at least two edits and the split point lies
		// strictly between the corners: both halves are smaller.
		x, y := m.middleSnake(aLo, aHi, bLo, bHi)
		m.compare(aLo, x, bLo, y)
		m.compare(x, aHi, y, bHi)
	}
}

// middleSnake returns a point (x, y) on an optimal path from (aLo, bLo) to
// (aHi, bHi) that is reached after about half of the edits.
func (m *myers) middleSnake(aLo, aHi, bLo, bHi int) (int, int) {
	n, mm := aHi-aLo, bHi-bLo
	delta := n - mm
	odd := delta%2 != 0
	maxD := (n + mm + 1) / 2
	off := maxD + 1
	vf, vb := m.vf, m.vb
	vf[off+1], vb[off+1] = 0, 0
	for d := 0; d <= maxD; d++ {
		// Forward paths with d edits, in coordinates relative to (aLo, bLo).
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			for x < n && y < mm && m.a[aLo+x] == m.b[bLo+y] {
				x++
				y++
			}
			vf[off+k] = x
			// Reverse diagonal of k, and overlap with the reverse
			// paths with d-1 edits.
			if kr := delta - k; odd && kr >= -(d-1) && kr <= d-1 && x+vb[off+kr] >= n {
				return aLo + x, bLo + y
			}
		}
		// Reverse paths with d edits, in coordinates relative to
		// (aHi, bHi) counting backwards.
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && vb[off+k-1] < vb[off+k+1]) {
				x = vb[off+k+1]
			} else {
				x = vb[off+k-1] + 1
			}
			y := x - k
			for x < n && y < mm && m.a[aHi-1-x] == m.b[bHi-1-y] {
				x++
				y++
			}
			vb[off+k] = x
			if kf := delta - k; !odd && kf >= -d && kf <= d && x+vf[off+kf] >= n {
				return aHi - x, bHi - y
			}
		}
	}
	panic("policysnap: no middle snake found")
}
