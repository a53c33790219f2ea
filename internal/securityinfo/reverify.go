package securityinfo

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
)

// ReverifyOptions lists the ways the member can prove their second factor again.
func (s *Service) ReverifyOptions(ctx context.Context, p *twofold.Principal) ([]methodkind.Option, error) {
	methods, err := s.Store.ListMethods(ctx, p.User.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("securityinfo: list methods: %w", err)
	}
	return methodkind.Options(p.Org.Policy, methods), nil
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

// ErrNoReverifyOption refuses a method that is not one of the member's ways to
// verify.
var ErrNoReverifyOption = twofold.Errorf(twofold.ENOTFOUND, "That method isn't one you can use to verify. Choose another method.")

// codeCheck checks a re-verification code of one method kind and returns the ID
// of the method that proved it.
type codeCheck func(ctx context.Context, s *Service, p *twofold.Principal, code string) (string, error)

// codeChecks are the kinds whose re-verification is a typed code; wrong codes
// count against the member like any second-factor code.
var codeChecks = map[twofold.MethodKind]codeCheck{
	// Any of the member's authenticator apps.
	twofold.KindSoftwareOath: func(ctx context.Context, s *Service, p *twofold.Principal, code string) (string, error) {
		m, err := s.Checker.Check(ctx, p.User, p.Org.Policy, "", code)
		if err != nil {
			return "", err
		}
		return m.ID, nil
	},
	// The code ReverifyByPhone texted.
	twofold.KindPhone: func(ctx context.Context, s *Service, p *twofold.Principal, code string) (string, error) {
		ch, err := s.Checker.CheckText(ctx, p.User, p.Org.Policy, phone.SessionBinding(p.Session.ID), twofold.PurposeReverify, code)
		if err != nil {
			return "", err
		}
		return ch.MethodID, nil
	},
}

// Reverify checks a code from the member's method methodID ("" for an
// authenticator app) and, when it is right, records a fresh second factor on
// the session and returns the session's new token: the one the request came with
// stops working. What the code is checked against is decided here by the
// method's kind, the same for the page and the API. A methodID that is not one
// of ReverifyOptions' methods is refused before any code is checked.
func (s *Service) Reverify(ctx context.Context, p *twofold.Principal, methodID, code string) (string, error) {
	kind := twofold.KindSoftwareOath
	if methodID != "" {
		opts, err := s.ReverifyOptions(ctx, p)
		if err != nil {
			return "", err
		}
		kind = ""
		for _, o := range opts {
			if o.Method.ID == methodID {
				kind = o.Method.Kind
			}
		}
	}
	check := codeChecks[kind]
	if check == nil {
		return "", ErrNoReverifyOption
	}
	id, err := check(ctx, s, p, code)
	if err != nil {
		return "", err
	}
	return s.Sessions.StepUp(ctx, p, id)
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
