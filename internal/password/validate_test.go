package password

import (
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

func TestValidateLength(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{7, false}, {8, true}, {64, true}, {256, true}, {257, false}} {
		// Multi-byte runes prove the count is in characters, not bytes.
		pw := string([]rune(strings.Repeat("é1ß#", 65))[:tc.n])
		err := Validate(pw)
		if (err == nil) != tc.ok {
			t.Errorf("Validate(%d chars) = %v; want ok=%v", tc.n, err, tc.ok)
		}
		if err != nil && twofold.ErrorField(err) != "password" {
			t.Errorf("Validate(%d chars) field %q", tc.n, twofold.ErrorField(err))
		}
	}
}

func TestValidateRefusals(t *testing.T) {
	ctx := []string{"ada.lovelace", "Ada", "King-Noel", "Contoso Ltd"}
	for _, tc := range []struct {
		pw   string
		want string // substring of the message, "" for accepted
	}{
		{"password", "most common"},
		{"PassWord1", "most common"},
		{"qwertyuiop", "most common"},
		{"iloveyou1", "most common"},
		{"12345678", "most common"},
		{"zzzzzzzz", "repeated"},
		{"my lovelace secret", "name"},
		{"ADA.LOVELACE!!", "name"},
		{"I work at contoso", "name"},
		{"noel-the-king-99", "name"},
		{"adamant rivers flow", "name"}, // "Ada" has 3 letters, so it counts
		{"correct horse battery staple", ""},
		{"short", "at least 8"},
		{"\xff\xfe invalid utf8", "can't read"},
		{strings.Repeat("x", 5000), "at most 256"},
	} {
		err := Validate(tc.pw, ctx...)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Validate(%.20q) = %v; want nil", tc.pw, err)
		case tc.want != "" && (err == nil || !strings.Contains(twofold.ErrorMessage(err), tc.want)):
			t.Errorf("Validate(%.20q) = %v; want message containing %q", tc.pw, err, tc.want)
		}
		if err != nil && len(tc.pw) >= 10 && strings.Contains(err.Error(), tc.pw) {
			t.Errorf("error %q repeats the password", err)
		}
	}
}

func TestValidateShortContextWordsIgnored(t *testing.T) {
	if err := Validate("al likes long walks", "Al", "Li"); err != nil {
		t.Fatalf("two-letter context words refused a password: %v", err)
	}
}

func TestCommonListLoaded(t *testing.T) {
	set := commonSet()
	// The zxcvbn "passwords" list has 30,000 entries; dropping the ones shorter
	// than minCommonBase leaves well over 25,000.
	if len(set) < 25000 {
		t.Fatalf("common set has %d entries, want the full list", len(set))
	}
	for p := range set {
		if p != strings.ToLower(p) || len([]rune(p)) < minCommonBase {
			t.Fatalf("set entry %q must be lower-case and at least %d characters", p, minCommonBase)
		}
	}
}
