package e2e

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// This file is the test's own authenticator app: RFC 6238 TOTP with SHA-1,
// 6 digits and 30-second steps, written from the RFCs with crypto/hmac and
// deliberately independent of the project's internal/totp and of any
// library, so that the server is checked against a second implementation.

const (
	totpPeriod = 30 // seconds per step
	totpDigits = 6
)

// hotp is RFC 4226 HOTP: HMAC-SHA-1 of the big-endian counter, dynamic
// truncation, modulo 10^digits, zero-padded.
func hotp(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// totpStep is the RFC 6238 time step of t.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// totpCode is the 6-digit code of the base32 secret at time t. It panics on
// a secret that is not base32: that is a broken test, not a broken server.
func totpCode(secretBase32 string, t time.Time) string {
	key, err := decodeSecret(secretBase32)
	if err != nil {
		panic(fmt.Sprintf("totpCode: %v", err))
	}
	return hotp(key, uint64(totpStep(t)), totpDigits)
}

// decodeSecret decodes a base32 key as people see it: in groups separated by
// spaces (or hyphens), in any case, with or without padding.
func decodeSecret(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t', '\n', '\u00a0', '=':
			return -1
		}
		return r
	}, strings.ToUpper(s))
	if clean == "" {
		return nil, fmt.Errorf("empty secret key %q", s)
	}
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("secret key %q is not base32: %w", s, err)
	}
	return key, nil
}

// otpauth is what an otpauth:// URI asks an authenticator app to store.
type otpauth struct {
	Issuer, Account string
	Secret          string // base32, as in the URI
}

// parseOTPAuth parses an otpauth://totp/ URI and refuses anything this
// authenticator (and the spec: SHA-1, 6 digits, 30 s) does not do.
func parseOTPAuth(uri string) (otpauth, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return otpauth{}, err
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		return otpauth{}, fmt.Errorf("%q is not an otpauth://totp/ URI", uri)
	}
	q := u.Query()
	for name, want := range map[string]string{"algorithm": "SHA1", "digits": "6", "period": "30"} {
		if v := q.Get(name); v != "" && !strings.EqualFold(v, want) {
			return otpauth{}, fmt.Errorf("%s=%s in %q; twofold's spec says %s", name, v, uri, want)
		}
	}
	label := strings.TrimPrefix(u.Path, "/")
	var o otpauth
	if issuer, account, ok := strings.Cut(label, ":"); ok {
		o.Issuer, o.Account = issuer, strings.TrimSpace(account)
	} else {
		o.Account = label
	}
	if v := q.Get("issuer"); v != "" {
		if o.Issuer != "" && o.Issuer != v {
			return otpauth{}, fmt.Errorf("issuer %q in the label but %q in the parameter of %q", o.Issuer, v, uri)
		}
		o.Issuer = v
	}
	o.Secret = q.Get("secret")
	if _, err := decodeSecret(o.Secret); err != nil {
		return otpauth{}, fmt.Errorf("%q: %w", uri, err)
	}
	return o, nil
}

// authApp is one authenticator app holding one secret. The server accepts
// each time step at most once per method, so code waits for a fresh step
// when this app already gave a code in the current one.
type authApp struct {
	secret   string // base32
	lastStep int64

	now   func() time.Time    // nil: time.Now
	sleep func(time.Duration) // nil: time.Sleep
}

// code returns a code the server has not seen from this app yet, waiting
// (at most one step) for the next step if needed.
func (a *authApp) code(t *testing.T) string {
	t.Helper()
	now, sleep := a.now, a.sleep
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = time.Sleep
	}
	at := now()
	if totpStep(at) <= a.lastStep {
		next := time.Unix((a.lastStep+1)*totpPeriod, 0).Add(200 * time.Millisecond)
		wait := next.Sub(at)
		t.Logf("waiting %s for the next 30-second step (a step is single-use per method)", wait.Round(100*time.Millisecond))
		sleep(wait)
		at = now()
	}
	a.lastStep = totpStep(at)
	return hotp(mustKey(t, a.secret), uint64(a.lastStep), totpDigits)
}

func mustKey(t *testing.T, secret string) []byte {
	t.Helper()
	key, err := decodeSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// TestTOTPAgainstRFC6238 proves the test's authenticator against the SHA-1
// test vectors of RFC 6238 Appendix B (8 digits; the 6-digit code is the
// same truncation modulo 10^6).
func TestTOTPAgainstRFC6238(t *testing.T) {
	// The RFC's key is the ASCII "12345678901234567890".
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	if secret != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Fatalf("base32 of the RFC key = %s", secret)
	}
	key, err := decodeSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
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
		at := time.Unix(v.unix, 0).UTC()
		if got := hotp(key, uint64(totpStep(at)), 8); got != v.want {
			t.Errorf("8-digit TOTP at %d (%s) = %s, want %s", v.unix, at.Format(time.RFC3339), got, v.want)
		}
		if got, want := totpCode(secret, at), v.want[2:]; got != want {
			t.Errorf("totpCode at %d = %s, want %s", v.unix, got, want)
		}
	}
	// RFC 4226 Appendix D: HOTP values for counters 0 and 9.
	if got := hotp(key, 0, 6); got != "755224" {
		t.Errorf("HOTP(0) = %s, want 755224", got)
	}
	if got := hotp(key, 9, 6); got != "520489" {
		t.Errorf("HOTP(9) = %s, want 520489", got)
	}
}

func TestSecretParsing(t *testing.T) {
	const want = "JBSWY3DPEHPK3PXP"
	for _, in := range []string{"JBSW Y3DP EHPK 3PXP", "jbsw y3dp ehpk 3pxp", " JBSWY3DPEHPK3PXP\n", "JBSW-Y3DP-EHPK-3PXP"} {
		got, err := decodeSecret(in)
		if err != nil {
			t.Errorf("decodeSecret(%q): %v", in, err)
			continue
		}
		if wantKey, _ := decodeSecret(want); string(got) != string(wantKey) {
			t.Errorf("decodeSecret(%q) = %x, want %x", in, got, wantKey)
		}
	}
	if _, err := decodeSecret("NOT BASE32 !"); err == nil {
		t.Error("decodeSecret accepted a key that is not base32")
	}

	o, err := parseOTPAuth("otpauth://totp/Contoso:alex@contoso.test?secret=" + want + "&issuer=Contoso&algorithm=SHA1&digits=6&period=30")
	if err != nil {
		t.Fatal(err)
	}
	if o.Issuer != "Contoso" || o.Account != "alex@contoso.test" || o.Secret != want {
		t.Errorf("parseOTPAuth = %+v", o)
	}
	if o, err := parseOTPAuth("otpauth://totp/Contoso%20Ltd:alex%40contoso.test?secret=" + want); err != nil || o.Issuer != "Contoso Ltd" || o.Account != "alex@contoso.test" {
		t.Errorf("parseOTPAuth with escapes = %+v, %v", o, err)
	}
	for _, bad := range []string{
		"otpauth://hotp/x?secret=" + want,
		"otpauth://totp/x?secret=" + want + "&digits=8",
		"otpauth://totp/x?secret=" + want + "&algorithm=SHA256",
		"otpauth://totp/x?secret=" + want + "&period=60",
		"otpauth://totp/A:x?secret=" + want + "&issuer=B",
		"otpauth://totp/x",
	} {
		if _, err := parseOTPAuth(bad); err == nil {
			t.Errorf("parseOTPAuth(%q) accepted it", bad)
		}
	}
}

func TestAuthAppWaitsForAFreshStep(t *testing.T) {
	clock := time.Unix(999_999_995, 0) // 5 s into a step (steps start at multiples of 30)
	var slept time.Duration
	a := &authApp{
		secret: "JBSWY3DPEHPK3PXP",
		now:    func() time.Time { return clock },
		sleep:  func(d time.Duration) { slept += d; clock = clock.Add(d) },
	}
	first := a.code(t)
	if slept != 0 || first != totpCode(a.secret, time.Unix(999_999_995, 0)) {
		t.Fatalf("first code %s after sleeping %s", first, slept)
	}
	clock = clock.Add(10 * time.Second) // same step
	second := a.code(t)
	if want := 15*time.Second + 200*time.Millisecond; slept != want {
		t.Errorf("slept %s before the second code, want %s", slept, want)
	}
	if second != totpCode(a.secret, time.Unix(1_000_000_020, 0)) || a.lastStep != totpStep(time.Unix(1_000_000_020, 0)) {
		t.Errorf("second code %s at step %d is not the next step's", second, a.lastStep)
	}
	slept = 0
	clock = clock.Add(time.Minute) // a later step: no wait
	a.code(t)
	if slept != 0 {
		t.Errorf("slept %s though the step was fresh", slept)
	}
}

// TestTOTPAgreesWithOathtool compares with a third implementation where
// Debian's oathtool is installed.
func TestTOTPAgreesWithOathtool(t *testing.T) {
	path, err := exec.LookPath("oathtool")
	if err != nil {
		t.Skip("oathtool not installed (apt-get install -y oathtool); the RFC vectors still hold")
	}
	const secret = "JBSWY3DPEHPK3PXP"
	for _, unix := range []int64{59, 1111111109, 1700000000, time.Now().Unix()} {
		out, err := exec.Command(path, "--totp", "-b", "-N", fmt.Sprintf("@%d", unix), secret).Output()
		if err != nil {
			t.Fatalf("oathtool: %v", err)
		}
		if got, want := totpCode(secret, time.Unix(unix, 0)), strings.TrimSpace(string(out)); got != want {
			t.Errorf("at %d: totpCode %s, oathtool %s", unix, got, want)
		}
	}
}
