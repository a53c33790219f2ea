package phone

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/twofold-id/twofold"
)

// maxInputLength bounds what reaches the parser. The longest real number with an
// extension fits easily; anything longer is a paste accident, and the parser's
// regular expressions should not have to chew on it.
const maxInputLength = 40

// Number is a parsed, normalized phone number.
type Number struct {
	E164        string // "+14255551234"
	CountryCode int    // 1
	Region      string // "US": CLDR region of the number, "" for non-geographic numbers (+800, +870…)
	National    string // "4255551234": national significant number, digits only
	Extension   string // the extension that was removed ("12345"), "" if none
}

// Display returns the number as members see it: "+", the country code, a space
// and the national significant number ("+1 4255551234"). It deliberately skips
// national grouping, which differs by country and would make the same number
// look different on different pages.
func (n Number) Display() string {
	return "+" + strconv.Itoa(n.CountryCode) + " " + n.National
}

// Rules are what the organization and the use allow.
type Rules struct {
	AllowedCountryCodes []int // empty: all
	ForText             bool  // refuse definite fixed-line numbers (texts need a mobile)
}

// Parse reads what a member typed. region is the ISO 3166 region chosen in the
// country picker ("US"), or "" when the member typed the international form. A
// number starting with "+" or "00" is read internationally regardless of region.
//
// Every refusal is an EINVALID twofold.Error whose message says why, on the
// field "phoneNumber", or "country" when region is not a region we know.
func Parse(input, region string, r Rules) (Number, error) {
	s, err := cleanInput(input)
	if err != nil {
		return Number{}, err
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if region != "" && phonenumbers.GetCountryCodeForRegion(region) == 0 {
		// Only a tampered or stale form sends this; the picker offers Countries().
		return Number{}, twofold.FieldError("country", "Choose your country from the list.")
	}
	international := strings.HasPrefix(s, "+")
	if !international && region == "" {
		return Number{}, invalid("Enter the number with its country code, like +1 425 555 1234, or choose your country.")
	}
	parseRegion := region
	if international {
		parseRegion = ""
	}
	pn, err := phonenumbers.Parse(s, parseRegion)
	if err != nil {
		e := parseFailure(err)
		e.Err = fmt.Errorf("phone: parse: %w", err)
		return Number{}, e
	}

	cc := int(pn.GetCountryCode())
	// Before validity: a member whose country is not allowed is better served by
	// hearing that than by fixing digits for a number that would be refused anyway.
	if len(r.AllowedCountryCodes) > 0 && !slices.Contains(r.AllowedCountryCodes, cc) {
		return Number{}, invalid(fmt.Sprintf("Your organization doesn't allow phone numbers from +%d.", cc))
	}
	if msg := lengthProblem(phonenumbers.IsPossibleNumberWithReason(pn)); msg != "" {
		return Number{}, invalid(fmt.Sprintf("That number doesn't look right for %s: %s.", placeName(cc, region), msg))
	}
	if !phonenumbers.IsValidNumber(pn) {
		return Number{}, invalid(fmt.Sprintf("That number isn't a valid phone number for %s.", placeName(cc, region)))
	}
	if msg := typeProblem(phonenumbers.GetNumberType(pn), r.ForText); msg != "" {
		return Number{}, invalid(msg)
	}

	numRegion := phonenumbers.GetRegionCodeForNumber(pn)
	if numRegion == "001" || numRegion == "ZZ" {
		numRegion = ""
	}
	return Number{
		E164:        phonenumbers.Format(pn, phonenumbers.E164),
		CountryCode: cc,
		Region:      numRegion,
		National:    phonenumbers.GetNationalSignificantNumber(pn),
		Extension:   pn.GetExtension(),
	}, nil
}

// DisplayE164 formats a stored E.164 number as Display does ("+14255551234" →
// "+1 4255551234"), or returns e164 unchanged when it cannot be read, so that a
// bad stored value still shows as something rather than breaking a page.
func DisplayE164(e164 string) string {
	n, ok := fromE164(e164)
	if !ok {
		return e164
	}
	return n.Display()
}

// fromE164 splits a stored number into country code and national number without
// judging it: rules may have changed since it was stored, and showing or masking
// it must still work.
func fromE164(e164 string) (Number, bool) {
	s := strings.TrimSpace(e164)
	if !strings.HasPrefix(s, "+") {
		return Number{}, false
	}
	pn, err := phonenumbers.Parse(s, "")
	if err != nil {
		return Number{}, false
	}
	return Number{
		E164:        phonenumbers.Format(pn, phonenumbers.E164),
		CountryCode: int(pn.GetCountryCode()),
		National:    phonenumbers.GetNationalSignificantNumber(pn),
	}, true
}

func invalid(message string) *twofold.Error {
	return twofold.FieldError("phoneNumber", message)
}

// cleanInput trims input and refuses what no phone number contains, so the
// member hears about a stray letter instead of a puzzling parser verdict. It also
// turns a leading "00" into "+": most of the world dials abroad with 00, and the
// parser only knows that prefix when told the region it is dialled from.
func cleanInput(input string) (string, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", invalid("Enter a phone number.")
	}
	if utf8.RuneCountInString(s) > maxInputLength {
		return "", invalid(fmt.Sprintf("That's too long for a phone number. Use at most %d characters.", maxInputLength))
	}
	if err := checkCharacters(s); err != nil {
		return "", err
	}
	// A trailing "#" is what people press after a number on a keypad, but the
	// parser reads "1234#" as an extension and would cut the number short.
	s = strings.TrimRightFunc(s, func(c rune) bool { return c == '#' || unicode.IsSpace(c) })
	if rest, ok := strings.CutPrefix(s, "00"); ok {
		s = "+" + rest
	}
	return s, nil
}

// checkCharacters allows digits (of any script: the parser reads them), spaces,
// the punctuation people group numbers with, and the extension markers x, ext,
// ext. and #.
func checkCharacters(s string) error {
	if !utf8.ValidString(s) {
		return invalid("That number contains a character we can't read. Type it again.")
	}
	lower := strings.ToLower(s)
	for i := 0; i < len(lower); {
		if strings.HasPrefix(lower[i:], "ext") {
			i += len("ext")
			continue
		}
		c, size := utf8.DecodeRuneInString(lower[i:])
		i += size
		switch {
		case c == 'x', unicode.IsDigit(c), unicode.IsSpace(c), strings.ContainsRune("+()-./#", c):
		case unicode.IsLetter(c):
			return invalid("Phone numbers can't contain letters, except x or ext. before an extension. If your number is written with letters, type the digits they stand for.")
		case !unicode.IsPrint(c):
			return invalid("That number contains an invisible character. Type it again.")
		default:
			return invalid(fmt.Sprintf("“%c” can't be part of a phone number. Use only digits, spaces and + ( ) - . /", c))
		}
	}
	return nil
}

// parseFailure explains an error of phonenumbers.Parse. Input has passed
// checkCharacters and has a country code or a known region by then, so what is
// left is about the digits.
func parseFailure(err error) *twofold.Error {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return invalid("The country code after the + isn't one we know. Check it, or choose your country and enter the number without it.")
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return invalid("That doesn't look like a phone number: it has too many digits.")
	case errors.Is(err, phonenumbers.ErrNotANumber),
		errors.Is(err, phonenumbers.ErrTooShortNSN),
		errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return invalid("That doesn't look like a phone number: it has too few digits.")
	default:
		return invalid("That doesn't look like a phone number.")
	}
}

// lengthProblem says what is wrong with the length of a number, or "" when its
// length is possible for its country.
func lengthProblem(v phonenumbers.ValidationResult) string {
	switch v {
	case phonenumbers.IS_POSSIBLE:
		return ""
	case phonenumbers.TOO_SHORT:
		return "it has too few digits"
	case phonenumbers.TOO_LONG:
		return "it has too many digits"
	case phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return "it looks like a local number. Include the area code"
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "its country code isn't one we know"
	default: // INVALID_LENGTH: between two possible lengths
		return "it doesn't have the right number of digits"
	}
}

// typeProblem says why a number of type t cannot be used, or "". Service numbers
// cannot receive texts or automated calls (and premium-rate ones would bill the
// organization for every attempt); fixed lines can take calls but not texts.
// FIXED_LINE_OR_MOBILE passes: every +1 number is that, and the difference can
// only be told online.
func typeProblem(t phonenumbers.PhoneNumberType, forText bool) string {
	switch t {
	case phonenumbers.TOLL_FREE:
		return "Toll-free numbers can't receive verification calls or texts."
	case phonenumbers.PREMIUM_RATE:
		return "Premium-rate numbers aren't allowed."
	case phonenumbers.SHARED_COST:
		return "Shared-cost numbers can't receive verification calls or texts."
	case phonenumbers.UAN:
		return "Company switchboard numbers (universal access numbers) can't receive verification calls or texts."
	case phonenumbers.VOICEMAIL:
		return "Voicemail access numbers can't receive verification calls or texts."
	case phonenumbers.PAGER:
		return "Pager numbers can't receive verification calls or texts."
	case phonenumbers.FIXED_LINE:
		if forText {
			return "Text messages can only go to a mobile phone; this looks like a landline. Choose Call me instead."
		}
	}
	return ""
}
