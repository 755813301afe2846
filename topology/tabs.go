package topology

import (
	"strings"

	"github.com/crosswire/crosswire/internal/problem"
)

// tabsInIndentation reports every line of a YAML file whose indentation holds a tab,
// each on its own line. YAML indents with spaces only, and the YAML parser stops at
// the first tab with a message that does not name it ("found character that cannot
// start any token"), so the file is scanned for them before it is parsed.
//
// Only the leading whitespace of a line counts, and only where YAML indents: a tab
// inside a block scalar's text (after its indentation), inside a quoted string that
// continues on the next line, or inside a flow collection ([...], {...}) over several
// lines is content or separation, which YAML allows. Elsewhere a tab in the leading
// whitespace is reported even where the parser would take it (a blank line or the
// next line of a plain scalar after a value, in some places): what it refuses
// depends on what came before, which a reader cannot see.
func tabsInIndentation(data []byte) *problem.List {
	var p problem.List
	var s tabScanner
	for i, line := range strings.Split(string(data), "\n") {
		if msg := s.line(strings.TrimSuffix(line, "\r")); msg != "" {
			p.Addf(i+1, "", "%s", msg)
		}
	}
	return &p
}

const (
	tabInIndentation = "indentation holds a tab; indent with spaces"
	tabOnBlankLine   = "the blank line holds a tab; remove it"
)

// tabScanner follows, line by line, just enough of YAML's syntax to tell a line's
// indentation from text: whether the line starts inside a quoted string, inside a
// flow collection or inside a block scalar.
type tabScanner struct {
	// quote is '"' or '\'' while a quoted string continues onto the next line.
	quote byte
	// flow is the depth of the open flow collections.
	flow int
	// block is set while the lines may belong to a block scalar (| or >).
	block bool
	// parent is the indentation of the node that holds the block scalar; its text is
	// indented by more.
	parent int
	// indent is the indentation of the block scalar's text, or -1 until its first
	// line that is not blank.
	indent int
}

// line scans one line and returns what is wrong with its indentation, or "".
func (s *tabScanner) line(l string) string {
	spaces := len(l) - len(strings.TrimLeft(l, " "))
	rest := l[spaces:]
	lead := len(l) - len(strings.TrimLeft(l, " \t"))
	blank := strings.TrimSpace(l) == ""

	if s.block {
		switch {
		case s.indent < 0 && blank:
			// Blank lines before the text: YAML is still finding its indentation.
			if strings.Contains(l, "\t") {
				return tabInIndentation
			}
			return ""
		case s.indent < 0 && spaces > s.parent:
			if strings.HasPrefix(rest, "\t") {
				return tabInIndentation
			}
			s.indent = spaces
			return ""
		case s.indent >= 0 && spaces >= s.indent:
			return "" // text, tabs and all
		case strings.HasPrefix(rest, "\t"):
			return tabInIndentation
		case blank:
			return ""
		}
		// A line indented less than the text ends the block scalar.
		s.block = false
	}

	if s.quote != 0 || s.flow > 0 {
		// Inside a quoted string or a flow collection, leading whitespace is folded
		// away, and tabs are allowed.
		s.scan(l, 0)
		return ""
	}
	var msg string
	switch {
	case blank && strings.Contains(l, "\t"):
		msg = tabOnBlankLine
	case strings.Contains(l[:lead], "\t"):
		msg = tabInIndentation
	}
	s.scan(l, lead)
	return msg
}

// scan follows the tokens of l from byte from on: quoted strings, flow collections,
// comments, and a block scalar indicator at the end of the line.
func (s *tabScanner) scan(l string, from int) {
	// start is true where a new node may begin: at the start of the line, after an
	// indicator (- ? :) or a flow indicator ([ { ,), or after a tag or anchor.
	start := true
	// node is the column of the last node begun in block context on this line (a
	// key or a sequence entry): a block scalar's text must be indented past it.
	node := from
	for i := from; i < len(l); {
		c := l[i]
		switch {
		case s.quote == '"':
			i = s.endDoubleQuoted(l, i)
			start = false
			continue
		case s.quote == '\'':
			i = s.endSingleQuoted(l, i)
			start = false
			continue
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return // a comment runs to the end of the line
		case c == ':' && separated(l, i+1, s.flow > 0):
			// The indicator after a key, which may be a quoted string.
			start = true
			i++
			continue
		case i == 0 && (strings.HasPrefix(l, "---") || strings.HasPrefix(l, "...")) && separated(l, 3, false):
			i += 3 // a document marker
			continue
		}
		if s.flow > 0 {
			switch c {
			case '[', '{':
				s.flow++
				start = true
				i++
				continue
			case ']', '}':
				s.flow--
				start = false
				i++
				continue
			case ',':
				start = true
				i++
				continue
			}
		}
		if start {
			switch c {
			case '"', '\'':
				if s.flow == 0 {
					node = i
				}
				s.quote = c
				i++
				continue
			case '[', '{':
				s.flow++
				i++
				continue
			case '-', '?':
				if separated(l, i+1, false) {
					if c == '-' && s.flow == 0 {
						node = i
					}
					i++
					continue
				}
			case '!', '&':
				// A tag or an anchor precedes the node it names.
				for i < len(l) && l[i] != ' ' && l[i] != '\t' {
					i++
				}
				continue
			case '|', '>':
				if s.flow == 0 && isBlockHeader(l[i+1:]) {
					s.block, s.parent, s.indent = true, node, -1
					return
				}
			}
		}
		// A plain scalar (or an alias): up to ": ", " #" or, in a flow collection, a
		// flow indicator.
		if s.flow == 0 {
			node = i
		}
		start = false
		for i < len(l) {
			c := l[i]
			if c == ':' && separated(l, i+1, s.flow > 0) {
				break // the indicator after a key
			}
			if c == '#' && (l[i-1] == ' ' || l[i-1] == '\t') {
				return
			}
			if s.flow > 0 && strings.IndexByte(",[]{}", c) >= 0 {
				break
			}
			i++
		}
	}
}

// endDoubleQuoted returns the index after the closing quote of a double-quoted string
// that continues at l[i:], or len(l) when the string continues onto the next line.
func (s *tabScanner) endDoubleQuoted(l string, i int) int {
	for ; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++ // the escaped character, or the line break
		case '"':
			s.quote = 0
			return i + 1
		}
	}
	return len(l)
}

// endSingleQuoted is endDoubleQuoted for a single-quoted string, in which two quotes
// in a row stand for one.
func (s *tabScanner) endSingleQuoted(l string, i int) int {
	for ; i < len(l); i++ {
		if l[i] == '\'' {
			if i+1 < len(l) && l[i+1] == '\'' {
				i++
				continue
			}
			s.quote = 0
			return i + 1
		}
	}
	return len(l)
}

// isBlockHeader reports whether rest, what follows | or >, completes a block scalar
// header: at most an indentation digit and a chomping indicator, then nothing but
// whitespace or a comment.
func isBlockHeader(rest string) bool {
	i := 0
	for i < len(rest) && i < 2 && strings.IndexByte("123456789+-", rest[i]) >= 0 {
		i++
	}
	rest = rest[i:]
	trimmed := strings.TrimLeft(rest, " \t")
	return trimmed == "" || strings.HasPrefix(trimmed, "#") && len(trimmed) < len(rest)
}

// separated reports whether l[i:] starts with what ends an indicator: the end of the
// line, a space or a tab, or, in a flow collection, a flow indicator.
func separated(l string, i int, flow bool) bool {
	return i >= len(l) || l[i] == ' ' || l[i] == '\t' || flow && strings.IndexByte(",[]{}", l[i]) >= 0
}
