package password

import (
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

func TestValidateFor(t *testing.T) {
	mfaOff := twofold.DefaultPolicy()
	mfaOff.MFARequired = false
	mfaOff.MinPasswordLength = 8
	mfaOn := twofold.DefaultPolicy()
	mfaOn.MFARequired = true
	mfaOn.MinPasswordLength = 8
	raised := mfaOn
	raised.MinPasswordLength = 12
	ctx := []string{"grace.hopper", "Grace Brewster Hopper", "Initech"}

	for _, tc := range []struct {
		name    string
		pw      string
		minimum int
		want    string // substring of the message; "" means accepted
	}{
		{"accepted at the floor", "tulip marble", mfaOn.PasswordMinimum(), ""},
		{"below the floor", "tulip", mfaOn.PasswordMinimum(), "Use at least 8 characters."},
		{"minimum raised by policy", "tulip marbl", raised.PasswordMinimum(), "Use at least 12 characters."},
		{"raised minimum met", "tulip marble", raised.PasswordMinimum(), ""},
		{"15 when MFA is off", "tulip marble sk", mfaOff.PasswordMinimum(), ""},
		{"14 refused when MFA is off", "tulip marble s", mfaOff.PasswordMinimum(), "Use at least 15 characters."},
		{"minimum below 8 counts as 8", "tulip", 3, "Use at least 8 characters."},
		{"256 characters accepted", strings.Repeat("tulip ", 43)[:256], 8, ""},
		{"257 characters refused", strings.Repeat("tulip ", 43)[:257], 8, "at most 256"},
		{"huge input refused", strings.Repeat("tulip ", 2000), 8, "at most 256"},
		// Entries only on the zxcvbn list, not on the old hand-typed one.
		{"list password", "baseball", 8, "most common"},
		{"list password any case", "TrustNo1", 8, "most common"},
		{"list password, long", "1qaz2wsx3edc", 8, "most common"},
		{"list password with a suffix", "sunshine2024!", 8, "numbers or symbols added"},
		{"short list word with digits", "dragon1987", 8, "numbers or symbols added"},
		{"list word inside other words is fine", "dragon fruit salad", 8, ""},
		{"list word with letters after is fine", "dragonwhiskers", 8, ""},
		{"user name inside", "my grace.hopper pass", 8, "name"},
		{"part of display name inside", "brewster2pony", 8, "name"},
		{"org name inside", "I love INITECH a lot", 8, "name"},
		{"repeated character", "kkkkkkkkkkkkkkkk", 8, "repeated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateFor(tc.pw, tc.minimum, ctx...)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("ValidateFor(%.20q, %d) = %v; want nil", tc.pw, tc.minimum, err)
				}
				return
			}
			if err == nil || !strings.Contains(twofold.ErrorMessage(err), tc.want) {
				t.Fatalf("ValidateFor(%.20q, %d) = %v; want message containing %q", tc.pw, tc.minimum, err, tc.want)
			}
			if twofold.ErrorField(err) != "password" {
				t.Errorf("field %q, want password", twofold.ErrorField(err))
			}
			if strings.Contains(twofold.ErrorMessage(err), tc.pw) {
				t.Errorf("message %q repeats the password", twofold.ErrorMessage(err))
			}
		})
	}
}

// TestValidateIsValidateForMinLength keeps the old entry point equal to the new
// one at the floor.
func TestValidateIsValidateForMinLength(t *testing.T) {
	for _, pw := range []string{"tulip", "tulipmar", "baseball", "pony 4 grace"} {
		a, b := Validate(pw, "grace"), ValidateFor(pw, MinLength, "grace")
		if twofold.ErrorMessage(a) != twofold.ErrorMessage(b) {
			t.Errorf("%q: Validate %v, ValidateFor %v", pw, a, b)
		}
	}
}
