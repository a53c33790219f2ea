package session

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
)

// Store is what sessions need from the database.
type Store interface {
	twofold.SessionStore
	UserByID(ctx context.Context, id string) (*twofold.User, error)
	OrgByID(ctx context.Context, id string) (*twofold.Organization, error)
}

// Config holds the session lifetimes.
type Config struct {
	IdleTimeout     time.Duration // default 1 hour
	AbsoluteTimeout time.Duration // default 24 hours
}

// touchEvery limits LastSeenAt writes to one a minute per session, so reading pages
// does not turn into a write per request.
const touchEvery = time.Minute

// Auditor records what a member did to their own account.
type Auditor interface {
	Member(ctx context.Context, p *twofold.Principal, activity, reason string) error
}

// Service issues and checks sessions.
type Service struct {
	store Store
	audit Auditor
	cfg   Config
	now   func() time.Time
}

// New returns a Service. Zero timeouts take the defaults (1 hour idle, 24 hours absolute).
func New(store Store, audit Auditor, cfg Config, now func() time.Time) *Service {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = time.Hour
	}
	if cfg.AbsoluteTimeout <= 0 {
		cfg.AbsoluteTimeout = 24 * time.Hour
	}
	return &Service{store: store, audit: audit, cfg: cfg, now: now}
}

// Issue starts a new session for u with a fresh token. passwordAt and mfaAt record
// when each factor was proven (mfaAt zero when no second factor was asked).
func (s *Service) Issue(ctx context.Context, u *twofold.User, passwordAt, mfaAt time.Time, mfaMethod string, c twofold.Client) (string, *twofold.Session, error) {
	now := s.now().UTC()
	token := twofold.NewToken()
	sess := &twofold.Session{
		ID:         twofold.NewID(),
		TokenHash:  twofold.HashToken(token),
		UserID:     u.ID,
		OrgID:      u.OrgID,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(s.cfg.AbsoluteTimeout),
		PasswordAt: passwordAt,
		MFAAt:      mfaAt,
		MFAMethod:  mfaMethod,
		IP:         c.IP,
		UserAgent:  twofold.TruncateUserAgent(c.UserAgent),
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", nil, fmt.Errorf("session: issue: %w", err)
	}
	return token, sess, nil
}

// errSignedOut is the one answer for any token that does not lead to a live session.
var errSignedOut = twofold.Errorf(twofold.EUNAUTHORIZED, "Your session has ended. Please sign in again.")

// Authenticate resolves a token to the signed-in member. Returns EUNAUTHORIZED for
// an unknown, revoked, idle or expired session, or a disabled member.
func (s *Service) Authenticate(ctx context.Context, token string, c twofold.Client) (*twofold.Principal, error) {
	if token == "" || len(token) > 128 {
		return nil, errSignedOut
	}
	sess, err := s.store.SessionByTokenHash(ctx, twofold.HashToken(token))
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, errSignedOut
	} else if err != nil {
		return nil, fmt.Errorf("session: authenticate: %w", err)
	}
	now := s.now()
	if !sess.RevokedAt.IsZero() || !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.cfg.IdleTimeout {
		return nil, errSignedOut
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, fmt.Errorf("session: authenticate user: %w", err)
	}
	if u.Disabled {
		return nil, errSignedOut
	}
	org, err := s.store.OrgByID(ctx, sess.OrgID)
	if err != nil {
		return nil, fmt.Errorf("session: authenticate org: %w", err)
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.store.TouchSession(ctx, sess.ID, now.UTC()); err != nil {
			return nil, fmt.Errorf("session: touch: %w", err)
		}
		sess.LastSeenAt = now.UTC()
	}
	return &twofold.Principal{User: u, Org: org, Session: sess, Client: c}, nil
}

// RecordMFA notes that the member just proved a second factor in this session, which
// opens the fresh-MFA window for security-info changes.
func (s *Service) RecordMFA(ctx context.Context, p *twofold.Principal, methodID string) error {
	now := s.now().UTC()
	if err := s.store.RecordSessionMFA(ctx, p.Session.ID, methodID, now); err != nil {
		return fmt.Errorf("session: record mfa: %w", err)
	}
	p.Session.MFAAt, p.Session.MFAMethod = now, methodID
	return nil
}

// StepUp records that the member just proved a second factor again in this
// session (re-verification) and gives the session a new token, which it
// returns: a re-authentication must not leave a token that was issued before
// it working (ASVS V3.2.1). The session keeps its ID, so what is bound to it
// (a re-verification call, the sessions list) carries over. Returns
// EUNAUTHORIZED when the session was revoked or its token replaced meanwhile.
func (s *Service) StepUp(ctx context.Context, p *twofold.Principal, methodID string) (string, error) {
	now := s.now().UTC()
	token := twofold.NewToken()
	hash := twofold.HashToken(token)
	err := s.store.RotateSession(ctx, p.Session.ID, p.Session.TokenHash, hash, methodID, now)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return "", errSignedOut
	} else if err != nil {
		return "", fmt.Errorf("session: step up: %w", err)
	}
	p.Session.TokenHash, p.Session.MFAAt, p.Session.MFAMethod = hash, now, methodID
	return token, nil
}

// SignOut revokes the current session and records it.
func (s *Service) SignOut(ctx context.Context, p *twofold.Principal) error {
	if err := s.store.RevokeSession(ctx, p.User.ID, p.Session.ID, s.now().UTC()); err != nil {
		return fmt.Errorf("session: sign out: %w", err)
	}
	return s.audit.Member(ctx, p, twofold.ActivitySignOut, "session "+p.Session.ID)
}

// SignOutEverywhere revokes every live session of the member, this one included,
// records it, and returns how many were ended.
func (s *Service) SignOutEverywhere(ctx context.Context, p *twofold.Principal) (int, error) {
	n, err := s.store.RevokeUserSessions(ctx, p.User.ID, s.now().UTC())
	if err != nil {
		return 0, fmt.Errorf("session: sign out everywhere: %w", err)
	}
	return n, s.audit.Member(ctx, p, twofold.ActivitySignOutEverywhere, fmt.Sprintf("%d sessions ended", n))
}

// List returns the member's live sessions, newest first.
func (s *Service) List(ctx context.Context, p *twofold.Principal) ([]*twofold.Session, error) {
	now := s.now().UTC()
	all, err := s.store.ListSessions(ctx, p.User.ID, now)
	if err != nil {
		return nil, fmt.Errorf("session: list: %w", err)
	}
	// The store drops revoked and expired sessions; idle ones are dropped here,
	// where the idle timeout is known.
	live := all[:0]
	for _, x := range all {
		if now.Sub(x.LastSeenAt) < s.cfg.IdleTimeout {
			live = append(live, x)
		}
	}
	return live, nil
}
