package web

import (
	"html/template"
	"regexp"
	"strings"
)

// phoneNumber finds a phone number as pages show one: "+1 4255551234", or
// masked, "+1 XXXXXXX234".
var phoneNumber = regexp.MustCompile(`\+\d{1,3} [\dX]+`)

// keepNumbers escapes s and wraps each phone number in it in a span that does
// not wrap, so a narrow screen never breaks "+1" from the rest of the number.
func keepNumbers(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range phoneNumber.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		b.WriteString(`<span class="number">` + template.HTMLEscapeString(s[m[0]:m[1]]) + `</span>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String())
}
