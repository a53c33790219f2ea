package registrations_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/registrations"
)

// TestKnownPopulation counts a population whose every figure is worked out by
// hand, under the default policy and under one that turns phones and reset off.
func TestKnownPopulation(t *testing.T) {
	onBackends(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		o := e.org("known.example")
		ann := e.user(o, "ann", twofold.RoleMember)
		e.active(ann, twofold.KindSoftwareOath) // MFA, reset
		bob := e.user(o, "bob", twofold.RoleMember)
		e.phone(bob, twofold.PhoneAlternateMobile) // MFA; an alternate mobile never proves a reset
		cat := e.user(o, "cat", twofold.RoleMember)
		e.active(cat, twofold.KindEmail) // reset only
		dan := e.user(o, "dan", twofold.RoleAdmin)
		e.active(dan, twofold.KindEmail) // an admin needs two, and questions don't count for them
		e.active(dan, twofold.KindSecurityQuestions)
		eve := e.user(o, "eve", twofold.RoleAdmin)
		e.active(eve, twofold.KindSoftwareOath)
		e.phone(eve, twofold.PhoneMobile)
		fay := e.user(o, "fay", twofold.RoleMember)
		e.method(fay, twofold.KindSoftwareOath, "", twofold.MethodPending) // nothing yet
		gil := e.user(o, "gil", twofold.RoleHelpdesk)
		e.active(gil, twofold.KindFido2)
		// Another organization's members are not counted.
		other := e.org("other.example")
		e.active(e.user(other, "zed", twofold.RoleMember), twofold.KindSoftwareOath)

		a := staff(o, twofold.RoleAdmin)
		sum, err := e.svc.Summary(ctx, a, "")
		if err != nil {
			t.Fatal(err)
		}
		want := registrations.Figures{Members: 7, MFARegistered: 4, MFACapable: 4, SSPRRegistered: 4, SSPRCapable: 4}
		if sum.Figures != want {
			t.Errorf("default policy: %+v, want %+v", sum.Figures, want)
		}
		wantKinds := map[twofold.MethodKind]int{twofold.KindSoftwareOath: 2, twofold.KindPhone: 2, twofold.KindFido2: 1,
			twofold.KindEmail: 2, twofold.KindSecurityQuestions: 1, twofold.KindTemporaryAccessPass: 0}
		if len(sum.ByMethod) != len(wantKinds) {
			t.Errorf("by method: %+v", sum.ByMethod)
		}
		for _, mc := range sum.ByMethod {
			if n, ok := wantKinds[mc.Kind]; !ok || n != mc.Members || mc.Label == "" {
				t.Errorf("by method %s (%q) = %d, want %d", mc.Kind, mc.Label, mc.Members, n)
			}
		}
		if len(sum.History) != 1 || !sum.History[0].Now || sum.History[0].Figures != want {
			t.Errorf("history without snapshots = %+v", sum.History)
		}

		rows := allDetails(t, e, a, 3)
		byName := map[string]registrations.Detail{}
		for _, d := range rows {
			byName[d.Username] = d
		}
		if len(rows) != 7 {
			t.Fatalf("%d detail rows, want 7", len(rows))
		}
		if d := byName[bob.Username]; !d.MFARegistered || !d.MFACapable || d.SSPRRegistered ||
			!slices.Equal(d.Methods, []string{"alternateMobilePhone"}) || d.Default != twofold.PreferenceVoiceAlternate {
			t.Errorf("bob = %+v", d)
		}
		if d := byName[dan.Username]; !d.IsAdmin || d.MFARegistered || d.SSPRRegistered ||
			!slices.Equal(d.Methods, []string{"email", "securityQuestions"}) || d.Default != twofold.PreferenceNone || d.DefaultLabel != "None" {
			t.Errorf("dan = %+v", d)
		}
		if d := byName[eve.Username]; !d.IsAdmin || !d.SSPRCapable || !slices.Equal(d.Methods, []string{"softwareOath", "mobilePhone"}) ||
			d.Default != twofold.PreferenceOath {
			t.Errorf("eve = %+v", d)
		}
		if d := byName[fay.Username]; d.MFARegistered || len(d.Methods) != 0 || d.SSPRRegistered || !d.SSPREnabled {
			t.Errorf("fay = %+v", d)
		}
		if f, _ := tally(rows); f != want {
			t.Errorf("details add up to %+v, want %+v", f, want)
		}

		// Phones off and reset off: registered stays, capable follows the policy.
		e.policy(o, func(p *twofold.Policy) {
			p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindFido2, twofold.KindEmail, twofold.KindSecurityQuestions}
			p.Reset.Enabled = false
		})
		sum, err = e.svc.Summary(ctx, a, "")
		if err != nil {
			t.Fatal(err)
		}
		want = registrations.Figures{Members: 7, MFARegistered: 4, MFACapable: 3, SSPRRegistered: 3, SSPRCapable: 0}
		if sum.Figures != want || sum.ResetEnabled {
			t.Errorf("phones and reset off: %+v, want %+v", sum.Figures, want)
		}
		if f, _ := tally(allDetails(t, e, a, 100)); f != want {
			t.Errorf("details add up to %+v, want %+v", f, want)
		}
	})
}

// TestSummaryAgreesWithEveryMember checks, on a varied population under
// several policies, that the counts made in SQL equal the per-member rules
// applied to every member's methods in Go.
func TestSummaryAgreesWithEveryMember(t *testing.T) {
	onBackends(t, func(t *testing.T, e *env) {
		o := e.org("many.example")
		r := rand.New(rand.NewPCG(10, 15))
		roles := []twofold.Role{twofold.RoleMember, twofold.RoleMember, twofold.RoleMember, twofold.RoleHelpdesk, twofold.RoleAdmin}
		for i := range 150 {
			u := e.user(o, "m"+string(rune('a'+i%26))+string(rune('a'+i/26)), roles[r.IntN(len(roles))])
			for _, k := range []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindFido2, twofold.KindEmail,
				twofold.KindSecurityQuestions, twofold.KindTemporaryAccessPass} {
				if r.IntN(3) == 0 {
					state := twofold.MethodActive
					if r.IntN(6) == 0 {
						state = twofold.MethodPending
					}
					e.method(u, k, "", state)
				}
			}
			for _, pt := range []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneAlternateMobile, twofold.PhoneOffice} {
				if r.IntN(3) == 0 {
					e.phone(u, pt)
				}
			}
		}
		policies := map[string]func(p *twofold.Policy){
			"default": func(p *twofold.Policy) {},
			"two for reset, texts only": func(p *twofold.Policy) {
				p.Reset.MethodsRequired = 2
				p.Phone.Call, p.Phone.Office, p.Phone.AlternateMobile = false, false, false
			},
			"calls only, questions and email for reset": func(p *twofold.Policy) {
				p.Phone.Text = false
				p.Reset.Methods = []twofold.MethodKind{twofold.KindSecurityQuestions, twofold.KindEmail, twofold.KindPhone}
			},
			"apps only": func(p *twofold.Policy) {
				p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath}
			},
		}
		a := staff(o, twofold.RoleHelpdesk)
		for name, change := range policies {
			o.Policy = twofold.DefaultPolicy()
			e.policy(o, change)
			sum, err := e.svc.Summary(t.Context(), a, "")
			if err != nil {
				t.Fatal(err)
			}
			rows := allDetails(t, e, a, 7)
			f, byKind := tally(rows)
			if sum.Figures != f {
				t.Errorf("%s: summary %+v, members one by one %+v", name, sum.Figures, f)
			}
			for _, mc := range sum.ByMethod {
				if byKind[string(mc.Kind)] != mc.Members {
					t.Errorf("%s: %s summary %d, members one by one %d", name, mc.Kind, mc.Members, byKind[string(mc.Kind)])
				}
			}
			if f.Members != 150 || f.MFACapable == 0 || f.MFACapable == f.Members || f.SSPRRegistered == 0 {
				t.Errorf("%s: population too uniform to tell anything: %+v", name, f)
			}
		}
	})
}

// TestReportAccess: staff read their own organization only, a token needs
// audit.read, members get nothing, and bad paging is refused clearly.
func TestReportAccess(t *testing.T) {
	onBackends(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		o := e.org("mine.example")
		other := e.org("theirs.example")
		e.active(e.user(o, "ann", twofold.RoleMember), twofold.KindSoftwareOath)
		e.user(other, "zed", twofold.RoleMember)
		e.user(other, "zoe", twofold.RoleMember)

		// The orgID argument is the CLI's; staff always read their own.
		sum, err := e.svc.Summary(ctx, staff(o, twofold.RoleHelpdesk), other.ID)
		if err != nil || sum.OrgID != o.ID || sum.Members != 1 {
			t.Errorf("help desk naming another org = %+v, %v", sum, err)
		}
		if _, err := e.svc.Summary(ctx, staff(o, twofold.RoleMember), ""); twofold.ErrorCode(err) != twofold.EFORBIDDEN {
			t.Errorf("a member: %v", err)
		}
		tok := &twofold.Actor{OrgID: o.ID, Name: "token:x", Role: twofold.RoleAdmin, Scopes: []twofold.Scope{twofold.ScopeUsersRead}}
		if _, err := e.svc.Details(ctx, tok, registrations.DetailsQuery{}); twofold.ErrorCode(err) != twofold.EFORBIDDEN {
			t.Errorf("a token without audit.read: %v", err)
		}
		tok.Scopes = []twofold.Scope{twofold.ScopeAuditRead}
		if page, err := e.svc.Details(ctx, tok, registrations.DetailsQuery{OrgID: other.ID}); err != nil || len(page.Rows) != 1 {
			t.Errorf("a token with audit.read = %+v, %v", page, err)
		}
		cli := twofold.CLIActor()
		if sum, err := e.svc.Summary(ctx, cli, other.ID); err != nil || sum.Members != 2 {
			t.Errorf("CLI on the other org = %+v, %v", sum, err)
		}
		if _, err := e.svc.Summary(ctx, cli, "no-such-org"); twofold.ErrorCode(err) != twofold.ENOTFOUND {
			t.Errorf("CLI on no org: %v", err)
		}
		if _, err := e.svc.Summary(ctx, cli, ""); twofold.ErrorCode(err) != twofold.EINVALID {
			t.Errorf("CLI naming no org: %v", err)
		}
		for _, q := range []registrations.DetailsQuery{{After: "!!!"}, {Limit: 1001}, {Limit: -1}} {
			if _, err := e.svc.Details(ctx, staff(o, twofold.RoleAdmin), q); twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorMessage(err) == "" {
				t.Errorf("details %+v: %v", q, err)
			}
		}
	})
}

// TestSnapshots: the worker stores each organization's day once, however
// often it runs, and the summary shows the last 30 days and now.
func TestSnapshots(t *testing.T) {
	onBackends(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		o := e.org("days.example")
		e.org("quiet.example")
		ann := e.user(o, "ann", twofold.RoleMember)
		e.active(ann, twofold.KindSoftwareOath)
		first := e.clock.Now()
		if n, err := e.svc.Snapshot(ctx); err != nil || n != 2 {
			t.Fatalf("first snapshot = %d, %v; want both organizations", n, err)
		}
		if n, err := e.svc.Snapshot(ctx); err != nil || n != 0 {
			t.Fatalf("again the same day = %d, %v", n, err)
		}
		e.clock.Advance(24 * time.Hour)
		e.user(o, "bob", twofold.RoleMember)
		if n, err := e.svc.Snapshot(ctx); err != nil || n != 2 {
			t.Fatalf("next day = %d, %v", n, err)
		}
		e.active(e.user(o, "cat", twofold.RoleMember), twofold.KindEmail)
		sum, err := e.svc.Summary(ctx, staff(o, twofold.RoleAdmin), "")
		if err != nil {
			t.Fatal(err)
		}
		h := sum.History
		if len(h) != 3 || h[0].Now || h[1].Now || !h[2].Now {
			t.Fatalf("history = %+v", h)
		}
		y, m, d := first.Date()
		if !h[0].Day.Equal(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) || !h[1].Day.Equal(h[0].Day.AddDate(0, 0, 1)) {
			t.Errorf("days = %v, %v", h[0].Day, h[1].Day)
		}
		if h[0].Members != 1 || h[0].MFARegistered != 1 || h[1].Members != 2 || h[1].MFARegistered != 1 ||
			h[2].Members != 3 || h[2].SSPRRegistered != 2 {
			t.Errorf("history figures = %+v", h)
		}
		// Thirty-one days on, the first day has left the window.
		e.clock.Advance(30 * 24 * time.Hour)
		sum, err = e.svc.Summary(ctx, staff(o, twofold.RoleAdmin), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.History) != 2 || !sum.History[0].Day.Equal(h[1].Day) {
			t.Errorf("history after 31 days = %+v", sum.History)
		}
	})
}
