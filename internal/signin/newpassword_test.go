package signin_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/tap"
	"github.com/twofold-id/twofold/internal/testkit"
)

// tempEnv is a member with an authenticator app whose password an admin has
// just reset to a temporary one.
type tempEnv struct {
	*testkit.Kit
	m    *testkit.Member
	app  *testkit.App
	temp string
	c    twofold.Client
}

func newTempEnv(t *testing.T, backend string) *tempEnv {
	t.Helper()
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	e := &tempEnv{Kit: k, c: testkit.Client("198.51.100.40")}
	e.m = k.NewMember(k.NewOrg("contoso.com"), "ada")
	e.app, _ = k.Enrol(e.m, e.c)
	e.reset(t)
	return e
}

// reset has the admin (the operator) give the member a new temporary password.
func (e *tempEnv) reset(t *testing.T) {
	t.Helper()
	temp, err := e.Admin.ResetPassword(e.Ctx, twofold.CLIActor(), e.m.User.ID)
	if err != nil {
		t.Fatalf("admin reset: %v", err)
	}
	e.temp = temp
}

// proven signs in with the temporary password and the app and returns the
// password-change step it must stop at.
func (e *tempEnv) proven(t *testing.T) *signin.Result {
	t.Helper()
	r, err := e.SignIn.Password(e.Ctx, e.m.Username(), e.temp, e.c)
	if err != nil || r.State != twofold.FlowMFARequired {
		t.Fatalf("password step with the temporary password: %+v, %v", r, err)
	}
	r, err = e.SignIn.Verify(e.Ctx, r.FlowID, e.app.MethodID, e.FreshCode(e.app), e.c)
	if err != nil {
		t.Fatalf("second factor: %v", err)
	}
	if r.State != twofold.FlowPasswordChangeRequired || r.SessionToken != "" || r.Session != nil || r.FlowID == "" {
		t.Fatalf("after the second factor: state %s, session %q: want the password change and no session", r.State, r.SessionToken)
	}
	return r
}

func eachBackend(t *testing.T, f func(t *testing.T, backend string)) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) { f(t, b) })
	}
}

func TestTemporaryPasswordMustBeReplacedBeforeASession(t *testing.T) {
	eachBackend(t, func(t *testing.T, backend string) {
		e := newTempEnv(t, backend)
		signIns := len(e.Events(e.m.User.ID, twofold.ActivitySignIn))
		r := e.proven(t)
		if n := len(e.Events(e.m.User.ID, twofold.ActivitySignIn)); n != signIns {
			t.Errorf("a sign-in was audited before the new password: %d events, had %d", n, signIns)
		}
		if shown, err := e.SignIn.PasswordChange(e.Ctx, r.FlowID); err != nil || shown.User.ID != e.m.User.ID {
			t.Fatalf("PasswordChange: %+v, %v", shown, err)
		}
		// Resume says where the flow stands; other steps of sign-in refuse it.
		if res, err := e.SignIn.Resume(e.Ctx, r.FlowID); err != nil || res.State != twofold.FlowPasswordChangeRequired || len(res.Options) != 0 {
			t.Errorf("Resume of a password-change flow: %+v, %v", res, err)
		}
		if _, err := e.SignIn.Verify(e.Ctx, r.FlowID, e.app.MethodID, e.FreshCode(e.app), e.c); !errors.Is(err, signin.ErrFlowGone) {
			t.Errorf("Verify on a password-change flow: %v, want ErrFlowGone", err)
		}

		good := "a brand new garden of verses"
		for _, tc := range []struct{ name, pw, confirm, field, says string }{
			{"empty", "", "", "newPassword", "Enter a new password"},
			{"mismatch", good, good + "!", "confirmPassword", "don't match"},
			{"too short", "short1", "short1", "newPassword", "at least 8"},
			{"common", "password123", "password123", "newPassword", "common"},
			{"user name", "ada@contoso.com-2030", "ada@contoso.com-2030", "newPassword", "name"},
			{"organization name", "i love org contoso", "i love org contoso", "newPassword", "name"},
			{"the temporary one", e.temp, e.temp, "newPassword", "temporary"},
			{"too long", strings.Repeat("x", 1025), strings.Repeat("x", 1025), "newPassword", "256"},
		} {
			_, err := e.SignIn.NewPassword(e.Ctx, r.FlowID, tc.pw, tc.confirm, e.c)
			wantCode(t, tc.name, err, twofold.EINVALID)
			if f := twofold.ErrorField(err); f != tc.field {
				t.Errorf("%s: field %q, want %q", tc.name, f, tc.field)
			}
			if m := twofold.ErrorMessage(err); !strings.Contains(m, tc.says) {
				t.Errorf("%s: message %q, want it to say %q", tc.name, m, tc.says)
			}
		}

		done, err := e.SignIn.NewPassword(e.Ctx, r.FlowID, good, good, e.c)
		if err != nil {
			t.Fatalf("a good new password: %v", err)
		}
		if done.State != twofold.FlowSignedIn || done.SessionToken == "" {
			t.Fatalf("after the new password: %+v", done)
		}
		if done.Session.MFAAt.IsZero() || done.Session.MFAMethod != e.app.MethodID {
			t.Errorf("session %+v: want the second factor proven with the app", done.Session)
		}
		p := e.Principal(done.SessionToken, e.c)
		if p.User.MustChangePassword {
			t.Error("the member still must change their password")
		}
		changes := e.Events(e.m.User.ID, twofold.ActivityChangePassword)
		if len(changes) != 1 || changes[0].Result != twofold.ResultSuccess || changes[0].ActorID != e.m.User.ID {
			t.Fatalf("audit of the change: %+v", changes)
		}
		if _, err := e.SignIn.NewPassword(e.Ctx, r.FlowID, good+" again", good+" again", e.c); !errors.Is(err, signin.ErrFlowGone) {
			t.Errorf("the flow used twice: %v", err)
		}

		// The temporary password is gone; the new one signs in as usual.
		if _, err := e.SignIn.Password(e.Ctx, e.m.Username(), e.temp, e.c); !errors.Is(err, signin.ErrCredentials) {
			t.Errorf("temporary password after the change: %v", err)
		}
		e.m.Password = good
		e.SignInMFA(e.m, e.app, e.c)
	})
}

func TestTemporaryPasswordWithoutSecondFactor(t *testing.T) {
	eachBackend(t, func(t *testing.T, backend string) {
		k := testkit.NewWith(t, testkit.Options{Backend: backend})
		org := k.SetPolicy(k.NewOrg("contoso.com"), func(p *twofold.Policy) { p.MFARequired = false })
		m := k.NewMember(org, "bo")
		temp, err := k.Admin.ResetPassword(k.Ctx, twofold.CLIActor(), m.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := testkit.Client("198.51.100.41")
		r, err := k.SignIn.Password(k.Ctx, m.Username(), temp, c)
		if err != nil || r.State != twofold.FlowPasswordChangeRequired || r.SessionToken != "" {
			t.Fatalf("password step: %+v, %v; want the password change, no session", r, err)
		}
		done, err := k.SignIn.NewPassword(k.Ctx, r.FlowID, "tall ships and open water", "tall ships and open water", c)
		if err != nil || done.State != twofold.FlowSignedIn {
			t.Fatalf("new password: %+v, %v", done, err)
		}
		if !done.Session.MFAAt.IsZero() {
			t.Error("a session claims a second factor nobody proved")
		}
	})
}

// An admin who resets the password again, or disables the member, while the
// member is at the password-change step ends that step: it can't replace the
// newer temporary password or sign a disabled member in.
func TestAdminActionEndsThePasswordChange(t *testing.T) {
	eachBackend(t, func(t *testing.T, backend string) {
		e := newTempEnv(t, backend)
		r := e.proven(t)
		e.reset(t)
		if _, err := e.SignIn.NewPassword(e.Ctx, r.FlowID, "a brand new garden of verses", "a brand new garden of verses", e.c); !errors.Is(err, signin.ErrFlowGone) {
			t.Errorf("after a second reset: %v, want ErrFlowGone", err)
		}
		if !e.User(e.m.User.ID).MustChangePassword {
			t.Error("the newer temporary password was replaced")
		}

		r = e.proven(t)
		if err := e.Admin.SetEnabled(e.Ctx, twofold.CLIActor(), e.m.User.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.SignIn.NewPassword(e.Ctx, r.FlowID, "a brand new garden of verses", "a brand new garden of verses", e.c); !errors.Is(err, signin.ErrFlowGone) {
			t.Errorf("after disabling: %v, want ErrFlowGone", err)
		}
	})
}

// TestNewPasswordBurstSignsInOnce sends 250 simultaneous new passwords on one
// flow: exactly one is taken, with one session and one audit event.
func TestNewPasswordBurstSignsInOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, backend string) {
		e := newTempEnv(t, backend)
		r := e.proven(t)
		const n = 250
		sessions := make([]string, n)
		errs := testkit.Simultaneously(n, func(i int) error {
			pw := "a brand new garden of verses " + strings.Repeat("x", i%7)
			done, err := e.SignIn.NewPassword(e.Ctx, r.FlowID, pw, pw, e.c)
			if err == nil {
				sessions[i] = done.SessionToken
			}
			return err
		})
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, signin.ErrFlowGone), errors.Is(err, signin.ErrPasswordChangedMeanwhile),
				twofold.ErrorCode(err) == twofold.EUNAVAILABLE:
			default:
				t.Errorf("caller %d: %v", i, err)
			}
		}
		if won != 1 {
			t.Fatalf("%d new passwords taken from one flow, want 1", won)
		}
		if n := len(e.Events(e.m.User.ID, twofold.ActivityChangePassword)); n != 1 {
			t.Errorf("%d password changes audited, want 1", n)
		}
	})
}

// A Temporary Access Pass proves no password, so it signs in a member who
// holds a temporary password without asking for a new one: it is for
// registering methods, not for setting a password without the temporary one.
// Their next password sign-in still asks.
func TestPassSignInLeavesThePasswordChangeForLater(t *testing.T) {
	eachBackend(t, func(t *testing.T, backend string) {
		e := newTempEnv(t, backend)
		e.SetPolicy(e.m.Org, func(p *twofold.Policy) {
			p.EnabledMethods = append(p.EnabledMethods, twofold.KindTemporaryAccessPass)
		})
		passes := &tap.Service{Store: e.Store, Audit: e.Audit, Now: e.Clock.Now}
		issued, err := passes.Issue(e.Ctx, twofold.CLIActor(), e.m.User.ID, tap.Request{})
		if err != nil {
			t.Fatalf("issue a pass: %v", err)
		}
		r, err := e.SignIn.TemporaryAccessPass(e.Ctx, e.m.Username(), issued.Pass, e.c)
		if err != nil || r.State != twofold.FlowSignedIn {
			t.Fatalf("sign-in with a pass: %+v, %v; want signed in", r, err)
		}
		if !e.User(e.m.User.ID).MustChangePassword {
			t.Error("the pass sign-in cleared the demand for a new password")
		}
		e.proven(t)
	})
}

// TestCancelEndsThePasswordChange: "Cancel and sign out" at the password
// change ends the flow on the server, audited, so its ID no longer sets a
// password, and the temporary password is still the one to replace.
func TestCancelEndsThePasswordChange(t *testing.T) {
	eachBackend(t, func(t *testing.T, backend string) {
		e := newTempEnv(t, backend)
		r := e.proven(t)
		if err := e.SignIn.Cancel(e.Ctx, r.FlowID, e.c); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		if _, err := e.SignIn.NewPassword(e.Ctx, r.FlowID, "a brand new garden of verses", "a brand new garden of verses", e.c); !errors.Is(err, signin.ErrFlowGone) {
			t.Errorf("a new password after Cancel: %v, want ErrFlowGone", err)
		}
		if !e.User(e.m.User.ID).MustChangePassword {
			t.Error("canceling replaced the temporary password")
		}
		canceled := 0
		for _, ev := range e.Events(e.m.User.ID, twofold.ActivitySignIn) {
			if ev.Result == twofold.ResultFailure && ev.Reason == "sign-in canceled at the password change" {
				canceled++
			}
		}
		if canceled != 1 {
			t.Errorf("%d sign-in failures audited for the cancel, want 1", canceled)
		}
	})
}
