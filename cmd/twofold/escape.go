package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// shown is s as the terminal may print it. Names, reasons and user agents are
// written by the people they describe: a newline would forge a line of a
// listing, a tab shift its columns, an ESC drive the operator's terminal. Such
// a value is printed quoted with Go's escapes ("Eve\n…\x1b[31m"); every other
// value is printed as it is.
func shown(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, needsEscape) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// needsEscape reports characters that change what a terminal shows beyond
// themselves: control characters, and format characters such as the
// right-to-left override that reorder a line.
func needsEscape(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// row writes one line of a tab-separated listing, every field shown.
func row(w io.Writer, fields ...string) {
	for i, f := range fields {
		fields[i] = shown(f)
	}
	fmt.Fprintln(w, strings.Join(fields, "\t"))
}
