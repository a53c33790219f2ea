package account

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// Store is what the My Account use cases need from the database.
type Store interface {
	ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error)
	// ReservePasswordGuess, ReleasePasswordGuess and LockUser count wrong
	// current passwords against the account exactly as sign-in does.
	ReservePasswordGuess(ctx context.Context, userID string, now time.Time, threshold int) (twofold.PasswordGuess, bool, error)
	ReleasePasswordGuess(ctx context.Context, userID string, g twofold.PasswordGuess) error
	LockUser(ctx context.Context, userID string, g twofold.PasswordGuess, now time.Time, lengths []time.Duration) (bool, error)
	RecordPasswordSuccess(ctx context.Context, userID string) error
	// ReplacePasswordHash sets the new hash only while the old one is stored.
	ReplacePasswordHash(ctx context.Context, userID, oldHash, newHash string) (bool, error)
	RevokeOtherSessions(ctx context.Context, userID, keepID string, at time.Time) (int, error)
	// InTx runs fn in one transaction (see twofold.Store).
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Hasher checks and makes password hashes with bounded concurrency
// (*password.Hasher).
type Hasher interface {
	Hash(ctx context.Context, password string) (string, error)
	Verify(ctx context.Context, encoded, password string) (ok bool, needsRehash bool, err error)
}

// Deps are the collaborators of the Service.
type Deps struct {
	Store  Store
	Hasher Hasher
	Audit  *audit.Recorder
	Now    func() time.Time
	Log    *slog.Logger // nil discards
	// FreshWindow is how recent the session's second factor must be; default
	// 10 minutes, as for security info.
	FreshWindow time.Duration
}

// Service runs the My Account use cases.
type Service struct {
	Deps
}

// New returns a Service.
func New(d Deps) *Service {
	if d.FreshWindow <= 0 {
		d.FreshWindow = 10 * time.Minute
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{Deps: d}
}

// ErrReauth asks the member to prove their second factor again before going on.
var ErrReauth = twofold.Errorf(twofold.EREAUTH, "For your security, verify your identity again to continue.")

// fresh checks the fresh-MFA window: a member with a usable second factor must
// have proven one in this session recently.
func (s *Service) fresh(ctx context.Context, p *twofold.Principal) error {
	methods, err := s.Store.ListMethods(ctx, p.User.ID, twofold.MethodActive)
	if err != nil {
		return fmt.Errorf("account: list methods: %w", err)
	}
	if len(methodkind.Usable(p.Org.Policy, methods)) == 0 {
		return nil
	}
	if p.Session.MFAAt.IsZero() || s.Now().Sub(p.Session.MFAAt) >= s.FreshWindow {
		return ErrReauth
	}
	return nil
}
