// Package apitoken creates, lists, revokes and checks the admin API's bearer
// tokens. A token is shown once; only its hash is stored.
package apitoken

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
)

// Store is what tokens need of the store.
type Store interface {
	twofold.TokenStore
	OrgByID(ctx context.Context, id string) (*twofold.Organization, error)
	// InTx runs fn in one transaction, so a token is never created or revoked
	// without its audit event.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Service manages tokens.
type Service struct {
	Store Store
	Audit *audit.Recorder
	Now   func() time.Time
}

// Lifetimes a token may be given. Every token expires: a forgotten one stops
// working on its own.
const (
	DefaultLifetime = 90 * 24 * time.Hour
	MinLifetime     = time.Hour
	MaxLifetime     = 365 * 24 * time.Hour
)

// MaxName is the longest token name, in characters.
const MaxName = 64

// Prefix starts every token secret, so a leaked one is recognizable by secret
// scanners and in logs.
const Prefix = "tf_"

// touchEvery is how often a token's last use is written at most: one write a
// minute is enough to tell an idle token from a busy one, and a busy client
// doesn't turn every request into a database write.
const touchEvery = time.Minute

// maxSecret bounds what Authenticate hashes: a real secret is 46 characters.
const maxSecret = 128

// Request is a token to create.
type Request struct {
	OrgID    string
	Name     string
	Scopes   []twofold.Scope
	Lifetime time.Duration // zero means the default lifetime
}

func (s *Service) now() time.Time { return s.Now().UTC() }

// operatorOnly refuses anyone but the operator at the command line: tokens
// act for a whole organization, so only whoever runs the service makes them.
func operatorOnly(a *twofold.Actor) error {
	if a == nil || a.OrgID != "" || a.UserID != "" || a.Scopes != nil {
		return twofold.Errorf(twofold.EFORBIDDEN, "API tokens are created, listed and revoked with the twofold command on the server.")
	}
	return nil
}

// validName trims name and checks it is 1 to MaxName printable characters.
func validName(name string) (string, error) {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	if n == 0 || n > MaxName || !utf8.ValidString(name) || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return "", twofold.FieldError("name", fmt.Sprintf("Give the token a name of 1 to %d printable characters, such as hr-sync.", MaxName))
	}
	return name, nil
}

// validScopes checks there is at least one scope and each is known, and
// returns them without repeats, in the order AllScopes lists them.
func validScopes(scopes []twofold.Scope) ([]twofold.Scope, error) {
	known := make([]string, 0, len(twofold.AllScopes()))
	for _, sc := range twofold.AllScopes() {
		known = append(known, string(sc))
	}
	if len(scopes) == 0 {
		return nil, twofold.FieldError("scopes", "Give the token at least one scope: "+strings.Join(known, ", ")+".")
	}
	for _, sc := range scopes {
		if !sc.Valid() {
			return nil, twofold.FieldError("scopes", fmt.Sprintf("%q is not a scope. The scopes are %s.", sc, strings.Join(known, ", ")))
		}
	}
	var out []twofold.Scope
	for _, sc := range twofold.AllScopes() {
		if slices.Contains(scopes, sc) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// validLifetime applies the default and checks the bounds.
func validLifetime(d time.Duration) (time.Duration, error) {
	if d == 0 {
		return DefaultLifetime, nil
	}
	if d < MinLifetime || d > MaxLifetime {
		return 0, twofold.FieldError("lifetime", "A token lives from 1 hour to 1 year (8760h); leave the lifetime out for 90 days.")
	}
	return d, nil
}

// Create makes a token and returns it with its bearer secret, shown once.
func (s *Service) Create(ctx context.Context, a *twofold.Actor, r Request) (*twofold.APIToken, string, error) {
	if err := operatorOnly(a); err != nil {
		return nil, "", err
	}
	name, err := validName(r.Name)
	if err != nil {
		return nil, "", err
	}
	scopes, err := validScopes(r.Scopes)
	if err != nil {
		return nil, "", err
	}
	lifetime, err := validLifetime(r.Lifetime)
	if err != nil {
		return nil, "", err
	}
	if r.OrgID == "" {
		return nil, "", twofold.FieldError("org", "Name the organization the token is for.")
	}
	if _, err := s.Store.OrgByID(ctx, r.OrgID); twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, "", twofold.FieldError("org", "There is no such organization.")
	} else if err != nil {
		return nil, "", err
	}
	secret := Prefix + twofold.NewToken()
	now := s.now()
	t := &twofold.APIToken{
		ID: twofold.NewID(), OrgID: r.OrgID, Name: name, Scopes: scopes,
		TokenHash: twofold.HashToken(secret), CreatedAt: now, ExpiresAt: now.Add(lifetime), CreatedBy: a.Name,
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return s.record(ctx, a, t, twofold.ActivityTokenCreated, "scopes "+scopeList(scopes)+"; expires "+t.ExpiresAt.Format(time.RFC3339))
	})
	if twofold.ErrorCode(err) == twofold.ECONFLICT {
		return nil, "", twofold.Errorf(twofold.ECONFLICT, "The organization already has a live token named %q. Revoke it first or choose another name.", name)
	} else if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// record audits activity on token t: the actor is who acted, the target the
// token by its name.
func (s *Service) record(ctx context.Context, a *twofold.Actor, t *twofold.APIToken, activity, reason string) error {
	return s.Audit.Record(ctx, &twofold.AuditEvent{
		OrgID: t.OrgID, ActorID: a.UserID, ActorName: a.Name,
		TargetID: t.ID, TargetName: t.Name,
		Activity: activity, Reason: reason,
		IP: a.Client.IP, UserAgent: a.Client.UserAgent,
	})
}

func scopeList(scopes []twofold.Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, ",")
}

// List returns the organization's tokens ("" for every organization, the CLI only).
// The hashes are left out: they are no one's business once stored.
func (s *Service) List(ctx context.Context, a *twofold.Actor, orgID string) ([]*twofold.APIToken, error) {
	if err := operatorOnly(a); err != nil {
		return nil, err
	}
	ts, err := s.Store.ListAPITokens(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		t.TokenHash = ""
	}
	return ts, nil
}

// Revoke ends token id of the organization. Of racing revocations exactly
// one succeeds and is audited; the others get ECONFLICT, "already revoked".
func (s *Service) Revoke(ctx context.Context, a *twofold.Actor, orgID, id string) error {
	if err := operatorOnly(a); err != nil {
		return err
	}
	if orgID == "" {
		return twofold.FieldError("org", "Name the organization the token belongs to.")
	}
	if id == "" {
		return twofold.FieldError("id", "Give the ID of the token to revoke (twofold token list shows it).")
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		revoked, err := s.Store.RevokeAPIToken(ctx, orgID, id, s.now())
		if twofold.ErrorCode(err) == twofold.ENOTFOUND {
			return twofold.Errorf(twofold.ENOTFOUND, "The organization has no token with that ID.")
		} else if err != nil {
			return err
		}
		if !revoked {
			return twofold.Errorf(twofold.ECONFLICT, "That token was already revoked.")
		}
		ts, err := s.Store.ListAPITokens(ctx, orgID)
		if err != nil {
			return err
		}
		t := &twofold.APIToken{ID: id, OrgID: orgID}
		if i := slices.IndexFunc(ts, func(t *twofold.APIToken) bool { return t.ID == id }); i >= 0 {
			t = ts[i]
		}
		return s.record(ctx, a, t, twofold.ActivityTokenRevoked, "")
	})
}

// errInvalid is the one answer for every token that doesn't work: unknown,
// revoked or expired read the same, so a caller learns nothing about which.
func errInvalid() error {
	return twofold.Errorf(twofold.EUNAUTHORIZED, "This API token isn't valid. It may have expired or been revoked; ask your operator for a new one.")
}

// Authenticate returns the actor of a live token; EUNAUTHORIZED otherwise.
// The token is found by the hash of what was presented, so no comparison of
// secrets happens in code whose timing could leak them.
func (s *Service) Authenticate(ctx context.Context, token string, c twofold.Client) (*twofold.Actor, error) {
	if !strings.HasPrefix(token, Prefix) || len(token) > maxSecret {
		return nil, errInvalid()
	}
	t, err := s.Store.APITokenByHash(ctx, twofold.HashToken(token))
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, errInvalid()
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if !t.RevokedAt.IsZero() || !now.Before(t.ExpiresAt) {
		return nil, errInvalid()
	}
	if _, err := s.Store.TouchAPIToken(ctx, t.ID, now, touchEvery); err != nil {
		return nil, fmt.Errorf("apitoken: record use of %s: %w", t.ID, err)
	}
	return twofold.TokenActor(t, c), nil
}
