package reportlink_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/reportlink"
	"github.com/twofold-id/twofold/internal/testkit"
)

func signer(clock *testkit.Clock) *reportlink.Signer {
	return &reportlink.Signer{Key: reportlink.DeriveKey([]byte("service key")), BaseURL: "https://id.contoso.test/", Now: clock.Now}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	clock := testkit.NewClock(testkit.Start())
	s := signer(clock)
	tok := s.Sign("user-1", "42")
	c, err := s.Verify(tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.UserID != "user-1" || c.EventID != "42" || !c.ExpiresAt.Equal(clock.Now().Add(reportlink.TTL).Truncate(time.Second)) {
		t.Errorf("claims %+v", c)
	}
}

// Links are made on the configured base URL and are one plain word after
// /report/, which no mail client or text splits.
func TestURLUsesTheBaseURL(t *testing.T) {
	s := signer(testkit.NewClock(testkit.Start()))
	u := s.URL("user-1", "42")
	tok, ok := strings.CutPrefix(u, "https://id.contoso.test/report/")
	if !ok || strings.Trim(tok, "0123456789abcdef") != "" {
		t.Fatalf("URL = %q", u)
	}
	if _, err := s.Verify(tok); err != nil {
		t.Errorf("the URL's token: %v", err)
	}
}

// Changing any character of a token, cutting it, or signing with another key
// makes it invalid.
func TestTamperedTokensAreInvalid(t *testing.T) {
	clock := testkit.NewClock(testkit.Start())
	s := signer(clock)
	tok := s.Sign("user-1", "42")
	for i := range tok {
		b := []byte(tok)
		if b[i] == '0' {
			b[i] = '1'
		} else {
			b[i] = '0'
		}
		if _, err := s.Verify(string(b)); !errors.Is(err, reportlink.ErrInvalid) {
			t.Fatalf("token changed at %d: %v, want ErrInvalid", i, err)
		}
	}
	for _, bad := range []string{"", "zz", tok[:len(tok)-2], tok + "00", strings.ToUpper(tok) + "x"} {
		if _, err := s.Verify(bad); !errors.Is(err, reportlink.ErrInvalid) {
			t.Errorf("Verify(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	other := &reportlink.Signer{Key: reportlink.DeriveKey([]byte("another key")), Now: clock.Now}
	if _, err := other.Verify(tok); !errors.Is(err, reportlink.ErrInvalid) {
		t.Errorf("a token checked with another key: %v, want ErrInvalid", err)
	}
}

// A link works until 7 days after the notice, and not a second after.
func TestTokensExpireAfterSevenDays(t *testing.T) {
	clock := testkit.NewClock(testkit.Start().Truncate(time.Second))
	s := signer(clock)
	tok := s.Sign("user-1", "42")
	clock.Advance(reportlink.TTL - time.Second)
	if _, err := s.Verify(tok); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	clock.Advance(time.Second)
	if _, err := s.Verify(tok); !errors.Is(err, reportlink.ErrExpired) {
		t.Fatalf("at expiry: %v, want ErrExpired", err)
	}
}

func TestDeriveKeyIsNotTheServiceKey(t *testing.T) {
	k := reportlink.DeriveKey([]byte("service key"))
	if len(k) != 32 || string(k) == "service key" || string(k) == string(reportlink.DeriveKey([]byte("service key2"))) {
		t.Errorf("DeriveKey = %x", k)
	}
}
