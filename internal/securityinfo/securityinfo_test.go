package securityinfo_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
	"github.com/twofold-id/twofold/internal/useragent"
)

var client = testkit.Client("198.51.100.80")

// member is a signed-in member with one app; token's second factor is fresh.
type member struct {
	*testkit.Member
	app   *testkit.App
	token string
}

func newMember(t *testing.T, k *testkit.Kit, org *twofold.Organization, local string) *member {
	t.Helper()
	m := k.NewMember(org, local)
	app, r := k.Enrol(m, client)
	return &member{Member: m, app: app, token: r.SessionToken}
}

func setup(t *testing.T) (*testkit.Kit, *member) {
	t.Helper()
	k := testkit.New(t)
	return k, newMember(t, k, k.NewOrg("contoso.com"), "ada")
}

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := twofold.ErrorCode(err); got != want {
		t.Fatalf("%s: %q (%v), want %q", what, got, err, want)
	}
}

// addApp adds an authenticator app through BeginApp and ActivateApp.
func addApp(t *testing.T, k *testkit.Kit, p *twofold.Principal, name string) (*testkit.App, error) {
	t.Helper()
	e, err := k.SecInfo.BeginApp(k.Ctx, p)
	if err != nil {
		return nil, err
	}
	secret, err := testkit.ParseSecret(e.Secret)
	if err != nil {
		t.Fatal(err)
	}
	app := &testkit.App{MethodID: e.MethodID, Secret: secret}
	_, err = k.SecInfo.ActivateApp(k.Ctx, p, e.MethodID, name, app.Code(k.Clock.Now()))
	return app, err
}

// counts is how many audit events of each activity and notifications a member has.
type counts struct {
	events   map[string]int
	messages int
}

func count(k *testkit.Kit, m *member) counts {
	c := counts{events: map[string]int{}, messages: len(k.Messages(m.Member))}
	for _, e := range k.Events(m.User.ID, "") {
		c.events[e.Activity]++
	}
	return c
}

func TestStaleSecondFactorNeedsReverify(t *testing.T) {
	k, m := setup(t)
	k.Clock.Advance(10*time.Minute + time.Second)
	p := k.Principal(m.token, client)
	_, err := k.SecInfo.Overview(k.Ctx, p)
	wantCode(t, "Overview with a stale second factor", err, twofold.EREAUTH)
	if _, err := k.SecInfo.BeginApp(k.Ctx, p); twofold.ErrorCode(err) != twofold.EREAUTH {
		t.Fatalf("BeginApp with a stale second factor: %v", err)
	}
	if err := k.SecInfo.Delete(k.Ctx, p, m.app.MethodID); twofold.ErrorCode(err) != twofold.EREAUTH {
		t.Fatalf("Delete with a stale second factor: %v", err)
	}
	if _, err := k.SecInfo.Reverify(k.Ctx, p, "", testkit.WrongCode(m.app.Secret, k.Clock.Now())); twofold.ErrorCode(err) != twofold.EINVALID {
		t.Fatalf("Reverify with a wrong code: %v, want EINVALID", err)
	}
	token, err := k.SecInfo.Reverify(k.Ctx, p, "", k.FreshCode(m.app))
	if err != nil {
		t.Fatalf("Reverify: %v", err)
	}
	// The fresh proof is stored with the session, not only in this Principal,
	// and only the new token reaches it.
	if _, err := k.SecInfo.Overview(k.Ctx, k.Principal(token, client)); err != nil {
		t.Fatalf("Overview after Reverify: %v", err)
	}
	if _, err := k.Session.Authenticate(k.Ctx, m.token, client); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
		t.Fatalf("the token from before Reverify: %v, want EUNAUTHORIZED", err)
	}
}

func TestAddApp(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	before := count(k, m)
	if _, err := addApp(t, k, p, "Tablet"); err != nil {
		t.Fatalf("second app: %v", err)
	}
	after := count(k, m)
	if after.events[twofold.ActivityRegistered] != before.events[twofold.ActivityRegistered]+1 {
		t.Errorf("%q events %d → %d, want one more", twofold.ActivityRegistered, before.events[twofold.ActivityRegistered], after.events[twofold.ActivityRegistered])
	}
	if after.messages != before.messages+1 {
		t.Fatalf("notifications %d → %d, want one more", before.messages, after.messages)
	}
	var msg *twofold.Message // messages at one fake instant have no order, so look for it
	for _, x := range k.Messages(m.Member) {
		if strings.Contains(x.Body, `"Tablet"`) {
			msg = x
		}
	}
	if msg == nil || msg.UserID != m.User.ID || !strings.Contains(msg.Body, client.IP) || !strings.Contains(msg.Body, "Browser: "+useragent.Summary(client.UserAgent)) {
		t.Errorf("notification = %+v, want one to the member naming the app and where from", msg)
	}
	o, err := k.SecInfo.Overview(k.Ctx, p)
	if err != nil || len(o.Methods) != 2 || o.Default != twofold.PreferenceOath {
		t.Fatalf("Overview = %+v, %v; want 2 methods, default oath", o, err)
	}
}

func TestAppLimit(t *testing.T) {
	t.Run("default of 5", func(t *testing.T) {
		k, m := setup(t)
		p := k.Principal(m.token, client)
		for i := 2; i <= 5; i++ {
			if _, err := addApp(t, k, p, ""); err != nil {
				t.Fatalf("app %d: %v", i, err)
			}
		}
		_, err := k.SecInfo.BeginApp(k.Ctx, p)
		wantCode(t, "6th app", err, twofold.ECONFLICT)
		// At the app limit only a phone, a security key, an email and security
		// questions are still offered (the default policy enables them and the
		// member has none).
		if o, _ := k.SecInfo.Overview(k.Ctx, p); len(o.CanAdd) != 4 || o.CanAdd[0].Kind != twofold.KindPhone || o.CanAdd[1].Kind != twofold.KindFido2 ||
			o.CanAdd[2].Kind != twofold.KindEmail || o.CanAdd[3].Kind != twofold.KindSecurityQuestions {
			t.Errorf("Overview offers %v at the app limit, want a phone, a security key, an email and security questions", o.CanAdd)
		}
	})
	t.Run("two setups begun under the limit", func(t *testing.T) {
		k, m := setup(t)
		k.SetPolicy(m.Org, func(p *twofold.Policy) { p.MaxAuthenticatorApps = 2 })
		p := k.Principal(m.token, client)
		e1, err1 := k.SecInfo.BeginApp(k.Ctx, p)
		e2, err2 := k.SecInfo.BeginApp(k.Ctx, p)
		if err1 != nil || err2 != nil {
			t.Fatalf("BeginApp: %v, %v", err1, err2)
		}
		for i, e := range []string{e1.MethodID, e2.MethodID} {
			enr := []string{e1.Secret, e2.Secret}[i]
			secret, _ := testkit.ParseSecret(enr)
			_, err := k.SecInfo.ActivateApp(k.Ctx, p, e, "", testkit.TOTP(secret, k.Clock.Now()))
			if want := []string{"", twofold.ECONFLICT}[i]; twofold.ErrorCode(err) != want {
				t.Fatalf("activate setup %d: %v, want %q", i+1, err, want)
			}
		}
	})
	t.Run("policy lowered to 1", func(t *testing.T) {
		k, m := setup(t)
		k.SetPolicy(m.Org, func(p *twofold.Policy) { p.MaxAuthenticatorApps = 1 })
		_, err := k.SecInfo.BeginApp(k.Ctx, k.Principal(m.token, client))
		wantCode(t, "2nd app under a limit of 1", err, twofold.ECONFLICT)
	})
}

func TestPolicyDisablesApps(t *testing.T) {
	t.Run("MFA still required", func(t *testing.T) {
		// Requiring MFA while nothing registrable is enabled would lock every member
		// out at the interrupt, so the policy change itself is refused. Security keys
		// cannot be registered yet, so keys alone are refused. Phones can, but texts
		// and calls are a restricted method (NIST SP 800-63B §3.1.3.3): members must
		// always be able to choose something stronger, so phones alone are refused
		// too, whether MFA is required or not.
		k, m := setup(t)
		org, err := k.Store.OrgByID(k.Ctx, m.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := org.Policy
		p.EnabledMethods = []twofold.MethodKind{twofold.KindFido2}
		err = k.Admin.UpdatePolicy(k.Ctx, "test", org, p)
		wantCode(t, "MFA required with only security keys enabled", err, twofold.EINVALID)
		if after, _ := k.Store.OrgByID(k.Ctx, m.Org.ID); !after.Policy.MethodEnabled(twofold.KindSoftwareOath) {
			t.Fatalf("a refused policy was stored: %+v", after.Policy)
		}
		for _, mfa := range []bool{true, false} {
			p.EnabledMethods, p.MFARequired = []twofold.MethodKind{twofold.KindPhone, twofold.KindFido2}, mfa
			err = k.Admin.UpdatePolicy(k.Ctx, "test", org, p)
			wantCode(t, fmt.Sprintf("phones as the only registrable second factor (MFA required: %v)", mfa), err, twofold.EINVALID)
			if e := twofold.ErrorMessage(err); !strings.Contains(e, "intercepted") {
				t.Errorf("phones alone refused with %q, want the reason", e)
			}
			if after, _ := k.Store.OrgByID(k.Ctx, m.Org.ID); !after.Policy.MethodEnabled(twofold.KindSoftwareOath) {
				t.Fatalf("a refused policy was stored: %+v", after.Policy)
			}
		}
		p.EnabledMethods, p.MFARequired = []twofold.MethodKind{twofold.KindPhone, twofold.KindSoftwareOath}, true
		if err := k.Admin.UpdatePolicy(k.Ctx, "test", org, p); err != nil {
			t.Fatalf("phones with authenticator apps: %v", err)
		}
	})
	t.Run("apps disabled", func(t *testing.T) {
		k, m := setup(t)
		k.SetPolicy(m.Org, func(p *twofold.Policy) {
			p.EnabledMethods = []twofold.MethodKind{twofold.KindEmail}
			p.MFARequired = false
		})
		p := k.Principal(m.token, client)
		_, err := k.SecInfo.BeginApp(k.Ctx, p)
		wantCode(t, "BeginApp with apps disabled", err, twofold.EFORBIDDEN)
		o, err := k.SecInfo.Overview(k.Ctx, p)
		// Email is all that may be added: it is no second factor.
		if err != nil || len(o.NotOffered) != 1 || !o.NoDefaultNotice || len(o.CanAdd) != 1 || o.CanAdd[0].Kind != twofold.KindEmail {
			t.Fatalf("Overview = %+v, %v; want the app listed as not offered, no default, only email to add", o, err)
		}
	})
	t.Run("MFA not required", func(t *testing.T) {
		k, m := setup(t)
		k.SetPolicy(m.Org, func(p *twofold.Policy) {
			p.EnabledMethods = []twofold.MethodKind{twofold.KindEmail}
			p.MFARequired = false
		})
		r, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, client)
		if err != nil || r.State != twofold.FlowSignedIn || !r.Session.MFAAt.IsZero() {
			t.Fatalf("sign-in: %+v, %v; want signed in on the password alone", r, err)
		}
	})
	t.Run("flow started before the change", func(t *testing.T) {
		k, m := setup(t)
		r, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, client)
		if err != nil {
			t.Fatal(err)
		}
		k.SetPolicy(m.Org, func(p *twofold.Policy) {
			p.EnabledMethods = []twofold.MethodKind{twofold.KindEmail}
			p.MFARequired = false
		})
		_, err = k.SignIn.Verify(k.Ctx, r.FlowID, m.app.MethodID, k.FreshCode(m.app), client)
		wantCode(t, "Verify with a disabled app", err, twofold.ENOTFOUND)
	})
}

func TestDeleteOtherMembersMethod(t *testing.T) {
	k, ada := setup(t)
	bob := newMember(t, k, ada.Org, "bob")
	adaBefore, bobBefore := count(k, ada), count(k, bob)
	err := k.SecInfo.Delete(k.Ctx, k.Principal(ada.token, client), bob.app.MethodID)
	wantCode(t, "Delete of bob's method by ada", err, twofold.ENOTFOUND)
	if _, err := k.Store.MethodByID(k.Ctx, bob.User.ID, bob.app.MethodID); err != nil {
		t.Errorf("bob's method: %v", err)
	}
	if ms, _ := k.Store.ListMethods(k.Ctx, ada.User.ID, ""); len(ms) != 1 {
		t.Errorf("ada has %d methods, want 1", len(ms))
	}
	if a, b := count(k, ada), count(k, bob); a.messages != adaBefore.messages || b.messages != bobBefore.messages ||
		a.events[twofold.ActivityDeleted]+b.events[twofold.ActivityDeleted] != 0 {
		t.Errorf("a refused delete left traces: ada %+v bob %+v", a, b)
	}
}

func TestDeleteOnlyApp(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	before := count(k, m)
	if err := k.SecInfo.Delete(k.Ctx, p, m.app.MethodID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if got := k.User(m.User.ID).PreferredMethod; got != twofold.PreferenceNone {
		t.Errorf("default after deleting the only app = %q, want none", got)
	}
	o, err := k.SecInfo.Overview(k.Ctx, p)
	if err != nil || !o.NoDefaultNotice || o.Default != twofold.PreferenceNone || o.DefaultLabel != "" || len(o.Methods) != 0 {
		t.Fatalf("Overview = %+v, %v; want no methods, no default, the notice", o, err)
	}
	after := count(k, m)
	if after.events[twofold.ActivityDeleted] != before.events[twofold.ActivityDeleted]+1 ||
		after.events[twofold.ActivityChangedDefault] != before.events[twofold.ActivityChangedDefault]+1 {
		t.Errorf("events %v → %v, want one delete and one default change", before.events, after.events)
	}
	if after.messages != before.messages+1 {
		t.Errorf("notifications %d → %d, want one more", before.messages, after.messages)
	}
}

func TestDeleteDefaultMovesToRemainingApp(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	second, err := addApp(t, k, p, "Tablet")
	if err != nil {
		t.Fatal(err)
	}
	if err := k.SecInfo.Delete(k.Ctx, p, m.app.MethodID); err != nil {
		t.Fatal(err)
	}
	o, err := k.SecInfo.Overview(k.Ctx, p)
	if err != nil || o.Default != twofold.PreferenceOath || o.NoDefaultNotice || len(o.Methods) != 1 || o.Methods[0].Method.ID != second.MethodID {
		t.Fatalf("Overview = %+v, %v; want the tablet as the default", o, err)
	}
}

func TestSetDefault(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	for _, bad := range []twofold.SignInPreference{"", twofold.PreferenceNone, twofold.PreferenceSMS, twofold.PreferenceVoice, twofold.PreferenceFido2, "bogus", "OATH"} {
		err := k.SecInfo.SetDefault(k.Ctx, p, bad)
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "preference" {
			t.Errorf("SetDefault(%q): %v, want EINVALID on preference", bad, err)
		}
	}
	before := count(k, m)
	if err := k.SecInfo.SetDefault(k.Ctx, p, twofold.PreferenceOath); err != nil {
		t.Fatalf("SetDefault(oath): %v", err)
	}
	after := count(k, m)
	if after.events[twofold.ActivityChangedDefault] != before.events[twofold.ActivityChangedDefault]+1 || after.messages != before.messages+1 {
		t.Errorf("SetDefault: events %v → %v, messages %d → %d", before.events, after.events, before.messages, after.messages)
	}
}

// Every change is audited under its activity name, for the member, from the
// client, and notified to the member.
func TestEveryChangeIsAuditedAndNotified(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	var added *testkit.App
	for _, tc := range []struct {
		activity string
		change   func() error
	}{
		{twofold.ActivityRegistered, func() (err error) { added, err = addApp(t, k, p, "Tablet"); return err }},
		{twofold.ActivityChangedDefault, func() error { return k.SecInfo.SetDefault(k.Ctx, p, twofold.PreferenceOath) }},
		{twofold.ActivityDeleted, func() error { return k.SecInfo.Delete(k.Ctx, p, added.MethodID) }},
	} {
		before := count(k, m)
		if err := tc.change(); err != nil {
			t.Fatalf("%s: %v", tc.activity, err)
		}
		after := count(k, m)
		if after.events[tc.activity] != before.events[tc.activity]+1 {
			t.Errorf("%s: not audited", tc.activity)
		}
		if after.messages != before.messages+1 {
			t.Errorf("%s: %d notifications, want 1", tc.activity, after.messages-before.messages)
		}
		e := k.Events(m.User.ID, tc.activity)[0]
		if e.OrgID != m.Org.ID || e.ActorID != m.User.ID || e.Result != twofold.ResultSuccess || e.IP != client.IP || e.UserAgent != client.UserAgent {
			t.Errorf("%s: event %+v", tc.activity, e)
		}
	}
}

// A change whose notice cannot be written is not kept: the change, its audit event
// and its notice commit together or not at all.
func TestChangeCommitsWithItsAuditAndNotice(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	if _, err := addApp(t, k, p, "Second"); err != nil {
		t.Fatal(err)
	}
	before := count(k, m)
	k.Exec(`ALTER TABLE messages RENAME TO messages_gone`)
	if err := k.SecInfo.Delete(k.Ctx, p, m.app.MethodID); err == nil {
		t.Fatal("Delete succeeded although its notice could not be written")
	}
	if err := k.SecInfo.SetDefault(k.Ctx, p, twofold.PreferenceOath); err == nil {
		t.Fatal("SetDefault succeeded although its notice could not be written")
	}
	k.Exec(`ALTER TABLE messages_gone RENAME TO messages`)
	if _, err := k.Store.MethodByID(k.Ctx, m.User.ID, m.app.MethodID); err != nil {
		t.Fatalf("the method is gone although the delete failed: %v", err)
	}
	if after := count(k, m); after.events[twofold.ActivityDeleted] != before.events[twofold.ActivityDeleted] ||
		after.events[twofold.ActivityChangedDefault] != before.events[twofold.ActivityChangedDefault] ||
		after.messages != before.messages {
		t.Fatalf("a failed change left traces: before %+v, after %+v", before, after)
	}
	// With the table back, the same delete goes through with its event and notice.
	if err := k.SecInfo.Delete(k.Ctx, p, m.app.MethodID); err != nil {
		t.Fatal(err)
	}
	if after := count(k, m); after.events[twofold.ActivityDeleted] != before.events[twofold.ActivityDeleted]+1 || after.messages != before.messages+1 {
		t.Fatalf("delete after repair: before %+v, after %+v", before, after)
	}
}
