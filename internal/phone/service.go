package phone

import (
	"context"
	"log/slog"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/notify"
)

// Store is what text and call challenges need from the database.
type Store interface {
	twofold.ChallengeStore
	UserByID(ctx context.Context, id string) (*twofold.User, error)
	OrgByID(ctx context.Context, id string) (*twofold.Organization, error)
	ListUsers(ctx context.Context, orgID string) ([]*twofold.User, error)
	BlockMFA(ctx context.Context, userID string, until time.Time) error
	FinishFlow(ctx context.Context, idHash string, from, to twofold.FlowState) (bool, error)
	RevokeSession(ctx context.Context, userID, id string, at time.Time) error
	Hit(ctx context.Context, key string, window, expireBefore time.Time) (int, error)
	HitAll(ctx context.Context, keys []string, window, expireBefore time.Time) ([]int, error)
	StartCooldown(ctx context.Context, key string, now, until time.Time) (bool, error)
	// InTx runs fn in one transaction (see twofold.Store).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// AdminAlerter tells an organization's admins about a security event.
type AdminAlerter interface {
	AdminAlert(ctx context.Context, admin *twofold.User, org *twofold.Organization, subject, what string) error
}

// Config holds the limits of texts and calls that are not per organization.
type Config struct {
	CodeLifetime    time.Duration // how long a texted code works; default 5 min
	CallTimeout     time.Duration // how long a call may take to be answered and get its key; default 90 s
	MaxCodeAttempts int           // wrong codes before a texted code dies; default 5
}

// Deps are the collaborators of the Service.
type Deps struct {
	Store    Store
	Provider notify.Phone
	Audit    *audit.Recorder
	Alerter  AdminAlerter
	Log      *slog.Logger
	Now      func() time.Time
	// CodeKey keys the hash of texted codes, so a copy of the database does not
	// give them away (a 6-digit code alone is too easy to brute-force offline).
	CodeKey []byte
}

// Service sends texted codes and places verification calls, checks what comes
// back, and enforces the throttles that protect members and the organization's
// bill. It is the notify.CallEvents receiver of every provider.
type Service struct {
	Deps
	cfg Config
}

var _ notify.CallEvents = (*Service)(nil)

// New returns a Service; zero Config fields take their defaults.
func New(d Deps, cfg Config) *Service {
	if cfg.CodeLifetime <= 0 {
		cfg.CodeLifetime = 5 * time.Minute
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 90 * time.Second
	}
	if cfg.MaxCodeAttempts <= 0 {
		cfg.MaxCodeAttempts = 5
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{Deps: d, cfg: cfg}
}

// FlowBinding binds a challenge to a sign-in flow, by the flow's ID hash.
func FlowBinding(flowIDHash string) string { return "flow:" + flowIDHash }

// SessionBinding binds a challenge to a signed-in session.
func SessionBinding(sessionID string) string { return "session:" + sessionID }

// Request asks for one text or call.
type Request struct {
	User    *twofold.User
	Org     *twofold.Organization
	Binding string
	Purpose twofold.ChallengePurpose
	Channel string // twofold.ChannelSMS or twofold.ChannelVoice
	// MethodID is the phone used or being changed; "" when adding a phone.
	MethodID  string
	PhoneType twofold.PhoneType
	Number    string // E.164
	Client    twofold.Client
}
