package signin

import (
	"context"
	"log/slog"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/session"
	"github.com/twofold-id/twofold/internal/totp"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// Store is what sign-in needs from the database.
type Store interface {
	UserByUsername(ctx context.Context, username string) (*twofold.User, error)
	UserByID(ctx context.Context, id string) (*twofold.User, error)
	OrgByID(ctx context.Context, id string) (*twofold.Organization, error)
	OrgByDomain(ctx context.Context, domain string) (*twofold.Organization, error)
	SetPasswordHash(ctx context.Context, userID, hash string) error
	ReplacePasswordHash(ctx context.Context, userID, oldHash, newHash string) (bool, error)
	SetPreferredMethod(ctx context.Context, userID string, pref twofold.SignInPreference) error
	ReservePasswordGuess(ctx context.Context, userID string, now time.Time, threshold int) (twofold.PasswordGuess, bool, error)
	ReleasePasswordGuess(ctx context.Context, userID string, g twofold.PasswordGuess) error
	LockUser(ctx context.Context, userID string, g twofold.PasswordGuess, now time.Time, lengths []time.Duration) (bool, error)
	RecordPasswordSuccess(ctx context.Context, userID string) error
	CreateMethod(ctx context.Context, m *twofold.Method) error
	ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error)
	MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error)
	DeleteMethod(ctx context.Context, userID, methodID string) error
	LockMember(ctx context.Context, userID string) error
	twofold.FlowStore
	twofold.TAPStore
	Hit(ctx context.Context, key string, window, expireBefore time.Time) (int, error)
	Take(ctx context.Context, key string, window time.Time, limit int, expireBefore time.Time) (bool, error)
	GiveBack(ctx context.Context, key string, window time.Time) error
	// InTx runs fn in one transaction (see twofold.Store).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Hasher verifies and re-creates password hashes with bounded concurrency.
type Hasher interface {
	Hash(ctx context.Context, password string) (string, error)
	Verify(ctx context.Context, encoded, password string) (ok, needsRehash bool, err error)
	VerifyDummy(ctx context.Context, password string) error
}

// Enroller registers authenticator apps (the interrupt's only method today).
type Enroller interface {
	Begin(ctx context.Context, userID, issuer, account string) (*totp.Enrolment, error)
	Pending(ctx context.Context, userID, methodID, issuer, account string) (*totp.Enrolment, error)
	Activate(ctx context.Context, userID, methodID, name, code string, limit int) error
}

// Phones sends texts and places calls bound to a flow (internal/phone).
type Phones interface {
	Send(ctx context.Context, r phone.Request) (*twofold.Challenge, error)
	Status(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error)
	TakeCall(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error)
	CheckCode(ctx context.Context, binding string, purpose twofold.ChallengePurpose, code string) (*twofold.Challenge, error)
	// CancelCall hangs up the binding's call if it still rings or waits for "#".
	CancelCall(ctx context.Context, binding string, purpose twofold.ChallengePurpose) error
}

// Config holds the sign-in limits that are not per organization.
type Config struct {
	FlowLifetime    time.Duration // how long a started sign-in may take; default 10 min
	FlowMaxAttempts int           // wrong codes before a flow dies; default 5
	IPFailureLimit  int           // failed passwords per IP per IPWindow; default 100
	IPWindow        time.Duration // default 15 min
}

// Deps are the collaborators of the sign-in Service.
type Deps struct {
	Store    Store
	Hasher   Hasher
	Enroller Enroller
	Phones   Phones
	Keys     *webauthn.Service // nil when security keys are unavailable here
	Checker  *secondfactor.Checker
	Sessions *session.Service
	Audit    *audit.Recorder
	Log      *slog.Logger
	Now      func() time.Time
}

// Service runs sign-in flows.
type Service struct {
	Deps
	cfg  Config
	save *methodkind.Saver
}

// New returns a Service; zero Config fields take their defaults.
func New(d Deps, cfg Config) *Service {
	if cfg.FlowLifetime <= 0 {
		cfg.FlowLifetime = 10 * time.Minute
	}
	if cfg.FlowMaxAttempts <= 0 {
		cfg.FlowMaxAttempts = 5
	}
	if cfg.IPFailureLimit <= 0 {
		cfg.IPFailureLimit = 100
	}
	if cfg.IPWindow <= 0 {
		cfg.IPWindow = 15 * time.Minute
	}
	return &Service{Deps: d, cfg: cfg, save: &methodkind.Saver{Store: d.Store, Audit: d.Audit, Sessions: d.Sessions}}
}

// Option is one second-factor choice offered at sign-in. A mobile phone gives two:
// a call and a text.
type Option struct {
	MethodID   string
	Kind       twofold.MethodKind
	Preference twofold.SignInPreference
	// Label says what choosing it does, numbers masked: "Text +1 XXXXXXX234".
	Label string
	Name  string // the member's name for the method
	// Channel is twofold.ChannelSMS or twofold.ChannelVoice for a phone, else "".
	Channel string
	// Masked is a phone's number as shown before sign-in ("+1 XXXXXXX234").
	Masked string
}

// Result is where a sign-in stands after a step.
type Result struct {
	// FlowID is the bearer ID of the flow while it needs more steps.
	FlowID  string
	State   twofold.FlowState
	User    *twofold.User
	Org     *twofold.Organization
	Options []Option
	// Default is the option challenged first; nil when there are no options.
	Default *Option
	// Current is the option in use: the one of the newest text or call, else
	// Default.
	Current *Option
	// Challenge is the flow's newest text or call, nil when none was sent.
	Challenge *twofold.Challenge
	// SendError says why the default's text or call could not go out after the
	// password step (a throttle, the provider); the member can choose another way.
	SendError error
	// SessionToken and Session are set once State is FlowSignedIn.
	SessionToken string
	Session      *twofold.Session
}
