package signin

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/policy"
)

// ErrRegistrationDone refuses a "More information required" flow that went
// stale: the member set up a second factor elsewhere (another tab, Security
// info) after this flow began, so what it would add is no longer required.
var ErrRegistrationDone = twofold.Errorf(twofold.EEXPIRED, "Your security info was updated in another window, so this setup isn't needed any more. Sign in again.")

// stillNeedsRegistration is the interrupt's check made again where it counts:
// inside the transaction that would save the method and issue the session. The
// member is locked first, so two flows finishing together cannot both see
// "needs registration" and both save a method.
func (s *Service) stillNeedsRegistration(ctx context.Context, u *twofold.User, org *twofold.Organization) error {
	if err := s.Store.LockMember(ctx, u.ID); err != nil {
		return fmt.Errorf("signin: lock member: %w", err)
	}
	methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
	if err != nil {
		return fmt.Errorf("signin: methods: %w", err)
	}
	if !policy.NeedsRegistration(org.Policy, methods) {
		return ErrRegistrationDone
	}
	return nil
}

// abandonStale ends a flow that stillNeedsRegistration refused, after its
// transaction rolled back, and removes the setup it left pending, so the stale
// tab keeps nothing: its next step is "expired" and no half-made method stays.
func (s *Service) abandonStale(ctx context.Context, f *twofold.SignInFlow, u *twofold.User, pendingID string) {
	if _, err := s.Store.FinishFlow(ctx, f.IDHash, twofold.FlowRegistrationRequired, twofold.FlowFailed); err != nil {
		s.Log.ErrorContext(ctx, "stale interrupt flow not ended", "err", err)
	}
	if pendingID == "" {
		return
	}
	// Only this flow could activate its setup, and the flow has just ended.
	if m, err := s.Store.MethodByID(ctx, u.ID, pendingID); err != nil || m.State != twofold.MethodPending {
		return
	}
	if err := s.Store.DeleteMethod(ctx, u.ID, pendingID); err != nil && twofold.ErrorCode(err) != twofold.ENOTFOUND {
		s.Log.ErrorContext(ctx, "stale interrupt setup not removed", "err", err)
	}
}
