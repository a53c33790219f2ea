package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
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
	// TemporaryAccessPass signs in with a user name and an admin's pass instead
	// of a password, answering as Password does; every credential failure is one
	// EUNAUTHORIZED error with a fixed sentence.
	TemporaryAccessPass(ctx context.Context, username, pass string, c twofold.Client) (*signin.Result, error)
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
	// RegistrationKinds lists what the interrupt can set up: an authenticator app
	// and/or a phone. Returns EEXPIRED for a flow that is gone or not in registration.
	RegistrationKinds(ctx context.Context, flowID string) ([]twofold.MethodKind, error)
	// BeginPhoneRegistration texts a code to, or calls, the phone the member typed
	// during the interrupt; the Number's Extension is what was removed. Returns
	// field errors on "phoneType", "method", "phoneNumber" or "country", EFORBIDDEN
	// when phones are off or MFA is blocked, ERATELIMIT past a throttle,
	// EUNAVAILABLE from the provider, EEXPIRED for a flow that is gone.
	BeginPhoneRegistration(ctx context.Context, flowID string, req signin.PhoneRegistration, c twofold.Client) (*twofold.Challenge, phone.Number, error)
	// PhoneRegistrationStatus returns the interrupt's newest text or call; ENOTFOUND
	// when none was sent.
	PhoneRegistrationStatus(ctx context.Context, flowID string) (*twofold.Challenge, error)
	// FinishPhoneRegistration saves the verified phone and signs the member in;
	// code is "" for a call. Returns EINVALID on "code", ECONFLICT while a call
	// still waits for "#", EEXPIRED when the text or call failed or the flow is
	// gone, EFORBIDDEN after a fraud report.
	FinishPhoneRegistration(ctx context.Context, flowID, code string, c twofold.Client) (*signin.Result, error)
	// Cancel ends a waiting sign-in flow; a flow that is already gone is not
	// an error.
	Cancel(ctx context.Context, flowID string, c twofold.Client) error
	// Choose switches the flow to another of its options ("Sign in another way");
	// for a phone the text goes out or the call is placed now. Returns ENOTFOUND
	// for an option that is not the flow's, ERATELIMIT past a throttle and the
	// provider's EUNAVAILABLE; the flow then stays as it was.
	Choose(ctx context.Context, flowID, methodID string, pref twofold.SignInPreference, c twofold.Client) (*signin.Result, error)
	// CallStatus returns the flow with its verification call (Result.Challenge),
	// also for a flow a fraud report ended. Returns ENOTFOUND when the flow's
	// newest challenge is not a call (a text, or nothing sent), EEXPIRED for a
	// flow that is gone.
	CallStatus(ctx context.Context, flowID string) (*signin.Result, error)
	// CompleteCall signs the member in once the flow's call got its "#". Returns
	// ECONFLICT while the call is still waiting, EEXPIRED (with the reason) when
	// it failed, EFORBIDDEN after a fraud report, ENOTFOUND without a call.
	CompleteCall(ctx context.Context, flowID string, c twofold.Client) (*signin.Result, error)
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
// (*securityinfo.Service). Every method but the Reverify ones returns EREAUTH
// when the session's last second factor is too old; method IDs of other members
// are ENOTFOUND.
type SecurityInfo interface {
	Overview(ctx context.Context, p *twofold.Principal) (*securityinfo.Overview, error)
	// Reverify checks a code of the member's method methodID ("" for an
	// authenticator app; the use case decides by the method's kind) and returns
	// the session's new token; the one the request came with stops working. So
	// does ReverifyCall.
	Reverify(ctx context.Context, p *twofold.Principal, methodID, code string) (string, error)
	BeginApp(ctx context.Context, p *twofold.Principal) (*totp.Enrolment, error)
	PendingApp(ctx context.Context, p *twofold.Principal, id string) (*totp.Enrolment, error)
	ActivateApp(ctx context.Context, p *twofold.Principal, id, name, code string) (*twofold.Method, error)
	Method(ctx context.Context, p *twofold.Principal, id string) (*twofold.Method, error)
	Delete(ctx context.Context, p *twofold.Principal, id string) error
	SetDefault(ctx context.Context, p *twofold.Principal, pref twofold.SignInPreference) error

	// BeginPhone checks a phone form and texts or calls the number to verify it;
	// PhoneRequest.MethodID names a phone whose number changes. Returns field
	// errors on "phoneType", "method", "phoneNumber" or "country", EFORBIDDEN when
	// phones are off, ECONFLICT when every phone type is taken, ERATELIMIT past a
	// throttle, EUNAVAILABLE from the provider.
	BeginPhone(ctx context.Context, p *twofold.Principal, req securityinfo.PhoneRequest) (*securityinfo.PhoneStarted, error)
	// PhoneStatus returns the session's newest phone verification, which must be
	// challengeID (ENOTFOUND otherwise).
	PhoneStatus(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error)
	// FinishPhone saves the verified number: code is the texted code, "" for a
	// call. Returns EINVALID on "code", ECONFLICT while a call still waits for
	// "#", EEXPIRED when the text or call failed, ENOTFOUND for a replaced one.
	FinishPhone(ctx context.Context, p *twofold.Principal, challengeID, code string) (*twofold.Method, error)

	// BeginEmail checks an address (field error on "emailAddress") and mails it
	// a code; EmailRequest.MethodID names an email whose address changes.
	// Returns EFORBIDDEN when email is off, ECONFLICT when adding a second one,
	// ERATELIMIT past the member's mail limit, EUNAVAILABLE when mail is down.
	BeginEmail(ctx context.Context, p *twofold.Principal, req securityinfo.EmailRequest) (*twofold.Challenge, error)
	// EmailPending returns the session's newest mailed code, which must be
	// challengeID (ENOTFOUND otherwise).
	EmailPending(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error)
	// FinishEmail checks the mailed code (EINVALID on "code", EEXPIRED when it
	// expired or took too many tries) and saves the address.
	FinishEmail(ctx context.Context, p *twofold.Principal, challengeID, code string) (*twofold.Method, error)

	// ReverifyOptions lists the ways the member can prove the second factor again.
	ReverifyOptions(ctx context.Context, p *twofold.Principal) ([]methodkind.Option, error)
	// ReverifyByPhone texts or calls one of the member's phones to refresh the
	// session's second factor. Returns ENOTFOUND for an option that is not the
	// member's, ERATELIMIT past a throttle, EUNAVAILABLE from the provider.
	ReverifyByPhone(ctx context.Context, p *twofold.Principal, methodID string, pref twofold.SignInPreference) (*twofold.Challenge, error)
	// ReverifyStatus returns the session's newest re-verification text or call;
	// ENOTFOUND when there is none.
	ReverifyStatus(ctx context.Context, p *twofold.Principal) (*twofold.Challenge, error)
	// ReverifyCall refreshes the second factor once the call of ReverifyByPhone
	// got its "#". Returns ECONFLICT while it still waits, like CompleteCall.
	ReverifyCall(ctx context.Context, p *twofold.Principal) (string, error)
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
	Reset        Reset
	Log          *slog.Logger // nil discards

	// Campaign serves /me/registration (registration.go); nil answers 404 there.
	Campaign Campaign
	// Report takes POST /report (report.go); nil answers 404 there.
	Report Reporter
	// PoW hands out the proof-of-work challenges POST /reset needs (pow.go);
	// nil answers 404 there.
	PoW Challenger
	// Account changes the password, POST /me/password (password.go); nil
	// answers 404 there.
	Account Account
	// Tokens resolves the admin API tokens of every admin call
	// (admin_auth.go); nil answers every admin call 401.
	Tokens Tokens
	// Console is the use cases behind the admin routes (admin_*.go).
	Console Console
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
