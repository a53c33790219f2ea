// Package apitoken creates, lists, revokes and checks the admin API's bearer
// tokens. A token is shown once; only its hash is stored.
package apitoken

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
)

// Store is what tokens need of the store.
type Store interface {
	twofold.TokenStore
	OrgByID(ctx context.Context, id string) (*twofold.Organization, error)
}

// Service manages tokens.
type Service struct {
	Store Store
	Audit *audit.Recorder
	Now   func() time.Time
}

// Request is a token to create.
type Request struct {
	OrgID    string
	Name     string
	Scopes   []twofold.Scope
	Lifetime time.Duration // zero means the default lifetime
}

// Create makes a token and returns it with its bearer secret, shown once.
func (s *Service) Create(ctx context.Context, a *twofold.Actor, r Request) (*twofold.APIToken, string, error) {
	return nil, "", twofold.Errorf(twofold.EUNAVAILABLE, "API tokens are not available yet.")
}

// List returns the organization's tokens ("" for every organization, the CLI only).
func (s *Service) List(ctx context.Context, a *twofold.Actor, orgID string) ([]*twofold.APIToken, error) {
	return nil, twofold.Errorf(twofold.EUNAVAILABLE, "API tokens are not available yet.")
}

// Revoke ends token id of the organization.
func (s *Service) Revoke(ctx context.Context, a *twofold.Actor, orgID, id string) error {
	return twofold.Errorf(twofold.EUNAVAILABLE, "API tokens are not available yet.")
}

// Authenticate returns the actor of a live token; EUNAUTHORIZED otherwise.
func (s *Service) Authenticate(ctx context.Context, token string, c twofold.Client) (*twofold.Actor, error) {
	return nil, twofold.Errorf(twofold.EUNAUTHORIZED, "This API token isn't valid.")
}
