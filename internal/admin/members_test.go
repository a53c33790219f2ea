package admin_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/reset"
	"github.com/twofold-id/twofold/internal/testkit"
)

// env is a kit with one organization, its admin (signed in, second factor
// just proven) and a help desk member.
type env struct {
	*testkit.Kit
	org      *twofold.Organization
	boss     *testkit.Member
	bossApp  *testkit.App
	helpdesk *testkit.Member
	c        twofold.Client
}

func newEnv(t *testing.T, backend string) *env {
	t.Helper()
	k := testkit.NewWith(t, testkit.Options{Backend: backend})
	e := &env{Kit: k, c: testkit.Client("203.0.113.9")}
	e.org = k.NewOrg("contoso.com")
	e.boss = k.NewAdmin(e.org, "boss")
	e.bossApp, _ = k.Enrol(e.boss, e.c)
	e.helpdesk = k.NewMember(e.org, "desk")
	must(t, "make help desk", k.Admin.SetRole(k.Ctx, twofold.CLIActor(), e.helpdesk.User.ID, twofold.RoleHelpdesk))
	return e
}

// actor is a console member acting now with a second factor proven at mfaAt.
func (e *env) actor(m *testkit.Member, mfaAt time.Time) *twofold.Actor {
	u := e.User(m.User.ID)
	return &twofold.Actor{OrgID: u.OrgID, UserID: u.ID, Name: u.Username, Role: u.Role, Client: e.c, MFAAt: mfaAt}
}

// admin is the organization's admin with a fresh second factor.
func (e *env) admin() *twofold.Actor { return e.actor(e.boss, e.Clock.Now()) }

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := twofold.ErrorCode(err); got != want {
		t.Errorf("%s: code %q (%v), want %q", what, got, err, want)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// A member created by an admin gets a temporary password, shown once, that
// the organization's rules accept and that must be changed.
func TestCreateMemberGivesTemporaryPassword(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	seen := map[string]bool{}
	for i := range 5 {
		u, temp, err := e.Admin.CreateMember(e.Ctx, e.admin(), admin.NewMember{
			Username: fmt.Sprintf("New%d@Contoso.com", i), DisplayName: "New Member",
		})
		must(t, "CreateMember", err)
		if u.PasswordHash != "" {
			t.Error("CreateMember returned the password hash")
		}
		if len(temp) < 16 || strings.ContainsAny(temp, "0O1lI") || seen[temp] {
			t.Errorf("temporary password %q: short, ambiguous or repeated", temp)
		}
		seen[temp] = true
		if err := password.ValidateFor(temp, e.org.Policy.PasswordMinimum(), "new0", "New Member", e.org.Name); err != nil {
			t.Errorf("temporary password %q refused by the rules: %v", temp, err)
		}
		stored := e.User(u.ID)
		if !stored.MustChangePassword || stored.Role != twofold.RoleMember || stored.Username != fmt.Sprintf("new%d@contoso.com", i) {
			t.Errorf("stored member: %+v", stored)
		}
		if ok, _, err := e.Hasher.Verify(e.Ctx, stored.PasswordHash, temp); err != nil || !ok {
			t.Errorf("the temporary password does not match the stored hash: %v %v", ok, err)
		}
		ev := e.Events(u.ID, twofold.ActivityUserCreated)
		if len(ev) != 1 || ev[0].ActorName != e.boss.Username() || ev[0].ActorID != e.boss.User.ID || strings.Contains(ev[0].Reason, temp) {
			t.Errorf("created events: %+v", ev)
		}
	}
	// A longer organization minimum makes longer temporary passwords.
	for _, minimum := range []int{8, 17, 24, 40} {
		temp, err := admin.TempPassword(minimum)
		must(t, "TempPassword", err)
		if len(temp) < max(minimum, 16) {
			t.Errorf("minimum %d: %q is too short", minimum, temp)
		}
	}

	_, _, err := e.Admin.CreateMember(e.Ctx, e.admin(), admin.NewMember{Username: "x@fabrikam.com", DisplayName: "X"})
	wantCode(t, "another organization's domain", err, twofold.EINVALID)
	_, _, err = e.Admin.CreateMember(e.Ctx, e.actor(e.helpdesk, e.Clock.Now()), admin.NewMember{Username: "y@contoso.com", DisplayName: "Y", Role: twofold.RoleAdmin})
	wantCode(t, "help desk makes an admin", err, twofold.EFORBIDDEN)
	_, _, err = e.Admin.CreateMember(e.Ctx, e.actor(e.boss, e.Clock.Now().Add(-6*time.Minute)), admin.NewMember{Username: "z@contoso.com", DisplayName: "Z"})
	wantCode(t, "stale second factor", err, twofold.EREAUTH)
	_, _, err = e.Admin.CreateMember(e.Ctx, e.admin(), admin.NewMember{Username: "new0@contoso.com", DisplayName: "Again"})
	wantCode(t, "taken name", err, twofold.EINVALID)
}

// Who may do what: outside the organization reads as not found, the help desk
// can't touch admins or roles, and every change needs a fresh second factor
// while reads don't.
func TestMemberAuthorization(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m := e.NewMember(e.org, "ada")
	otherOrg := e.NewOrg("fabrikam.com")
	stranger := e.NewMember(otherOrg, "eve")
	desk := e.actor(e.helpdesk, e.Clock.Now())
	stale := e.actor(e.boss, e.Clock.Now().Add(-5*time.Minute))

	_, err := e.Admin.Member(e.Ctx, e.admin(), stranger.User.ID)
	wantCode(t, "read a stranger", err, twofold.ENOTFOUND)
	_, err = e.Admin.RevokeSessions(e.Ctx, e.admin(), stranger.User.ID)
	wantCode(t, "revoke a stranger", err, twofold.ENOTFOUND)
	_, err = e.Admin.Member(e.Ctx, e.admin(), "no-such-id")
	wantCode(t, "read nobody", err, twofold.ENOTFOUND)
	_, err = e.Admin.Member(e.Ctx, desk, e.boss.User.ID)
	wantCode(t, "help desk reads an admin", err, twofold.EFORBIDDEN)
	_, err = e.Admin.ResetPassword(e.Ctx, desk, e.boss.User.ID)
	wantCode(t, "help desk resets an admin", err, twofold.EFORBIDDEN)
	wantCode(t, "help desk changes a role", e.Admin.SetRole(e.Ctx, desk, m.User.ID, twofold.RoleHelpdesk), twofold.EFORBIDDEN)
	_, err = e.Admin.Member(e.Ctx, stale, m.User.ID)
	wantCode(t, "stale read", err, "")
	wantCode(t, "stale disable", e.Admin.SetEnabled(e.Ctx, stale, m.User.ID, false), twofold.EREAUTH)
	_, err = e.Admin.RevokeSessions(e.Ctx, stale, m.User.ID)
	wantCode(t, "stale revoke", err, twofold.EREAUTH)
	_, err = e.Admin.SearchUsers(e.Ctx, stale, admin.UserQuery{})
	wantCode(t, "stale search", err, "")
	// A token limited to reading can't change anything.
	reader := &twofold.Actor{OrgID: e.org.ID, Name: "token:reader", Role: twofold.RoleAdmin, Scopes: []twofold.Scope{twofold.ScopeUsersRead}}
	_, err = e.Admin.Member(e.Ctx, reader, m.User.ID)
	wantCode(t, "token reads", err, "")
	wantCode(t, "token disables", e.Admin.SetEnabled(e.Ctx, reader, m.User.ID, false), twofold.EFORBIDDEN)
	// The help desk may manage members.
	_, err = e.Admin.RevokeSessions(e.Ctx, desk, m.User.ID)
	wantCode(t, "help desk revokes a member", err, "")
	if ev := e.Events(m.User.ID, twofold.ActivitySessionsRevoked); len(ev) != 1 || ev[0].ActorName != e.helpdesk.Username() {
		t.Errorf("revoke events: %+v", ev)
	}
}

// Disabling signs the member out, fails their pending sign-in, and is
// audited; enabling lets them back. An admin can't disable or demote
// themselves, nor the last enabled admin.
func TestSetEnabledAndRoles(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m := e.NewMember(e.org, "ada")
	app, _ := e.Enrol(m, e.c)
	pending, err := e.SignIn.Password(e.Ctx, m.Username(), m.Password, e.c)
	must(t, "password", err)

	must(t, "disable", e.Admin.SetEnabled(e.Ctx, e.admin(), m.User.ID, false))
	if !e.User(m.User.ID).Disabled {
		t.Fatal("not disabled")
	}
	if n, _ := e.Store.CountLiveSessions(e.Ctx, m.User.ID, e.Clock.Now()); n != 0 {
		t.Errorf("%d live sessions after disable", n)
	}
	if _, err := e.SignIn.Verify(e.Ctx, pending.FlowID, app.MethodID, e.FreshCode(app), e.c); err == nil {
		t.Error("a sign-in pending at the disable still completes")
	}
	if ev := e.Events(m.User.ID, twofold.ActivityUserDisabled); len(ev) != 1 || ev[0].ActorID != e.boss.User.ID {
		t.Errorf("disable events: %+v", ev)
	}
	must(t, "enable", e.Admin.SetEnabled(e.Ctx, e.admin(), m.User.ID, true))
	e.SignInMFA(m, app, e.c)
	if ev := e.Events(m.User.ID, twofold.ActivityUserEnabled); len(ev) != 1 {
		t.Errorf("enable events: %+v", ev)
	}

	wantCode(t, "disable myself", e.Admin.SetEnabled(e.Ctx, e.admin(), e.boss.User.ID, false), twofold.ECONFLICT)
	wantCode(t, "demote myself", e.Admin.SetRole(e.Ctx, e.admin(), e.boss.User.ID, twofold.RoleMember), twofold.ECONFLICT)
	// The CLI may try to remove the last admin; the store refuses.
	cli := twofold.CLIActor()
	err = e.Admin.SetEnabled(e.Ctx, cli, e.boss.User.ID, false)
	wantCode(t, "disable the last admin", err, twofold.ECONFLICT)
	if !strings.Contains(twofold.ErrorMessage(err), "last enabled admin") {
		t.Errorf("last-admin message: %q", twofold.ErrorMessage(err))
	}
	wantCode(t, "demote the last admin", e.Admin.SetRole(e.Ctx, cli, e.boss.User.ID, twofold.RoleHelpdesk), twofold.ECONFLICT)

	must(t, "promote", e.Admin.SetRole(e.Ctx, e.admin(), m.User.ID, twofold.RoleAdmin))
	if ev := e.Events(m.User.ID, twofold.ActivityRoleChanged); len(ev) != 1 || ev[0].Reason != "from member to admin" {
		t.Errorf("role events: %+v", ev)
	}
	must(t, "CLI disables the other admin", e.Admin.SetEnabled(e.Ctx, cli, e.boss.User.ID, false))
}

// Racing demotions and disables of the organization's last two admins leave
// one enabled admin, on both databases.
func TestLastAdminSurvivesBurst(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			other := e.NewAdmin(e.org, "second")
			cli := twofold.CLIActor()
			ids := []string{e.boss.User.ID, other.User.ID}
			var done, refused atomic.Int32
			errs := testkit.Simultaneously(250, func(i int) error {
				var err error
				if i%2 == 0 {
					err = e.Admin.SetEnabled(e.Ctx, cli, ids[i%4/2], false)
				} else {
					err = e.Admin.SetRole(e.Ctx, cli, ids[i%4/2], twofold.RoleMember)
				}
				switch twofold.ErrorCode(err) {
				case "":
					done.Add(1)
				case twofold.ECONFLICT:
					refused.Add(1)
				default:
					return err
				}
				return nil
			})
			for _, err := range errs {
				must(t, "racer", err)
			}
			left := 0
			for _, id := range ids {
				if u := e.User(id); u.Role == twofold.RoleAdmin && !u.Disabled {
					left++
				}
			}
			if left != 1 || refused.Load() == 0 {
				t.Fatalf("%d enabled admins left (%d changes done, %d refused); want 1", left, done.Load(), refused.Load())
			}
		})
	}
}

// Resetting a password gives a temporary one that works once the lockout is
// cleared and the member changes it; sessions end; the member is told.
func TestResetPasswordByAdmin(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m := e.NewMember(e.org, "ada")
	app, done := e.Enrol(m, e.c)
	// Locked out by wrong passwords.
	for range e.org.Policy.LockoutThreshold {
		_, _ = e.SignIn.Password(e.Ctx, m.Username(), "wrong password here", e.c)
	}
	if !e.User(m.User.ID).LockedUntil.After(e.Clock.Now()) {
		t.Fatal("the member is not locked out")
	}
	before := len(e.Messages(m))
	temp, err := e.Admin.ResetPassword(e.Ctx, e.admin(), m.User.ID)
	must(t, "ResetPassword", err)
	u := e.User(m.User.ID)
	if !u.MustChangePassword || !u.LockedUntil.IsZero() {
		t.Errorf("after reset: must change %v, locked until %v", u.MustChangePassword, u.LockedUntil)
	}
	if _, err := e.Session.Authenticate(e.Ctx, done.SessionToken, e.c); err == nil {
		t.Error("the member's session survived the reset")
	}
	if len(e.Messages(m)) <= before {
		t.Error("the member was not told")
	}
	ev := e.Events(m.User.ID, twofold.ActivityResetByAdmin)
	if len(ev) != 1 || ev[0].ActorID != e.boss.User.ID || strings.Contains(ev[0].Reason, temp) {
		t.Errorf("reset events: %+v", ev)
	}
	// The temporary password and the second factor are accepted, but the
	// member gets no session until they choose their own password.
	r, err := e.SignIn.Password(e.Ctx, m.Username(), temp, e.c)
	must(t, "sign in with the temporary password", err)
	r, err = e.SignIn.Verify(e.Ctx, r.FlowID, app.MethodID, e.FreshCode(app), e.c)
	must(t, "second factor", err)
	if r.State != twofold.FlowPasswordChangeRequired || r.SessionToken != "" {
		t.Errorf("after the temporary password: state %s, session %q; want a password change first", r.State, r.SessionToken)
	}
	if !e.User(m.User.ID).MustChangePassword {
		t.Error("signing in met the demand to change the temporary password")
	}
}

// The check: a member with a reset block, an MFA block and a lockout
// is brought back by the admin, audited — all three lifted, the member signs
// in and can reset again, three events with the admin as actor.
func TestAdminBringsBackBlockedMember(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			m := e.NewMember(e.org, "ada")
			app, _ := e.Enrol(m, e.c)
			now := e.Clock.Now()
			// Locked out by wrong passwords.
			for range e.org.Policy.LockoutThreshold {
				_, _ = e.SignIn.Password(e.Ctx, m.Username(), "wrong password here", e.c)
			}
			// Blocked from reset (five failed verifications), and MFA blocked
			// (as a fraud report blocks it).
			_, _, err := e.Store.ReserveResetCheck(e.Ctx, m.User.ID, now, 5, 24*time.Hour)
			must(t, "ReserveResetCheck", err)
			_, err = e.Store.BlockReset(e.Ctx, m.User.ID, now, now.Add(24*time.Hour))
			must(t, "BlockReset", err)
			must(t, "BlockMFA", e.Store.BlockMFA(e.Ctx, m.User.ID, now.Add(time.Hour)))

			v, err := e.Admin.Member(e.Ctx, e.admin(), m.User.ID)
			must(t, "Member", err)
			if !v.Locked || !v.MFABlocked || v.ResetBlockedUntil.IsZero() {
				t.Fatalf("before: %+v", v)
			}
			page, err := e.Admin.SearchUsers(e.Ctx, e.admin(), admin.UserQuery{Status: twofold.StatusResetBlocked})
			must(t, "SearchUsers", err)
			if len(page.Users) != 1 || page.Users[0].User.ID != m.User.ID || !page.Users[0].ResetBlocked {
				t.Fatalf("reset-blocked search: %+v", page.Users)
			}

			got, err := e.Admin.Unblock(e.Ctx, e.admin(), m.User.ID)
			must(t, "Unblock", err)
			if got != (admin.Unblocked{MFA: true, Reset: true, Lockout: true}) {
				t.Errorf("Unblock lifted %+v", got)
			}
			v, err = e.Admin.Member(e.Ctx, e.admin(), m.User.ID)
			must(t, "Member", err)
			if v.Locked || v.MFABlocked || !v.ResetBlockedUntil.IsZero() {
				t.Errorf("after: %+v", v)
			}
			for _, activity := range []string{twofold.ActivityMFAUnblocked, twofold.ActivityResetUnblocked, twofold.ActivityLockoutCleared} {
				ev := e.Events(m.User.ID, activity)
				if len(ev) != 1 || ev[0].ActorID != e.boss.User.ID || ev[0].ActorName != e.boss.Username() || ev[0].Result != twofold.ResultSuccess {
					t.Errorf("%s events: %+v", activity, ev)
				}
			}
			// Nothing left to lift: nothing more is audited.
			got, err = e.Admin.Unblock(e.Ctx, e.admin(), m.User.ID)
			must(t, "Unblock again", err)
			if got != (admin.Unblocked{}) || len(e.Events(m.User.ID, twofold.ActivityLockoutCleared)) != 1 {
				t.Errorf("second Unblock lifted %+v", got)
			}

			e.SignInMFA(m, app, e.c)
			rs := resetService(e)
			id, err := rs.Start(e.Ctx, m.Username(), "ok", e.c)
			must(t, "reset Start", err)
			view, err := rs.Attempt(e.Ctx, id)
			must(t, "reset Attempt", err)
			if !view.Eligible {
				t.Errorf("the member can't reset after the unblock: %+v", view)
			}
		})
	}
}

type okPoW struct{}

func (okPoW) Verify(_ context.Context, purpose, payload string) error {
	if purpose != reset.PoWPurpose || payload != "ok" {
		return twofold.Errorf(twofold.EINVALID, "no work")
	}
	return nil
}

// resetService is self-service password reset over the kit, as the reset
// package's tests build it.
func resetService(e *env) *reset.Service {
	return reset.New(reset.Deps{
		Store: e.Store, Hasher: e.Hasher, PoW: okPoW{}, Phones: e.Phone, Checker: e.Checker, Audit: e.Audit,
		Mail:      email.New(email.Deps{Store: e.Store, Mail: e.Outbox, Now: e.Clock.Now, CodeKey: []byte("test code key, 32 bytes long...")}),
		Questions: questions.New(e.Store, e.Hasher), Rand: rand.Reader,
		Validate: password.ValidateFor, Keys: e.Keys, Log: e.Log, Now: e.Clock.Now,
	}, reset.Config{})
}

// Requiring re-registration deletes every second factor (each audited),
// clears the default and signs the member out; their next sign-in meets the
// "More information required" interrupt.
func TestRequireReregistration(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m := e.NewMember(e.org, "ada")
	_, done := e.Enrol(m, e.c)
	before := len(e.Messages(m))
	n, err := e.Admin.RequireReregistration(e.Ctx, e.admin(), m.User.ID)
	must(t, "RequireReregistration", err)
	if n != 1 {
		t.Errorf("%d methods deleted, want 1", n)
	}
	methods, err := e.Store.ListMethods(e.Ctx, m.User.ID, "")
	must(t, "ListMethods", err)
	if len(methods) != 0 {
		t.Errorf("methods left: %+v", methods)
	}
	if u := e.User(m.User.ID); u.PreferredMethod != twofold.PreferenceNone {
		t.Errorf("default left: %q", u.PreferredMethod)
	}
	if _, err := e.Session.Authenticate(e.Ctx, done.SessionToken, e.c); err == nil {
		t.Error("the session survived")
	}
	deleted := e.Events(m.User.ID, twofold.ActivityAdminDeleted)
	if len(deleted) != 1 || !strings.Contains(deleted[0].Reason, "Authenticator app") || deleted[0].ActorID != e.boss.User.ID {
		t.Errorf("deleted events: %+v", deleted)
	}
	if ev := e.Events(m.User.ID, twofold.ActivityRequireReregister); len(ev) != 1 {
		t.Errorf("re-register events: %+v", ev)
	}
	if got := len(e.Messages(m)) - before; got != 1 {
		t.Errorf("%d notices, want 1", got)
	}
	r, err := e.SignIn.Password(e.Ctx, m.Username(), m.Password, e.c)
	must(t, "password", err)
	if r.State != twofold.FlowRegistrationRequired {
		t.Errorf("next sign-in state %s, want %s", r.State, twofold.FlowRegistrationRequired)
	}
}

// DeleteMethod removes one method, clears the default it offered, and is
// audited and told; reads never carry a secret.
func TestDeleteMethodAndReads(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m := e.NewMember(e.org, "ada")
	app, _ := e.Enrol(m, e.c)
	v, err := e.Admin.Member(e.Ctx, e.actor(e.helpdesk, time.Time{}), m.User.ID)
	must(t, "Member", err)
	if v.User.PasswordHash != "" || len(v.Methods) != 1 || v.Methods[0].SecretSealed != nil || v.Sessions != 1 {
		t.Fatalf("member view: %+v %+v", v.User, v.Methods)
	}
	err = e.Admin.DeleteMethod(e.Ctx, e.admin(), e.boss.User.ID, app.MethodID)
	wantCode(t, "another member's method", err, twofold.ENOTFOUND)
	must(t, "DeleteMethod", e.Admin.DeleteMethod(e.Ctx, e.admin(), m.User.ID, app.MethodID))
	if u := e.User(m.User.ID); u.PreferredMethod != twofold.PreferenceNone {
		t.Errorf("default after delete: %q", u.PreferredMethod)
	}
	if ev := e.Events(m.User.ID, twofold.ActivityAdminDeleted); len(ev) != 1 {
		t.Errorf("delete events: %+v", ev)
	}
	wantCode(t, "delete again", e.Admin.DeleteMethod(e.Ctx, e.admin(), m.User.ID, app.MethodID), twofold.ENOTFOUND)
}

// Search pages through members with an opaque cursor, forward and back,
// filters, and never returns a password hash.
func TestSearchUsersPages(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	var names []string
	for i := range 7 {
		names = append(names, e.NewMember(e.org, fmt.Sprintf("m%d", i)).Username())
	}
	e.Enrol(e.NewMember(e.org, "withapp"), e.c)
	all := append(slices.Clone(names), e.boss.Username(), e.helpdesk.Username(), "withapp@contoso.com")
	slices.Sort(all)
	var (
		got   []string
		pages [][]string
		page  *admin.UserPage
		err   error
	)
	q := admin.UserQuery{Limit: 3}
	for range 10 {
		page, err = e.Admin.SearchUsers(e.Ctx, e.actor(e.helpdesk, time.Time{}), q)
		must(t, "SearchUsers", err)
		if (q.After == "") != (page.Prev == "") {
			t.Errorf("page %d: Prev %q, want one on every page but the first", len(pages), page.Prev)
		}
		var names []string
		for _, r := range page.Users {
			if r.User.PasswordHash != "" {
				t.Fatal("a listed member carries a password hash")
			}
			names = append(names, r.User.Username)
		}
		got, pages = append(got, names...), append(pages, names)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if !slices.Equal(got, all) {
		t.Errorf("paged:\n got %v\nwant %v", got, all)
	}
	// Back from the last page: the pages forward gave, the first without a Prev.
	for i := len(pages) - 2; i >= 0; i-- {
		page, err = e.Admin.SearchUsers(e.Ctx, e.admin(), admin.UserQuery{Limit: 3, Before: page.Prev})
		must(t, "SearchUsers back", err)
		var names []string
		for _, r := range page.Users {
			names = append(names, r.User.Username)
		}
		if !slices.Equal(names, pages[i]) || (i == 0) != (page.Prev == "") || page.Next == "" {
			t.Fatalf("back to page %d: %v (Prev %q, Next %q), want %v", i, names, page.Prev, page.Next, pages[i])
		}
	}
	// Back from the second page when the first lost a member to the filter:
	// the first page, full, not the two left before the cursor.
	enabled := admin.UserQuery{Limit: 3, Status: twofold.StatusEnabled}
	first, err := e.Admin.SearchUsers(e.Ctx, e.admin(), enabled)
	must(t, "first page", err)
	enabled.After = first.Next
	second, err := e.Admin.SearchUsers(e.Ctx, e.admin(), enabled)
	must(t, "second page", err)
	var want []string
	gone := ""
	for _, r := range first.Users {
		if gone == "" && r.User.Role == twofold.RoleMember {
			gone = r.User.ID
			must(t, "SetDisabled", e.Store.SetDisabled(e.Ctx, gone, true))
			continue
		}
		want = append(want, r.User.Username)
	}
	want = append(want, second.Users[0].User.Username)
	enabled.After, enabled.Before = "", second.Prev
	page, err = e.Admin.SearchUsers(e.Ctx, e.admin(), enabled)
	must(t, "back to the start", err)
	var back []string
	for _, r := range page.Users {
		back = append(back, r.User.Username)
	}
	if !slices.Equal(back, want) || page.Prev != "" {
		t.Errorf("back to the start after a member left the filter: %v (Prev %q), want %v", back, page.Prev, want)
	}
	must(t, "SetDisabled", e.Store.SetDisabled(e.Ctx, gone, false))
	for _, bad := range []admin.UserQuery{{Limit: 201}, {Status: "asleep"}, {Method: "pigeon"}, {Role: "king"}, {After: "%%%"}, {Before: "%%%"}, {After: page.Next, Before: page.Next}} {
		_, err := e.Admin.SearchUsers(e.Ctx, e.admin(), bad)
		wantCode(t, fmt.Sprintf("query %+v", bad), err, twofold.EINVALID)
	}
	_, err = e.Admin.SearchUsers(e.Ctx, twofold.CLIActor(), admin.UserQuery{})
	wantCode(t, "CLI without an organization", err, twofold.EINVALID)
	page, err = e.Admin.SearchUsers(e.Ctx, twofold.CLIActor(), admin.UserQuery{OrgID: e.org.ID, Role: twofold.RoleAdmin})
	must(t, "CLI search", err)
	if len(page.Users) != 1 || page.Users[0].User.ID != e.boss.User.ID {
		t.Errorf("CLI admin search: %+v", page.Users)
	}
}
