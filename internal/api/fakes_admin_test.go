package api

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/registrations"
	"github.com/twofold-id/twofold/internal/tap"
)

// Admin test tokens: "admintok-" + a scope holds that scope alone; allScopes
// holds every scope. Any other token is unknown.
const (
	adminTokPrefix = "admintok-"
	allScopes      = "admintok-all"
	memberID       = "u-ada"
	otherOrgID     = "u-other-org"
)

type fakeTokens struct{ rec *recorder }

func (f *fakeTokens) Authenticate(_ context.Context, token string, c twofold.Client) (*twofold.Actor, error) {
	f.rec.add("Tokens.Authenticate", token)
	scope, ok := strings.CutPrefix(token, adminTokPrefix)
	if !ok {
		return nil, twofold.Errorf(twofold.EUNAUTHORIZED, "This token isn't valid.")
	}
	t := &twofold.APIToken{OrgID: "o1", Name: "test", Scopes: []twofold.Scope{twofold.Scope(scope)}}
	if token == allScopes {
		t.Scopes = twofold.AllScopes()
	}
	return twofold.TokenActor(t, c), nil
}

// fakeConsole answers every admin use case; a member ID other than memberID
// is not found, as for another organization's member.
type fakeConsole struct {
	rec    *recorder
	errs   errs
	policy twofold.Policy
	query  auditlog.Query
	events []*twofold.AuditEvent
	next   string
}

func (f *fakeConsole) member(name, id string, more ...string) error {
	f.rec.add(name, append([]string{id}, more...)...)
	if err := f.errs.of(name); err != nil {
		return err
	}
	if id != memberID {
		return twofold.Errorf(twofold.ENOTFOUND, "There is no such member in your organization.")
	}
	return nil
}

func ada() *twofold.User {
	return &twofold.User{ID: memberID, OrgID: "o1", Username: "ada@contoso.com", DisplayName: "Ada", Role: twofold.RoleMember,
		CreatedAt: t0, PreferredMethod: twofold.PreferenceOath}
}

func adaMethods() []*twofold.Method {
	return []*twofold.Method{
		{ID: "m-app", UserID: memberID, Kind: twofold.KindSoftwareOath, State: twofold.MethodActive, Name: "Work app", CreatedAt: t0},
		{ID: "m-phone", UserID: memberID, Kind: twofold.KindPhone, State: twofold.MethodActive, PhoneType: twofold.PhoneMobile, PhoneNumber: "+14255551234", CreatedAt: t0},
		{ID: "m-q", UserID: memberID, Kind: twofold.KindSecurityQuestions, State: twofold.MethodActive, Name: "Security questions", CreatedAt: t0},
	}
}

func (f *fakeConsole) SearchUsers(_ context.Context, a *twofold.Actor, q admin.UserQuery) (*admin.UserPage, error) {
	f.rec.add("SearchUsers", q.Text, q.After, strconv.Itoa(q.Limit))
	if err := f.errs.of("SearchUsers"); err != nil {
		return nil, err
	}
	return &admin.UserPage{Users: []admin.UserRow{{User: ada(), Methods: []twofold.MethodKind{twofold.KindSoftwareOath}}}, Next: f.next}, nil
}

func (f *fakeConsole) Member(_ context.Context, a *twofold.Actor, id string) (*admin.MemberView, error) {
	if err := f.member("Member", id); err != nil {
		return nil, err
	}
	return &admin.MemberView{User: ada(), Methods: adaMethods(), Sessions: 2, MFABlocked: true}, nil
}

func (f *fakeConsole) CreateMember(_ context.Context, a *twofold.Actor, n admin.NewMember) (*twofold.User, string, error) {
	f.rec.add("CreateMember", n.Username, n.DisplayName, string(n.Role))
	if err := f.errs.of("CreateMember"); err != nil {
		return nil, "", err
	}
	u := ada()
	u.MustChangePassword = true
	return u, "Temp-Password-1", nil
}

func (f *fakeConsole) SetEnabled(_ context.Context, a *twofold.Actor, id string, enabled bool) error {
	return f.member("SetEnabled", id, boolString(enabled))
}

func (f *fakeConsole) ResetPassword(_ context.Context, a *twofold.Actor, id string) (string, error) {
	return "Temp-Password-2", f.member("ResetPassword", id)
}

func (f *fakeConsole) RequireReregistration(_ context.Context, a *twofold.Actor, id string) (int, error) {
	return 3, f.member("RequireReregistration", id)
}

func (f *fakeConsole) RevokeSessions(_ context.Context, a *twofold.Actor, id string) (int, error) {
	return 2, f.member("RevokeSessions", id)
}

func (f *fakeConsole) Unblock(_ context.Context, a *twofold.Actor, id string) (admin.Unblocked, error) {
	return admin.Unblocked{MFA: true}, f.member("Unblock", id)
}

func (f *fakeConsole) DeleteMethodOfKind(_ context.Context, a *twofold.Actor, id, methodID string, k twofold.MethodKind) error {
	return f.member("DeleteMethodOfKind", id, methodID, string(k))
}

func (f *fakeConsole) SetRole(_ context.Context, a *twofold.Actor, id string, role twofold.Role) error {
	return f.member("SetRole", id, string(role))
}

func (f *fakeConsole) Policy(_ context.Context, a *twofold.Actor, orgID string) (*twofold.Organization, error) {
	f.rec.add("Policy", orgID)
	if err := f.errs.of("Policy"); err != nil {
		return nil, err
	}
	return &twofold.Organization{ID: "o1", Name: "Contoso", Policy: f.policy}, nil
}

func (f *fakeConsole) SetPolicy(_ context.Context, a *twofold.Actor, orgID string, p twofold.Policy) ([]admin.PolicyChange, error) {
	f.rec.add("SetPolicy", orgID)
	if err := f.errs.of("SetPolicy"); err != nil {
		return nil, err
	}
	if problems := admin.PolicyProblems(p); len(problems) > 0 {
		return nil, &admin.PolicyProblemsError{List: problems}
	}
	f.policy = p
	return nil, nil
}

func (f *fakeConsole) Search(_ context.Context, a *twofold.Actor, q auditlog.Query) (*auditlog.Page, error) {
	f.rec.add("Search")
	f.query = q
	if err := f.errs.of("Search"); err != nil {
		return nil, err
	}
	return &auditlog.Page{Events: f.events, Next: f.next}, nil
}

func (f *fakeConsole) Summary(_ context.Context, a *twofold.Actor, orgID string) (*registrations.Summary, error) {
	f.rec.add("Summary", orgID)
	if err := f.errs.of("Summary"); err != nil {
		return nil, err
	}
	return &registrations.Summary{OrgID: "o1", Figures: registrations.Figures{Members: 10, MFARegistered: 7, MFACapable: 6, SSPRRegistered: 5, SSPRCapable: 4},
		ByMethod: []registrations.MethodCount{{Kind: twofold.KindSoftwareOath, Members: 6}, {Kind: twofold.KindPhone, Members: 3}}}, nil
}

func (f *fakeConsole) Details(_ context.Context, a *twofold.Actor, q registrations.DetailsQuery) (*registrations.DetailsPage, error) {
	f.rec.add("Details", q.After, strconv.Itoa(q.Limit))
	if err := f.errs.of("Details"); err != nil {
		return nil, err
	}
	return &registrations.DetailsPage{Rows: []registrations.Detail{{ID: memberID, Username: "ada@contoso.com", DisplayName: "Ada",
		MFARegistered: true, MFACapable: true, Methods: []string{"softwareOath", "mobilePhone"}, Default: twofold.PreferenceOath, UpdatedAt: t0}}, Next: f.next}, nil
}

func (f *fakeConsole) Issue(_ context.Context, a *twofold.Actor, id string, r tap.Request) (*tap.Issued, error) {
	if err := f.member("Issue", id, r.Lifetime.String(), boolString(r.OneTime), r.StartAt.Format(time.RFC3339)); err != nil {
		return nil, err
	}
	return &tap.Issued{Method: pass(), Pass: "PASS-1234-abcd"}, nil
}

func pass() *twofold.Method {
	return &twofold.Method{ID: "m-tap", UserID: memberID, Kind: twofold.KindTemporaryAccessPass, State: twofold.MethodActive,
		PassHash: "hash-of-pass", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), UsableOnce: true}
}

func (f *fakeConsole) List(_ context.Context, a *twofold.Actor, id string) ([]*twofold.Method, error) {
	if err := f.member("List", id); err != nil {
		return nil, err
	}
	return []*twofold.Method{pass()}, nil
}

func (f *fakeConsole) Delete(_ context.Context, a *twofold.Actor, id, methodID string) error {
	return f.member("Delete", id, methodID)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// adminEnv is the API with the admin console and tokens wired to fakes.
type adminEnv struct {
	*env
	console *fakeConsole
}

func newAdminEnv(t *testing.T) *adminEnv {
	t.Helper()
	e := newEnv(t)
	c := &fakeConsole{rec: e.rec, errs: errs{}, policy: twofold.DefaultPolicy()}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.h = httpx.RequestContext(nil, New(Deps{Signin: e.signin, Sessions: e.sess, SecurityInfo: e.secinfo, Log: log,
		Tokens:  &fakeTokens{rec: e.rec},
		Console: Console{Members: c, Policies: c, AuditLog: c, Registrations: c, AccessPasses: c}}))
	return &adminEnv{env: e, console: c}
}
