package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/totp"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// Signin is the sign-in use case as the pages call it (*signin.Service).
type Signin interface {
	// Password checks the credentials and starts a flow. Any credential failure is
	// one EUNAUTHORIZED error with a fixed sentence.
	Password(ctx context.Context, username, password string, c twofold.Client) (*signin.Result, error)
	// TemporaryAccessPass signs in with a user name and an admin's pass instead
	// of a password. Any credential failure is one EUNAUTHORIZED error.
	TemporaryAccessPass(ctx context.Context, username, pass string, c twofold.Client) (*signin.Result, error)
	// Resume returns where a flow stands. Returns EEXPIRED for a flow that is gone.
	Resume(ctx context.Context, flowID string) (*signin.Result, error)
	// Verify checks a second-factor code; methodID "" tries every authenticator app.
	Verify(ctx context.Context, flowID, methodID, code string, c twofold.Client) (*signin.Result, error)
	// BeginRegistration starts, or shows again, the interrupt's authenticator app.
	BeginRegistration(ctx context.Context, flowID string) (*totp.Enrolment, error)
	// FinishRegistration activates the app with a code and signs the member in.
	FinishRegistration(ctx context.Context, flowID, methodID, name, code string, c twofold.Client) (*signin.Result, error)
	// RegistrationKinds lists what the interrupt can set up: an authenticator app
	// and/or a phone. Returns EEXPIRED for a flow that is gone or not in the interrupt.
	RegistrationKinds(ctx context.Context, flowID string) ([]twofold.MethodKind, error)
	// PhoneTypes lists the phone types the interrupt may register, each with its
	// allowed channels; empty when phones are off.
	PhoneTypes(ctx context.Context, flowID string) (map[twofold.PhoneType][]string, error)
	// BeginPhoneRegistration checks the interrupt's phone form and texts or calls
	// the number; the Number's Extension is what was removed. Field errors name
	// phoneType, country, phoneNumber or method; ERATELIMIT past a throttle, the
	// provider's EUNAVAILABLE, EFORBIDDEN when phones are off.
	BeginPhoneRegistration(ctx context.Context, flowID string, req signin.PhoneRegistration, c twofold.Client) (*twofold.Challenge, phone.Number, error)
	// PhoneRegistrationStatus returns the interrupt's newest text or call;
	// ENOTFOUND when none was sent.
	PhoneRegistrationStatus(ctx context.Context, flowID string) (*twofold.Challenge, error)
	// FinishPhoneRegistration saves the verified phone and signs the member in;
	// code is "" for a call. Returns EINVALID on "code", ECONFLICT while the call
	// still waits for "#", EEXPIRED with the reason when the text or call failed
	// (ErrFlowGone or ErrTooManyTries when the flow is over), EFORBIDDEN after a
	// fraud report.
	FinishPhoneRegistration(ctx context.Context, flowID, code string, c twofold.Client) (*signin.Result, error)
	// Cancel ends a waiting sign-in flow at the member's request.
	Cancel(ctx context.Context, flowID string, c twofold.Client) error
	// Choose switches the flow to another option ("Sign in another way", "Resend
	// code", "Call again"): for a phone it texts or calls now. Returns ENOTFOUND for
	// an option that is not the member's, ERATELIMIT past a throttle, and the
	// provider's EUNAVAILABLE; the flow stays as it was.
	Choose(ctx context.Context, flowID, methodID string, pref twofold.SignInPreference, c twofold.Client) (*signin.Result, error)
	// CallStatus returns the flow's newest call, also for a flow a fraud report
	// ended. Returns ENOTFOUND when the newest challenge is not a call.
	CallStatus(ctx context.Context, flowID string) (*signin.Result, error)
	// CompleteCall signs the member in once the flow's call got its "#". Returns
	// ECONFLICT while the call is still ringing, EEXPIRED with the reason when it
	// failed (or ErrFlowGone when the flow is over).
	CompleteCall(ctx context.Context, flowID string, c twofold.Client) (*signin.Result, error)

	// BeginKey starts a security-key login as the flow's second factor;
	// EFORBIDDEN when the organization does not allow keys, EUNAVAILABLE when
	// the service's address cannot carry them.
	BeginKey(ctx context.Context, flowID string) (*webauthn.Challenge, error)
	// VerifyKey finishes the flow with the browser's answer; a refused answer
	// counts like a wrong code.
	VerifyKey(ctx context.Context, flowID, ceremonyID, credentialJSON string, c twofold.Client) (*signin.Result, error)
	// BeginPasskey starts a sign-in with a passkey, before anyone is known.
	BeginPasskey(ctx context.Context, c twofold.Client) (*webauthn.Challenge, error)
	// FinishPasskey signs the passkey's member in, or refuses with the one
	// credentials sentence.
	FinishPasskey(ctx context.Context, ceremonyID, credentialJSON string, c twofold.Client) (*signin.Result, error)
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
	// Reverify (a code of the method methodID, "" for an authenticator app) and
	// ReverifyCall refresh the second factor and return the session's new token;
	// the one the request came with stops working.
	Reverify(ctx context.Context, p *twofold.Principal, methodID, code string) (string, error)
	// BeginReverifyKey starts a key login for re-verification (ENOTFOUND without
	// a key); ReverifyKey checks its answer and returns the session's new token.
	BeginReverifyKey(ctx context.Context, p *twofold.Principal) (*webauthn.Challenge, error)
	ReverifyKey(ctx context.Context, p *twofold.Principal, ceremonyID, credentialJSON string) (string, error)
	BeginApp(ctx context.Context, p *twofold.Principal) (*totp.Enrolment, error)
	PendingApp(ctx context.Context, p *twofold.Principal, id string) (*totp.Enrolment, error)
	ActivateApp(ctx context.Context, p *twofold.Principal, id, name, code string) (*twofold.Method, error)
	Method(ctx context.Context, p *twofold.Principal, id string) (*twofold.Method, error)
	Delete(ctx context.Context, p *twofold.Principal, id string) error
	SetDefault(ctx context.Context, p *twofold.Principal, pref twofold.SignInPreference) error
	// QuestionsSetup returns what the security-questions form offers
	// (EFORBIDDEN when questions are off or not for the member);
	// SaveQuestions registers or replaces the set, every problem a field error.
	QuestionsSetup(ctx context.Context, p *twofold.Principal) (*securityinfo.QuestionsSetup, error)
	SaveQuestions(ctx context.Context, p *twofold.Principal, answers []questions.Answer) (*twofold.Method, error)

	// PhoneForm returns what the add-or-change phone form offers; methodID names the
	// phone to change, "" to add one. EFORBIDDEN when phones are off, ECONFLICT when
	// every phone type is taken, ENOTFOUND for a phone that is not the member's.
	PhoneForm(ctx context.Context, p *twofold.Principal, methodID string) (*securityinfo.PhoneForm, error)
	// BeginPhone checks the form and texts or calls the number. Field errors name
	// phoneType, country, phoneNumber or method.
	BeginPhone(ctx context.Context, p *twofold.Principal, req securityinfo.PhoneRequest) (*securityinfo.PhoneStarted, error)
	// PhoneStatus returns the member's newest number verification, which must be
	// challengeID (ENOTFOUND when a newer one replaced it).
	PhoneStatus(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error)
	// FinishPhone saves the verified number; code is "" for a call. Returns
	// ECONFLICT while the call is still ringing.
	FinishPhone(ctx context.Context, p *twofold.Principal, challengeID, code string) (*twofold.Method, error)
	// CancelPhone stops the number verification challengeID, hanging up its call
	// if it still rings.
	CancelPhone(ctx context.Context, p *twofold.Principal, challengeID string) error

	// EmailForm returns what the email form offers; methodID names the email to
	// change, "" to add one. EFORBIDDEN when email is off, ECONFLICT when the
	// member has one already, ENOTFOUND for an email that is not theirs.
	EmailForm(ctx context.Context, p *twofold.Principal, methodID string) (*securityinfo.EmailForm, error)
	// BeginEmail checks the address (field errors name emailAddress) and mails
	// it a code; ERATELIMIT past the member's mail limit.
	BeginEmail(ctx context.Context, p *twofold.Principal, req securityinfo.EmailRequest) (*twofold.Challenge, error)
	// EmailPending returns the session's newest mailed code, which must be
	// challengeID (ENOTFOUND when a newer one replaced it).
	EmailPending(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error)
	// ResendEmail mails a new code to the same address.
	ResendEmail(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error)
	// FinishEmail checks the code (field errors name code) and saves the address.
	FinishEmail(ctx context.Context, p *twofold.Principal, challengeID, code string) (*twofold.Method, error)

	// ReverifyOptions lists the ways the member can prove their second factor again.
	ReverifyOptions(ctx context.Context, p *twofold.Principal) ([]methodkind.Option, error)
	// ReverifyByPhone texts or calls one of the member's phones.
	ReverifyByPhone(ctx context.Context, p *twofold.Principal, methodID string, pref twofold.SignInPreference) (*twofold.Challenge, error)
	// ReverifyStatus returns the session's newest re-verification text or call;
	// ENOTFOUND when there is none.
	ReverifyStatus(ctx context.Context, p *twofold.Principal) (*twofold.Challenge, error)
	ReverifyCall(ctx context.Context, p *twofold.Principal) (string, error)
	// CancelReverify hangs up the session's re-verification call if it still rings.
	CancelReverify(ctx context.Context, p *twofold.Principal) error

	// BeginKey starts registering a security key. EFORBIDDEN when keys are off
	// or the member has no other method yet, ECONFLICT at the limit,
	// EUNAVAILABLE when the service's address cannot carry keys.
	BeginKey(ctx context.Context, p *twofold.Principal) (*webauthn.Challenge, error)
	// FinishKey verifies the browser's answer and saves the key under name;
	// field errors name "name".
	FinishKey(ctx context.Context, p *twofold.Principal, ceremonyID, name, credentialJSON string) (*twofold.Method, error)
	// RenameKey gives one of the member's keys a new name. Deleting a key is Delete.
	RenameKey(ctx context.Context, p *twofold.Principal, methodID, name string) error
}

// DevOutbox is the development outbox as /dev/outbox calls it
// (*outbox.Provider): the texts, calls and mail twofold would have sent, and the
// simulated calls' buttons. Errors are twofold errors: ENOTFOUND for a message
// that is not a stored call, ECONFLICT for an action the call's state does not
// allow ("This call has already ended."), EINVALID for bad digits.
type DevOutbox interface {
	// List returns the messages to the address to ("" for all), newest first.
	List(ctx context.Context, to string, limit int) ([]*twofold.Message, error)
	// Answer picks up a ringing call.
	Answer(ctx context.Context, messageID string) error
	// Press presses keys on an answered call, which ends it.
	Press(ctx context.Context, messageID, digits string) error
	// HangUp declines a ringing call or ends an answered one.
	HangUp(ctx context.Context, messageID string) error
}

// Deps are what the pages need. Signin, Sessions and SecurityInfo are required.
type Deps struct {
	Signin       Signin
	Sessions     Sessions
	SecurityInfo SecurityInfo
	// Outbox serves /dev/outbox when set. Only the development setup passes it;
	// nil (production) leaves every /dev/ path a 404.
	Outbox DevOutbox
	// Campaign asks signed-in members for reset methods (campaign.go); nil
	// sends every member straight to My Account.
	Campaign Campaign
	// Reset serves /reset, self-service password reset (reset.go); nil leaves
	// those pages a 404.
	Reset Reset
	// Report serves the "This wasn't me" links of notices (report.go); nil
	// leaves them a 404.
	Report Reporter
	// PoW hands out the proof-of-work challenges forms fetch (pow.go); nil
	// leaves those URLs a 404.
	PoW Challenger
	// Account serves /my/password, changing the password (password.go); nil
	// leaves it a 404.
	Account Account
	// Console serves /admin, the admin console (admin_*.go), to admins and the
	// help desk.
	Console Console

	Logger *slog.Logger // nil discards
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
