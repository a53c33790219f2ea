package reset

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// Start begins a reset for the typed user name, once the client's proof of
// work holds and the network and the name are under their start limits. It
// returns the attempt's bearer ID for every name, known or not, eligible or
// not, after the same reads and writes and without hashing anything, so
// neither the answer nor its timing tells who has an account. Whether the
// member can go on is only said at the method step (Attempt).
func (s *Service) Start(ctx context.Context, username, proofOfWork string, c twofold.Client) (string, error) {
	username, err := normalizeUsername(username)
	if err != nil {
		return "", err
	}
	if s.PoW == nil {
		return "", ErrUnavailable
	}
	if err := s.PoW.Verify(ctx, PoWPurpose, proofOfWork); err != nil {
		return "", err
	}
	now := s.Now().UTC()
	if err := s.takeStart(ctx, "reset-ip:"+c.NetworkKey(), s.cfg.StartsPerNetwork, now, ErrNetworkLimit); err != nil {
		return "", err
	}
	if err := s.takeStart(ctx, "reset-name:"+username, s.cfg.StartsPerName, now, ErrNameLimit); err != nil {
		return "", err
	}
	u, err := s.Store.UserByUsername(ctx, username)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		u = nil
	} else if err != nil {
		return "", fmt.Errorf("reset: find user: %w", err)
	}
	_, domain, _ := strings.Cut(username, "@")
	org, err := s.Store.OrgByDomain(ctx, domain)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		org = nil
	} else if err != nil {
		return "", fmt.Errorf("reset: find organization: %w", err)
	}
	id := twofold.NewToken()
	a := &twofold.ResetAttempt{
		IDHash: twofold.HashToken(id), State: twofold.ResetVerifying,
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.AttemptLifetime), IP: c.IP,
		UserAgent: twofold.TruncateUserAgent(c.UserAgent),
	}
	if org != nil {
		a.OrgID = org.ID
	}
	if u != nil && org != nil && u.OrgID == org.ID {
		a.UserID = u.ID
		a.Required = methodkind.ResetRequired(org.Policy, u)
	}
	if err := s.Store.CreateResetAttempt(ctx, a); err != nil {
		return "", fmt.Errorf("reset: create attempt: %w", err)
	}
	return id, nil
}

// takeStart takes one of the window's places for key. Unknown names take
// places like known ones, so the limit tells nothing either.
func (s *Service) takeStart(ctx context.Context, key string, limit int, now time.Time, refusal error) error {
	window := now.Truncate(s.cfg.StartWindow)
	ok, err := s.Store.Take(ctx, key, window, limit, now.Add(-2*s.cfg.StartWindow))
	if err != nil {
		return fmt.Errorf("reset: start limit: %w", err)
	}
	if !ok {
		return refusal
	}
	return nil
}

// normalizeUsername trims and lower-cases a user name and checks its shape.
func normalizeUsername(s string) (string, error) {
	if !utf8.ValidString(s) || !twofold.PrintableName(s) {
		return "", twofold.FieldError("username", "Enter your user name in the form name@example.com.")
	}
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", twofold.FieldError("username", "Enter your user name.")
	case len(s) > 254 || strings.Count(s, "@") != 1 || strings.HasPrefix(s, "@") || strings.HasSuffix(s, "@"):
		return "", twofold.FieldError("username", "Enter your user name in the form name@example.com.")
	}
	return s, nil
}
