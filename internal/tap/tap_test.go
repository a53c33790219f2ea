package tap_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/tap"
	"github.com/twofold-id/twofold/internal/testkit"
)

// env is a kit with one organization whose policy allows passes, its admin, a
// help desk member and a plain member, and the pass service.
type env struct {
	*testkit.Kit
	org      *twofold.Organization
	boss     *testkit.Member
	helpdesk *testkit.Member
	member   *testkit.Member
	passes   *tap.Service
	c        twofold.Client
}

func newEnv(t *testing.T, backend string) *env {
	t.Helper()
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	e := &env{Kit: k, c: testkit.Client("203.0.113.7")}
	e.org = k.NewOrg("contoso.com")
	k.SetPolicy(e.org, func(p *twofold.Policy) {
		p.EnabledMethods = append(p.EnabledMethods, twofold.KindTemporaryAccessPass)
	})
	e.boss = k.NewAdmin(e.org, "boss")
	e.helpdesk = k.NewMember(e.org, "desk")
	must(t, "make help desk", k.Admin.SetRole(k.Ctx, twofold.CLIActor(), e.helpdesk.User.ID, twofold.RoleHelpdesk))
	e.member = k.NewMember(e.org, "alex")
	e.passes = &tap.Service{Store: k.Store, Audit: k.Audit, Now: k.Clock.Now}
	return e
}

// actor is m acting in the console with a second factor proven just now.
func (e *env) actor(m *testkit.Member) *twofold.Actor {
	u := e.User(m.User.ID)
	return &twofold.Actor{OrgID: u.OrgID, UserID: u.ID, Name: u.Username, Role: u.Role, Client: e.c, MFAAt: e.Clock.Now()}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := twofold.ErrorCode(err); got != want {
		t.Errorf("%s: code %q (%v), want %q", what, got, err, want)
	}
}

var passShape = regexp.MustCompile(`^[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}$`)

// An issued pass is shown once in a typable shape, kept only as its hash, lasts
// the policy's default, and is audited and told to the member.
func TestIssueHashesAuditsAndNotifies(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			got, err := e.passes.Issue(e.Ctx, e.actor(e.boss), e.member.User.ID, tap.Request{})
			must(t, "Issue", err)
			if !passShape.MatchString(got.Pass) {
				t.Errorf("pass %q is not four groups of four unambiguous symbols", got.Pass)
			}
			now := e.Clock.Now().UTC()
			if got.Method.PassHash != "" || !got.Method.ExpiresAt.Equal(now.Add(time.Hour)) || got.Method.UsableOnce {
				t.Errorf("issued method = %+v, want no hash, one hour, reusable", got.Method)
			}
			var stored string
			must(t, "read row", e.DB().QueryRowContext(e.Ctx, `SELECT pass_hash FROM methods WHERE id = $1`, got.Method.ID).Scan(&stored))
			if stored != twofold.HashToken(tap.Normalize(got.Pass)) {
				t.Errorf("stored %q, want the pass's SHA-256", stored)
			}
			if len(e.Events(e.member.User.ID, twofold.ActivityAdminRegistered)) != 1 {
				t.Error("issuing was not audited as Admin registered security info")
			}
			if len(e.Messages(e.member)) == 0 {
				t.Error("the member was not told")
			}
			list, err := e.passes.List(e.Ctx, e.actor(e.helpdesk), e.member.User.ID)
			must(t, "List", err)
			if len(list) != 1 || list[0].ID != got.Method.ID || list[0].PassHash != "" {
				t.Errorf("List = %+v", list)
			}
		})
	}
}

// Issuing again replaces the member's pass: the old one stops working, and
// racing issues still leave exactly one pass.
func TestIssueReplacesThePass(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			a := e.actor(e.boss)
			first, err := e.passes.Issue(e.Ctx, a, e.member.User.ID, tap.Request{})
			must(t, "first Issue", err)
			second, err := e.passes.Issue(e.Ctx, a, e.member.User.ID, tap.Request{OneTime: true})
			must(t, "second Issue", err)
			if _, err := e.Store.MethodByID(e.Ctx, e.member.User.ID, first.Method.ID); twofold.ErrorCode(err) != twofold.ENOTFOUND {
				t.Errorf("old pass still stored: %v", err)
			}
			errs := testkit.Simultaneously(20, func(int) error {
				_, err := e.passes.Issue(e.Ctx, a, e.member.User.ID, tap.Request{})
				return err
			})
			for i, err := range errs {
				must(t, "racing Issue "+string(rune('a'+i)), err)
			}
			list, err := e.passes.List(e.Ctx, a, e.member.User.ID)
			must(t, "List", err)
			if len(list) != 1 || list[0].ID == second.Method.ID {
				t.Errorf("after racing issues the member holds %d passes (%+v)", len(list), list)
			}
		})
	}
}

// Who may issue: admins to anyone in their organization; the help desk to
// members but never to admins; nobody across organizations, without the
// scope, or with a stale second factor.
func TestIssueChecksTheActor(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	other := e.NewOrg("fabrikam.com")
	outsider := e.NewAdmin(other, "root")
	_, err := e.passes.Issue(e.Ctx, e.actor(e.helpdesk), e.member.User.ID, tap.Request{})
	wantCode(t, "help desk on a member", err, "")
	_, err = e.passes.Issue(e.Ctx, e.actor(e.helpdesk), e.boss.User.ID, tap.Request{})
	wantCode(t, "help desk on an admin", err, twofold.EFORBIDDEN)
	err = e.passes.Delete(e.Ctx, e.actor(e.helpdesk), e.boss.User.ID, "x")
	wantCode(t, "help desk deleting an admin's pass", err, twofold.EFORBIDDEN)
	_, err = e.passes.List(e.Ctx, e.actor(e.helpdesk), e.boss.User.ID)
	wantCode(t, "help desk listing an admin's passes", err, twofold.EFORBIDDEN)
	_, err = e.passes.Issue(e.Ctx, e.actor(outsider), e.member.User.ID, tap.Request{})
	wantCode(t, "admin of another organization", err, twofold.ENOTFOUND)
	_, err = e.passes.Issue(e.Ctx, e.actor(e.member), e.member.User.ID, tap.Request{})
	wantCode(t, "plain member", err, twofold.EFORBIDDEN)
	_, err = e.passes.Issue(e.Ctx, nil, e.member.User.ID, tap.Request{})
	wantCode(t, "nobody", err, twofold.EFORBIDDEN)

	token := twofold.TokenActor(&twofold.APIToken{OrgID: e.org.ID, Name: "ro", Scopes: []twofold.Scope{twofold.ScopeUsersRead}}, e.c)
	_, err = e.passes.Issue(e.Ctx, token, e.member.User.ID, tap.Request{})
	wantCode(t, "token without methods.manage", err, twofold.EFORBIDDEN)
	_, err = e.passes.List(e.Ctx, token, e.member.User.ID)
	wantCode(t, "token with users.read lists", err, "")
	token.Scopes = []twofold.Scope{twofold.ScopeMethodsManage}
	_, err = e.passes.Issue(e.Ctx, token, e.member.User.ID, tap.Request{})
	wantCode(t, "token with methods.manage", err, "")

	stale := e.actor(e.boss)
	e.Clock.Advance(6 * time.Minute)
	_, err = e.passes.Issue(e.Ctx, stale, e.member.User.ID, tap.Request{})
	wantCode(t, "stale second factor", err, twofold.EREAUTH)
	_, err = e.passes.Issue(e.Ctx, twofold.CLIActor(), e.member.User.ID, tap.Request{})
	wantCode(t, "the CLI", err, "")
}

// The policy bounds a pass: the kind must be on, the lifetime within 10
// minutes and the policy's longest, and a one-time-only policy makes every
// pass one-time. A start in the future delays the pass.
func TestIssueFollowsThePolicy(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	a := twofold.CLIActor()
	id := e.member.User.ID
	for _, tc := range []struct {
		life time.Duration
		code string
	}{
		{9 * time.Minute, twofold.EINVALID},
		{10 * time.Minute, ""},
		{8 * time.Hour, ""},
		{8*time.Hour + time.Minute, twofold.EINVALID},
	} {
		_, err := e.passes.Issue(e.Ctx, a, id, tap.Request{Lifetime: tc.life})
		wantCode(t, "lifetime "+tc.life.String(), err, tc.code)
		if tc.code != "" && twofold.ErrorField(err) != "lifetime" {
			t.Errorf("lifetime %s refused on field %q", tc.life, twofold.ErrorField(err))
		}
	}
	now := e.Clock.Now().UTC()
	got, err := e.passes.Issue(e.Ctx, a, id, tap.Request{Lifetime: time.Hour, StartAt: now.Add(2 * time.Hour)})
	must(t, "Issue later", err)
	if !got.Method.ActivatedAt.Equal(now.Add(2*time.Hour)) || !got.Method.ExpiresAt.Equal(now.Add(3*time.Hour)) {
		t.Errorf("delayed pass runs %v to %v", got.Method.ActivatedAt, got.Method.ExpiresAt)
	}
	_, err = e.passes.Issue(e.Ctx, a, id, tap.Request{StartAt: now.Add(-time.Hour)})
	wantCode(t, "start in the past", err, twofold.EINVALID)

	e.SetPolicy(e.org, func(p *twofold.Policy) {
		p.TemporaryAccessPass = twofold.TAPPolicy{DefaultLifetime: twofold.Duration(time.Hour), MaxLifetime: twofold.Duration(30 * 24 * time.Hour), OneTimeOnly: true}
	})
	got, err = e.passes.Issue(e.Ctx, a, id, tap.Request{Lifetime: 30 * 24 * time.Hour})
	must(t, "Issue 30 days", err)
	if !got.Method.UsableOnce {
		t.Error("a one-time-only policy issued a reusable pass")
	}
	_, err = e.passes.Issue(e.Ctx, a, id, tap.Request{Lifetime: 30*24*time.Hour + time.Minute})
	wantCode(t, "past 30 days", err, twofold.EINVALID)

	e.SetPolicy(e.org, func(p *twofold.Policy) {
		p.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone}
		p.Reset.Methods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone}
	})
	_, err = e.passes.Issue(e.Ctx, a, id, tap.Request{})
	wantCode(t, "passes turned off", err, twofold.EFORBIDDEN)
}

// Deleting a pass is audited and told; another kind of method is not a pass.
func TestDeletePass(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			a := e.actor(e.boss)
			app, _ := e.Enrol(e.member, e.c)
			err := e.passes.Delete(e.Ctx, a, e.member.User.ID, app.MethodID)
			wantCode(t, "Delete an authenticator app", err, twofold.ENOTFOUND)
			got, err := e.passes.Issue(e.Ctx, a, e.member.User.ID, tap.Request{})
			must(t, "Issue", err)
			must(t, "Delete", e.passes.Delete(e.Ctx, a, e.member.User.ID, got.Method.ID))
			if len(e.Events(e.member.User.ID, twofold.ActivityAdminDeleted)) != 1 {
				t.Error("deleting was not audited as Admin deleted security info")
			}
			err = e.passes.Delete(e.Ctx, a, e.member.User.ID, got.Method.ID)
			wantCode(t, "Delete twice", err, twofold.ENOTFOUND)
			list, err := e.passes.List(e.Ctx, a, e.member.User.ID)
			must(t, "List", err)
			if len(list) != 0 {
				t.Errorf("List after delete = %+v", list)
			}
		})
	}
}

// A pass signs in during its life and not after it (fake clock), and a
// one-time pass once.
func TestPassLifetimeAndOneTimeUse(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			id := e.member.User.ID
			got, err := e.passes.Issue(e.Ctx, e.actor(e.boss), id, tap.Request{Lifetime: 10 * time.Minute})
			must(t, "Issue", err)
			e.Clock.Advance(9 * time.Minute)
			if _, err := e.SignIn.TemporaryAccessPass(e.Ctx, e.member.Username(), got.Pass, e.c); err != nil {
				t.Errorf("within its life: %v", err)
			}
			if _, err := e.SignIn.TemporaryAccessPass(e.Ctx, e.member.Username(), got.Pass, e.c); err != nil {
				t.Errorf("a reusable pass, again: %v", err)
			}
			e.Clock.Advance(time.Minute)
			_, err = e.SignIn.TemporaryAccessPass(e.Ctx, e.member.Username(), got.Pass, e.c)
			wantCode(t, "at its end", err, twofold.EUNAUTHORIZED)

			once, err := e.passes.Issue(e.Ctx, twofold.CLIActor(), id, tap.Request{OneTime: true})
			must(t, "Issue one-time", err)
			if _, err := e.SignIn.TemporaryAccessPass(e.Ctx, e.member.Username(), once.Pass, e.c); err != nil {
				t.Errorf("one-time pass, first use: %v", err)
			}
			_, err = e.SignIn.TemporaryAccessPass(e.Ctx, e.member.Username(), once.Pass, e.c)
			wantCode(t, "one-time pass, second use", err, twofold.EUNAUTHORIZED)
		})
	}
}
