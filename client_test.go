package twofold_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
)

func TestNetworkKeyGroupsIPv6ByItsSlash64(t *testing.T) {
	for _, tc := range []struct{ ip, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:DB8:1:2::FFFF", "2001:db8:1:2::/64"},
		{"::ffff:192.0.2.7", "192.0.2.7"},
		{"::1", "::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not an address", "not an address"},
		{"", ""},
	} {
		if got := (twofold.Client{IP: tc.ip}).NetworkKey(); got != tc.want {
			t.Errorf("NetworkKey(%q) = %q, want %q", tc.ip, got, tc.want)
		}
	}
	a := twofold.Client{IP: "2001:db8:1:2::1"}.NetworkKey()
	b := twofold.Client{IP: "2001:db8:1:3::1"}.NetworkKey()
	if a == b {
		t.Errorf("different /64 networks share the key %q", a)
	}
}

func TestTruncateUserAgentKeepsWholeCharacters(t *testing.T) {
	if got := twofold.TruncateUserAgent("curl/8"); got != "curl/8" {
		t.Errorf("short agent changed to %q", got)
	}
	long := twofold.TruncateUserAgent(strings.Repeat("x", 60<<10))
	if len(long) != twofold.MaxUserAgent {
		t.Errorf("60 KB agent kept %d bytes, want %d", len(long), twofold.MaxUserAgent)
	}
	cut := twofold.TruncateUserAgent(strings.Repeat("é", twofold.MaxUserAgent))
	if len(cut) > twofold.MaxUserAgent || !utf8.ValidString(cut) {
		t.Errorf("cut mid-character or too long: %d bytes, valid %v", len(cut), utf8.ValidString(cut))
	}
}
