package email

import (
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

func TestParse(t *testing.T) {
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com" // 254
	tests := []struct {
		in, want, msg string
	}{
		{"alex@contoso.com", "alex@contoso.com", ""},
		{"  Alex.Wu@Contoso.COM ", "Alex.Wu@contoso.com", ""},
		{"alex+mfa@mail.contoso.co.uk", "alex+mfa@mail.contoso.co.uk", ""},
		{"josé@contoso.com", "josé@contoso.com", ""},
		{long, long[:65] + strings.ToLower(long[65:]), ""},
		{"", "", "Enter your email address, like alex@contoso.com."},
		{"   ", "", "Enter your email address, like alex@contoso.com."},
		{long + "m", "", "That email address is too long. Addresses are at most 254 characters."},
		{"alex wu@contoso.com", "", "An email address can't contain spaces or invisible characters."},
		{"alex\u200b@contoso.com", "", "An email address can't contain spaces or invisible characters."},
		{"alex\x00@contoso.com", "", "An email address can't contain spaces or invisible characters."},
		{"Alex <alex@contoso.com>", "", "An email address can't contain spaces or invisible characters."},
		{"<alex@contoso.com>", "", "Enter just one address, like alex@contoso.com, without a name."},
		{"alex@contoso.com,bo@contoso.com", "", "Enter just one address, like alex@contoso.com, without a name."},
		{"alex@contoso.com;bo@contoso.com", "", "Enter just one address, like alex@contoso.com, without a name."},
		{"alex", "", "That isn't a valid email address. Check it and try again, like alex@contoso.com."},
		{"alex@", "", "That isn't a valid email address. Check it and try again, like alex@contoso.com."},
		{"@contoso.com", "", "That isn't a valid email address. Check it and try again, like alex@contoso.com."},
		{"alex@@contoso.com", "", "That isn't a valid email address. Check it and try again, like alex@contoso.com."},
		{"alex..wu@contoso.com", "", "That isn't a valid email address. Check it and try again, like alex@contoso.com."},
		{`"alex"@contoso.com`, "", "That isn't a valid email address. Check it and try again, like alex@contoso.com."},
		{"alex@contoso.com(work)", "", "That isn't a valid email address. Check it and try again, like alex@contoso.com."},
		{strings.Repeat("a", 65) + "@contoso.com", "", "The part before @ is too long. It's at most 64 characters."},
		{"alex@localhost", "", "The part after @ must be a domain name, like contoso.com."},
		{"alex@[10.0.0.1]", "", "The part after @ must be a domain name, like contoso.com."},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.msg == "" {
			if err != nil || got != tt.want {
				t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("Parse(%q) = %q, want refusal %q", tt.in, got, tt.msg)
			continue
		}
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorMessage(err) != tt.msg {
			t.Errorf("Parse(%q): %s %q, want %q", tt.in, twofold.ErrorCode(err), twofold.ErrorMessage(err), tt.msg)
		}
		if f := twofold.ErrorField(err); f != "emailAddress" {
			t.Errorf("Parse(%q): field %q, want emailAddress", tt.in, f)
		}
	}
}

func TestMask(t *testing.T) {
	tests := map[string]string{
		"alex@contoso.com": "a•••@contoso.com",
		"al@contoso.com":   "a•••@contoso.com",
		"a@contoso.com":    "•••@contoso.com",
		"élan@contoso.com": "é•••@contoso.com",
		"é@contoso.com":    "•••@contoso.com",
		"no-at-sign":       "•••",
	}
	for in, want := range tests {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}
