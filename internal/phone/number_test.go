package phone

import (
	"slices"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

func TestParseAccepts(t *testing.T) {
	for _, tc := range []struct {
		name, input, region string
		rules               Rules
		want                Number
		display             string
	}{
		{"article example, X extension", "+1 4255551234X12345", "", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", "12345"}, "+1 4255551234"},
		{"ext. extension", "+1 425 555 1234 ext. 12345", "", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", "12345"}, "+1 4255551234"},
		{"# extension", "+1 425 555 1234 #12345", "", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", "12345"}, "+1 4255551234"},
		{"trailing # is not an extension", "+1 425 555 1234#", "", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", ""}, "+1 4255551234"},
		{"punctuation", " +1 (425) 555-1234 ", "", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", ""}, "+1 4255551234"},
		{"dots and slashes", "+1 425.555/1234", "", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", ""}, "+1 4255551234"},
		{"national with region", "425 555 1234", "US", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", ""}, "+1 4255551234"},
		{"region in lower case", "425 555 1234", "us", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", ""}, "+1 4255551234"},
		{"+1 is fixed line or mobile, fine for texts", "+1 425 555 1234", "", Rules{ForText: true},
			Number{"+14255551234", 1, "US", "4255551234", ""}, "+1 4255551234"},
		{"UK mobile", "+44 7400 123456", "", Rules{ForText: true},
			Number{"+447400123456", 44, "GB", "7400123456", ""}, "+44 7400123456"},
		{"UK mobile, national with trunk 0", "07400 123456", "GB", Rules{},
			Number{"+447400123456", 44, "GB", "7400123456", ""}, "+44 7400123456"},
		{"UK mobile, (0) in international form", "+44 (0) 7400 123456", "", Rules{},
			Number{"+447400123456", 44, "GB", "7400123456", ""}, "+44 7400123456"},
		{"00 prefix, no region", "0044 7400 123456", "", Rules{},
			Number{"+447400123456", 44, "GB", "7400123456", ""}, "+44 7400123456"},
		{"00 prefix wins over region", "00 44 7400 123456", "US", Rules{},
			Number{"+447400123456", 44, "GB", "7400123456", ""}, "+44 7400123456"},
		{"+ wins over region", "+44 7400 123456", "FR", Rules{},
			Number{"+447400123456", 44, "GB", "7400123456", ""}, "+44 7400123456"},
		{"US exit code 011 from US", "011 44 7400 123456", "US", Rules{},
			Number{"+447400123456", 44, "GB", "7400123456", ""}, "+44 7400123456"},
		{"UK fixed line for calls", "+44 20 7946 0018", "", Rules{},
			Number{"+442079460018", 44, "GB", "2079460018", ""}, "+44 2079460018"},
		{"Italian leading zero kept", "+39 06 1234 5678", "", Rules{},
			Number{"+390612345678", 39, "IT", "0612345678", ""}, "+39 0612345678"},
		{"allowed country", "+44 7400 123456", "", Rules{AllowedCountryCodes: []int{1, 44}},
			Number{"+447400123456", 44, "GB", "7400123456", ""}, "+44 7400123456"},
		{"non-geographic mobile (Inmarsat)", "+870 301234567", "", Rules{},
			Number{"+870301234567", 870, "", "301234567", ""}, "+870 301234567"},
		{"VoIP is allowed", "+44 56 1234 5678", "", Rules{ForText: true},
			Number{"+445612345678", 44, "GB", "5612345678", ""}, "+44 5612345678"},
		{"Arabic-Indic digits", "٤٢٥٥٥٥١٢٣٤", "US", Rules{},
			Number{"+14255551234", 1, "US", "4255551234", ""}, "+1 4255551234"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.input, tc.region, tc.rules)
			if err != nil {
				t.Fatalf("Parse(%q, %q) failed: %v", tc.input, tc.region, err)
			}
			if got != tc.want {
				t.Errorf("Parse(%q, %q) = %+v, want %+v", tc.input, tc.region, got, tc.want)
			}
			if d := got.Display(); d != tc.display {
				t.Errorf("Display() = %q, want %q", d, tc.display)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	const (
		serviceNumber = "can't receive verification calls or texts."
		landline      = "Text messages can only go to a mobile phone; this looks like a landline. Choose Call me instead."
		letters       = "Phone numbers can't contain letters, except x or ext. before an extension. If your number is written with letters, type the digits they stand for."
	)
	for _, tc := range []struct {
		name, input, region string
		rules               Rules
		field, message      string
	}{
		{"empty", "", "US", Rules{}, "phoneNumber", "Enter a phone number."},
		{"blank", "  \t ", "US", Rules{}, "phoneNumber", "Enter a phone number."},
		{"over 40 characters", "+1 425 555 1234" + strings.Repeat(" ", 30) + "5", "", Rules{}, "phoneNumber",
			"That's too long for a phone number. Use at most 40 characters."},
		{"letters", "+1 425 CALL NOW", "", Rules{}, "phoneNumber", letters},
		{"letter e alone", "+1 425 555 1234 e 5", "", Rules{}, "phoneNumber", letters},
		{"symbol", "+1 425*555*1234", "", Rules{}, "phoneNumber",
			"“*” can't be part of a phone number. Use only digits, spaces and + ( ) - . /"},
		{"control character", "+1 425\x00555 1234", "", Rules{}, "phoneNumber",
			"That number contains an invisible character. Type it again."},
		{"invalid UTF-8", "+1 425 \xff555 1234", "", Rules{}, "phoneNumber",
			"That number contains a character we can't read. Type it again."},
		{"unknown region", "425 555 1234", "XX", Rules{}, "country", "Choose your country from the list."},
		{"non-geographic pseudo-region", "425 555 1234", "001", Rules{}, "country", "Choose your country from the list."},
		{"national without region", "425 555 1234", "", Rules{}, "phoneNumber",
			"Enter the number with its country code, like +1 425 555 1234, or choose your country."},
		{"unknown country code", "+999 123456", "", Rules{}, "phoneNumber",
			"The country code after the + isn't one we know. Check it, or choose your country and enter the number without it."},
		{"only a plus", "+", "", Rules{}, "phoneNumber", "That doesn't look like a phone number: it has too few digits."},
		{"one digit", "5", "US", Rules{}, "phoneNumber", "That doesn't look like a phone number: it has too few digits."},
		{"too many digits to parse", "+1 4255551234567890123", "", Rules{}, "phoneNumber",
			"That doesn't look like a phone number: it has too many digits."},
		{"too short", "+1 425", "", Rules{}, "phoneNumber",
			"That number doesn't look right for the United States: it has too few digits."},
		{"too short, national", "1234", "US", Rules{}, "phoneNumber",
			"That number doesn't look right for the United States: it has too few digits."},
		{"too long", "+1 425 555 12345678", "", Rules{}, "phoneNumber",
			"That number doesn't look right for the United States: it has too many digits."},
		{"too long, UK", "+44 7400 1234567", "", Rules{}, "phoneNumber",
			"That number doesn't look right for the United Kingdom: it has too many digits."},
		{"local only", "555 1234", "US", Rules{}, "phoneNumber",
			"That number doesn't look right for the United States: it looks like a local number. Include the area code."},
		{"length between possible lengths", "+41 78 123 45671", "", Rules{}, "phoneNumber",
			"That number doesn't look right for Switzerland: it doesn't have the right number of digits."},
		{"possible but not valid", "+1 555 555 5555", "", Rules{}, "phoneNumber",
			"That number isn't a valid phone number for the United States."},
		{"invalid, named by chosen region", "+1 555 555 5555", "CA", Rules{}, "phoneNumber",
			"That number isn't a valid phone number for Canada."},
		{"invalid UK", "+44 7400 12345", "", Rules{}, "phoneNumber",
			"That number isn't a valid phone number for the United Kingdom."},
		{"toll-free US", "+1 800 555 0199", "", Rules{}, "phoneNumber", "Toll-free numbers " + serviceNumber},
		{"toll-free UK", "+44 800 123 4567", "", Rules{}, "phoneNumber", "Toll-free numbers " + serviceNumber},
		{"toll-free international", "+800 1234 5678", "", Rules{}, "phoneNumber", "Toll-free numbers " + serviceNumber},
		{"premium-rate US", "+1 900 555 0199", "", Rules{}, "phoneNumber", "Premium-rate numbers aren't allowed."},
		{"premium-rate UK", "+44 901 234 5678", "", Rules{}, "phoneNumber", "Premium-rate numbers aren't allowed."},
		{"shared cost", "+43 810 123456", "", Rules{}, "phoneNumber", "Shared-cost numbers " + serviceNumber},
		{"UAN", "+44 55 1234 5678", "", Rules{}, "phoneNumber",
			"Company switchboard numbers (universal access numbers) " + serviceNumber},
		{"voicemail", "+49 177 991234567", "", Rules{}, "phoneNumber", "Voicemail access numbers " + serviceNumber},
		{"pager", "+44 7640 123456", "", Rules{}, "phoneNumber", "Pager numbers " + serviceNumber},
		{"UK fixed line for texts", "+44 20 7946 0018", "", Rules{ForText: true}, "phoneNumber", landline},
		{"Italian fixed line for texts", "+39 06 1234 5678", "", Rules{ForText: true}, "phoneNumber", landline},
		{"country not allowed", "+44 7400 123456", "", Rules{AllowedCountryCodes: []int{1}}, "phoneNumber",
			"Your organization doesn't allow phone numbers from +44."},
		{"country not allowed beats invalid", "+44 7400 12345", "", Rules{AllowedCountryCodes: []int{1}}, "phoneNumber",
			"Your organization doesn't allow phone numbers from +44."},
		{"country not allowed, national input", "425 555 1234", "US", Rules{AllowedCountryCodes: []int{44}}, "phoneNumber",
			"Your organization doesn't allow phone numbers from +1."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Parse(tc.input, tc.region, tc.rules)
			if err == nil {
				t.Fatalf("Parse(%q, %q) = %+v, want an error", tc.input, tc.region, n)
			}
			if n != (Number{}) {
				t.Errorf("Parse returned %+v with its error, want the zero Number", n)
			}
			if code := twofold.ErrorCode(err); code != twofold.EINVALID {
				t.Errorf("code %q, want %q (%v)", code, twofold.EINVALID, err)
			}
			if f := twofold.ErrorField(err); f != tc.field {
				t.Errorf("field %q, want %q", f, tc.field)
			}
			if m := twofold.ErrorMessage(err); m != tc.message {
				t.Errorf("message\n  %q\nwant\n  %q", m, tc.message)
			}
		})
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"+14255551234":  "+1 XXXXXXX234",
		"+447400123456": "+44 XXXXXXX456",
		"+390612345678": "+39 XXXXXXX678",
		"+15555555555":  "+1 XXXXXXX555", // not valid, still masked by its parts
		"4255551234":    "XXXXXXX234",    // not E.164
		"+999123456":    "XXXXXXX456",    // unknown country code
		"garbage!":      "XXXXXge!",
		"+1":            "XX",
		"":              "",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	n, err := Parse("+1 4255551234X12345", "", Rules{})
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Masked(); got != "+1 XXXXXXX234" {
		t.Errorf("Masked() = %q, want %q", got, "+1 XXXXXXX234")
	}
}

func TestDisplayE164(t *testing.T) {
	for in, want := range map[string]string{
		"+14255551234":  "+1 4255551234",
		"+447400123456": "+44 7400123456",
		"+390612345678": "+39 0612345678",
		"+870301234567": "+870 301234567",
		"4255551234":    "4255551234",
		"not a number":  "not a number",
		"":              "",
	} {
		if got := DisplayE164(in); got != want {
			t.Errorf("DisplayE164(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountries(t *testing.T) {
	list := Countries()
	if len(list) < 240 {
		t.Fatalf("%d countries, want the ~245 libphonenumber knows", len(list))
	}
	for _, want := range []Country{
		{"US", "United States", 1},
		{"GB", "United Kingdom", 44},
		{"CA", "Canada", 1},
		{"DE", "Germany", 49},
		{"MK", "North Macedonia", 389},
		{"AX", "Åland Islands", 358},
	} {
		if !slices.Contains(list, want) {
			t.Errorf("Countries() lacks %+v", want)
		}
	}
	seen := map[string]bool{}
	for i, c := range list {
		if seen[c.Region] {
			t.Errorf("%s listed twice", c.Region)
		}
		seen[c.Region] = true
		if c.Name == "" || c.Name == c.Region || c.CallingCode <= 0 {
			t.Errorf("incomplete entry %+v", c)
		}
		if i > 0 && sortKey(list[i-1].Name) > sortKey(c.Name) {
			t.Errorf("%q sorted before %q", list[i-1].Name, c.Name)
		}
	}
	if seen["001"] || seen["ZZ"] {
		t.Errorf("pseudo-regions listed")
	}
	// Accents do not push a name to the end.
	af, ax, al := index(list, "AF"), index(list, "AX"), index(list, "AL")
	if !(af < ax && ax < al) {
		t.Errorf("Afghanistan %d, Åland Islands %d, Albania %d: want them in that order", af, ax, al)
	}
	// The caller owns the slice.
	list[0].Name = "changed"
	if Countries()[0].Name == "changed" {
		t.Errorf("Countries shares its slice between calls")
	}
}

func index(list []Country, region string) int {
	return slices.IndexFunc(list, func(c Country) bool { return c.Region == region })
}

func TestCountryName(t *testing.T) {
	for in, want := range map[string]string{
		"US":  "United States",
		"gb":  "United Kingdom",
		"FR":  "France",
		"CI":  "Côte d’Ivoire",
		"SZ":  "Eswatini",
		"TR":  "Türkiye",
		"XK":  "Kosovo",
		"Q!":  "Q!",
		"":    "",
		"USA": "USA",
		"840": "840",
		"001": "001",
	} {
		if got := CountryName(in); got != want {
			t.Errorf("CountryName(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkCountries(b *testing.B) {
	for b.Loop() {
		Countries()
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("+1 425 555 1234 ext. 12345", "", Rules{ForText: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseIsSafeForConcurrentUse(t *testing.T) {
	done := make(chan string)
	for range 8 {
		go func() {
			n, err := Parse("+44 7400 123456", "", Rules{ForText: true})
			if err != nil {
				done <- err.Error()
				return
			}
			done <- n.E164 + " " + Mask(n.E164) + " " + Countries()[0].Region
		}()
	}
	for range 8 {
		if got := <-done; got != "+447400123456 +44 XXXXXXX456 AF" {
			t.Errorf("got %q", got)
		}
	}
}
