package totp

import (
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// RFC 6238 Appendix B, SHA-1 rows.
func TestRFC6238Vectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		if got := hotp(key, uint64(stepAt(time.Unix(tc.unix, 0))), 8); got != tc.want {
			t.Errorf("T=%d: %s, want %s", tc.unix, got, tc.want)
		}
	}
}

// RFC 4226 Appendix D, 6 digits.
func TestRFC4226Vectors(t *testing.T) {
	key := []byte("12345678901234567890")
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := hotp(key, uint64(i), 6); got != w {
			t.Errorf("counter %d: %s, want %s", i, got, w)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{
		"123456":        "123456",
		"123 456":       "123456",
		" 1 2 3 4 5 6 ": "123456",
		"\t000000":      "000000",
	} {
		if got, err := NormalizeCode(in); err != nil || got != want {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "12345", "1234567", "12345a", "123-456", "١٢٣٤٥٦", "１２３４５６",
		"123456\x00", "\xff\xfe123456", strings.Repeat(" ", 100) + "123456",
		strings.Repeat("1", 1<<20),
	} {
		_, err := NormalizeCode(in)
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "code" ||
			twofold.ErrorMessage(err) != "Enter the 6-digit code from your authenticator app." {
			t.Errorf("NormalizeCode(%.20q) err = %v; want EINVALID on code", in, err)
		}
	}
}

func TestGroupAndURI(t *testing.T) {
	if g := group("ABCDEFGHIJ", 4); g != "ABCD EFGH IJ" {
		t.Errorf("group = %q", g)
	}
	got := keyURI("JBSWY3DPEHPK3PXP", "Contoso Ltd: EU", "ada@contoso.example")
	want := "otpauth://totp/Contoso%20Ltd%3A%20EU:ada%40contoso.example?secret=JBSWY3DPEHPK3PXP&issuer=Contoso%20Ltd%3A%20EU&algorithm=SHA1&digits=6&period=30"
	if got != want {
		t.Errorf("keyURI =\n%s\nwant\n%s", got, want)
	}
}
