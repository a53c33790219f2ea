package securityinfo

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/policy"
)

// ReverifyOptions lists the ways the member can prove their second factor again.
func (s *Service) ReverifyOptions(ctx context.Context, p *twofold.Principal) ([]policy.Option, error) {
	methods, err := s.Store.ListMethods(ctx, p.User.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("securityinfo: list methods: %w", err)
	}
	return policy.Options(p.Org.Policy, methods), nil
}

// ReverifyByPhone texts or calls one of the member's phones to refresh the
// session's second factor; pref says which (sms, voiceMobile, …).
func (s *Service) ReverifyByPhone(ctx context.Context, p *twofold.Principal, methodID string, pref twofold.SignInPreference) (*twofold.Challenge, error) {
	opts, err := s.ReverifyOptions(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		if o.Method.ID == methodID && o.Preference == pref && o.Channel() != "" {
			return s.Phones.Send(ctx, phone.Request{
				User: p.User, Org: p.Org, Binding: phone.SessionBinding(p.Session.ID), Purpose: twofold.PurposeReverify,
				Channel: o.Channel(), MethodID: o.Method.ID, PhoneType: o.Method.PhoneType, Number: o.Method.PhoneNumber,
				Client: p.Client,
			})
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "That phone isn't one you can use to verify. Choose another method.")
}

// ReverifyStatus returns the session's newest re-verification text or call.
func (s *Service) ReverifyStatus(ctx context.Context, p *twofold.Principal) (*twofold.Challenge, error) {
	return s.Phones.Status(ctx, phone.SessionBinding(p.Session.ID), twofold.PurposeReverify)
}

// ReverifyText checks the texted code of ReverifyByPhone; wrong codes count
// against the member like any second-factor code. Like Reverify it returns the
// session's new token.
func (s *Service) ReverifyText(ctx context.Context, p *twofold.Principal, code string) (string, error) {
	ch, err := s.Checker.CheckText(ctx, p.User, p.Org.Policy, phone.SessionBinding(p.Session.ID), twofold.PurposeReverify, code)
	if err != nil {
		return "", err
	}
	return s.Sessions.StepUp(ctx, p, ch.MethodID)
}

// ReverifyCall refreshes the session's second factor once the call of
// ReverifyByPhone got its "#", and returns the session's new token.
func (s *Service) ReverifyCall(ctx context.Context, p *twofold.Principal) (string, error) {
	ch, err := s.Phones.TakeCall(ctx, phone.SessionBinding(p.Session.ID), twofold.PurposeReverify)
	if err != nil {
		return "", err
	}
	return s.Sessions.StepUp(ctx, p, ch.MethodID)
}
