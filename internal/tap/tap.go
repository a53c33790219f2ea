// Package tap issues, lists and deletes Temporary Access Passes: time-limited
// passcodes an admin gives a member who has no usable method, so they can sign
// in and register security info.
package tap

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
)

// Store is what passes need of the store.
type Store interface {
	twofold.Store
}

// Service issues and manages passes.
type Service struct {
	Store Store
	Audit *audit.Recorder
	Now   func() time.Time
	// FreshMFA is how recently a console member must have proven a second
	// factor to issue or delete a pass; zero means 5 minutes.
	FreshMFA time.Duration
}

// Request is what an admin asks for when issuing a pass. Zero Lifetime is the
// policy's default; zero StartAt is now.
type Request struct {
	Lifetime time.Duration
	OneTime  bool
	StartAt  time.Time
}

// Issued is a new pass: its method (never the pass) and the pass itself, which
// is shown once and never stored.
type Issued struct {
	Method *twofold.Method
	Pass   string
}

// Issue gives member userID a new pass.
func (s *Service) Issue(ctx context.Context, a *twofold.Actor, userID string, r Request) (*Issued, error) {
	return nil, twofold.Errorf(twofold.EUNAVAILABLE, "Temporary Access Passes are not available yet.")
}

// List returns the member's passes, without their hashes.
func (s *Service) List(ctx context.Context, a *twofold.Actor, userID string) ([]*twofold.Method, error) {
	return nil, twofold.Errorf(twofold.EUNAVAILABLE, "Temporary Access Passes are not available yet.")
}

// Delete removes the member's pass methodID.
func (s *Service) Delete(ctx context.Context, a *twofold.Actor, userID, methodID string) error {
	return twofold.Errorf(twofold.EUNAVAILABLE, "Temporary Access Passes are not available yet.")
}
