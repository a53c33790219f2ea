package password

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"
)

// minCommonBase is the shortest list entry the suffix rule looks for: a
// password made of "love" or "pass" and digits is still a guess an attacker
// tries early, but two- and three-letter entries would refuse good passwords
// that merely end in numbers.
const minCommonBase = 4

// commonSet is the "passwords" frequency list of zxcvbn (30,000 passwords seen
// most often in leaks, already lower-case), keeping entries of at least
// minCommonBase characters. It is built on first use and never changed after,
// so sharing it between goroutines needs no lock.
var commonSet = sync.OnceValue(func() map[string]struct{} {
	list := frequency.FrequencyLists["passwords"]
	set := make(map[string]struct{}, len(list))
	for _, p := range list {
		if utf8.RuneCountInString(p) >= minCommonBase {
			set[strings.ToLower(p)] = struct{}{}
		}
	}
	return set
})

// commonness says how a lower-cased password relates to the common list.
type commonness int

const (
	notCommon commonness = iota
	// listed: the password itself is on the list.
	listed
	// listedPlusSuffix: the password is a list entry followed only by digits
	// and punctuation ("sunshine2024!"), the first thing guessers try after
	// the list itself.
	listedPlusSuffix
)

// common reports whether lower (a lower-cased password) is on the list, or is
// a list entry with only digits, punctuation or symbols added at the end.
func common(lower string) commonness {
	set := commonSet()
	if _, ok := set[lower]; ok {
		return listed
	}
	base := strings.TrimRightFunc(lower, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
	if base == lower || utf8.RuneCountInString(base) < minCommonBase {
		return notCommon
	}
	if _, ok := set[base]; ok {
		return listedPlusSuffix
	}
	return notCommon
}
