package twofold

import (
	"context"
	"time"
)

// TokenStore keeps admin API tokens. Only a token's hash is stored.
type TokenStore interface {
	// CreateAPIToken stores t. Returns ECONFLICT when the organization already
	// has an unrevoked token of that name (one statement, the database's unique
	// index decides), ENOTFOUND when the organization does not exist.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// APITokenByHash returns the token, revoked or expired or not. Returns ENOTFOUND.
	APITokenByHash(ctx context.Context, tokenHash string) (*APIToken, error)
	// ListAPITokens returns the tokens of orgID ("" for every organization),
	// oldest first, revoked ones included.
	ListAPITokens(ctx context.Context, orgID string) ([]*APIToken, error)
	// RevokeAPIToken marks the unrevoked token id of orgID ("" for any
	// organization) revoked at now, in one conditional statement, and reports
	// whether this call revoked it (false when it already was). Returns
	// ENOTFOUND for a token that is not the organization's.
	RevokeAPIToken(ctx context.Context, orgID, id string, now time.Time) (bool, error)
	// TouchAPIToken records a use at now unless the token is revoked or was
	// last recorded after now-every, in one conditional statement, and reports
	// whether it wrote.
	TouchAPIToken(ctx context.Context, id string, now time.Time, every time.Duration) (bool, error)
}
