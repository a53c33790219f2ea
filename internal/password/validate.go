package password

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
)

// Length bounds in characters (runes). Eight is the NIST minimum when a second
// factor is required (an organization may raise it, and without a required
// second factor it is at least 15; see ValidateFor); 256 is far past what a password
// manager generates while keeping the hashing input small.
const (
	MinLength = 8
	MaxLength = 256
)

// minContextWord is the shortest context word checked: shorter ones ("Al",
// "Li") would refuse too many good passwords.
const minContextWord = 3

// Validate is ValidateFor with the lowest minimum, MinLength. Callers that
// know the member's organization should use ValidateFor with its policy's
// minimum instead.
func Validate(password string, contextWords ...string) error {
	return ValidateFor(password, MinLength, contextWords...)
}

// ValidateFor reports whether password may be chosen as a new password,
// following NIST SP 800-63B: at least minimum and at most 256 characters of any
// kind, no composition rules, not on the list of common passwords (nor such a
// password with only digits or symbols added at the end), not a single repeated
// character, and not containing any of contextWords (the user name, the parts
// of the display name, the organization name), compared ignoring case. Each
// context word is also split at spaces and punctuation, and an e-mail address
// counts by its local part, so callers may pass names as they are stored.
//
// minimum is the organization's minimum (Policy.PasswordMinimum); values below
// MinLength count as MinLength and values above MaxLength as MaxLength.
// Refusals are FieldErrors on "password" that say why, and never repeat the
// password.
func ValidateFor(password string, minimum int, contextWords ...string) error {
	minimum = min(max(minimum, MinLength), MaxLength)
	// Check the byte length first so a huge input is refused without scanning it.
	if len(password) > MaxLength*utf8.UTFMax {
		return twofold.FieldError("password", "Use at most 256 characters.")
	}
	if !utf8.ValidString(password) {
		return twofold.FieldError("password", "Your password contains characters we can't read. Try typing it again.")
	}
	n := utf8.RuneCountInString(password)
	if n < minimum {
		return twofold.FieldError("password", fmt.Sprintf("Use at least %d characters.", minimum))
	}
	if n > MaxLength {
		return twofold.FieldError("password", "Use at most 256 characters.")
	}
	lower := strings.ToLower(password)
	switch common(lower) {
	case listed:
		return twofold.FieldError("password", "That password is one of the most common and easy to guess. Choose another one.")
	case listedPlusSuffix:
		return twofold.FieldError("password", "That password is one of the most common with only numbers or symbols added at the end, which is easy to guess. Choose another one.")
	}
	if repeated(lower) {
		return twofold.FieldError("password", "A single character repeated is easy to guess. Choose another password.")
	}
	for _, w := range contextTerms(contextWords) {
		if strings.Contains(lower, w) {
			return twofold.FieldError("password", "Your password can't contain your name, your user name or your organization's name.")
		}
	}
	return nil
}

// repeated reports whether s is one character over and over ("aaaaaaaa").
func repeated(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}

// contextTerms lower-cases the context words and returns each whole word and
// each of its parts split at non-letters and non-digits, keeping only those of
// at least minContextWord characters.
func contextTerms(words []string) []string {
	var terms []string
	add := func(t string) {
		if utf8.RuneCountInString(t) >= minContextWord {
			terms = append(terms, t)
		}
	}
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if local, _, ok := strings.Cut(w, "@"); ok {
			w = local
		}
		add(w)
		parts := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(parts) > 1 {
			for _, p := range parts {
				add(p)
			}
		}
	}
	return terms
}
