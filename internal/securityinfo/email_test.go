package securityinfo_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/testkit"
)

// emailKit is a kit whose organization allows email methods.
func emailKit(t *testing.T, backend string) (*testkit.Kit, *twofold.Organization) {
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	org := k.SetPolicy(k.NewOrg("contoso.com"), func(p *twofold.Policy) {
		if !p.MethodEnabled(twofold.KindEmail) {
			p.EnabledMethods = append(p.EnabledMethods, twofold.KindEmail)
		}
	})
	return k, org
}

func beginEmail(k *testkit.Kit, p *twofold.Principal, address, methodID string) (*twofold.Challenge, error) {
	return k.SecInfo.BeginEmail(k.Ctx, p, securityinfo.EmailRequest{Address: address, MethodID: methodID})
}

// addEmail adds address through BeginEmail and FinishEmail, failing the test on
// any error.
func addEmail(t *testing.T, k *testkit.Kit, p *twofold.Principal, address string) *twofold.Method {
	t.Helper()
	ch, err := beginEmail(k, p, address, "")
	if err != nil {
		t.Fatalf("BeginEmail %s: %v", address, err)
	}
	m, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, k.MailedCode(ch))
	if err != nil {
		t.Fatalf("FinishEmail %s: %v", address, err)
	}
	return m
}

func TestAddEmail(t *testing.T) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) {
			k, org := emailKit(t, b)
			m, token := bareMember(t, k, org, "alex")
			p := k.Principal(token, client)

			for _, tc := range []struct{ in, field string }{
				{"", "emailAddress"},
				{"not an address", "emailAddress"},
				{"Alex <alex@fabrikam.com>", "emailAddress"},
				{m.Username(), "emailAddress"},
			} {
				_, err := beginEmail(k, p, tc.in, "")
				wantField(t, "BeginEmail "+tc.in, err, tc.field)
			}
			ch, err := beginEmail(k, p, "Alex.Wu@Fabrikam.COM", "")
			if err != nil {
				t.Fatal(err)
			}
			if ch.Email != "Alex.Wu@fabrikam.com" || !ch.ExpiresAt.Equal(k.Clock.Now().Add(10*time.Minute)) {
				t.Errorf("challenge: %s expiring %v", ch.Email, ch.ExpiresAt)
			}
			if len(k.Events(m.User.ID, twofold.ActivityStartedRegister)) != 1 {
				t.Error("starting is not audited")
			}
			code := k.MailedCode(ch)
			if _, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, otherCode(code)); !errors.Is(err, email.ErrWrongCode) {
				t.Fatalf("wrong code: %v", err)
			}
			if ms, _ := k.Store.ListMethods(k.Ctx, m.User.ID, twofold.MethodActive); len(ms) != 0 {
				t.Fatalf("a method was saved before the code: %v", ms)
			}
			saved, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, code)
			if err != nil {
				t.Fatal(err)
			}
			if saved.Kind != twofold.KindEmail || saved.Email != "Alex.Wu@fabrikam.com" || saved.State != twofold.MethodActive {
				t.Errorf("saved %+v", saved)
			}
			if _, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, code); err == nil {
				t.Error("the code worked twice")
			}
			ev := k.Events(m.User.ID, twofold.ActivityRegistered)
			if len(ev) != 1 || !strings.Contains(ev[0].Reason, "A•••@fabrikam.com") {
				t.Errorf("registered events: %+v", ev)
			}
			notice := false
			for _, msg := range k.Messages(m) {
				notice = notice || strings.Contains(msg.Body, "An email address (A•••@fabrikam.com) was added to your security info.")
			}
			if !notice {
				t.Error("no notice of the new email")
			}
			// An email is no second factor: no default, and the session gained no proof.
			if u := k.User(m.User.ID); u.PreferredMethod != "" && u.PreferredMethod != twofold.PreferenceNone {
				t.Errorf("default became %q", u.PreferredMethod)
			}
			if p2 := k.Principal(token, client); !p2.Session.MFAAt.IsZero() {
				t.Error("adding an email counted as proving a second factor")
			}
			o, err := k.SecInfo.Overview(k.Ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(o.Methods) != 1 || o.Methods[0].Label != "Email" || o.Methods[0].Detail != "Alex.Wu@fabrikam.com" ||
				!o.Methods[0].Changeable || !o.Methods[0].Deletable {
				t.Errorf("rows: %+v", o.Methods)
			}
			if slices.ContainsFunc(o.CanAdd, func(a securityinfo.AddOption) bool { return a.Kind == twofold.KindEmail }) {
				t.Error("a second email is offered")
			}
			if _, err := beginEmail(k, p, "other@fabrikam.com", ""); !errors.Is(err, securityinfo.ErrEmailTaken) {
				t.Errorf("second email: %v, want ErrEmailTaken", err)
			}
		})
	}
}

func TestEmailCodeExpiresAndDiesAfterFiveTries(t *testing.T) {
	k, org := emailKit(t, testkit.SQLite)
	_, token := bareMember(t, k, org, "alex")
	p := k.Principal(token, client)
	ch, err := beginEmail(k, p, "alex@fabrikam.com", "")
	if err != nil {
		t.Fatal(err)
	}
	code := k.MailedCode(ch)
	k.Clock.Advance(10 * time.Minute)
	if _, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, code); !errors.Is(err, email.ErrCodeExpired) {
		t.Fatalf("code after 10 minutes: %v, want expired", err)
	}
	ch, err = k.SecInfo.ResendEmail(k.Ctx, p, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	code = k.MailedCode(ch)
	for i := range email.MaxAttempts {
		if _, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, otherCode(code)); !errors.Is(err, email.ErrWrongCode) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	if _, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, code); !errors.Is(err, email.ErrTooManyTries) {
		t.Fatalf("right code after five wrong: %v, want too many", err)
	}
}

func TestResendEmailReplacesTheCode(t *testing.T) {
	k, org := emailKit(t, testkit.SQLite)
	_, token := bareMember(t, k, org, "alex")
	p := k.Principal(token, client)
	first, err := beginEmail(k, p, "alex@fabrikam.com", "")
	if err != nil {
		t.Fatal(err)
	}
	k.Clock.Advance(time.Second)
	second, err := k.SecInfo.ResendEmail(k.Ctx, p, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if second.Email != first.Email || second.ID == first.ID {
		t.Fatalf("resent %+v", second)
	}
	if _, err := k.SecInfo.FinishEmail(k.Ctx, p, first.ID, k.MailedCode(first)); twofold.ErrorCode(err) != twofold.ENOTFOUND {
		t.Errorf("the replaced code's page: %v, want ENOTFOUND", err)
	}
	pending, err := k.SecInfo.EmailPending(k.Ctx, p, "")
	if err != nil || pending.ID != second.ID {
		t.Fatalf("EmailPending = %v, %v", pending, err)
	}
	if _, err := k.SecInfo.FinishEmail(k.Ctx, p, second.ID, k.MailedCode(second)); err != nil {
		t.Fatalf("newest code: %v", err)
	}
}

func TestEmailMailLimit(t *testing.T) {
	k, org := emailKit(t, testkit.SQLite)
	_, token := bareMember(t, k, org, "alex")
	p := k.Principal(token, client)
	for i := range email.MailsPerWindow {
		if _, err := beginEmail(k, p, "alex@fabrikam.com", ""); err != nil {
			t.Fatalf("mail %d: %v", i+1, err)
		}
	}
	_, err := beginEmail(k, p, "alex@fabrikam.com", "")
	if twofold.ErrorCode(err) != twofold.ERATELIMIT || twofold.ErrorMessage(err) != "You've hit our limit on emails. Try again in a few minutes." {
		t.Fatalf("eleventh mail: %v", err)
	}
}

func TestChangeEmailNeedsAFreshSecondFactor(t *testing.T) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) {
			k, org := emailKit(t, b)
			m := k.NewMember(org, "alex")
			app, done := k.Enrol(m, client)
			p := k.Principal(done.SessionToken, client)
			old := addEmail(t, k, p, "alex@fabrikam.com")

			k.Clock.Advance(11 * time.Minute)
			if _, err := beginEmail(k, p, "alex@tailspin.com", old.ID); !errors.Is(err, securityinfo.ErrReauth) {
				t.Fatalf("change with a stale second factor: %v, want ErrReauth", err)
			}
			p = k.Principal(k.SignInMFA(m, app, client).SessionToken, client)
			_, err := beginEmail(k, p, "alex@fabrikam.com", old.ID)
			wantField(t, "change to the same address", err, "emailAddress")
			if _, err := beginEmail(k, p, "alex@tailspin.com", "missing"); twofold.ErrorCode(err) != twofold.ENOTFOUND {
				t.Errorf("change of an unknown method: %v", err)
			}
			ch, err := beginEmail(k, p, "alex@tailspin.com", old.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := k.Store.MethodByID(k.Ctx, m.User.ID, old.ID); got.Email != "alex@fabrikam.com" {
				t.Fatalf("the address changed before the code: %s", got.Email)
			}
			changed, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, k.MailedCode(ch))
			if err != nil {
				t.Fatal(err)
			}
			if changed.ID != old.ID || changed.Email != "alex@tailspin.com" {
				t.Errorf("changed %+v", changed)
			}
			ev := k.Events(m.User.ID, twofold.ActivityUpdated)
			if len(ev) != 1 || !strings.Contains(ev[0].Reason, old.ID) {
				t.Errorf("updated events: %+v", ev)
			}
			// The default stays the app.
			if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceOath {
				t.Errorf("default became %q", u.PreferredMethod)
			}
			// Delete works through the seam like any method.
			if err := k.SecInfo.Delete(k.Ctx, p, old.ID); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if len(k.Events(m.User.ID, twofold.ActivityDeleted)) != 1 {
				t.Error("delete not audited")
			}
		})
	}
}

func TestEmailRefusedWhenThePolicyDisablesIt(t *testing.T) {
	k, org := emailKit(t, testkit.SQLite)
	_, token := bareMember(t, k, org, "alex")
	p := k.Principal(token, client)
	ch, err := beginEmail(k, p, "alex@fabrikam.com", "")
	if err != nil {
		t.Fatal(err)
	}
	k.SetPolicy(org, func(pol *twofold.Policy) {
		pol.EnabledMethods = slices.DeleteFunc(pol.EnabledMethods, func(x twofold.MethodKind) bool { return x == twofold.KindEmail })
	})
	p = k.Principal(token, client)
	if _, err := k.SecInfo.FinishEmail(k.Ctx, p, ch.ID, k.MailedCode(ch)); twofold.ErrorCode(err) != twofold.EFORBIDDEN {
		t.Errorf("finish after email was disabled: %v, want EFORBIDDEN", err)
	}
	if _, err := beginEmail(k, p, "alex@fabrikam.com", ""); twofold.ErrorCode(err) != twofold.EFORBIDDEN {
		t.Errorf("begin while disabled: %v, want EFORBIDDEN", err)
	}
}
