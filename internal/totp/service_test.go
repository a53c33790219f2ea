package totp

import (
	"bytes"
	"context"
	"encoding/base32"
	"image/png"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp"
	pqtotp "github.com/pquerna/otp/totp"

	"github.com/twofold-id/twofold"
)

// appCode is what an independent implementation (pquerna/otp, standing in for
// the member's phone) shows at t.
func appCode(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	c, err := pqtotp.GenerateCodeCustom(secret, at, pqtotp.ValidateOpts{Period: period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBegin(t *testing.T) {
	f := newFixture(t)
	e, err := f.svc.Begin(context.Background(), "u1", "Contoso", "ada@contoso.example")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(e.Secret)
	if err != nil || len(raw) != 20 || len(e.Secret) != 32 {
		t.Fatalf("secret %d chars decodes to %d bytes (%v); want 32 chars, 20 bytes", len(e.Secret), len(raw), err)
	}
	if e.GroupedSecret != group(e.Secret, 4) || strings.Count(e.GroupedSecret, " ") != 7 {
		t.Errorf("grouped secret %q", e.GroupedSecret)
	}
	u, err := url.Parse(e.URI)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Contoso:ada@contoso.example" {
		t.Fatalf("URI %q (%v)", e.URI, err)
	}
	q := u.Query()
	if q.Get("secret") != e.Secret || q.Get("issuer") != "Contoso" || q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("URI query %v", q)
	}
	img, err := png.Decode(bytes.NewReader(e.QRCodePNG))
	if err != nil || img.Bounds().Dx() != qrSize || img.Bounds().Dy() != qrSize {
		t.Fatalf("QR code: %v, %v", img, err)
	}

	m, err := f.store.MethodByID(context.Background(), "u1", e.MethodID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != twofold.KindSoftwareOath || m.State != twofold.MethodPending || m.Name != "Authenticator app" || !m.CreatedAt.Equal(f.clock.Now()) {
		t.Errorf("stored method %+v", m)
	}
	if bytes.Contains(m.SecretSealed, raw) || bytes.Contains(m.SecretSealed, []byte(e.Secret)) {
		t.Fatal("stored secret is not encrypted")
	}
	if got, err := f.box.Open(m.SecretSealed, []byte(m.ID)); err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("sealed secret does not open with the method ID: %v", err)
	}
	if _, err := f.box.Open(m.SecretSealed, []byte("another-method")); err == nil {
		t.Fatal("sealed secret opens bound to another method")
	}
}

func TestPending(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	e, _ := f.svc.Begin(ctx, "u1", "Contoso", "ada")
	again, err := f.svc.Pending(ctx, "u1", e.MethodID, "Contoso", "ada")
	if err != nil || again.Secret != e.Secret || again.URI != e.URI {
		t.Fatalf("Pending = %+v, %v", again, err)
	}
	if _, err := f.svc.Pending(ctx, "u2", e.MethodID, "Contoso", "ada"); twofold.ErrorCode(err) != twofold.ENOTFOUND {
		t.Errorf("other user's Pending err = %v; want ENOTFOUND", err)
	}
	f.clock.Add(PendingTTL + time.Second)
	if _, err := f.svc.Pending(ctx, "u1", e.MethodID, "Contoso", "ada"); twofold.ErrorCode(err) != twofold.EEXPIRED ||
		twofold.ErrorMessage(err) != "This setup has expired. Start again." {
		t.Errorf("expired Pending err = %v; want EEXPIRED", err)
	}
	if err := f.svc.Activate(ctx, "u1", e.MethodID, "", appCode(t, e.Secret, f.clock.Now()), 5); twofold.ErrorCode(err) != twofold.EEXPIRED {
		t.Errorf("expired Activate err = %v; want EEXPIRED", err)
	}
}

func TestPendingOfActiveIsNotFound(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	e, _ := f.svc.Begin(ctx, "u1", "Contoso", "ada")
	if err := f.svc.Activate(ctx, "u1", e.MethodID, "", appCode(t, e.Secret, f.clock.Now()), 5); err != nil {
		t.Fatal(err)
	}
	en, err := f.svc.Pending(ctx, "u1", e.MethodID, "Contoso", "ada")
	if twofold.ErrorCode(err) != twofold.ENOTFOUND || en != nil {
		t.Fatalf("Pending(active) = %v, %v; want ENOTFOUND", en, err)
	}
}

func TestActivate(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	e, _ := f.svc.Begin(ctx, "u1", "Contoso", "ada")
	now := f.clock.Now()
	if err := f.svc.Activate(ctx, "u1", e.MethodID, "   ", appCode(t, e.Secret, now), 5); err != nil {
		t.Fatal(err)
	}
	m, _ := f.store.MethodByID(ctx, "u1", e.MethodID)
	if m.State != twofold.MethodActive || m.Name != DefaultName || m.LastStep != stepAt(now) {
		t.Fatalf("activated method %+v", m)
	}
	// The code that activated the method cannot then sign in.
	if ok, err := f.svc.Verify(ctx, m, appCode(t, e.Secret, now)); ok || err != ErrCodeUsed {
		t.Fatalf("activation code reused: %v, %v; want false, ErrCodeUsed", ok, err)
	}
}

func TestActivateWindowAndErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		offset time.Duration
		ok     bool
	}{{-2 * period * time.Second, false}, {-period * time.Second, true}, {0, true}, {period * time.Second, true}, {2 * period * time.Second, false}} {
		f := newFixture(t)
		e, _ := f.svc.Begin(ctx, "u1", "Contoso", "ada")
		err := f.svc.Activate(ctx, "u1", e.MethodID, "Work phone", appCode(t, e.Secret, f.clock.Now().Add(tc.offset)), 5)
		if tc.ok && err != nil {
			t.Errorf("offset %v: %v", tc.offset, err)
		}
		if !tc.ok && (twofold.ErrorField(err) != "code" ||
			twofold.ErrorMessage(err) != "That code didn't work. Check the code in your authenticator app and try again.") {
			t.Errorf("offset %v: err = %v; want wrong-code error", tc.offset, err)
		}
	}

	f := newFixture(t)
	e, _ := f.svc.Begin(ctx, "u1", "Contoso", "ada")
	code := appCode(t, e.Secret, f.clock.Now())
	for _, name := range []string{strings.Repeat("n", 65), "tab\there", "bell\a", "\xff\xfe", strings.Repeat("x", 1<<20)} {
		if err := f.svc.Activate(ctx, "u1", e.MethodID, name, code, 5); twofold.ErrorField(err) != "name" {
			t.Errorf("name %.20q: err = %v; want error on name", name, err)
		}
	}
	if err := f.svc.Activate(ctx, "u1", e.MethodID, "x", "12345", 5); twofold.ErrorField(err) != "code" {
		t.Errorf("short code err = %v", err)
	}
	if err := f.svc.Activate(ctx, "u2", e.MethodID, "x", code, 5); twofold.ErrorCode(err) != twofold.ENOTFOUND {
		t.Errorf("other user's Activate err = %v; want ENOTFOUND", err)
	}
	name := "  " + strings.Repeat("ü", 64) + " "
	if err := f.svc.Activate(ctx, "u1", e.MethodID, name, code, 5); err != nil {
		t.Fatalf("64-character name: %v", err)
	}
	if m, _ := f.store.MethodByID(ctx, "u1", e.MethodID); m.Name != strings.TrimSpace(name) {
		t.Errorf("name stored as %q", m.Name)
	}
}

// active enrols and activates a method with a code from one step ago, and
// returns it and its secret.
func active(t testing.TB, f *fixture) (*twofold.Method, string) {
	t.Helper()
	ctx := context.Background()
	e, err := f.svc.Begin(ctx, "u1", "Contoso", "ada")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Activate(ctx, "u1", e.MethodID, "", appCode(t, e.Secret, f.clock.Now().Add(-period*time.Second)), 5); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(10 * period * time.Second) // well past the activation step
	m, _ := f.store.MethodByID(ctx, "u1", e.MethodID)
	return m, e.Secret
}

func TestVerifyWindow(t *testing.T) {
	ctx := context.Background()
	step := period * time.Second
	for _, tc := range []struct {
		offset time.Duration
		ok     bool
	}{{-2 * step, false}, {-step, true}, {0, true}, {step, true}, {2 * step, false}} {
		f := newFixture(t)
		m, secret := active(t, f)
		ok, err := f.svc.Verify(ctx, m, appCode(t, secret, f.clock.Now().Add(tc.offset)))
		if ok != tc.ok || err != nil {
			t.Errorf("offset %v: Verify = %v, %v; want %v", tc.offset, ok, err, tc.ok)
		}
	}
}

func TestVerifyReplayAndOrder(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	m, secret := active(t, f)
	now := f.clock.Now()
	cur := appCode(t, secret, now)
	if ok, err := f.svc.Verify(ctx, m, cur); !ok || err != nil {
		t.Fatalf("first use: %v, %v", ok, err)
	}
	m, _ = f.store.MethodByID(ctx, "u1", m.ID)
	if ok, err := f.svc.Verify(ctx, m, cur); ok || err != ErrCodeUsed {
		t.Fatalf("replayed code: %v, %v; want false, ErrCodeUsed", ok, err)
	}
	// A stale copy of the method (LastStep not yet updated) is still refused by the store.
	stale := *m
	stale.LastStep = 0
	if ok, err := f.svc.Verify(ctx, &stale, cur); ok || err != ErrCodeUsed {
		t.Fatalf("replayed code with a stale method: %v, %v; want false, ErrCodeUsed", ok, err)
	}
	// After the current step is used, the previous step's code is refused too.
	if ok, _ := f.svc.Verify(ctx, m, appCode(t, secret, now.Add(-period*time.Second))); ok {
		t.Fatal("older step accepted after a newer one")
	}
	// The next step's code still works once.
	if ok, _ := f.svc.Verify(ctx, m, appCode(t, secret, now.Add(period*time.Second))); !ok {
		t.Fatal("next step refused")
	}
	// Spaces are fine; malformed input is an error.
	f.clock.Add(3 * period * time.Second)
	c := appCode(t, secret, f.clock.Now())
	if ok, err := f.svc.Verify(ctx, m, c[:3]+" "+c[3:]); !ok || err != nil {
		t.Fatalf("spaced code: %v, %v", ok, err)
	}
	if ok, err := f.svc.Verify(ctx, m, "12a456"); ok || twofold.ErrorField(err) != "code" {
		t.Fatalf("malformed code: %v, %v", ok, err)
	}
}

func TestVerifyRefusesPendingMethod(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	e, _ := f.svc.Begin(ctx, "u1", "Contoso", "ada")
	m, _ := f.store.MethodByID(ctx, "u1", e.MethodID)
	ok, err := f.svc.Verify(ctx, m, appCode(t, e.Secret, f.clock.Now()))
	if ok || twofold.ErrorCode(err) != twofold.EINTERNAL {
		t.Fatalf("Verify(pending) = %v, %v; want false, EINTERNAL", ok, err)
	}
}

func TestVerifyParallelSameCodeOnce(t *testing.T) {
	f := newFixture(t)
	m, secret := active(t, f)
	code := appCode(t, secret, f.clock.Now())
	var wins atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 50 {
		wg.Go(func() {
			mc := *m // each request loads its own copy
			<-start
			ok, err := f.svc.Verify(context.Background(), &mc, code)
			if err != nil && err != ErrCodeUsed {
				t.Error(err)
			}
			if ok {
				wins.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if w := wins.Load(); w != 1 {
		t.Fatalf("%d of 50 identical submissions succeeded, want exactly 1", w)
	}
}

func TestEnrolmentLogsRedacted(t *testing.T) {
	f := newFixture(t)
	e, _ := f.svc.Begin(context.Background(), "u1", "Contoso", "ada")
	v := e.LogValue().String()
	if strings.Contains(v, e.Secret) || !strings.Contains(v, "REDACTED") {
		t.Fatalf("log value %q", v)
	}
}

// BenchmarkVerify measures one verification against a store that always
// accepts the step: three HMACs, one AES-GCM open and the comparison.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b)
	m, secret := active(b, f)
	code := appCode(b, secret, f.clock.Now())
	svc := New(f.box, acceptAll{f.store}, f.clock.Now)
	b.ResetTimer()
	for b.Loop() {
		if ok, err := svc.Verify(context.Background(), m, code); !ok || err != nil {
			b.Fatalf("Verify = %v, %v", ok, err)
		}
	}
}

// acceptAll consumes every step, so a benchmark can repeat one code.
type acceptAll struct{ *memStore }

func (acceptAll) ConsumeStep(context.Context, string, int64, time.Time) (bool, error) {
	return true, nil
}
