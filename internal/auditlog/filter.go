package auditlog

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
)

// MaxFilter is the longest $filter ParseFilter reads; every supported filter
// fits in a fraction of it.
const MaxFilter = 2000

// maxValue bounds one quoted value: user names and activity names are short.
const maxValue = 256

// supported is said in every refusal, so the caller learns what to write.
const supported = "Supported: activityDisplayName eq '…', activityDateTime ge|le <date-time>, result eq 'success'|'failure', " +
	"initiatedBy/user/id eq '…', initiatedBy/user/userPrincipalName eq '…', targetResources/any(t:t/id eq '…'), " +
	"targetResources/any(t:t/userPrincipalName eq '…'), joined by and."

// ParseFilter reads the subset of OData $filter that Microsoft Graph supports on
// directoryAudits into a Query: conditions joined by "and", string values in
// single quotes with a quote inside written twice ('O”Brien'). Anything else —
// or, not, parentheses, other fields or operators, a field given twice, an
// unclosed quote — is EINVALID with a message naming what isn't supported.
// Values are only ever copied into the Query, which the store passes as
// placeholder arguments: a value is never SQL.
func ParseFilter(filter string) (Query, error) {
	var q Query
	if len(filter) > MaxFilter {
		return q, invalid(fmt.Sprintf("The $filter is too long: at most %d characters.", MaxFilter))
	}
	if !utf8.ValidString(filter) {
		return q, invalid("The $filter isn't valid UTF-8 text.")
	}
	toks, err := lex(filter)
	if err != nil {
		return q, err
	}
	if len(toks) == 0 {
		return q, nil
	}
	p := &parser{toks: toks, seen: map[string]bool{}}
	for {
		if err := p.condition(&q); err != nil {
			return Query{}, err
		}
		t, ok := p.next()
		if !ok {
			return q, nil
		}
		if t.kind != word || !strings.EqualFold(t.text, "and") {
			return Query{}, unexpected(t, "and between conditions")
		}
		if p.done() {
			return Query{}, invalid("The $filter ends after \"and\": add the next condition.")
		}
	}
}

func invalid(msg string) error {
	return &twofold.Error{Code: twofold.EINVALID, Field: "$filter", Message: msg}
}

// unexpected refuses token t where want was expected, naming what is not
// supported when it is an operator people often try.
func unexpected(t token, want string) error {
	switch {
	case t.kind == word && strings.EqualFold(t.text, "or"):
		return invalid("\"or\" isn't supported in $filter: join conditions with and. " + supported)
	case t.kind == word && strings.EqualFold(t.text, "not"):
		return invalid("\"not\" isn't supported in $filter. " + supported)
	case t.kind == lparen || t.kind == rparen:
		return invalid("Parentheses aren't supported in $filter except in targetResources/any(…). " + supported)
	}
	return invalid(fmt.Sprintf("Expected %s, found %s. %s", want, t.show(), supported))
}

type tokenKind int

const (
	word   tokenKind = iota // a name, operator, keyword or unquoted date-time
	str                     // a quoted value, unescaped
	lparen                  // (
	rparen                  // )
	comma                   // ,
)

type token struct {
	kind tokenKind
	text string
}

// show quotes a token for a message, shortened so a long value is not echoed whole.
func (t token) show() string {
	s := t.text
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	switch t.kind {
	case str:
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case word:
		return "\"" + s + "\""
	}
	return s
}

func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{lparen, "("})
			i++
		case c == ')':
			toks = append(toks, token{rparen, ")"})
			i++
		case c == ',':
			toks = append(toks, token{comma, ","})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			for {
				j := strings.IndexByte(s[i:], '\'')
				if j < 0 {
					return nil, invalid("A quoted value in $filter isn't closed: end it with ' (write '' for a quote inside a value).")
				}
				b.WriteString(s[i : i+j])
				i += j + 1
				if i < len(s) && s[i] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			if b.Len() > maxValue {
				return nil, invalid(fmt.Sprintf("A value in $filter is too long: at most %d characters.", maxValue))
			}
			toks = append(toks, token{str, b.String()})
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r(),'", rune(s[j])) {
				j++
			}
			toks = append(toks, token{word, s[i:j]})
			i = j
		}
	}
	return toks, nil
}

type parser struct {
	toks []token
	pos  int
	seen map[string]bool
}

func (p *parser) done() bool { return p.pos >= len(p.toks) }

func (p *parser) next() (token, bool) {
	if p.done() {
		return token{}, false
	}
	t := p.toks[p.pos]
	p.pos++
	return t, true
}

// expect takes the next token, which must be of kind; want says what for the message.
func (p *parser) expect(kind tokenKind, want string) (token, error) {
	t, ok := p.next()
	if !ok {
		return t, invalid(fmt.Sprintf("The $filter ends where %s was expected. %s", want, supported))
	}
	if t.kind != kind {
		return t, unexpected(t, want)
	}
	return t, nil
}

// once refuses a field given twice: and-ing two values of one field would
// match nothing, or the later would silently win.
func (p *parser) once(key, name string) error {
	if p.seen[key] {
		return invalid(fmt.Sprintf("%s appears twice in $filter; give it once.", name))
	}
	p.seen[key] = true
	return nil
}

// condition reads one condition into q.
func (p *parser) condition(q *Query) error {
	t, err := p.expect(word, "a condition")
	if err != nil {
		return err
	}
	field := t.text
	if strings.EqualFold(field, "targetResources/any") {
		return p.anyTarget(q)
	}
	if strings.EqualFold(field, "startswith") || strings.EqualFold(field, "contains") || strings.EqualFold(field, "endswith") {
		return invalid(fmt.Sprintf("%s() isn't supported in $filter: match the whole value with eq. %s", field, supported))
	}
	op, err := p.expect(word, "an operator after "+field)
	if err != nil {
		return err
	}
	switch field {
	case "activityDateTime":
		return p.dateTime(q, op.text)
	case "activityDisplayName", "result", "initiatedBy/user/id", "initiatedBy/user/userPrincipalName":
	default:
		return invalid(fmt.Sprintf("Filtering on %s isn't supported. %s", token{word, field}.show(), supported))
	}
	if op.text != "eq" {
		return invalid(fmt.Sprintf("Only eq is supported with %s, not %s.", field, op.show()))
	}
	v, err := p.expect(str, "a quoted value after "+field+" eq")
	if err != nil {
		return err
	}
	switch field {
	case "activityDisplayName":
		if err := p.once("activity", field); err != nil {
			return err
		}
		q.Activity = v.text
	case "result":
		if err := p.once("result", field); err != nil {
			return err
		}
		if v.text != twofold.ResultSuccess && v.text != twofold.ResultFailure {
			return invalid("result is either 'success' or 'failure'.")
		}
		q.Result = v.text
	default:
		if err := p.once("initiatedBy", "The initiator (initiatedBy/user/id or userPrincipalName)"); err != nil {
			return err
		}
		q.Actor = v.text
	}
	return nil
}

// dateTime reads the value of activityDateTime ge|le <RFC 3339>.
func (p *parser) dateTime(q *Query, op string) error {
	if op != "ge" && op != "le" {
		return invalid(fmt.Sprintf("Only ge and le are supported with activityDateTime, not %s.", token{word, op}.show()))
	}
	v, ok := p.next()
	if !ok || (v.kind != word && v.kind != str) {
		return invalid("Give activityDateTime a date and time such as 2025-01-31T00:00:00Z.")
	}
	t, err := time.Parse(time.RFC3339Nano, v.text)
	if err != nil {
		return invalid(fmt.Sprintf("%s isn't a date and time such as 2025-01-31T00:00:00Z.", v.show()))
	}
	if err := p.once("activityDateTime "+op, "activityDateTime "+op); err != nil {
		return err
	}
	if op == "ge" {
		q.Since = t.UTC()
	} else {
		q.Until = t.UTC()
	}
	return nil
}

// anyTarget reads "(t:t/id eq '…')" or "(t:t/userPrincipalName eq '…')" after
// targetResources/any.
func (p *parser) anyTarget(q *Query) error {
	if _, err := p.expect(lparen, "( after targetResources/any"); err != nil {
		return err
	}
	lam, err := p.expect(word, "t:t/id or t:t/userPrincipalName")
	if err != nil {
		return err
	}
	v, rest, ok := strings.Cut(lam.text, ":")
	field, found := strings.CutPrefix(rest, v+"/")
	if !ok || v == "" || !found || (field != "id" && field != "userPrincipalName") {
		return invalid(fmt.Sprintf("Inside targetResources/any write t:t/id eq '…' or t:t/userPrincipalName eq '…', not %s.", lam.show()))
	}
	if op, err := p.expect(word, "eq"); err != nil {
		return err
	} else if op.text != "eq" {
		return invalid(fmt.Sprintf("Only eq is supported inside targetResources/any, not %s.", op.show()))
	}
	val, err := p.expect(str, "a quoted value")
	if err != nil {
		return err
	}
	if _, err := p.expect(rparen, ") closing targetResources/any"); err != nil {
		return err
	}
	if err := p.once("target", "targetResources/any"); err != nil {
		return err
	}
	q.Target = val.text
	return nil
}
