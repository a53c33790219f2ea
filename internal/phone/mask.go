package phone

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// shownDigits is how many trailing digits a masked number keeps: enough for a
// member to recognize their own phone among a few, too few to call it.
const shownDigits = 3

// Masked returns the number with its country code shown and all but the last
// three national digits replaced by X ("+1 XXXXXXX234"), for places where the
// viewer may not be the owner.
func (n Number) Masked() string {
	return "+" + strconv.Itoa(n.CountryCode) + " " + maskAllButLast(n.National)
}

// Mask masks a stored E.164 number ("+14255551234" → "+1 XXXXXXX234"). It never
// fails, because it is used while logging and auditing, where an error would hide
// the event: something it cannot read has all but its last three characters
// replaced by X.
func Mask(e164 string) string {
	if n, ok := fromE164(e164); ok {
		return n.Masked()
	}
	return maskAllButLast(e164)
}

// maskAllButLast replaces all but the last shownDigits characters of s by X, and
// all of them when s is that short, since then the tail would be the whole thing.
func maskAllButLast(s string) string {
	count := utf8.RuneCountInString(s)
	if count <= shownDigits {
		return strings.Repeat("X", count)
	}
	runes := []rune(s)
	return strings.Repeat("X", count-shownDigits) + string(runes[count-shownDigits:])
}
