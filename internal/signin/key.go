package signin

import (
	"context"
	"errors"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// ErrKeysUnavailable answers for security keys when the relying party could
// not be set up: browsers refuse keys on an IP address.
var ErrKeysUnavailable = twofold.Errorf(twofold.EUNAVAILABLE,
	"Security keys aren't available on this address. Use the service's name, such as localhost.")

// ErrKeysNotAllowed refuses a key when the organization does not allow them.
var ErrKeysNotAllowed = twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow security keys. Choose another way to sign in.")

// flowKeyBinding ties a key login to the flow, by the hash of its ID.
func flowKeyBinding(f *twofold.SignInFlow) string { return "flow:" + f.IDHash }

// BeginKey starts a security-key login as the flow's second factor, over the
// member's registered keys.
func (s *Service) BeginKey(ctx context.Context, flowID string) (*webauthn.Challenge, error) {
	f, u, _, err := s.keyFlow(ctx, flowID)
	if err != nil {
		return nil, err
	}
	id, opts, err := s.Keys.BeginLogin(ctx, u, flowKeyBinding(f))
	if err != nil {
		return nil, err
	}
	return &webauthn.Challenge{ID: id, Options: opts}, nil
}

// VerifyKey finishes the flow with the browser's answer to its key login. A
// failed answer counts against the flow and the member like a wrong code; a
// key whose counter went back is refused as possibly copied, and audited.
func (s *Service) VerifyKey(ctx context.Context, flowID, ceremonyID, credentialJSON string, c twofold.Client) (*Result, error) {
	f, u, org, err := s.keyFlow(ctx, flowID)
	if err != nil {
		return nil, err
	}
	g, err := s.takeFlowGuess(ctx, f)
	if err != nil {
		return nil, err
	}
	defer g.release(ctx)
	var cred *twofold.Credential
	err = s.Checker.CheckKey(ctx, u, org.Policy, func() error {
		var err error
		cred, err = s.Keys.FinishLogin(ctx, u, ceremonyID, flowKeyBinding(f), []byte(credentialJSON))
		return err
	})
	if err != nil {
		return nil, s.keyRefused(ctx, u, g, err, c)
	}
	return s.completeSecondFactor(ctx, f, u, org, cred.MethodID, "", "password and security key", c)
}

// keyFlow loads a flow waiting for its second factor, where keys can be used.
func (s *Service) keyFlow(ctx context.Context, flowID string) (*twofold.SignInFlow, *twofold.User, *twofold.Organization, error) {
	if s.Keys == nil {
		return nil, nil, nil, ErrKeysUnavailable
	}
	f, u, org, err := s.loadFlow(ctx, flowID, twofold.FlowMFARequired)
	if err != nil {
		return nil, nil, nil, err
	}
	if !org.Policy.MethodEnabled(twofold.KindFido2) {
		return nil, nil, nil, ErrKeysNotAllowed
	}
	return f, u, org, nil
}

// keyRefused audits a refused key answer and counts it against the flow when
// it was a wrong answer (not an expired or used ceremony, which was never
// checked, nor an internal error).
func (s *Service) keyRefused(ctx context.Context, u *twofold.User, g *flowGuess, err error, c twofold.Client) error {
	switch {
	case errors.Is(err, webauthn.ErrPossibleClone):
		s.auditFailure(ctx, u, u.Username, "security key may have been copied", c)
		return g.wrong(ctx, err)
	case errors.Is(err, secondfactor.ErrBlocked):
		s.auditFailure(ctx, u, u.Username, "second factor blocked", c)
		return err
	case twofold.ErrorCode(err) == twofold.EUNAUTHORIZED:
		s.auditFailure(ctx, u, u.Username, "security key not verified", c)
		return g.wrong(ctx, err)
	case twofold.ErrorCode(err) == twofold.EEXPIRED:
		s.auditFailure(ctx, u, u.Username, "security key request expired or used", c)
	}
	return err
}
