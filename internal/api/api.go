package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/session"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/totp"
)

// Signin is the sign-in use case as the API calls it (*signin.Service).
type Signin interface {
	// Password checks the credentials and starts a flow, or signs the member in at
	// once when no second factor is needed. Any credential failure is one
	// EUNAUTHORIZED error with a fixed sentence; ERATELIMIT and EUNAVAILABLE pass on.
	Password(ctx context.Context, username, password string, c twofold.Client) (*signin.Result, error)
	// Resume returns where a flow stands. Returns EEXPIRED for a flow that is gone.
	Resume(ctx context.Context, flowID string) (*signin.Result, error)
	// Verify checks a second-factor code; methodID "" tries every authenticator app.
	// Returns EINVALID on "code" for a wrong or malformed code, EEXPIRED when the
	// flow is gone or has had too many wrong codes, ERATELIMIT while MFA is blocked.
	Verify(ctx context.Context, flowID, methodID, code string, c twofold.Client) (*signin.Result, error)
	// BeginRegistration starts, or shows again, the interrupt's authenticator app.
	// Returns EEXPIRED for a flow that is gone or not in registration.
	BeginRegistration(ctx context.Context, flowID string) (*totp.Enrolment, error)
	// FinishRegistration activates the app with a code and signs the member in.
	// Returns ENOTFOUND for a method that is not the flow's pending one, EINVALID on
	// "code" or "name".
	FinishRegistration(ctx context.Context, flowID, methodID, name, code string, c twofold.Client) (*signin.Result, error)
	// Cancel ends a waiting sign-in flow; a flow that is already gone is not
	// an error.
	Cancel(ctx context.Context, flowID string, c twofold.Client) error
}

// Sessions is the session use case as the API calls it (*session.Service).
type Sessions interface {
	// Authenticate resolves a session token. Returns EUNAUTHORIZED for any token
	// that does not lead to a live session.
	Authenticate(ctx context.Context, token string, c twofold.Client) (*twofold.Principal, error)
	// SignOut revokes the principal's session.
	SignOut(ctx context.Context, p *twofold.Principal) error
	// SignOutEverywhere revokes every live session of the member.
	SignOutEverywhere(ctx context.Context, p *twofold.Principal) (int, error)
	// List returns the member's live sessions, newest first.
	List(ctx context.Context, p *twofold.Principal) ([]*twofold.Session, error)
}

// SecurityInfo is the manage-mode use case as the API calls it
// (*securityinfo.Service). Every method but Reverify returns EREAUTH when the
// session's last second factor is too old; method IDs of other members are
// ENOTFOUND.
type SecurityInfo interface {
	Overview(ctx context.Context, p *twofold.Principal) (*securityinfo.Overview, error)
	Reverify(ctx context.Context, p *twofold.Principal, code string) error
	BeginApp(ctx context.Context, p *twofold.Principal) (*totp.Enrolment, error)
	PendingApp(ctx context.Context, p *twofold.Principal, id string) (*totp.Enrolment, error)
	ActivateApp(ctx context.Context, p *twofold.Principal, id, name, code string) (*twofold.Method, error)
	Method(ctx context.Context, p *twofold.Principal, id string) (*twofold.Method, error)
	Delete(ctx context.Context, p *twofold.Principal, id string) error
	SetDefault(ctx context.Context, p *twofold.Principal, pref twofold.SignInPreference) error
}

// The use-case services are what the CLI passes in.
var (
	_ Signin       = (*signin.Service)(nil)
	_ Sessions     = (*session.Service)(nil)
	_ SecurityInfo = (*securityinfo.Service)(nil)
)

// Deps are what the API needs. Signin, Sessions and SecurityInfo are required.
type Deps struct {
	Signin       Signin
	Sessions     Sessions
	SecurityInfo SecurityInfo
	Log          *slog.Logger // nil discards
}

// handler holds the use cases; its methods are the routes.
type handler struct {
	Deps
	log *slog.Logger
}

// New returns the API's handler. It serves full paths under /api/v1/, so mount it
// on that prefix without stripping it.
func New(d Deps) http.Handler {
	h := &handler{Deps: d, log: d.Log}
	if h.log == nil {
		h.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	routes := h.routes()
	// Every answer may carry a token, a secret or personal data: no cache keeps one.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		routes.ServeHTTP(w, r)
	})
}
