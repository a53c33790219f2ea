package email

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
)

// Length limits of an address: the whole, as mail systems accept it (RFC 5321's
// forward-path less its angle brackets), and its local part.
const (
	MaxLength      = 254
	maxLocalLength = 64
)

// field is the form and JSON field an address is typed into.
const field = "emailAddress"

// Parse reads one email address as a member typed it and returns it with its
// domain lower-cased, or a field error that says what is wrong in words a
// person understands.
func Parse(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", twofold.FieldError(field, "Enter your email address, like alex@contoso.com.")
	}
	if utf8.RuneCountInString(s) > MaxLength {
		return "", twofold.FieldError(field, "That email address is too long. Addresses are at most 254 characters.")
	}
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return "", twofold.FieldError(field, "An email address can't contain spaces or invisible characters.")
		}
	}
	if strings.ContainsAny(s, "<>,;") {
		return "", twofold.FieldError(field, "Enter just one address, like alex@contoso.com, without a name.")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		// A comment, a quoted local part or anything else the parser rewrites
		// is refused: what is saved must be exactly what the member typed.
		return "", twofold.FieldError(field, "That isn't a valid email address. Check it and try again, like alex@contoso.com.")
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if len(local) > maxLocalLength {
		return "", twofold.FieldError(field, "The part before @ is too long. It's at most 64 characters.")
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, "[") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", twofold.FieldError(field, "The part after @ must be a domain name, like contoso.com.")
	}
	return local + "@" + domain, nil
}

// Mask hides most of an address's local part, keeping its first character
// and the domain, so a member recognizes their own address without it being
// handed to whoever sees the page or the log: "alex@contoso.com" becomes
// "a•••@contoso.com". A local part of one character is hidden whole.
func Mask(address string) string {
	at := strings.LastIndexByte(address, '@')
	if at < 0 {
		return "•••"
	}
	local, domain := address[:at], address[at+1:]
	first, size := utf8.DecodeRuneInString(local)
	if size == 0 || size == len(local) || first == utf8.RuneError {
		return "•••@" + domain
	}
	return string(first) + "•••@" + domain
}
