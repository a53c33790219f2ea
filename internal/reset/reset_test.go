package reset_test

import (
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/reset"
	"github.com/twofold-id/twofold/internal/testkit"
)

// A member with an app and a mobile resets with a text and an app code under
// a policy asking two methods: one hash, every session revoked, no sign-in,
// the second factor still asked at the next sign-in, audited and notified.
func TestResetWithTextAndApp(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			e.org = e.SetPolicy(e.org, func(p *twofold.Policy) { p.Reset.MethodsRequired = 2 })
			m, app, token := e.memberWithAppAndPhone(t, "ada", "+14255550123")
			id := e.start(t, m.Username())
			v := e.attempt(t, id)
			if !v.Eligible || v.Required != 2 || v.Proven != 0 {
				t.Fatalf("view %+v, want eligible, 2 required", v)
			}
			text := choice(t, v, methodkind.ProofText)
			if text.Masked != "+1 XXXXXXX123" || !text.NeedsTarget() {
				t.Fatalf("text option %+v", text)
			}
			_, err := e.svc.Begin(e.Ctx, id, text.Choice, "+1 425 555 0999", e.c)
			wantCode(t, "wrong number typed", err, twofold.EINVALID)
			if n := len(e.Sent("+14255550123", twofold.ChannelSMS)); n != 0 {
				t.Fatalf("%d texts sent before the number matched", n)
			}
			v, err = e.svc.Begin(e.Ctx, id, text.Choice, "425 555 0123", e.c)
			if err != nil {
				t.Fatalf("Begin text: %v", err)
			}
			if v.Step == nil || v.Step.Challenge == nil {
				t.Fatalf("no text step: %+v", v)
			}
			_, err = e.svc.Verify(e.Ctx, id, reset.Answer{Code: "000000"}, e.c)
			wantCode(t, "wrong texted code", err, twofold.EINVALID)
			v, err = e.svc.Verify(e.Ctx, id, reset.Answer{Code: e.LastCode("+14255550123")}, e.c)
			if err != nil {
				t.Fatalf("Verify text: %v", err)
			}
			if v.Proven != 1 || v.State != twofold.ResetVerifying {
				t.Fatalf("after text: %+v", v)
			}
			for _, o := range v.Options {
				if o.Kind == twofold.KindPhone {
					t.Fatalf("the proven phone is offered again: %+v", o)
				}
			}
			err = e.svc.SetPassword(e.Ctx, id, "Correct horse battery", "Correct horse battery", e.c)
			wantIs(t, "password after one of two", err, reset.ErrNotVerified)
			appOpt := choice(t, v, methodkind.ProofAppCode)
			if _, err := e.svc.Begin(e.Ctx, id, appOpt.Choice, "", e.c); err != nil {
				t.Fatalf("Begin app: %v", err)
			}
			v, err = e.svc.Verify(e.Ctx, id, reset.Answer{Code: e.FreshCode(app)}, e.c)
			if err != nil {
				t.Fatalf("Verify app: %v", err)
			}
			if v.State != twofold.ResetVerified || v.Proven != 2 {
				t.Fatalf("after app: %+v", v)
			}
			if len(v.PasswordWords) != 3 || v.PasswordWords[0] != "ada@contoso.com" {
				t.Errorf("a verified attempt names the words a password may not hold: %q", v.PasswordWords)
			}
			err = e.svc.SetPassword(e.Ctx, id, "Correct horse battery", "Correct horse batery", e.c)
			wantCode(t, "mismatch", err, twofold.EINVALID)
			err = e.svc.SetPassword(e.Ctx, id, "password", "password", e.c)
			wantCode(t, "common password", err, twofold.EINVALID)
			err = e.svc.SetPassword(e.Ctx, id, "ada is my name", "ada is my name", e.c)
			wantCode(t, "user name inside", err, twofold.EINVALID)
			before := e.hasher.hashes.Load()
			if err := e.svc.SetPassword(e.Ctx, id, "Correct horse battery", "Correct horse battery", e.c); err != nil {
				t.Fatalf("SetPassword: %v", err)
			}
			if n := e.hasher.hashes.Load() - before; n != 1 {
				t.Fatalf("%d hashes for the new password, want 1", n)
			}
			err = e.svc.SetPassword(e.Ctx, id, "Another fine phrase", "Another fine phrase", e.c)
			wantIs(t, "second password on one attempt", err, reset.ErrGone)

			if _, err := e.Session.Authenticate(e.Ctx, token, e.c); err == nil {
				t.Fatal("the session from before the reset still works")
			}
			if _, err := e.SignIn.Password(e.Ctx, m.Username(), m.Password, e.c); err == nil {
				t.Fatal("the old password still signs in")
			}
			r, err := e.SignIn.Password(e.Ctx, m.Username(), "Correct horse battery", e.c)
			if err != nil {
				t.Fatalf("sign in with the new password: %v", err)
			}
			if r.State != twofold.FlowMFARequired || r.SessionToken != "" {
				t.Fatalf("sign-in after reset: state %s, want the second factor asked", r.State)
			}
			if n := len(e.Events(m.User.ID, twofold.ActivityResetSelfService)); n < 1 {
				t.Fatal("reset not audited")
			}
			found := false
			for _, msg := range e.Messages(m) {
				found = found || strings.Contains(msg.Body, "Your password was reset")
			}
			if !found {
				t.Fatal("no notice of the reset")
			}
		})
	}
}

// Unknown, ineligible and eligible names all get an attempt; unknown and
// ineligible read the same at the method step, with the help-desk contact.
func TestStartAnswersAlike(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	eligible, _, _ := e.memberWithAppAndPhone(t, "ada", "+14255550123")
	ineligible := e.NewMember(e.org, "bob") // no methods
	idE := e.start(t, eligible.Username())
	idI := e.start(t, ineligible.Username())
	idU := e.start(t, "nobody@contoso.com")
	idX := e.start(t, "nobody@unknown.example")
	if v := e.attempt(t, idE); !v.Eligible || len(v.Options) == 0 {
		t.Fatalf("eligible view %+v", v)
	}
	vi, vu := e.attempt(t, idI), e.attempt(t, idU)
	if vi.Eligible || vu.Eligible {
		t.Fatal("ineligible or unknown reads eligible")
	}
	if twofold.ErrorMessage(vi.Refusal) != twofold.ErrorMessage(vu.Refusal) {
		t.Fatalf("refusals differ: %q vs %q", twofold.ErrorMessage(vi.Refusal), twofold.ErrorMessage(vu.Refusal))
	}
	if !strings.Contains(twofold.ErrorMessage(vu.Refusal), "help@contoso.com, ext. 4357") {
		t.Fatalf("refusal without help-desk contact: %q", twofold.ErrorMessage(vu.Refusal))
	}
	if v := e.attempt(t, idX); v.Eligible || !strings.Contains(twofold.ErrorMessage(v.Refusal), "Contact your administrator") {
		t.Fatalf("unknown domain view %+v", v)
	}
	if vi.Required != 0 || vu.Required != 0 || len(vi.Options) != 0 {
		t.Fatalf("refused views tell something: %+v %+v", vi, vu)
	}
	if n := e.hasher.hashes.Load(); n != 0 {
		t.Fatalf("%d hashes while starting, want 0", n)
	}
	_, err := e.svc.Begin(e.Ctx, idU, "x.text", "", e.c)
	wantCode(t, "step on unknown name", err, twofold.EFORBIDDEN)
}

// Admins always prove two methods, and security questions never count.
func TestAdminNeedsTwo(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	a := e.NewAdmin(e.org, "root")
	e.Enrol(a, e.c)
	v := e.attempt(t, e.start(t, a.Username()))
	if v.Eligible {
		t.Fatalf("admin with one method is eligible: %+v", v)
	}
	e.AddPhone(a, twofold.PhoneMobile, "+14255550177")
	v = e.attempt(t, e.start(t, a.Username()))
	if !v.Eligible || v.Required != 2 {
		t.Fatalf("admin with two methods: %+v", v)
	}
}

// A reset attempt lives 15 minutes; a texted code 5.
func TestExpiry(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m, _, _ := e.memberWithAppAndPhone(t, "ada", "+14255550123")
	id := e.start(t, m.Username())
	text := choice(t, e.attempt(t, id), methodkind.ProofText)
	if _, err := e.svc.Begin(e.Ctx, id, text.Choice, "+14255550123", e.c); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	code := e.LastCode("+14255550123")
	e.Clock.Advance(5 * time.Minute)
	_, err := e.svc.Verify(e.Ctx, id, reset.Answer{Code: code}, e.c)
	wantCode(t, "code after 5 minutes", err, twofold.EEXPIRED)
	e.Clock.Advance(10*time.Minute - time.Second)
	e.attempt(t, id) // still alive at 14:59
	e.Clock.Advance(time.Second)
	_, err = e.svc.Attempt(e.Ctx, id)
	wantIs(t, "attempt after 15 minutes", err, reset.ErrGone)
}

// Starting is refused without a proof of work, and limited per name (unknown
// names alike) and per network.
func TestStartLimits(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	_, err := e.svc.Start(e.Ctx, "ada@contoso.com", "", e.c)
	wantIs(t, "no proof of work", err, errNoWork)
	for _, name := range []string{"ada@contoso.com", "ghost@contoso.com"} {
		for i := range 5 {
			if _, err := e.svc.Start(e.Ctx, name, "ok", testkit.Client("203.0.113."+string(rune('1'+i)))); err != nil {
				t.Fatalf("start %d of %s: %v", i+1, name, err)
			}
		}
		_, err := e.svc.Start(e.Ctx, name, "ok", testkit.Client("203.0.113.99"))
		wantIs(t, "sixth start of "+name, err, reset.ErrNameLimit)
	}
	for i := range 30 {
		if _, err := e.svc.Start(e.Ctx, "n"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@contoso.com", "ok", e.c); err != nil {
			t.Fatalf("network start %d: %v", i+1, err)
		}
	}
	_, err = e.svc.Start(e.Ctx, "zz@contoso.com", "ok", e.c)
	wantIs(t, "31st start from the network", err, reset.ErrNetworkLimit)
	e.Clock.Advance(time.Hour)
	e.start(t, "zz@contoso.com")
}
