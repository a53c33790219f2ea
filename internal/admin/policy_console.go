package admin

import (
	"context"

	"github.com/twofold-id/twofold"
)

// PolicyChange is one setting a policy edit changes, as the console's diff
// shows it before saving.
type PolicyChange struct {
	Field  string // the setting's JSON name ("lockoutThreshold", "phone.allowedCountries")
	Label  string // what people call it
	Before string
	After  string
}

// Policy returns the actor's organization (orgID for the CLI) with its
// authentication methods policy. Admins and tokens with policy.manage only.
func (s *Service) Policy(ctx context.Context, a *twofold.Actor, orgID string) (*twofold.Organization, error) {
	return nil, twofold.Errorf(twofold.EUNAVAILABLE, "The policy console is not available yet.")
}

// PolicyProblems returns every problem of p at once, each a field error.
func PolicyProblems(p twofold.Policy) []error { return nil }

// PolicyDiff lists the settings that differ between before and after.
func PolicyDiff(before, after twofold.Policy) []PolicyChange { return nil }

// SetPolicy validates p (every problem at once) and stores it for the actor's
// organization, audited "Authentication methods policy update".
func (s *Service) SetPolicy(ctx context.Context, a *twofold.Actor, orgID string, p twofold.Policy) ([]PolicyChange, error) {
	return nil, twofold.Errorf(twofold.EUNAVAILABLE, "The policy console is not available yet.")
}
