package signin

import (
	"context"
	"errors"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/secondfactor"
)

// ErrFraudReported answers a sign-in that the member stopped by pressing 0# on its
// verification call.
var ErrFraudReported = twofold.Errorf(twofold.EFORBIDDEN, "You reported this call as fraud, so we stopped this sign-in. Contact your help desk.")

// Choose switches the flow to another way to prove the second factor ("Sign in
// another way"): for a phone, the text goes out or the call is placed now. An
// option that is not the member's is ENOTFOUND; a throttle or a provider failure
// is returned as the error, and the flow stays as it was.
func (s *Service) Choose(ctx context.Context, id, methodID string, pref twofold.SignInPreference, c twofold.Client) (*Result, error) {
	f, u, org, err := s.loadFlow(ctx, id, twofold.FlowMFARequired)
	if err != nil {
		return nil, err
	}
	methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("signin: methods: %w", err)
	}
	r := s.result(id, f, u, org, methods)
	o := r.option(methodID, pref)
	if o == nil {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That sign-in method isn't available. Choose another way to sign in.")
	}
	r.Current = o
	if o.Channel == "" {
		return r, nil
	}
	if r.Challenge, err = s.send(ctx, f, r, o, c); err != nil {
		return nil, err
	}
	return r, nil
}

// send texts or calls the phone of option o for flow f.
func (s *Service) send(ctx context.Context, f *twofold.SignInFlow, r *Result, o *Option, c twofold.Client) (*twofold.Challenge, error) {
	m, err := s.Store.MethodByID(ctx, r.User.ID, o.MethodID)
	if err != nil {
		return nil, fmt.Errorf("signin: phone method: %w", err)
	}
	return s.Phones.Send(ctx, phone.Request{
		User: r.User, Org: r.Org, Binding: phone.FlowBinding(f.IDHash), Purpose: twofold.PurposeSignIn,
		Channel: o.Channel, MethodID: m.ID, PhoneType: m.PhoneType, Number: m.PhoneNumber, Client: c,
	})
}

// withChallenge adds the flow's newest text or call to r and makes its option the
// current one.
func (s *Service) withChallenge(ctx context.Context, r *Result, f *twofold.SignInFlow) error {
	ch, err := s.Phones.Status(ctx, phone.FlowBinding(f.IDHash), twofold.PurposeSignIn)
	if errors.Is(err, phone.ErrNoCode) {
		return nil
	} else if err != nil {
		return err
	}
	r.Challenge = ch
	for i := range r.Options {
		if o := r.Options[i]; o.MethodID == ch.MethodID && o.Channel == ch.Channel {
			r.Current = &o
			break
		}
	}
	return nil
}

// verifyText checks a texted code for the flow. Wrong codes count against the
// flow, the text and the member across all sessions; a new text resets none of
// them.
func (s *Service) verifyText(ctx context.Context, f *twofold.SignInFlow, g *flowGuess, u *twofold.User, org *twofold.Organization, m *twofold.Method, code string, c twofold.Client) (*Result, error) {
	ch, err := s.Checker.CheckText(ctx, u, org.Policy, phone.FlowBinding(f.IDHash), twofold.PurposeSignIn, code)
	switch {
	case errors.Is(err, phone.ErrWrongCode):
		s.auditFailure(ctx, u, u.Username, "wrong texted code", c)
		return nil, g.wrong(ctx, err)
	case errors.Is(err, phone.ErrTooManyTries), errors.Is(err, phone.ErrCodeExpired), errors.Is(err, phone.ErrCodeUsed), errors.Is(err, phone.ErrNoCode):
		s.auditFailure(ctx, u, u.Username, "texted code refused: "+twofold.ErrorMessage(err), c)
		return nil, err
	case errors.Is(err, secondfactor.ErrBlocked):
		s.auditFailure(ctx, u, u.Username, "second factor blocked", c)
		return nil, err
	case err != nil:
		return nil, err
	}
	// The code may have been texted to another of the member's phones for this
	// flow: still a proof of that phone, so the session records that one.
	return s.completeSecondFactor(ctx, f, u, org, ch.MethodID, ch.Channel, "password and texted code", c)
}

// CallStatus returns where the flow's verification call stands, for the waiting
// page's polling. It answers for a flow that the call ended (a fraud report
// denies the sign-in), so the page can say why.
func (s *Service) CallStatus(ctx context.Context, id string) (*Result, error) {
	f, u, org, err := s.loadFlow(ctx, id, "")
	if err != nil {
		return nil, err
	}
	if f.State != twofold.FlowMFARequired && f.State != twofold.FlowFailed {
		return nil, ErrFlowGone
	}
	r := &Result{FlowID: id, State: f.State, User: u, Org: org}
	ch, err := s.Phones.Status(ctx, phone.FlowBinding(f.IDHash), twofold.PurposeSignIn)
	if err != nil {
		if errors.Is(err, phone.ErrNoCode) {
			return nil, phone.ErrNoCall
		}
		return nil, err
	}
	if ch.Channel != twofold.ChannelVoice {
		return nil, phone.ErrNoCall
	}
	r.Challenge = ch
	return r, nil
}

// CompleteCall signs the member in once the flow's call got its "#". The call is
// used, the flow finished and the session issued in one transaction, so racing
// completions (the page's script and its button) give one session.
func (s *Service) CompleteCall(ctx context.Context, id string, c twofold.Client) (*Result, error) {
	f, u, org, err := s.loadFlow(ctx, id, "")
	if err != nil {
		return nil, err
	}
	if f.State != twofold.FlowMFARequired {
		// A sign-in denied by a fraud report says so, rather than "expired".
		if ch, err := s.Phones.Status(ctx, phone.FlowBinding(f.IDHash), twofold.PurposeSignIn); err == nil && ch.State == twofold.ChallengeFraud {
			return nil, ErrFraudReported
		}
		return nil, ErrFlowGone
	}
	// Settled outside the transaction first, so a timed-out call stays failed (and
	// audited) even though the transaction below rolls back.
	if _, err := s.Phones.Status(ctx, phone.FlowBinding(f.IDHash), twofold.PurposeSignIn); err != nil && !errors.Is(err, phone.ErrNoCode) {
		return nil, err
	}
	var r *Result
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		ch, err := s.Phones.TakeCall(ctx, phone.FlowBinding(f.IDHash), twofold.PurposeSignIn)
		if err != nil {
			return err
		}
		if err := s.stillUsable(ctx, u, org, ch.MethodID, ch.Channel); err != nil {
			return err
		}
		if err := s.finishFlow(ctx, f, twofold.FlowMFARequired); err != nil {
			return err
		}
		r, err = s.finish(ctx, u, org, f.PasswordAt, s.Now().UTC(), ch.MethodID, "password and verification call", c)
		return err
	})
	return s.refusedAtEnd(ctx, u, r, err, c)
}
