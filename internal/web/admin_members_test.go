package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/tap"
)

// Session tokens of the console tests: an admin who proved a second factor a
// minute ago ("admin"), one who did an hour ago ("admin-stale"), the help desk
// and a plain member.
const (
	asAdmin    = "__Host-twofold_session=admin"
	asStale    = "__Host-twofold_session=admin-stale"
	asHelpdesk = "__Host-twofold_session=helpdesk"
	asMember   = "__Host-twofold_session=tok"
)

type staffSessions struct{ fakeSessions }

func (f staffSessions) Authenticate(ctx context.Context, token string, c twofold.Client) (*twofold.Principal, error) {
	role, mfa, passes := twofold.RoleAdmin, testNow.Add(-time.Minute), true
	switch token {
	case "admin":
	case "admin-nopasses":
		passes = false
	case "admin-stale":
		mfa = testNow.Add(-time.Hour)
	case "admin-pass":
		// Signed in with a Temporary Access Pass: no password proven.
		p := principal("s-"+token, mfa)
		p.User.ID, p.User.Role, p.User.Username = "staff-"+token, role, token+"@contoso.test"
		return p, nil
	case "helpdesk":
		role = twofold.RoleHelpdesk
	default:
		return f.fakeSessions.Authenticate(ctx, token, c)
	}
	p := principal("s-"+token, mfa)
	p.User.ID, p.User.Role, p.User.Username = "staff-"+token, role, token+"@contoso.test"
	p.Session.PasswordAt = mfa
	if passes {
		p.Org.Policy.EnabledMethods = append(slices.Clone(p.Org.Policy.EnabledMethods), twofold.KindTemporaryAccessPass)
	}
	return p, nil
}

// fakeMembers knows Bob (u2, a member with a lockout, an MFA block and a reset
// block, an authenticator app and a pass) and Cy (u3, an admin). It plays the
// use cases' refusals: the help desk on an admin, a stale second factor.
type fakeMembers struct {
	*recorder
	err error // what the next change answers, when set
}

var (
	bob = &twofold.User{ID: "u2", OrgID: "o1", Username: "bob@contoso.test", DisplayName: "Bob Kelly", Role: twofold.RoleMember,
		LockedUntil: testNow.Add(time.Hour), MFABlockedUntil: testNow.Add(time.Hour)}
	cy = &twofold.User{ID: "u3", OrgID: "o1", Username: "cy@contoso.test", DisplayName: "Cy Admin", Role: twofold.RoleAdmin}
)

func (f *fakeMembers) user(a *twofold.Actor, id string) (*twofold.User, error) {
	var u *twofold.User
	switch id {
	case "u2":
		u = bob
	case "u3":
		u = cy
	default:
		return nil, twofold.Errorf(twofold.ENOTFOUND, "There is no such member in your organization.")
	}
	if !a.MayActOn(u) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "The help desk can't manage admins.")
	}
	return u, nil
}

func (f *fakeMembers) change(a *twofold.Actor, id, what string) error {
	if _, err := f.user(a, id); err != nil {
		return err
	}
	if !a.Fresh(testNow, 5*time.Minute) {
		return twofold.Errorf(twofold.EREAUTH, "Verify your identity again to make changes.")
	}
	if f.err != nil {
		return f.err
	}
	f.record("%s %s", what, id)
	return nil
}

func (f *fakeMembers) SearchUsers(_ context.Context, a *twofold.Actor, q admin.UserQuery) (*admin.UserPage, error) {
	if q.Status == "bogus" {
		return nil, twofold.FieldError("status", "Choose a status from the list.")
	}
	if q.After == "" {
		return &admin.UserPage{Users: []admin.UserRow{{User: bob, Methods: []twofold.MethodKind{twofold.KindSoftwareOath}, ResetBlocked: true}}, Next: "cur-1"}, nil
	}
	return &admin.UserPage{Users: []admin.UserRow{{User: cy}}, Prev: "cur-2"}, nil
}

func (f *fakeMembers) Member(_ context.Context, a *twofold.Actor, id string) (*admin.MemberView, error) {
	u, err := f.user(a, id)
	if err != nil {
		return nil, err
	}
	mv := &admin.MemberView{User: u, Sessions: 2}
	if u == bob {
		mv.Locked, mv.MFABlocked, mv.ResetBlockedUntil = true, true, testNow.Add(time.Hour)
		// The use case clears secrets; the page must not show them even if it didn't.
		mv.Methods = []*twofold.Method{
			{ID: "m-app", Kind: twofold.KindSoftwareOath, Name: "Work phone", SecretSealed: []byte("SEALED-SECRET"), State: twofold.MethodActive, CreatedAt: testNow},
			{ID: "m-tap", Kind: twofold.KindTemporaryAccessPass, PassHash: "PASS-HASH", ExpiresAt: testNow.Add(time.Hour), UsableOnce: true, State: twofold.MethodActive},
		}
	}
	return mv, nil
}

func (f *fakeMembers) CreateMember(_ context.Context, a *twofold.Actor, n admin.NewMember) (*twofold.User, string, error) {
	if !a.Fresh(testNow, 5*time.Minute) {
		return nil, "", twofold.Errorf(twofold.EREAUTH, "Verify your identity again to make changes.")
	}
	if !strings.HasSuffix(n.Username, "@contoso.test") {
		return nil, "", twofold.FieldError("username", "Use a user name in contoso.test.")
	}
	f.record("CreateMember %s %s %s", n.Username, n.DisplayName, n.Role)
	return &twofold.User{ID: "u9", Username: n.Username}, "Temp-Pass-9876", nil
}

func (f *fakeMembers) SetEnabled(_ context.Context, a *twofold.Actor, id string, enabled bool) error {
	return f.change(a, id, map[bool]string{true: "Enable", false: "Disable"}[enabled])
}

func (f *fakeMembers) ResetPassword(_ context.Context, a *twofold.Actor, id string) (string, error) {
	if err := f.change(a, id, "ResetPassword"); err != nil {
		return "", err
	}
	return "Temp-Pass-1234", nil
}

func (f *fakeMembers) RequireReregistration(_ context.Context, a *twofold.Actor, id string) (int, error) {
	return 2, f.change(a, id, "RequireReregistration")
}

func (f *fakeMembers) RevokeSessions(_ context.Context, a *twofold.Actor, id string) (int, error) {
	return 1, f.change(a, id, "RevokeSessions")
}

func (f *fakeMembers) Unblock(_ context.Context, a *twofold.Actor, id string) (admin.Unblocked, error) {
	return admin.Unblocked{MFA: true, Reset: true, Lockout: true}, f.change(a, id, "Unblock")
}

func (f *fakeMembers) DeleteMethod(_ context.Context, a *twofold.Actor, id, methodID string) error {
	return f.change(a, id, "DeleteMethod "+methodID)
}

func (f *fakeMembers) SetRole(_ context.Context, a *twofold.Actor, id string, role twofold.Role) error {
	return f.change(a, id, "SetRole "+string(role))
}

type fakePasses struct {
	*recorder
	err error
}

func (f *fakePasses) Issue(_ context.Context, a *twofold.Actor, id string, r tap.Request) (*tap.Issued, error) {
	if f.err != nil {
		return nil, f.err
	}
	f.record("Issue %s %s once=%v start=%s", id, r.Lifetime, r.OneTime, r.StartAt.Format(time.RFC3339))
	return &tap.Issued{Method: &twofold.Method{ID: "m-new", Kind: twofold.KindTemporaryAccessPass, ExpiresAt: testNow.Add(time.Hour), UsableOnce: r.OneTime},
		Pass: "PASS-ABCD-EFGH"}, nil
}

func (f *fakePasses) List(context.Context, *twofold.Actor, string) ([]*twofold.Method, error) {
	return nil, nil
}

func (f *fakePasses) Delete(_ context.Context, _ *twofold.Actor, id, methodID string) error {
	f.record("DeletePass %s %s", id, methodID)
	return nil
}

type consoleEnv struct {
	*env
	members *fakeMembers
	passes  *fakePasses
}

func newConsoleEnv(t *testing.T) *consoleEnv {
	t.Helper()
	rec := &recorder{}
	c := &consoleEnv{env: &env{t: t, rec: rec}, members: &fakeMembers{recorder: rec}, passes: &fakePasses{recorder: rec}}
	h, err := New(Deps{
		Signin: newFakeSignin(rec), Sessions: staffSessions{fakeSessions{rec}}, SecurityInfo: &fakeSecurityInfo{recorder: rec},
		Console: Console{Members: c.members, AccessPasses: c.passes},
		Logger:  slog.New(slog.DiscardHandler), Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.h = httpx.RequestContext(nil, h)
	return c
}

func wantChanges(t *testing.T, rec *recorder, want ...string) {
	t.Helper()
	got := rec.changes()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("changes = %q, want %q", got, want)
	}
}

func TestConsoleIsForStaffOnly(t *testing.T) {
	e := newConsoleEnv(t)
	wantRedirect(t, e.do("GET", "/admin", nil, asAdmin), "/admin/members")
	wantRedirect(t, e.do("GET", "/admin/members", nil), "/signin")
	wantBody(t, e.do("GET", "/admin/members", nil, asMember), http.StatusForbidden, "You don&#39;t have access to this page")
	wantBody(t, e.do("GET", "/admin/members/u2", nil, asMember), http.StatusForbidden)
	wantBody(t, e.do("POST", "/admin/members/u2/unblock", url.Values{}, asMember), http.StatusForbidden)
	wantChanges(t, e.rec)
}

func TestConsoleMembersSearchAndPaging(t *testing.T) {
	e := newConsoleEnv(t)
	w := e.do("GET", "/admin/members?q=bo&method=softwareOath", nil, asHelpdesk)
	wantBody(t, w, http.StatusOK, "Bob Kelly", "bob@contoso.test", "Authenticator app", "Locked out",
		"Sign-in codes blocked", "Password reset blocked", `value="bo"`, `<option value="softwareOath" selected>`,
		`href="/admin/members?after=cur-1&amp;method=softwareOath&amp;q=bo"`, `aria-current="page"`)
	if strings.Contains(w.Body.String(), `href="/admin/policy"`) {
		t.Error("the help desk's console navigation links to the policy")
	}
	if strings.Contains(w.Body.String(), `id="previous-page"`) || strings.Contains(w.Body.String(), `id="first-page"`) {
		t.Error("the first page links to a page before it")
	}
	w = e.do("GET", "/admin/members?after=cur-1&q=bo", nil, asAdmin)
	wantBody(t, w, http.StatusOK, "Cy Admin", `id="first-page"`, `href="/admin/members?q=bo"`, `href="/admin/policy"`,
		`id="previous-page" rel="prev"`, `href="/admin/members?before=cur-2&amp;q=bo"`)
	if strings.Contains(w.Body.String(), `id="next-page"`) {
		t.Error("the last page links to a next page")
	}
	wantBody(t, e.do("GET", "/admin/members?before=cur-2&q=bo", nil, asAdmin), http.StatusOK, "Bob Kelly")
	w = e.do("GET", "/admin/members?status=bogus", nil, asAdmin)
	wantBody(t, w, http.StatusBadRequest, "There is a problem", `<a href="#status">Choose a status from the list.</a>`)
}

func TestConsoleMemberPageShowsNoSecrets(t *testing.T) {
	e := newConsoleEnv(t)
	w := e.do("GET", "/admin/members/u2", nil, asHelpdesk)
	wantBody(t, w, http.StatusOK, "Bob Kelly", "Authenticator app", "Work phone", "Temporary Access Pass",
		"one sign-in only", `id="unblock"`, `href="/admin/members/u2/confirm/require-reregistration"`,
		`href="/admin/members/u2/tap"`, `href="/admin/members/u2/methods/m-app/delete"`)
	for _, secret := range []string{"SEALED-SECRET", "PASS-HASH"} {
		if strings.Contains(w.Body.String(), secret) {
			t.Errorf("member page shows %s", secret)
		}
	}
	if strings.Contains(w.Body.String(), `id="change-role"`) {
		t.Error("the help desk is offered a role change")
	}
	wantBody(t, e.do("GET", "/admin/members/u2", nil, asAdmin), http.StatusOK, `id="change-role"`)
	wantBody(t, e.do("GET", "/admin/members/nobody", nil, asAdmin), http.StatusNotFound)
}

func TestConsoleHelpDeskCannotActOnAnAdmin(t *testing.T) {
	e := newConsoleEnv(t)
	wantBody(t, e.do("GET", "/admin/members/u3", nil, asHelpdesk), http.StatusForbidden,
		"You don&#39;t have access to this page", `href="/admin"`)
	for _, action := range []string{"disable", "reset-password", "require-reregistration", "revoke-sessions", "unblock", "role"} {
		wantBody(t, e.do("POST", "/admin/members/u3/"+action, url.Values{"role": {"member"}}, asHelpdesk), http.StatusForbidden)
	}
	wantBody(t, e.do("POST", "/admin/members/u3/tap", url.Values{}, asHelpdesk), http.StatusForbidden)
	wantChanges(t, e.rec)
}

func TestConsoleStaleSecondFactorVerifiesAgainThenReturns(t *testing.T) {
	e := newConsoleEnv(t)
	wantRedirect(t, e.do("POST", "/admin/members/u2/disable", url.Values{}, asStale),
		"/my/verify?next="+url.QueryEscape("/admin/members/u2"))
	wantRedirect(t, e.do("POST", "/admin/members/new", url.Values{"username": {"new@contoso.test"}}, asStale),
		"/my/verify?next="+url.QueryEscape("/admin/members/new"))
	wantChanges(t, e.rec)
	if got := safeNext("/admin/members/u2"); got != "/admin/members/u2" {
		t.Errorf("safeNext(/admin/members/u2) = %q", got)
	}
	for _, bad := range []string{"/admin//evil.test", "/admin/../evil", "/administrator"} {
		if got := safeNext(bad); got != "/my/security-info" {
			t.Errorf("safeNext(%q) = %q", bad, got)
		}
	}
}

func TestConsoleActionsConfirmThenChange(t *testing.T) {
	e := newConsoleEnv(t)
	w := e.do("GET", "/admin/members/u2/confirm/require-reregistration", nil, asAdmin)
	wantBody(t, w, http.StatusOK, "Require Bob Kelly to register security info again?", `id="confirm-no" autofocus`,
		`action="/admin/members/u2/require-reregistration"`)
	wantBody(t, e.do("GET", "/admin/members/u2/confirm/delete-everything", nil, asAdmin), http.StatusNotFound)
	wantChanges(t, e.rec)

	wantRedirect(t, e.do("POST", "/admin/members/u2/require-reregistration", url.Values{}, asAdmin),
		"/admin/members/u2?m=reregister&n=2")
	wantBody(t, e.do("GET", "/admin/members/u2?m=reregister&n=2", nil, asAdmin), http.StatusOK, "2 methods were deleted.")
	wantRedirect(t, e.do("POST", "/admin/members/u2/unblock", url.Values{}, asHelpdesk),
		"/admin/members/u2?m=unblocked&lifted=lockout.mfa.reset")
	wantBody(t, e.do("GET", "/admin/members/u2?m=unblocked&lifted=lockout.mfa.reset", nil, asAdmin), http.StatusOK,
		"Lifted the password lockout, the sign-in code block, the password reset block.")
	wantRedirect(t, e.do("POST", "/admin/members/u2/methods/m-app/delete", url.Values{}, asAdmin), "/admin/members/u2?m=method-deleted")
	wantRedirect(t, e.do("POST", "/admin/members/u2/disable", url.Values{}, asAdmin), "/admin/members/u2?m=disabled")
	wantChanges(t, e.rec, "RequireReregistration u2", "Unblock u2", "DeleteMethod m-app u2", "Disable u2")

	e.members.err = twofold.Errorf(twofold.ECONFLICT, "This is the organization's last enabled admin.")
	wantBody(t, e.do("POST", "/admin/members/u3/disable", url.Values{}, asAdmin), http.StatusConflict,
		"There is a problem", "last enabled admin")
	if w := e.do("GET", "/admin/members/u2?m=%3Cscript%3E", nil, asAdmin); strings.Contains(w.Body.String(), "&lt;script") {
		t.Error("the notice parameter put words on the page")
	}
}

// shownCookie returns the one-time cookie a response set, checking its attributes.
func shownCookieOf(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	c := cookie(t, w, "__Secure-twofold_shown")
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/admin/members/" || c.MaxAge <= 0 || c.MaxAge > 300 {
		t.Fatalf("shown cookie %+v: want HttpOnly, Secure, SameSite=Strict, Path=/admin/members/, a short Max-Age", c)
	}
	return c
}

func TestConsoleTemporaryPasswordIsShownOnce(t *testing.T) {
	e := newConsoleEnv(t)
	w := e.do("POST", "/admin/members/u2/reset-password", url.Values{}, asAdmin)
	wantRedirect(t, w, "/admin/members/u2/shown")
	if strings.Contains(w.Header().Get("Location"), "Temp-Pass") {
		t.Fatal("the password is in the URL")
	}
	c := shownCookieOf(t, w)
	wantChanges(t, e.rec, "ResetPassword u2")

	w = e.do("GET", "/admin/members/u2/shown", nil, asAdmin, c.Name+"="+c.Value)
	wantBody(t, w, http.StatusOK, "Temp-Pass-1234", "shown only once")
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	if gone := cookie(t, w, c.Name); gone.MaxAge >= 0 {
		t.Errorf("the shown page kept its cookie: %+v", gone)
	}
	// Without the cookie (a reload, the back button) nothing is shown again.
	w = e.do("GET", "/admin/members/u2/shown", nil, asAdmin)
	wantBody(t, w, http.StatusOK, "Already shown")
	if strings.Contains(w.Body.String(), "Temp-Pass") {
		t.Error("the password was shown twice")
	}
	// A cookie made for one member shows nothing on another's page.
	w = e.do("GET", "/admin/members/u3/shown", nil, asAdmin, c.Name+"="+c.Value)
	if strings.Contains(w.Body.String(), "Temp-Pass") {
		t.Error("Bob's password was shown on Cy's page")
	}
}

func TestConsoleCreateMember(t *testing.T) {
	e := newConsoleEnv(t)
	wantBody(t, e.do("GET", "/admin/members/new", nil, asHelpdesk), http.StatusOK, `id="username"`)
	if strings.Contains(e.do("GET", "/admin/members/new", nil, asHelpdesk).Body.String(), `id="role"`) {
		t.Error("the help desk may choose a role")
	}
	w := e.do("POST", "/admin/members/new", url.Values{"username": {"alex@elsewhere.test"}, "displayName": {"Alex W"}}, asAdmin)
	wantBody(t, w, http.StatusBadRequest, `<a href="#username">Use a user name in contoso.test.</a>`,
		`value="alex@elsewhere.test"`, `value="Alex W"`, `aria-invalid="true"`)
	// The help desk's role field is ignored: they make members.
	w = e.do("POST", "/admin/members/new", url.Values{"username": {"alex@contoso.test"}, "displayName": {"Alex W"}, "role": {"admin"}}, asHelpdesk)
	wantRedirect(t, w, "/admin/members/u9/shown")
	shownCookieOf(t, w)
	w = e.do("POST", "/admin/members/new", url.Values{"username": {"dana@contoso.test"}, "role": {"helpdesk"}}, asAdmin)
	wantRedirect(t, w, "/admin/members/u9/shown")
	wantChanges(t, e.rec, "CreateMember alex@contoso.test Alex W member", "CreateMember dana@contoso.test  helpdesk")
}

func TestConsoleIssueTemporaryAccessPass(t *testing.T) {
	e := newConsoleEnv(t)
	wantBody(t, e.do("GET", "/admin/members/u2/tap", nil, asHelpdesk), http.StatusOK, "Issue a Temporary Access Pass", `name="lifetime"`,
		"Your organization&#39;s default (1 hour)", `<option value="480">8 hours</option>`)
	if strings.Contains(e.do("GET", "/admin/members/u2/tap", nil, asHelpdesk).Body.String(), "1 day") {
		t.Error("the form offers a lifetime beyond the policy's 8-hour maximum")
	}
	for d, want := range map[time.Duration]string{10 * time.Minute: "10 minutes", time.Hour: "1 hour", 90 * time.Minute: "90 minutes", 72 * time.Hour: "3 days"} {
		if got := lifetimeWords(d); got != want {
			t.Errorf("lifetimeWords(%s) = %q, want %q", d, got, want)
		}
	}
	w := e.do("POST", "/admin/members/u2/tap", url.Values{"lifetime": {"forever"}}, asAdmin)
	wantBody(t, w, http.StatusBadRequest, `<a href="#lifetime">`)
	w = e.do("POST", "/admin/members/u2/tap", url.Values{"startAt": {"tomorrow"}}, asAdmin)
	wantBody(t, w, http.StatusBadRequest, `<a href="#startAt">`, `value="tomorrow"`)
	wantChanges(t, e.rec)

	w = e.do("POST", "/admin/members/u2/tap", url.Values{"lifetime": {"60"}, "oneTime": {"1"}, "startAt": {"2026-03-04 13:00"}}, asAdmin)
	wantRedirect(t, w, "/admin/members/u2/shown")
	c := shownCookieOf(t, w)
	wantChanges(t, e.rec, "Issue u2 1h0m0s once=true start=2026-03-04T13:00:00Z")
	wantBody(t, e.do("GET", "/admin/members/u2/shown", nil, asAdmin, c.Name+"="+c.Value), http.StatusOK,
		"PASS-ABCD-EFGH", "One sign-in only", "4 Mar 2026, 13:00 UTC")

	e.passes.err = twofold.FieldError("lifetime", "A pass lasts at most 8 hours.")
	wantBody(t, e.do("POST", "/admin/members/u2/tap", url.Values{"lifetime": {"43200"}}, asAdmin), http.StatusBadRequest,
		`<a href="#lifetime">A pass lasts at most 8 hours.</a>`)
	e.passes.err = twofold.Errorf(twofold.EFORBIDDEN, "Your organization's policy doesn't allow Temporary Access Passes.")
	wantBody(t, e.do("POST", "/admin/members/u2/tap", url.Values{}, asAdmin), http.StatusForbidden,
		"There is a problem", "policy doesn&#39;t allow Temporary Access Passes")
	w = e.do("GET", "/admin/members/u2", nil, "__Host-twofold_session=admin-nopasses")
	wantBody(t, w, http.StatusOK, "Temporary Access Passes are off in your organization's policy.")
	if strings.Contains(w.Body.String(), `id="issue-tap"`) {
		t.Error("the member page offers a pass the policy doesn't allow")
	}
	e.passes.err = twofold.Errorf(twofold.EREAUTH, "Verify again.")
	wantRedirect(t, e.do("POST", "/admin/members/u2/tap", url.Values{}, asAdmin), "/my/verify?next="+url.QueryEscape("/admin/members/u2/tap"))
}

func TestConsoleGetPagesChangeNothing(t *testing.T) {
	e := newConsoleEnv(t)
	for _, p := range []string{"/admin", "/admin/members", "/admin/members/new", "/admin/members/u2", "/admin/members/u2/shown",
		"/admin/members/u2/confirm/disable", "/admin/members/u2/confirm/reset-password", "/admin/members/u2/confirm/revoke-sessions",
		"/admin/members/u2/methods/m-app/delete", "/admin/members/u2/tap", "/admin/members/u2/disable"} {
		e.do("GET", p, nil, asAdmin)
	}
	wantChanges(t, e.rec)
}

// An admin who signed in with a Temporary Access Pass proved no password: the
// pass is for setting up security info, so the console stays closed, reading
// included, and nothing changes.
func TestConsoleRefusesAPassSession(t *testing.T) {
	e := newConsoleEnv(t)
	const asPass = "__Host-twofold_session=admin-pass"
	wantBody(t, e.do("GET", "/admin/members", nil, asPass), http.StatusForbidden,
		"Sign in with your password to use the admin console", "Temporary Access Pass")
	wantBody(t, e.do("GET", "/admin/members/u2", nil, asPass), http.StatusForbidden)
	wantBody(t, e.do("POST", "/admin/members/u2/unblock", url.Values{}, asPass), http.StatusForbidden)
	wantChanges(t, e.rec)
}
