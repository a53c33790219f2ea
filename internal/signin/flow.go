package signin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/totp"
)

// ErrFlowGone is the answer for a flow that is unknown, expired, finished or failed.
var ErrFlowGone = twofold.Errorf(twofold.EEXPIRED, "Your sign-in has expired. Please sign in again.")

// ErrTooManyTries ends a flow after FlowMaxAttempts wrong codes.
var ErrTooManyTries = twofold.Errorf(twofold.EEXPIRED, "That was too many wrong codes. Please sign in again.")

// loadFlow returns the live flow for id in the wanted state, with its user and org.
func (s *Service) loadFlow(ctx context.Context, id string, want twofold.FlowState) (*twofold.SignInFlow, *twofold.User, *twofold.Organization, error) {
	if id == "" || len(id) > 128 {
		return nil, nil, nil, ErrFlowGone
	}
	f, err := s.Store.FlowByIDHash(ctx, twofold.HashToken(id))
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, nil, nil, ErrFlowGone
	} else if err != nil {
		return nil, nil, nil, fmt.Errorf("signin: load flow: %w", err)
	}
	if !s.Now().Before(f.ExpiresAt) || (want != "" && f.State != want) {
		return nil, nil, nil, ErrFlowGone
	}
	u, err := s.Store.UserByID(ctx, f.UserID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("signin: flow user: %w", err)
	}
	if u.Disabled {
		return nil, nil, nil, ErrFlowGone
	}
	org, err := s.Store.OrgByID(ctx, f.OrgID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("signin: flow org: %w", err)
	}
	return f, u, org, nil
}

// Resume returns where the flow id stands, for re-rendering a page.
func (s *Service) Resume(ctx context.Context, id string) (*Result, error) {
	f, u, org, err := s.loadFlow(ctx, id, "")
	if err != nil {
		return nil, err
	}
	if f.State == twofold.FlowPasswordChangeRequired {
		// Only the new password is left: pages and clients move on to it.
		return &Result{FlowID: id, State: f.State, User: u, Org: org}, nil
	}
	if f.State != twofold.FlowMFARequired && f.State != twofold.FlowRegistrationRequired {
		return nil, ErrFlowGone
	}
	methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("signin: methods: %w", err)
	}
	r := s.result(id, f, u, org, methods)
	if f.State == twofold.FlowMFARequired {
		if err := s.withChallenge(ctx, r, f); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Verify checks a second-factor code for the flow. methodID selects one method, or
// "" tries all of the member's authenticator apps. A wrong code counts against the
// flow (it dies after FlowMaxAttempts) and against the member across all sessions.
func (s *Service) Verify(ctx context.Context, id, methodID, code string, c twofold.Client) (*Result, error) {
	f, u, org, err := s.loadFlow(ctx, id, twofold.FlowMFARequired)
	if err != nil {
		return nil, err
	}
	g, err := s.takeFlowGuess(ctx, f)
	if err != nil {
		return nil, err
	}
	defer g.release(ctx)
	if methodID != "" {
		m, err := s.Store.MethodByID(ctx, u.ID, methodID)
		if twofold.ErrorCode(err) == twofold.ENOTFOUND {
			// Deleted since the flow listed it (another tab, Security info).
			return nil, ErrMethodGone
		}
		if err == nil && m.Kind == twofold.KindPhone {
			return s.verifyText(ctx, f, g, u, org, m, code, c)
		}
	}
	m, err := s.Checker.Check(ctx, u, org.Policy, methodID, code)
	switch {
	case errors.Is(err, secondfactor.ErrWrongCode):
		s.auditFailure(ctx, u, u.Username, "wrong authenticator code", c)
		return nil, g.wrong(ctx, err)
	case errors.Is(err, totp.ErrCodeUsed):
		// A replay or the loser of a double submission: refused and counted against
		// the member, but it does not use up the flow, so a racing twin of the right
		// code cannot kill the sign-in it is completing.
		s.auditFailure(ctx, u, u.Username, "authenticator code already used", c)
		return nil, err
	case errors.Is(err, secondfactor.ErrBlocked):
		s.auditFailure(ctx, u, u.Username, "second factor blocked after too many wrong codes", c)
		return nil, err
	case err != nil:
		return nil, err
	}
	return s.completeSecondFactor(ctx, f, u, org, m.ID, "", "password and authenticator app", c)
}

// completeSecondFactor signs the member in once methodID has proven the second
// factor (over channel, for a phone; "" otherwise): in one transaction the
// method is re-checked against the current policy, the flow moves to signed-in
// at most once and the session is issued; a refusal at the end is audited.
func (s *Service) completeSecondFactor(ctx context.Context, f *twofold.SignInFlow, u *twofold.User, org *twofold.Organization, methodID, channel, how string, c twofold.Client) (*Result, error) {
	var r *Result
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.stillUsable(ctx, u, org, methodID, channel); err != nil {
			return err
		}
		if err := s.finishFlow(ctx, f, twofold.FlowMFARequired); err != nil {
			return err
		}
		var err error
		r, err = s.finish(ctx, u, org, f.PasswordAt, s.Now().UTC(), methodID, how, c)
		return err
	})
	return s.refusedAtEnd(ctx, u, r, err, c)
}

// finishFlow moves the flow to signed-in, once: of two racing completions the
// second gets ErrFlowGone.
func (s *Service) finishFlow(ctx context.Context, f *twofold.SignInFlow, from twofold.FlowState) error {
	ok, err := s.Store.FinishFlow(ctx, f.IDHash, from, twofold.FlowSignedIn)
	if err != nil {
		return fmt.Errorf("signin: finish flow: %w", err)
	}
	if !ok {
		return ErrFlowGone
	}
	return nil
}

// finish issues the session, records the sign-in and returns the signed-in result.
// Callers completing a flow run it in the transaction that finishes the flow, so a
// flow is never used up without its session and audit event.
func (s *Service) finish(ctx context.Context, u *twofold.User, org *twofold.Organization, passwordAt, mfaAt time.Time, methodID, how string, c twofold.Client) (*Result, error) {
	if u.MustChangePassword && !passwordAt.IsZero() {
		return s.requireNewPassword(ctx, u, org, passwordAt, mfaAt, methodID, c)
	}
	token, sess, err := s.Sessions.Issue(ctx, u, passwordAt, mfaAt, methodID, c)
	if err != nil {
		return nil, err
	}
	err = s.Audit.Record(ctx, &twofold.AuditEvent{
		OrgID: org.ID, ActorID: u.ID, ActorName: u.Username, TargetID: u.ID, TargetName: u.Username,
		Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess, Reason: how,
		IP: c.IP, UserAgent: c.UserAgent,
	})
	if err != nil {
		return nil, err
	}
	return &Result{State: twofold.FlowSignedIn, User: u, Org: org, SessionToken: token, Session: sess}, nil
}

// auditFailure records a failed sign-in with its real reason. u may be nil for an
// unknown user name; the org is then guessed from the domain, if any matches.
func (s *Service) auditFailure(ctx context.Context, u *twofold.User, username, reason string, c twofold.Client) {
	e := &twofold.AuditEvent{
		ActorName: username, TargetName: username, Activity: twofold.ActivitySignIn,
		Result: twofold.ResultFailure, Reason: reason, IP: c.IP, UserAgent: c.UserAgent,
	}
	if u != nil {
		e.OrgID, e.ActorID, e.TargetID = u.OrgID, u.ID, u.ID
	} else if _, domain, ok := cut(username); ok {
		if org, err := s.Store.OrgByDomain(ctx, domain); err == nil {
			e.OrgID = org.ID
		}
	}
	if err := s.Audit.Record(ctx, e); err != nil {
		s.Log.ErrorContext(ctx, "sign-in failure not audited", "err", err)
	}
}

// result builds a Result for a flow that needs more steps.
func (s *Service) result(id string, f *twofold.SignInFlow, u *twofold.User, org *twofold.Organization, methods []*twofold.Method) *Result {
	r := &Result{FlowID: id, State: f.State, User: u, Org: org}
	if f.State != twofold.FlowMFARequired {
		return r
	}
	def := methodkind.EffectiveDefault(org.Policy, u, methods)
	for _, o := range methodkind.Options(org.Policy, methods) {
		r.Options = append(r.Options, Option{
			MethodID: o.Method.ID, Kind: o.Method.Kind, Preference: o.Preference, Label: o.Label,
			Name: o.Method.Name, Channel: o.Channel(), Masked: phone.Mask(o.Method.PhoneNumber),
		})
	}
	for i := range r.Options {
		if r.Options[i].Preference == def {
			d := r.Options[i]
			r.Default, r.Current = &d, &d
			break
		}
	}
	return r
}

// option returns the flow's option for methodID and pref, or nil.
func (r *Result) option(methodID string, pref twofold.SignInPreference) *Option {
	for i := range r.Options {
		if r.Options[i].MethodID == methodID && (pref == "" || r.Options[i].Preference == pref) {
			o := r.Options[i]
			return &o
		}
	}
	return nil
}

func cut(username string) (string, string, bool) {
	for i := len(username) - 1; i >= 0; i-- {
		if username[i] == '@' {
			return username[:i], username[i+1:], true
		}
	}
	return "", "", false
}
