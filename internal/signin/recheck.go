package signin

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// ErrRegistrationDone refuses a "More information required" flow that went
// stale: the member set up a second factor elsewhere (another tab, Security
// info) after this flow began, so what it would add is no longer required.
var ErrRegistrationDone = twofold.Errorf(twofold.EEXPIRED, "Your security info was updated in another window, so this setup isn't needed any more. Sign in again.")

// stillNeedsRegistration is the interrupt's check made again where it counts:
// inside the transaction that would save the method and issue the session. The
// member is locked first, so two flows finishing together cannot both see
// "needs registration" and both save a method. It returns the member's active
// methods.
func (s *Service) stillNeedsRegistration(ctx context.Context, u *twofold.User, org *twofold.Organization) ([]*twofold.Method, error) {
	if err := s.Store.LockMember(ctx, u.ID); err != nil {
		return nil, fmt.Errorf("signin: lock member: %w", err)
	}
	methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("signin: methods: %w", err)
	}
	if !methodkind.NeedsRegistration(org.Policy, methods) {
		return nil, ErrRegistrationDone
	}
	return methods, nil
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

// ErrMethodGone refuses a second factor whose method was deleted after its
// text or call went out, or that is not the member's at all.
var ErrMethodGone = twofold.Errorf(twofold.ENOTFOUND, "That sign-in method isn't part of your security info any more. Choose another way to sign in.")

// ErrMethodUnavailable refuses a second factor whose kind or channel the policy
// stopped allowing after its text or call went out: what was checked when it
// was sent must still hold at the end.
var ErrMethodUnavailable = twofold.Errorf(twofold.EFORBIDDEN, "Your organization no longer allows that sign-in method. Choose another way to sign in.")

// stillUsable re-reads, inside the transaction that finishes a sign-in, the
// method that proved the second factor and checks it against the organization's
// policy as read for this request: still active, its kind still enabled and,
// for a phone, channel (ChannelSMS or ChannelVoice; "" for an app) still
// allowed for its type. The member is locked first, so a delete cannot commit
// between this check and the session.
func (s *Service) stillUsable(ctx context.Context, u *twofold.User, org *twofold.Organization, methodID, channel string) error {
	if err := s.Store.LockMember(ctx, u.ID); err != nil {
		return fmt.Errorf("signin: lock member: %w", err)
	}
	m, err := s.Store.MethodByID(ctx, u.ID, methodID)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return ErrMethodGone
	} else if err != nil {
		return fmt.Errorf("signin: reload method: %w", err)
	}
	if m.State != twofold.MethodActive {
		return ErrMethodGone
	}
	for _, o := range methodkind.Options(org.Policy, []*twofold.Method{m}) {
		if o.Channel() == channel {
			return nil
		}
	}
	return ErrMethodUnavailable
}

// refusedAtEnd passes on the outcome of a finishing transaction, auditing a
// second factor that stillUsable refused (after the rollback, so it stays).
func (s *Service) refusedAtEnd(ctx context.Context, u *twofold.User, r *Result, err error, c twofold.Client) (*Result, error) {
	if err == ErrMethodUnavailable || err == ErrMethodGone {
		s.auditFailure(ctx, u, u.Username, "second factor proven with a method deleted or no longer allowed", c)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}
