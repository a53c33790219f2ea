package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/totp"
)

// Signin is the sign-in use case as the pages call it (*signin.Service).
type Signin interface {
	// Password checks the credentials and starts a flow. Any credential failure is
	// one EUNAUTHORIZED error with a fixed sentence.
	Password(ctx context.Context, username, password string, c twofold.Client) (*signin.Result, error)
	// Resume returns where a flow stands. Returns EEXPIRED for a flow that is gone.
	Resume(ctx context.Context, flowID string) (*signin.Result, error)
	// Verify checks a second-factor code; methodID "" tries every authenticator app.
	Verify(ctx context.Context, flowID, methodID, code string, c twofold.Client) (*signin.Result, error)
	// BeginRegistration starts, or shows again, the interrupt's authenticator app.
	BeginRegistration(ctx context.Context, flowID string) (*totp.Enrolment, error)
	// FinishRegistration activates the app with a code and signs the member in.
	FinishRegistration(ctx context.Context, flowID, methodID, name, code string, c twofold.Client) (*signin.Result, error)
	// Cancel ends a waiting sign-in flow at the member's request.
	Cancel(ctx context.Context, flowID string, c twofold.Client) error
}

// Sessions is the session use case as the pages call it (*session.Service).
type Sessions interface {
	// Authenticate resolves a session token. Returns EUNAUTHORIZED for any token
	// that does not lead to a live session.
	Authenticate(ctx context.Context, token string, c twofold.Client) (*twofold.Principal, error)
	SignOut(ctx context.Context, p *twofold.Principal) error
	SignOutEverywhere(ctx context.Context, p *twofold.Principal) (int, error)
	List(ctx context.Context, p *twofold.Principal) ([]*twofold.Session, error)
}

// SecurityInfo is the manage-mode use case as the pages call it
// (*securityinfo.Service). Every method returns EREAUTH when the session's last
// second factor is too old for the change.
type SecurityInfo interface {
	Overview(ctx context.Context, p *twofold.Principal) (*securityinfo.Overview, error)
	// MethodCount returns how many methods the member has; no fresh second factor needed.
	MethodCount(ctx context.Context, p *twofold.Principal) (int, error)
	Reverify(ctx context.Context, p *twofold.Principal, code string) error
	BeginApp(ctx context.Context, p *twofold.Principal) (*totp.Enrolment, error)
	PendingApp(ctx context.Context, p *twofold.Principal, id string) (*totp.Enrolment, error)
	ActivateApp(ctx context.Context, p *twofold.Principal, id, name, code string) (*twofold.Method, error)
	Method(ctx context.Context, p *twofold.Principal, id string) (*twofold.Method, error)
	Delete(ctx context.Context, p *twofold.Principal, id string) error
	SetDefault(ctx context.Context, p *twofold.Principal, pref twofold.SignInPreference) error
}

// Deps are what the pages need. Signin, Sessions and SecurityInfo are required.
type Deps struct {
	Signin       Signin
	Sessions     Sessions
	SecurityInfo SecurityInfo
	Logger       *slog.Logger // nil discards
	// InsecureCookies drops the __Host- prefix and the Secure flag, for a dev server
	// reached over plain HTTP on a name other than localhost. Never in production.
	InsecureCookies bool
	Now             func() time.Time // nil means time.Now
}

// handler holds the parsed pages and the use cases; its methods are the routes.
type handler struct {
	Deps
	log     *slog.Logger
	pages   *pages
	assets  *assets
	cookies cookieNames
}

// New parses every template and asset and returns the pages' handler. It fails
// if a template does not parse or a page's view names a template that is missing.
func New(d Deps) (http.Handler, error) {
	if d.Signin == nil || d.Sessions == nil || d.SecurityInfo == nil {
		return nil, fmt.Errorf("web: Signin, Sessions and SecurityInfo are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	h := &handler{Deps: d, log: d.Logger, cookies: newCookieNames(d.InsecureCookies)}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if h.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if h.pages, err = parsePages(h.assets); err != nil {
		return nil, err
	}
	return h.routes(), nil
}
