package phone

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// untilLifted stands for "until an admin lifts the block": far beyond any real
// block, and still within what every store can keep as Unix nanoseconds.
var untilLifted = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// CallEvent applies a provider's report about a verification call: "#"
// verifies, "0#" reports fraud, any other key, no answer, a busy line or a
// hang-up fails the call with a reason the waiting page shows. A report about a
// call that already ended changes nothing.
func (s *Service) CallEvent(ctx context.Context, e notify.CallEvent) error {
	c, err := s.Store.ChallengeByID(ctx, e.ChallengeID)
	if err != nil {
		return err
	}
	if c.Channel != twofold.ChannelVoice || c.State.Final() || c.State == twofold.ChallengeVerified {
		return nil
	}
	now := s.Now().UTC()
	if !now.Before(c.ExpiresAt) {
		s.fail(ctx, c, reasonTimeout)
		return nil
	}
	switch e.Kind {
	case notify.CallAnswered:
		_, err := s.Store.MoveChallenge(ctx, c.ID, []twofold.ChallengeState{twofold.ChallengeSent}, twofold.ChallengeAnswered, "", now)
		return err
	case notify.CallKeys:
		switch strings.TrimSpace(e.Digits) {
		case "#":
			ok, err := s.Store.MoveChallenge(ctx, c.ID, []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered},
				twofold.ChallengeVerified, "", now)
			if err == nil && ok {
				s.auditChallenge(ctx, c, twofold.ResultSuccess, "call answered with #")
			}
			return err
		case "0#":
			return s.fraud(ctx, c)
		default:
			s.fail(ctx, c, reasonWrongKey)
		}
	case notify.CallNoAnswer:
		s.fail(ctx, c, reasonNoAnswer)
	case notify.CallBusy:
		s.fail(ctx, c, reasonBusy)
	case notify.CallHungUp, notify.CallCompleted:
		s.fail(ctx, c, reasonHungUp)
	case notify.CallFailed:
		s.fail(ctx, c, reasonCallFailed)
	default:
		return twofold.Errorf(twofold.EINVALID, "Unknown call event %q.", e.Kind)
	}
	return nil
}

// fraud handles 0#: the challenge ends as fraud, the member's second
// factor is blocked (for the policy's period, or until an admin lifts it), a
// sign-in waiting on the call is denied, the member and the organization's admins
// are told, and the audit log records it — all in one transaction.
func (s *Service) fraud(ctx context.Context, c *twofold.Challenge) error {
	u, err := s.Store.UserByID(ctx, c.UserID)
	if err != nil {
		return fmt.Errorf("phone: fraud user: %w", err)
	}
	org, err := s.Store.OrgByID(ctx, c.OrgID)
	if err != nil {
		return fmt.Errorf("phone: fraud org: %w", err)
	}
	now := s.Now().UTC()
	until := untilLifted
	if d := time.Duration(org.Policy.Phone.FraudBlockDuration); d > 0 {
		until = now.Add(d)
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		ok, err := s.Store.MoveChallenge(ctx, c.ID, []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered},
			twofold.ChallengeFraud, reasonFraud, now)
		if err != nil || !ok {
			return err
		}
		if err := s.Store.BlockMFA(ctx, u.ID, until); err != nil {
			return fmt.Errorf("phone: fraud block: %w", err)
		}
		if err := s.stopAsker(ctx, c, now); err != nil {
			return err
		}
		blocked := "until your help desk lifts the block"
		if !until.Equal(untilLifted) {
			blocked = "until " + until.Format("2 January 2006 at 15:04 MST")
		}
		p := &twofold.Principal{User: u, Org: org}
		what := fmt.Sprintf("You reported a verification call to %s as fraud. %s, and two-step verification is blocked for your account %s. If someone knows your password, contact your help desk to change it.",
			Mask(c.PhoneNumber), fraudStopped(c), blocked)
		if err := s.Audit.SecurityChange(ctx, p, twofold.ActivityFraudReported,
			fmt.Sprintf("0# pressed on a verification call to %s (%s); MFA blocked %s", Mask(c.PhoneNumber), c.Purpose, blocked), what); err != nil {
			return err
		}
		return s.alertAdmins(ctx, u, org, c, blocked)
	})
}

func (s *Service) alertAdmins(ctx context.Context, u *twofold.User, org *twofold.Organization, c *twofold.Challenge, blocked string) error {
	users, err := s.Store.ListUsers(ctx, org.ID)
	if err != nil {
		return fmt.Errorf("phone: list admins: %w", err)
	}
	what := fmt.Sprintf("%s (%s) reported a verification call to %s as fraud: they did not ask for it. Their two-step verification is blocked %s. Someone may know their password; consider resetting it and reviewing their security info.",
		u.DisplayName, u.Username, Mask(c.PhoneNumber), blocked)
	for _, a := range users {
		if a.Role != twofold.RoleAdmin || a.Disabled {
			continue
		}
		if err := s.Alerter.AdminAlert(ctx, a, org, "Fraud reported by "+u.Username, what); err != nil {
			return fmt.Errorf("phone: alert admin: %w", err)
		}
	}
	return nil
}

// Status returns the newest challenge of binding for purpose, first ending a call
// whose time ran out, so a waiting page learns of the timeout without any
// background job. Returns ErrNoCode when there is none.
func (s *Service) Status(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error) {
	c, err := s.latest(ctx, binding, purpose)
	if err != nil {
		return nil, err
	}
	if !c.State.Final() && !s.Now().Before(c.ExpiresAt) {
		if c.Channel == twofold.ChannelVoice && c.State != twofold.ChallengeVerified {
			s.fail(ctx, c, reasonTimeout)
		} else if c.Channel == twofold.ChannelSMS {
			s.fail(ctx, c, reasonCodeExpired)
		}
	}
	return c, nil
}

// CancelCall ends the newest call of binding for purpose while it still rings or
// waits for "#" (the member chose Cancel): the challenge fails with the reason,
// so nothing can verify with it, and the provider hangs up, so the phone stops
// ringing. A text, an ended call or none at all is left as it is. A provider
// that cannot hang up is logged, not returned: the call can no longer verify
// anything, and the member's cancel must not fail for it.
func (s *Service) CancelCall(ctx context.Context, binding string, purpose twofold.ChallengePurpose) error {
	c, err := s.latest(ctx, binding, purpose)
	if errors.Is(err, ErrNoCode) {
		return nil
	} else if err != nil {
		return err
	}
	if c.Channel != twofold.ChannelVoice {
		return nil
	}
	ok, err := s.Store.MoveChallenge(ctx, c.ID, []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered},
		twofold.ChallengeFailed, reasonCanceled, s.Now().UTC())
	if err != nil {
		return fmt.Errorf("phone: cancel call: %w", err)
	}
	if !ok {
		return nil
	}
	s.auditChallenge(ctx, c, twofold.ResultFailure, reasonCanceled)
	if c.Ref == "" {
		return nil
	}
	if err := s.Provider.EndCall(ctx, c.Ref); err != nil {
		s.Log.ErrorContext(ctx, "phone: hang up", "challenge", c.ID, "err", err)
	}
	return nil
}

// Errors of taking a call.
var (
	ErrCallWaiting = twofold.Errorf(twofold.ECONFLICT, "We're still waiting for you to answer the call and press #.")
	ErrNoCall      = twofold.Errorf(twofold.ENOTFOUND, "There's no call waiting here. Ask for a new call.")
)

// TakeCall uses the newest challenge of binding if it is a call for purpose that
// got its "#": exactly once, even when the page and its script race. Returns
// ErrCallWaiting while the call is still going, an EEXPIRED error with the reason
// when it failed, EFORBIDDEN after a fraud report, and ErrNoCall otherwise.
func (s *Service) TakeCall(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error) {
	c, err := s.Status(ctx, binding, purpose)
	if err != nil || c.Channel != twofold.ChannelVoice {
		return nil, ErrNoCall
	}
	switch c.State {
	case twofold.ChallengeSent, twofold.ChallengeAnswered:
		return nil, ErrCallWaiting
	case twofold.ChallengeFailed:
		return nil, twofold.Errorf(twofold.EEXPIRED, "%s Try again, or choose another method.", c.Reason)
	case twofold.ChallengeFraud:
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "You reported this call as fraud, so we stopped here. Contact your help desk.")
	case twofold.ChallengeUsed:
		return nil, ErrNoCall
	}
	ok, err := s.Store.MoveChallenge(ctx, c.ID, []twofold.ChallengeState{twofold.ChallengeVerified}, twofold.ChallengeUsed, "", s.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("phone: take call: %w", err)
	}
	if !ok {
		return nil, ErrNoCall
	}
	c.State = twofold.ChallengeUsed
	return c, nil
}
