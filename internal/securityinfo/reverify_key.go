package securityinfo

import (
	"context"
	"errors"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// ErrNoReverifyKey refuses a key re-verification when none of the member's ways
// to verify is a security key.
var ErrNoReverifyKey = twofold.Errorf(twofold.ENOTFOUND, "You have no security key you can use to verify. Choose another method.")

// reverifyKeyBinding ties a re-verification key login to the session that began
// it, apart from the registrations keyBinding ties to the same session.
func reverifyKeyBinding(p *twofold.Principal) string { return "reverify:" + p.Session.ID }

// BeginReverifyKey starts a security-key login that refreshes the session's
// second factor, for a member with an active key among ReverifyOptions: a
// member whose only remaining method is a key must still reach their own
// security info.
func (s *Service) BeginReverifyKey(ctx context.Context, p *twofold.Principal) (*webauthn.Challenge, error) {
	if err := s.reverifyKeyAllowed(ctx, p); err != nil {
		return nil, err
	}
	id, opts, err := s.Keys.WebAuthn.BeginLogin(ctx, p.User, reverifyKeyBinding(p))
	if err != nil {
		return nil, err
	}
	return &webauthn.Challenge{ID: id, Options: opts}, nil
}

// ReverifyKey checks the browser's answer to BeginReverifyKey's ceremony and,
// when the key proves itself, records a fresh second factor and returns the
// session's new token. The answer is one counted guess, as at sign-in: a
// failed answer counts against the member like a wrong code, and a key whose
// counter went back is refused as possibly copied, and audited.
func (s *Service) ReverifyKey(ctx context.Context, p *twofold.Principal, ceremonyID, credentialJSON string) (string, error) {
	if err := s.reverifyKeyAllowed(ctx, p); err != nil {
		return "", err
	}
	var cred *twofold.Credential
	err := s.Checker.CheckKey(ctx, p.User, p.Org.Policy, func() error {
		var err error
		cred, err = s.Keys.WebAuthn.FinishLogin(ctx, p.User, ceremonyID, reverifyKeyBinding(p), []byte(credentialJSON))
		return err
	})
	if errors.Is(err, webauthn.ErrPossibleClone) {
		return "", errors.Join(err, s.auditReverifyFailure(ctx, p, "re-verification: security key may have been copied"))
	} else if err != nil {
		return "", err
	}
	return s.Sessions.StepUp(ctx, p, cred.MethodID)
}

// reverifyKeyAllowed checks keys work here and one of the member's ways to
// verify is a key.
func (s *Service) reverifyKeyAllowed(ctx context.Context, p *twofold.Principal) error {
	if s.Keys.WebAuthn == nil {
		return ErrKeysUnavailable
	}
	opts, err := s.ReverifyOptions(ctx, p)
	if err != nil {
		return err
	}
	for _, o := range opts {
		if o.Method.Kind == twofold.KindFido2 {
			return nil
		}
	}
	return ErrNoReverifyKey
}

// auditReverifyFailure records a refused re-verification with its reason.
func (s *Service) auditReverifyFailure(ctx context.Context, p *twofold.Principal, reason string) error {
	err := s.Audit.Record(ctx, &twofold.AuditEvent{
		OrgID: p.Org.ID, ActorID: p.User.ID, ActorName: p.User.Username,
		TargetID: p.User.ID, TargetName: p.User.Username,
		Activity: twofold.ActivitySignIn, Result: twofold.ResultFailure, Reason: reason,
		IP: p.Client.IP, UserAgent: p.Client.UserAgent,
	})
	if err != nil {
		return fmt.Errorf("securityinfo: audit re-verification failure: %w", err)
	}
	return nil
}
