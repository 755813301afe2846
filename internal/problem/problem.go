// Package problem collects validation problems so that every mistake in an input is
// reported at once, each with the place it was found.
package problem

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one mistake in an input: where it is, on which line when known, and
// what is wrong with which value.
type Problem struct {
	// Line is the 1-based line in the source file, or 0 when unknown.
	Line int
	// Where names the place: a path such as `links[1] "refunds": options.fifo`.
	Where string
	// Msg says what is wrong, quoting the value and what is allowed.
	Msg string
}

// String renders the problem as one line of a report.
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Where != "" {
		b.WriteString(p.Where)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// List accumulates problems. The zero value is ready to use.
type List struct {
	items []Problem
}

// Addf records a problem found at where (and line, when known).
func (l *List) Addf(line int, where, format string, args ...any) {
	l.items = append(l.items, Problem{Line: line, Where: where, Msg: fmt.Sprintf(format, args...)})
}

// Merge records every problem of other, placed under prefix and on line when the
// problem has no line of its own.
func (l *List) Merge(line int, prefix string, other *List) {
	for _, p := range other.items {
		if p.Line == 0 {
			p.Line = line
		}
		p.Where = Join(prefix, p.Where)
		l.items = append(l.items, p)
	}
}

// Len is the number of problems recorded.
func (l *List) Len() int { return len(l.items) }

// Items returns the problems in the order they were found.
func (l *List) Items() []Problem { return append([]Problem(nil), l.items...) }

// Err returns nil when no problem was recorded, and an *Error holding all of them
// otherwise, ordered by line.
func (l *List) Err(subject string) error {
	if len(l.items) == 0 {
		return nil
	}
	items := l.Items()
	sort.SliceStable(items, func(i, j int) bool { return items[i].Line < items[j].Line })
	return &Error{Subject: subject, Problems: items}
}

// Error reports every problem found in one input.
type Error struct {
	// Subject names the input, for example the topology file's path.
	Subject  string
	Problems []Problem
}

// Error renders a report with one problem per line.
func (e *Error) Error() string {
	var b strings.Builder
	noun := "problems"
	if len(e.Problems) == 1 {
		noun = "problem"
	}
	if e.Subject != "" {
		fmt.Fprintf(&b, "%s: ", e.Subject)
	}
	fmt.Fprintf(&b, "%d %s", len(e.Problems), noun)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Join places where under prefix, separated the way reports expect.
func Join(prefix, where string) string {
	switch {
	case prefix == "":
		return where
	case where == "":
		return prefix
	case strings.HasPrefix(where, "[") || strings.HasPrefix(where, "."):
		return prefix + where
	case strings.HasSuffix(prefix, `"`):
		return prefix + ": " + where
	default:
		return prefix + "." + where
	}
}
