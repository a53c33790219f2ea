package reset

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/secondfactor"
)

// Store is what reset needs from the database.
type Store interface {
	twofold.ResetStore
	UserByUsername(ctx context.Context, username string) (*twofold.User, error)
	UserByID(ctx context.Context, id string) (*twofold.User, error)
	OrgByID(ctx context.Context, id string) (*twofold.Organization, error)
	OrgByDomain(ctx context.Context, domain string) (*twofold.Organization, error)
	ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error)
	SetPasswordHash(ctx context.Context, userID, hash string) error
	RevokeUserSessions(ctx context.Context, userID string, at time.Time) (int, error)
	Take(ctx context.Context, key string, window time.Time, limit int, expireBefore time.Time) (bool, error)
	// InTx runs fn in one transaction (see twofold.Store).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Hasher makes the new password's hash, with bounded concurrency.
type Hasher interface {
	Hash(ctx context.Context, password string) (string, error)
}

// ProofOfWork checks the proof of work a client solved before starting a
// reset (internal/pow).
type ProofOfWork interface {
	Verify(ctx context.Context, purpose, payload string) error
}

// Phones sends texts and places calls bound to a reset attempt (internal/phone).
type Phones interface {
	Send(ctx context.Context, r phone.Request) (*twofold.Challenge, error)
	Status(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error)
	TakeCall(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error)
}

// Keys runs security-key logins bound to a reset attempt (internal/webauthn).
type Keys interface {
	BeginLogin(ctx context.Context, user *twofold.User, binding string) (string, json.RawMessage, error)
	FinishLogin(ctx context.Context, user *twofold.User, ceremonyID, binding string, response []byte) (*twofold.Credential, error)
}

// Mail mails codes bound to a reset attempt (internal/email).
type Mail interface {
	Send(ctx context.Context, r email.Request) (*twofold.Challenge, error)
	Check(ctx context.Context, binding, code string) (*twofold.Challenge, error)
	Latest(ctx context.Context, binding string) (*twofold.Challenge, error)
}

// Questions asks and checks security questions (internal/questions).
type Questions interface {
	Ask(ctx context.Context, methodID string, n int, rnd io.Reader) ([]string, error)
	Check(ctx context.Context, methodID string, answers map[string]string) (bool, error)
}

// Config holds the reset limits that are not per organization.
type Config struct {
	AttemptLifetime time.Duration // how long a reset may take; default 15 min
	CodeLifetime    time.Duration // how long a mailed code works; default 5 min
	// GuardLimit failed verifications in GuardWindow block reset for the
	// member for GuardBlock; defaults 5, 24 h, 24 h.
	GuardLimit  int
	GuardWindow time.Duration
	GuardBlock  time.Duration
	// StartsPerNetwork and StartsPerName bound resets started per StartWindow
	// from one network and for one typed name; defaults 30 and 5 per hour.
	StartsPerNetwork int
	StartsPerName    int
	StartWindow      time.Duration
}

// Deps are the collaborators of the Service.
type Deps struct {
	Store     Store
	Hasher    Hasher
	PoW       ProofOfWork
	Phones    Phones
	Keys      Keys // nil when security keys are unavailable here
	Mail      Mail
	Questions Questions
	// Rand chooses the security questions asked (crypto/rand.Reader).
	Rand    io.Reader
	Checker *secondfactor.Checker
	Audit   *audit.Recorder
	// Validate refuses a new password with a reason (internal/password).
	Validate func(pw string, min int, words ...string) error
	Log      *slog.Logger
	Now      func() time.Time
}

// Service runs self-service password resets.
type Service struct {
	Deps
	cfg Config
}

// New returns a Service; zero Config fields take their defaults.
func New(d Deps, cfg Config) *Service {
	if cfg.AttemptLifetime <= 0 {
		cfg.AttemptLifetime = 15 * time.Minute
	}
	if cfg.CodeLifetime <= 0 {
		cfg.CodeLifetime = 5 * time.Minute
	}
	if cfg.GuardLimit <= 0 {
		cfg.GuardLimit = 5
	}
	if cfg.GuardWindow <= 0 {
		cfg.GuardWindow = 24 * time.Hour
	}
	if cfg.GuardBlock <= 0 {
		cfg.GuardBlock = 24 * time.Hour
	}
	if cfg.StartsPerNetwork <= 0 {
		cfg.StartsPerNetwork = 30
	}
	if cfg.StartsPerName <= 0 {
		cfg.StartsPerName = 5
	}
	if cfg.StartWindow <= 0 {
		cfg.StartWindow = time.Hour
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{Deps: d, cfg: cfg}
}

// PoWPurpose is the proof-of-work purpose of starting a reset.
const PoWPurpose = "reset"

// binding ties texts, calls and key logins to the attempt, by its ID hash.
func binding(a *twofold.ResetAttempt) string { return "reset:" + a.IDHash }

// Errors of a reset.
var (
	// ErrGone answers for an attempt that is unknown, expired or finished.
	ErrGone = twofold.Errorf(twofold.EEXPIRED, "Your password reset has expired. Please start again.")
	// ErrUnavailable refuses starts where no proof of work can be checked: reset
	// is never left open to automation.
	ErrUnavailable = twofold.Errorf(twofold.EUNAVAILABLE, "Password reset isn't available right now. Contact your help desk.")
	// ErrNetworkLimit refuses starts from a network past its limit.
	ErrNetworkLimit = twofold.Errorf(twofold.ERATELIMIT,
		"There have been too many password resets from your network. Wait an hour and try again.")
	// ErrNameLimit refuses starts for a name past its limit; unknown names are
	// counted alike.
	ErrNameLimit = twofold.Errorf(twofold.ERATELIMIT,
		"There have been too many password resets for this user name. Wait an hour and try again.")
	// ErrBlocked refuses steps while the member is blocked from reset.
	ErrBlocked = twofold.Errorf(twofold.ERATELIMIT,
		"Password reset is blocked for your account for a day after too many failed verifications. Contact your help desk if you need to get in sooner.")
	// ErrOptionGone refuses a way to verify that is not (or no longer) offered.
	ErrOptionGone = twofold.Errorf(twofold.ENOTFOUND, "That way to verify isn't available. Choose another one.")
	// ErrNoStep refuses an answer before a step was started.
	ErrNoStep = twofold.Errorf(twofold.ECONFLICT, "Choose a way to verify your identity first.")
	// ErrNotVerified refuses a new password before enough methods are proven.
	ErrNotVerified = twofold.Errorf(twofold.ECONFLICT, "Verify your identity before you choose a new password.")
)

// notEligible is the answer for every member who cannot reset here, and for
// names that are no member's, with the organization's help-desk contact.
func notEligible(org *twofold.Organization) error {
	msg := "You can't reset your password here. Contact your administrator."
	if org != nil && org.Policy.HelpdeskContact != "" {
		msg = "You can't reset your password here. Contact your administrator: " + org.Policy.HelpdeskContact
	}
	return twofold.Errorf(twofold.EFORBIDDEN, "%s", msg)
}
