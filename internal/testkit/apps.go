package testkit

import (
	"encoding/base32"
	"strings"
	"sync"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
)

// App is a member's authenticator app as the test holds it: the method ID and
// the secret read from the setup page.
type App struct {
	MethodID string
	Secret   []byte

	mu   sync.Mutex
	used int64 // the newest step this kit handed out a code for
}

// ParseSecret decodes the base32 key the setup page shows ("Can't scan the
// image?"), with or without spaces and padding.
func ParseSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(s, "="))
}

// Code returns the app's code at t, used or not.
func (a *App) Code(t time.Time) string { return TOTP(a.Secret, t) }

// FreshCode returns a code of app that the server has not seen: if the step now
// was already handed out, the clock moves to the start of the next step first.
func (k *Kit) FreshCode(a *App) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := k.Clock.Now()
	if Step(now) <= a.used {
		now = k.Clock.AtLeast(StepStart(a.used + 1).Add(time.Second))
	}
	a.used = Step(now)
	return TOTP(a.Secret, now)
}

// Enrol takes a member with no second factor through the real "More information
// required" interrupt: password, begin, activate with the app's current code.
// It returns the app and the signed-in result.
func (k *Kit) Enrol(m *Member, c twofold.Client) (*App, *signin.Result) {
	k.TB.Helper()
	r, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, c)
	if err != nil {
		k.TB.Fatalf("testkit: enrol %s: password: %v", m.Username(), err)
	}
	if r.State != twofold.FlowRegistrationRequired {
		k.TB.Fatalf("testkit: enrol %s: state %s, want %s", m.Username(), r.State, twofold.FlowRegistrationRequired)
	}
	e, err := k.SignIn.BeginRegistration(k.Ctx, r.FlowID)
	if err != nil {
		k.TB.Fatalf("testkit: enrol %s: begin: %v", m.Username(), err)
	}
	secret, err := ParseSecret(e.GroupedSecret)
	if err != nil {
		k.TB.Fatalf("testkit: enrol %s: secret: %v", m.Username(), err)
	}
	app := &App{MethodID: e.MethodID, Secret: secret}
	done, err := k.SignIn.FinishRegistration(k.Ctx, r.FlowID, e.MethodID, "", k.FreshCode(app), c)
	if err != nil {
		k.TB.Fatalf("testkit: enrol %s: finish: %v", m.Username(), err)
	}
	return app, done
}

// SignInMFA signs a member in with password and a fresh code of app, failing the
// test on any other outcome, and returns the signed-in result.
func (k *Kit) SignInMFA(m *Member, app *App, c twofold.Client) *signin.Result {
	k.TB.Helper()
	r, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, c)
	if err != nil || r.State != twofold.FlowMFARequired {
		k.TB.Fatalf("testkit: sign in %s: password: %v, %v", m.Username(), r, err)
	}
	r, err = k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, k.FreshCode(app), c)
	if err != nil || r.State != twofold.FlowSignedIn {
		k.TB.Fatalf("testkit: sign in %s: verify: %v, %v", m.Username(), r, err)
	}
	return r
}

// Principal resolves a session token as a request would.
func (k *Kit) Principal(token string, c twofold.Client) *twofold.Principal {
	k.TB.Helper()
	p, err := k.Session.Authenticate(k.Ctx, token, c)
	if err != nil {
		k.TB.Fatalf("testkit: authenticate: %v", err)
	}
	return p
}
