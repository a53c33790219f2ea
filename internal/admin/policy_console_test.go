package admin_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/testkit"
)

func fields(errs []error) []string {
	var out []string
	for _, err := range errs {
		out = append(out, twofold.ErrorField(err))
	}
	return out
}

// Every bad setting is reported at once, each against its own field, not
// only the first one Validate meets.
func TestPolicyProblemsListsEveryProblem(t *testing.T) {
	p := twofold.DefaultPolicy()
	p.MaxAuthenticatorApps = 9
	p.LockoutThreshold = 1
	p.Phone.SendsPerMemberPerDay = 0
	p.Phone.AllowedCountryCodes = []int{1, 4444}
	p.Questions.ToRegister = 7
	p.Questions.ToReset = 2
	p.Campaign.SnoozeDays = 30
	p.MinPasswordLength = 4
	p.TemporaryAccessPass.MaxLifetime = twofold.Duration(time.Minute)
	got := fields(admin.PolicyProblems(p))
	want := []string{"maxAuthenticatorApps", "lockoutThreshold", "phone.sendsPerMemberPerDay", "phone.allowedCountryCodes",
		"minPasswordLength", "securityQuestions.toRegister", "securityQuestions.toReset",
		"registrationCampaign.snoozeDays", "temporaryAccessPass.maxLifetime"}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n got %q\nwant %q", got, want)
	}
	// Validate still names the first of them.
	if f := twofold.ErrorField(p.Validate()); f != "maxAuthenticatorApps" {
		t.Errorf("Validate names %q first", f)
	}
	if errs := admin.PolicyProblems(twofold.DefaultPolicy()); errs != nil {
		t.Errorf("the default policy has problems: %v", errs)
	}
}

// Phones alone can't be the second factor on offer: texts and calls can be
// intercepted, so something stronger must be there to choose instead.
func TestPolicyProblemsPhonesNeedAStrongerMethod(t *testing.T) {
	p := twofold.DefaultPolicy()
	p.EnabledMethods = []twofold.MethodKind{twofold.KindPhone, twofold.KindEmail}
	errs := admin.PolicyProblems(p)
	if len(errs) != 1 || twofold.ErrorField(errs[0]) != "enabledMethods" || !strings.Contains(twofold.ErrorMessage(errs[0]), "intercepted") {
		t.Fatalf("phones only: %v", errs)
	}
	p.EnabledMethods = append(p.EnabledMethods, twofold.KindSoftwareOath)
	if errs := admin.PolicyProblems(p); errs != nil {
		t.Errorf("phones with an authenticator app: %v", errs)
	}
	// With MFA required and no second factor at all, one problem, not two.
	p.EnabledMethods = []twofold.MethodKind{twofold.KindEmail}
	if errs := admin.PolicyProblems(p); len(errs) != 1 {
		t.Errorf("no second factor: %v", errs)
	}
}

func TestPolicyDiffNamesEachChange(t *testing.T) {
	before := twofold.DefaultPolicy()
	after := before
	after.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindFido2}
	after.LockoutThreshold = 5
	after.Phone.AllowedCountryCodes = []int{1, 44}
	after.MFABlockDuration = twofold.Duration(2 * time.Hour)
	got := admin.PolicyDiff(before, after)
	want := []admin.PolicyChange{
		{"enabledMethods", "Methods members may use", "Authenticator app, Phone, Security key, Email, Security questions", "Authenticator app, Security key"},
		{"phone.allowedCountryCodes", "Allowed country calling codes", "any", "1, 44"},
		{"lockoutThreshold", "Wrong passwords before a lockout", "10", "5"},
		{"mfaBlockDuration", "Sign-in codes stay blocked for", "1h", "2h"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("diff\n got %+v\nwant %+v", got, want)
	}
	if d := admin.PolicyDiff(before, before); d != nil {
		t.Errorf("no change: %+v", d)
	}
}

// An admin's change is stored and audited with who, from where and what
// changed; saving the same policy again writes nothing.
func TestSetPolicyStoresAndAudits(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			a := e.admin()
			org, err := e.Admin.Policy(e.Ctx, a, "")
			must(t, "Policy", err)
			p := org.Policy
			p.LockoutThreshold = 7
			p.HelpdeskContact = "Call 555 0100"
			changes, err := e.Admin.SetPolicy(e.Ctx, a, "", p)
			must(t, "SetPolicy", err)
			if len(changes) != 2 {
				t.Fatalf("changes: %+v", changes)
			}
			stored, err := e.Store.OrgByID(e.Ctx, e.org.ID)
			must(t, "reload", err)
			if stored.Policy.LockoutThreshold != 7 || stored.Policy.HelpdeskContact != "Call 555 0100" {
				t.Errorf("stored %+v", stored.Policy)
			}
			events := e.Events(e.org.ID, twofold.ActivityPolicyUpdate)
			if len(events) != 1 {
				t.Fatalf("%d policy events", len(events))
			}
			ev := events[0]
			if ev.ActorID != e.boss.User.ID || ev.ActorName != e.boss.User.Username || ev.IP != e.c.IP ||
				ev.UserAgent != e.c.UserAgent || ev.Result != twofold.ResultSuccess || ev.OrgID != e.org.ID {
				t.Errorf("event %+v", ev)
			}
			if !strings.Contains(ev.Reason, "Wrong passwords before a lockout: 10 → 7") || !strings.Contains(ev.Reason, "Help-desk contact: none → Call 555 0100") {
				t.Errorf("reason %q", ev.Reason)
			}
			again, err := e.Admin.SetPolicy(e.Ctx, a, "", p)
			must(t, "SetPolicy again", err)
			if len(again) != 0 || len(e.Events(e.org.ID, twofold.ActivityPolicyUpdate)) != 1 {
				t.Errorf("unchanged policy: changes %+v", again)
			}
		})
	}
}

// The help desk, tokens without policy.manage and stale second factors are
// refused, and a bad policy is refused with every problem and nothing stored.
func TestSetPolicyRefusals(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	p := twofold.DefaultPolicy()
	p.LockoutThreshold = 50

	desk := e.actor(e.helpdesk, e.Clock.Now())
	_, err := e.Admin.Policy(e.Ctx, desk, "")
	wantCode(t, "help desk reads", err, twofold.EFORBIDDEN)
	_, err = e.Admin.SetPolicy(e.Ctx, desk, "", p)
	wantCode(t, "help desk sets", err, twofold.EFORBIDDEN)

	token := twofold.TokenActor(&twofold.APIToken{OrgID: e.org.ID, Name: "reader", Scopes: []twofold.Scope{twofold.ScopeUsersRead}}, e.c)
	_, err = e.Admin.SetPolicy(e.Ctx, token, "", p)
	wantCode(t, "token without policy.manage", err, twofold.EFORBIDDEN)
	token.Scopes = []twofold.Scope{twofold.ScopePolicyManage}
	if _, err := e.Admin.Policy(e.Ctx, token, ""); err != nil {
		t.Errorf("token with policy.manage: %v", err)
	}

	stale := e.actor(e.boss, e.Clock.Now().Add(-6*time.Minute))
	_, err = e.Admin.SetPolicy(e.Ctx, stale, "", p)
	wantCode(t, "stale second factor", err, twofold.EREAUTH)

	bad := twofold.DefaultPolicy()
	bad.LockoutThreshold, bad.MFAFailureLimit, bad.Reset.MethodsRequired = 0, 1000, 3
	_, err = e.Admin.SetPolicy(e.Ctx, e.admin(), "", bad)
	wantCode(t, "bad policy", err, twofold.EINVALID)
	var pe *admin.PolicyProblemsError
	if !errors.As(err, &pe) || len(pe.Problems()) != 3 || len(admin.Problems(err)) != 3 {
		t.Errorf("bad policy: %v", err)
	}
	stored, _ := e.Store.OrgByID(e.Ctx, e.org.ID)
	if stored.Policy.LockoutThreshold != twofold.DefaultPolicy().LockoutThreshold {
		t.Errorf("a refused or forbidden policy was stored: %+v", stored.Policy)
	}
	if n := len(e.Events(e.org.ID, twofold.ActivityPolicyUpdate)); n != 0 {
		t.Errorf("%d policy events after refusals", n)
	}
	// The CLI names the organization.
	if org, err := e.Admin.Policy(e.Ctx, twofold.CLIActor(), e.org.ID); err != nil || org.ID != e.org.ID {
		t.Errorf("CLI reads: %v", err)
	}
}

// 250 admins' saves at once: every one is stored and audited once with its
// own change, none fails, and the policy in force is one of them.
func TestSetPolicyBurst(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			const n = 250
			errs := testkit.Simultaneously(n, func(i int) error {
				p := twofold.DefaultPolicy()
				p.HelpdeskContact = fmt.Sprintf("desk %03d", i)
				_, err := e.Admin.SetPolicy(e.Ctx, e.admin(), "", p)
				return err
			})
			for i, err := range errs {
				if err != nil {
					t.Fatalf("save %d: %v", i, err)
				}
			}
			stored, err := e.Store.OrgByID(e.Ctx, e.org.ID)
			must(t, "reload", err)
			if !strings.HasPrefix(stored.Policy.HelpdeskContact, "desk ") {
				t.Errorf("stored contact %q", stored.Policy.HelpdeskContact)
			}
			events := e.Events(e.org.ID, twofold.ActivityPolicyUpdate)
			if len(events) != n {
				t.Fatalf("%d policy events, want %d", len(events), n)
			}
			seen := map[string]bool{}
			befores := map[string]int{}
			for _, ev := range events {
				change, after, _ := strings.Cut(ev.Reason, " → ")
				_, before, _ := strings.Cut(change, ": ")
				if ev.ActorID != e.boss.User.ID || seen[after] || !strings.HasPrefix(after, "desk ") {
					t.Errorf("event %+v (after %q, seen %v)", ev, after, seen[after])
				}
				seen[after] = true
				befores[before]++
			}
			// The saves ran one after another: each replaced what the one
			// before it stored, so the "before" values are the first policy's
			// contact and every stored contact but the last, each once.
			for before, n := range befores {
				if n != 1 || (before != "none" && (!seen[before] || before == stored.Policy.HelpdeskContact)) {
					t.Errorf("%d audit records replaced %q; want each value replaced once, and only values a save stored before", n, before)
				}
			}
		})
	}
}

// Another replica's save is seen at once, though organizations are cached
// for a few seconds: the form and the diff start from the policy in force.
func TestPolicyReadsPastTheCache(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	a := e.admin()
	org, err := e.Admin.Policy(e.Ctx, a, "")
	must(t, "Policy", err)
	elsewhere := org.Policy
	elsewhere.LockoutThreshold = 42
	must(t, "save on another replica", e.Store.UpdatePolicy(e.Ctx, e.org.ID, elsewhere)) // past this process's cache
	org, err = e.Admin.Policy(e.Ctx, a, "")
	must(t, "Policy again", err)
	if org.Policy.LockoutThreshold != 42 {
		t.Errorf("Policy shows lockout threshold %d, want the saved 42", org.Policy.LockoutThreshold)
	}
	p := org.Policy
	p.HelpdeskContact = "desk"
	changes, err := e.Admin.SetPolicy(e.Ctx, a, "", p)
	must(t, "SetPolicy", err)
	if len(changes) != 1 || changes[0].Field != "helpdeskContact" {
		t.Errorf("changes %+v, want only the contact", changes)
	}
}
