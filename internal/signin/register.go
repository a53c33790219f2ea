package signin

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/totp"
)

// BeginRegistration starts (or, on a page reload, re-shows) the authenticator-app
// setup of the "More information required" interrupt.
func (s *Service) BeginRegistration(ctx context.Context, id string) (*totp.Enrolment, error) {
	f, u, org, err := s.loadFlow(ctx, id, twofold.FlowRegistrationRequired)
	if err != nil {
		return nil, err
	}
	if err := s.notBlocked(u); err != nil {
		return nil, err
	}
	if !org.Policy.MethodEnabled(twofold.KindSoftwareOath) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow any method you can set up here. Contact your help desk.")
	}
	if f.PendingMethodID != "" {
		e, err := s.Enroller.Pending(ctx, u.ID, f.PendingMethodID, org.Name, u.Username)
		if err == nil {
			return e, nil
		}
		if code := twofold.ErrorCode(err); code != twofold.EEXPIRED && code != twofold.ENOTFOUND {
			return nil, err
		}
	}
	e, err := s.Enroller.Begin(ctx, u.ID, org.Name, u.Username)
	if err != nil {
		return nil, err
	}
	if err := s.Store.SetFlowPendingMethod(ctx, f.IDHash, e.MethodID); err != nil {
		return nil, fmt.Errorf("signin: remember pending method: %w", err)
	}
	p := flowPrincipal(u, org, f)
	if err := s.Audit.Member(ctx, p, twofold.ActivityStartedRegister, "sign-in interrupt: authenticator app"); err != nil {
		return nil, err
	}
	return e, nil
}

// FinishRegistration activates the interrupt's authenticator app with a current code
// and signs the member in; registering the app proves the second factor.
func (s *Service) FinishRegistration(ctx context.Context, id, methodID, name, code string, c twofold.Client) (*Result, error) {
	f, u, org, err := s.loadFlow(ctx, id, twofold.FlowRegistrationRequired)
	if err != nil {
		return nil, err
	}
	if err := s.notBlocked(u); err != nil {
		return nil, err
	}
	if methodID == "" || methodID != f.PendingMethodID {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That setup isn't part of this sign-in. Start again.")
	}
	// A malformed code was never a guess: refuse it without using up the flow.
	if _, err := totp.NormalizeCode(code); err != nil {
		return nil, err
	}
	// The check's place in the flow is taken outside the transaction, so a wrong
	// code keeps it after the rollback.
	g, err := s.takeFlowGuess(ctx, f)
	if err != nil {
		return nil, err
	}
	defer g.release(ctx)
	// Activation, the flow's end, the session and the audit trail commit together.
	var r *Result
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		methods, err := s.stillNeedsRegistration(ctx, u, org)
		if err != nil {
			return err
		}
		v := methodkind.App(s.Store, s.Enroller, org.Policy, u.ID, methodID, name, code, func(*twofold.Method) (string, string) {
			return "authenticator app (sign-in interrupt)", "An authenticator app was added to your account."
		})
		r, err = s.saveAtInterrupt(ctx, f, u, org, methods, v, "password and new authenticator app", c)
		return err
	})
	if twofold.ErrorField(err) == "code" && twofold.ErrorCode(err) == twofold.EINVALID {
		return nil, g.wrong(ctx, err)
	}
	if err == ErrRegistrationDone {
		s.abandonStale(ctx, f, u, methodID)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Cancel ends a waiting flow at the member's request: the interrupt
// ("Cancel" on More information required) or a second-factor step. Cancelling a
// flow that is already gone is not an error.
func (s *Service) Cancel(ctx context.Context, id string, c twofold.Client) error {
	f, u, org, err := s.loadFlow(ctx, id, "")
	if err != nil || (f.State != twofold.FlowRegistrationRequired && f.State != twofold.FlowMFARequired &&
		f.State != twofold.FlowPasswordChangeRequired) {
		return nil // nothing to cancel
	}
	ok, err := s.Store.FinishFlow(ctx, f.IDHash, f.State, twofold.FlowFailed)
	if err != nil {
		return fmt.Errorf("signin: cancel flow: %w", err)
	}
	if !ok {
		return nil
	}
	if f.State == twofold.FlowPasswordChangeRequired {
		// Everything was proven but the member left before choosing their own
		// password: the flow is over here, not just in their browser.
		s.auditFailure(ctx, u, u.Username, "sign-in canceled at the password change", c)
		return nil
	}
	// A call still ringing for this flow is hung up: nobody waits for it now.
	purpose := twofold.PurposeSignIn
	if f.State == twofold.FlowRegistrationRequired {
		purpose = twofold.PurposeRegister
	}
	if err := s.Phones.CancelCall(ctx, phone.FlowBinding(f.IDHash), purpose); err != nil {
		return err
	}
	if f.State == twofold.FlowMFARequired {
		s.auditFailure(ctx, u, u.Username, "sign-in canceled at the second factor", c)
		return nil
	}
	p := flowPrincipal(u, org, f)
	p.Client = c
	return s.Audit.Member(ctx, p, twofold.ActivityCanceledRegister, "sign-in interrupt canceled")
}

// saveAtInterrupt saves the interrupt's verified method v, ends the flow and
// signs the member in, all in the caller's transaction: proving the new method
// proves the second factor. how is the sign-in's audit reason.
func (s *Service) saveAtInterrupt(ctx context.Context, f *twofold.SignInFlow, u *twofold.User, org *twofold.Organization,
	methods []*twofold.Method, v methodkind.Verified, how string, c twofold.Client) (*Result, error) {
	p := &twofold.Principal{User: u, Org: org, Client: c}
	var r *Result
	m, err := s.save.Save(ctx, p, methods, v, func(ctx context.Context, m *twofold.Method) error {
		if err := s.finishFlow(ctx, f, twofold.FlowRegistrationRequired); err != nil {
			return err
		}
		var err error
		if r, err = s.finish(ctx, u, org, f.PasswordAt, s.Now().UTC(), m.ID, how, c); err != nil {
			return err
		}
		p.Session = r.Session
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Member(ctx, p, twofold.ActivityRegisteredAll, "minimum methods for "+methodkind.Label(m.Kind)); err != nil {
		return nil, err
	}
	return r, nil
}

func flowPrincipal(u *twofold.User, org *twofold.Organization, f *twofold.SignInFlow) *twofold.Principal {
	return &twofold.Principal{User: u, Org: org, Client: twofold.Client{IP: f.IP, UserAgent: f.UserAgent}}
}

// ErrMFABlocked refuses the interrupt while the member's second factor is blocked
// (a fraud report, too many wrong codes): registering a new method must not be a
// way around the block.
var ErrMFABlocked = twofold.Errorf(twofold.EFORBIDDEN, "Two-step verification is blocked for your account right now. Contact your help desk.")

func (s *Service) notBlocked(u *twofold.User) error {
	if s.Now().Before(u.MFABlockedUntil) {
		return ErrMFABlocked
	}
	return nil
}
