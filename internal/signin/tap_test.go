package signin_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/account"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/tap"
	"github.com/twofold-id/twofold/internal/testkit"
)

// passKit is a kit whose organization allows passes, with one member.
func passKit(t *testing.T, backend string) (*testkit.Kit, *testkit.Member, *tap.Service) {
	t.Helper()
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	org := k.NewOrg("contoso.com")
	k.SetPolicy(org, func(p *twofold.Policy) {
		p.EnabledMethods = append(p.EnabledMethods, twofold.KindTemporaryAccessPass)
	})
	return k, k.NewMember(org, "ada"), &tap.Service{Store: k.Store, Audit: k.Audit, Now: k.Clock.Now}
}

func issue(t *testing.T, k *testkit.Kit, passes *tap.Service, m *testkit.Member, r tap.Request) string {
	t.Helper()
	got, err := passes.Issue(k.Ctx, twofold.CLIActor(), m.User.ID, r)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return got.Pass
}

// wantPassRefused fails unless err is the one pass sentence.
func wantPassRefused(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, signin.ErrPass) {
		t.Errorf("%s: %v, want the one pass sentence", what, err)
	}
}

// A member with no method signs in with user name and pass alone and lands in
// the interrupt; a member with methods is signed in at once, with a session
// whose second factor is fresh (Security info opens) but that holds no
// password proof. The pass may be typed in lower case and without dashes.
func TestTemporaryAccessPassSignIn(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k, m, passes := passKit(t, backend)
			c := testkit.Client("198.51.100.7")
			pass := issue(t, k, passes, m, tap.Request{})
			r, err := k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), pass, c)
			if err != nil || r.State != twofold.FlowRegistrationRequired || r.FlowID == "" {
				t.Fatalf("pass sign-in without methods = %+v, %v; want the interrupt", r, err)
			}
			if _, err := k.SignIn.BeginRegistration(k.Ctx, r.FlowID); err != nil {
				t.Fatalf("the interrupt after a pass: %v", err)
			}
			if n := len(k.Events(m.User.ID, twofold.ActivityTemporaryPassUsed)); n != 1 {
				t.Errorf("%d pass-use events, want 1", n)
			}

			app, _ := k.Enrol(m, c)
			typed := strings.ToLower(strings.ReplaceAll(pass, "-", " "))
			r, err = k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), typed, c)
			if err != nil || r.State != twofold.FlowSignedIn {
				t.Fatalf("pass sign-in with an app = %+v, %v; want signed in", r, err)
			}
			if !r.Session.PasswordAt.IsZero() || r.Session.MFAAt.IsZero() {
				t.Errorf("session proofs: password %v, second factor %v; want none and now", r.Session.PasswordAt, r.Session.MFAAt)
			}
			p := k.Principal(r.SessionToken, c)
			if _, err := k.SecInfo.Overview(k.Ctx, p); err != nil {
				t.Errorf("Security info after a pass sign-in: %v", err)
			}
			events := k.Events(m.User.ID, twofold.ActivitySignIn)
			if len(events) == 0 || events[0].Reason != "Temporary Access Pass" || events[0].Result != twofold.ResultSuccess {
				t.Errorf("newest sign-in event = %+v", events[0])
			}
			// The password sign-in still asks for the app: the pass changed nothing.
			_ = k.SignInMFA(m, app, c)
		})
	}
}

// Unknown user, wrong pass, a pass that has not started or has expired, and
// a member without a pass all get the one sentence.
func TestTemporaryAccessPassRefusals(t *testing.T) {
	k, m, passes := passKit(t, testkit.SQLite)
	c := testkit.Client("198.51.100.8")
	_, err := k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), "ABCD-EFGH-JKMN-PQRS", c)
	wantPassRefused(t, "no pass issued", err)
	pass := issue(t, k, passes, m, tap.Request{Lifetime: 10 * time.Minute, StartAt: k.Clock.Now().Add(time.Hour)})
	_, err = k.SignIn.TemporaryAccessPass(k.Ctx, "nobody@contoso.com", pass, c)
	wantPassRefused(t, "unknown user", err)
	_, err = k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), pass+"X", c)
	wantPassRefused(t, "wrong pass", err)
	_, err = k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), pass, c)
	wantPassRefused(t, "before its start", err)
	k.Clock.Advance(time.Hour)
	if _, err := k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), pass, c); err != nil {
		t.Fatalf("at its start: %v", err)
	}
	k.Clock.Advance(10 * time.Minute)
	_, err = k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), pass, c)
	wantPassRefused(t, "expired", err)
	_, err = k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), "", c)
	wantCode(t, "empty pass", err, twofold.EINVALID)

	// A pass stops working when the policy turns passes off, and a disabled
	// account's pass never works; both read like a wrong pass.
	live := issue(t, k, passes, m, tap.Request{})
	k.SetPolicy(m.Org, func(p *twofold.Policy) {
		p.EnabledMethods = slices.DeleteFunc(p.EnabledMethods, func(k twofold.MethodKind) bool { return k == twofold.KindTemporaryAccessPass })
	})
	_, err = k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), live, c)
	wantPassRefused(t, "passes turned off", err)
	k.SetPolicy(m.Org, func(p *twofold.Policy) {
		p.EnabledMethods = append(p.EnabledMethods, twofold.KindTemporaryAccessPass)
	})
	k.DisableUser(m.User.ID)
	_, err = k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), live, c)
	wantPassRefused(t, "disabled account", err)
}

// Wrong passes count against the account like wrong passwords: at the
// threshold the account locks, and then even the right pass is refused.
func TestTemporaryAccessPassGuessesLockTheAccount(t *testing.T) {
	k, m, passes := passKit(t, testkit.SQLite)
	c := testkit.Client("198.51.100.9")
	pass := issue(t, k, passes, m, tap.Request{})
	for i := range 10 {
		_, err := k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), "ABCD-EFGH-JKMN-PQR"+string(rune('A'+i)), c)
		wantPassRefused(t, "wrong pass", err)
	}
	_, err := k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), pass, c)
	wantPassRefused(t, "right pass on a locked account", err)
	_, err = k.SignIn.Password(k.Ctx, m.Username(), m.Password, c)
	if !errors.Is(err, signin.ErrCredentials) {
		t.Errorf("password on the account locked by wrong passes: %v", err)
	}
}

// Of 50 simultaneous sign-ins with one one-time pass, exactly one gets in;
// every other gets the one sentence.
func TestTemporaryAccessPassOneTimeBurst(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k, m, passes := passKit(t, backend)
			pass := issue(t, k, passes, m, tap.Request{OneTime: true})
			results := make([]*signin.Result, 50)
			errs := testkit.Simultaneously(50, func(i int) error {
				var err error
				results[i], err = k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), pass, testkit.Client("198.51.100.10"))
				return err
			})
			wins := 0
			for i, err := range errs {
				switch {
				case err == nil && results[i].FlowID != "":
					wins++
				case !errors.Is(err, signin.ErrPass):
					t.Errorf("sign-in %d: %v", i, err)
				}
			}
			if wins != 1 {
				t.Errorf("%d of 50 sign-ins used the one-time pass, want exactly 1", wins)
			}
		})
	}
}

// A pass proves who the member is for adding security info, never for their
// password: a session from a pass still needs the current password to change
// it, and the password is unchanged after a wrong one.
func TestTemporaryAccessPassDoesNotChangeThePassword(t *testing.T) {
	k, m, passes := passKit(t, testkit.SQLite)
	c := testkit.Client("198.51.100.11")
	k.Enrol(m, c)
	pass := issue(t, k, passes, m, tap.Request{})
	r, err := k.SignIn.TemporaryAccessPass(k.Ctx, m.Username(), pass, c)
	if err != nil || r.State != twofold.FlowSignedIn {
		t.Fatalf("pass sign-in: %+v, %v", r, err)
	}
	acc := account.New(account.Deps{Store: k.Store, Hasher: k.Hasher, Audit: k.Audit, Now: k.Clock.Now})
	p := k.Principal(r.SessionToken, c)
	for _, current := range []string{pass, "not the password"} {
		_, err := acc.ChangePassword(k.Ctx, p, current, "Fresh-Meadow-Lantern-42", "Fresh-Meadow-Lantern-42", false)
		if !errors.Is(err, account.ErrWrongCurrent) {
			t.Errorf("ChangePassword with %q as the current password: %v, want it refused", current, err)
		}
	}
	if got := k.User(m.User.ID).PasswordHash; got != m.User.PasswordHash {
		t.Error("the password changed")
	}
}
