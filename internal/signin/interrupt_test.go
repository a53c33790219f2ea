package signin_test

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

func TestInterruptRegistersAppAndSignsIn(t *testing.T) {
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	c := testkit.Client("198.51.100.7")

	r := startFlow(t, k, m, c, twofold.FlowRegistrationRequired)
	if r.FlowID == "" || r.SessionToken != "" || r.Session != nil || len(r.Options) != 0 {
		t.Fatalf("registration_required result = %+v, want a flow ID and nothing else", r)
	}
	e, err := k.SignIn.BeginRegistration(k.Ctx, r.FlowID)
	if err != nil {
		t.Fatalf("BeginRegistration: %v", err)
	}
	again, err := k.SignIn.BeginRegistration(k.Ctx, r.FlowID) // a page reload
	if err != nil || again.MethodID != e.MethodID || again.Secret != e.Secret {
		t.Fatalf("BeginRegistration on reload = %v, %v; want the same pending setup", again, err)
	}
	secret, err := testkit.ParseSecret(e.GroupedSecret)
	if err != nil || len(secret) != 20 {
		t.Fatalf("secret = %d bytes, %v; want 160 bits", len(secret), err)
	}
	app := &testkit.App{MethodID: e.MethodID, Secret: secret}
	done, err := k.SignIn.FinishRegistration(k.Ctx, r.FlowID, e.MethodID, "Work phone", k.FreshCode(app), c)
	if err != nil {
		t.Fatalf("FinishRegistration: %v", err)
	}
	now := k.Clock.Now()
	if done.State != twofold.FlowSignedIn || done.SessionToken == "" || done.Session == nil {
		t.Fatalf("FinishRegistration = %+v, want signed_in with a session", done)
	}
	if s := done.Session; !s.MFAAt.Equal(now) || s.MFAMethod != e.MethodID || s.PasswordAt.IsZero() {
		t.Errorf("session MFAAt %v MFAMethod %q PasswordAt %v; want MFA at %v with %s", s.MFAAt, s.MFAMethod, s.PasswordAt, now, e.MethodID)
	}
	if got := k.User(m.User.ID).PreferredMethod; got != twofold.PreferenceOath {
		t.Errorf("default sign-in method = %q, want %q", got, twofold.PreferenceOath)
	}
	meth, err := k.Store.MethodByID(k.Ctx, m.User.ID, e.MethodID)
	if err != nil || meth.State != twofold.MethodActive || meth.Name != "Work phone" {
		t.Errorf("method after the interrupt = %+v, %v; want active and named", meth, err)
	}
	p := k.Principal(done.SessionToken, c)
	if p.User.ID != m.User.ID {
		t.Errorf("session belongs to %s, want %s", p.User.ID, m.User.ID)
	}
	for _, a := range []string{twofold.ActivityStartedRegister, twofold.ActivityRegistered, twofold.ActivityRegisteredAll, twofold.ActivitySignIn} {
		if es := k.Events(m.User.ID, a); len(es) != 1 || es[0].Result != twofold.ResultSuccess {
			t.Errorf("audit %q: %d events, want 1 success", a, len(es))
		}
	}
	if n := len(k.Messages(m)); n != 1 {
		t.Errorf("%d notifications, want 1 for the added app", n)
	}
	// The flow is spent: it cannot issue a second session.
	_, err = k.SignIn.FinishRegistration(k.Ctx, r.FlowID, e.MethodID, "", k.FreshCode(app), c)
	wantCode(t, "FinishRegistration on a finished flow", err, twofold.EEXPIRED)
}

// A flow dies after five wrong codes, in the interrupt and at the second factor,
// and then refuses even the right code (which stays unused).
func TestFiveWrongCodesEndTheFlow(t *testing.T) {
	c := testkit.Client("198.51.100.8")
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, k *testkit.Kit, m *testkit.Member) (try func(code string) error, app *testkit.App)
	}{
		{"interrupt", func(t *testing.T, k *testkit.Kit, m *testkit.Member) (func(string) error, *testkit.App) {
			r := startFlow(t, k, m, c, twofold.FlowRegistrationRequired)
			e, err := k.SignIn.BeginRegistration(k.Ctx, r.FlowID)
			if err != nil {
				t.Fatalf("BeginRegistration: %v", err)
			}
			secret, _ := testkit.ParseSecret(e.Secret)
			return func(code string) error {
				_, err := k.SignIn.FinishRegistration(k.Ctx, r.FlowID, e.MethodID, "", code, c)
				return err
			}, &testkit.App{MethodID: e.MethodID, Secret: secret}
		}},
		{"second factor", func(t *testing.T, k *testkit.Kit, m *testkit.Member) (func(string) error, *testkit.App) {
			app, _ := k.Enrol(m, c)
			r := startFlow(t, k, m, c, twofold.FlowMFARequired)
			return func(code string) error {
				_, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, code, c)
				return err
			}, app
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := testkit.New(t)
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			try, app := tc.setup(t, k, m)
			for i := 1; i <= 4; i++ {
				err := try(testkit.WrongCode(app.Secret, k.Clock.Now()))
				if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "code" {
					t.Fatalf("wrong code %d: %v, want EINVALID on code", i, err)
				}
			}
			wantCode(t, "5th wrong code", try(testkit.WrongCode(app.Secret, k.Clock.Now())), twofold.EEXPIRED)
			code := k.FreshCode(app)
			wantCode(t, "right code after the flow died", try(code), twofold.EEXPIRED)
			if tc.name == "second factor" { // the refused code was not consumed
				r := startFlow(t, k, m, c, twofold.FlowMFARequired)
				if _, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, code, c); err != nil {
					t.Errorf("the code refused on the dead flow was consumed: %v", err)
				}
			}
		})
	}
}

func TestFlowExpires(t *testing.T) {
	c := testkit.Client("198.51.100.9")
	const lifetime = 10 * time.Minute // signin.Config default
	for _, tc := range []struct {
		name    string
		wait    time.Duration
		wantErr string
	}{
		{"just in time", lifetime - 2*time.Second, ""},
		{"at the lifetime", lifetime, twofold.EEXPIRED},
		{"long after", 3 * time.Hour, twofold.EEXPIRED},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, m, app := enrolled(t)
			k.FreshCode(app) // move off the enrolment's step first, so waiting decides alone
			mfa := startFlow(t, k, m, c, twofold.FlowMFARequired)
			other := k.NewMember(m.Org, "bob")
			reg := startFlow(t, k, other, c, twofold.FlowRegistrationRequired)
			k.Clock.Advance(tc.wait)

			_, err := k.SignIn.Resume(k.Ctx, mfa.FlowID)
			wantCode(t, "Resume", err, tc.wantErr)
			_, err = k.SignIn.BeginRegistration(k.Ctx, reg.FlowID)
			wantCode(t, "BeginRegistration", err, tc.wantErr)
			_, err = k.SignIn.Verify(k.Ctx, mfa.FlowID, app.MethodID, app.Code(k.Clock.Now()), c)
			wantCode(t, "Verify", err, tc.wantErr)
		})
	}
}

func TestCancelIsAudited(t *testing.T) {
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	c := testkit.Client("198.51.100.10")
	r := startFlow(t, k, m, c, twofold.FlowRegistrationRequired)
	if err := k.SignIn.Cancel(k.Ctx, r.FlowID, c); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	if err := k.SignIn.Cancel(k.Ctx, r.FlowID, c); err != nil { // a second click
		t.Fatalf("second Cancel: %v", err)
	}
	es := k.Events(m.User.ID, twofold.ActivityCanceledRegister)
	if len(es) != 1 {
		t.Fatalf("%d %q events, want 1", len(es), twofold.ActivityCanceledRegister)
	}
	if e := es[0]; e.OrgID != m.Org.ID || e.ActorID != m.User.ID || e.IP != c.IP || e.UserAgent != c.UserAgent {
		t.Errorf("cancel event = %+v, want the member, org and client", e)
	}
	_, err := k.SignIn.BeginRegistration(k.Ctx, r.FlowID)
	wantCode(t, "BeginRegistration after cancel", err, twofold.EEXPIRED)
}
