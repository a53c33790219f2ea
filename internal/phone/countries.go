package phone

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"
)

// Country is one entry of the country picker.
type Country struct {
	Region      string // ISO 3166 region code, "US"
	Name        string // English name, "United States"
	CallingCode int    // 1
}

// Countries lists the regions phonenumbers has rules for, sorted by English name
// with accents ignored ("Åland Islands" sorts with the A's). It is built on each
// call (a quarter of a millisecond) so the package keeps no state; the slice is the
// caller's to keep or change.
func Countries() []Country {
	type entry struct {
		Country
		key string
	}
	// The library returns its own map: read it, never write it.
	regions := phonenumbers.GetSupportedRegions()
	entries := make([]entry, 0, len(regions))
	for region := range regions {
		name := CountryName(region)
		entries = append(entries, entry{
			Country: Country{Region: region, Name: name, CallingCode: phonenumbers.GetCountryCodeForRegion(region)},
			key:     sortKey(name),
		})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.Region, b.Region))
	})
	out := make([]Country, len(entries))
	for i, e := range entries {
		out[i] = e.Country
	}
	return out
}

// CountryName returns the English name of region ("US" → "United States"), or
// region itself when it is not a two-letter region code. (x/text would also
// name "USA" and "840"; the picker only ever sends two letters, and anything
// else is better shown as typed than quietly reinterpreted.)
func CountryName(region string) string {
	region = strings.ToUpper(strings.TrimSpace(region))
	if len(region) != 2 {
		return region
	}
	if name := renamed(region); name != "" {
		return name
	}
	r, err := language.ParseRegion(region)
	if err != nil {
		return region
	}
	if name := display.English.Regions().Name(r); name != "" {
		return name
	}
	return region
}

// renamed gives the current English name of countries that renamed themselves
// after the CLDR data in golang.org/x/text was cut, so the picker does not
// offer a name the country has dropped.
func renamed(region string) string {
	switch region {
	case "MK":
		return "North Macedonia"
	case "SZ":
		return "Eswatini"
	case "TR":
		return "Türkiye"
	case "MO":
		return "Macao SAR China"
	}
	return ""
}

// sortKey folds name for ordering: accents removed and lower case, so that
// byte order puts "Åland Islands" after "Afghanistan" rather than after "Zimbabwe".
func sortKey(name string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(name) {
		if !unicode.Is(unicode.Mn, c) {
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return b.String()
}

// placeName names where a number with country code cc belongs, for messages: the
// region the member chose if the code is its code, else the code's main region
// (the United States for +1), else the code itself for non-geographic numbers.
func placeName(cc int, chosen string) string {
	if chosen != "" && phonenumbers.GetCountryCodeForRegion(chosen) == cc {
		return withArticle(chosen)
	}
	main := phonenumbers.GetRegionCodeForCountryCode(cc)
	if main == "" || main == "001" || main == "ZZ" {
		return "+" + strconv.Itoa(cc)
	}
	return withArticle(main)
}

// withArticle returns the name of region as it reads inside a sentence: "the
// United States", "the Netherlands", but "France".
func withArticle(region string) string {
	name := CountryName(region)
	switch region {
	case "AE", "AX", "BQ", "BS", "CC", "CF", "CK", "DO", "FK", "FO", "GB", "GM", "IM", "IO",
		"KM", "KY", "MH", "MP", "MV", "NL", "PH", "PS", "SB", "SC", "TC", "US", "VG", "VI":
		return "the " + name
	}
	return name
}
