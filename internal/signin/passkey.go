package signin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// ErrPasskeyNotAllowed refuses a passkey sign-in the member's organization
// does not allow; the member can still sign in with their password.
var ErrPasskeyNotAllowed = twofold.Errorf(twofold.EFORBIDDEN,
	"Your organization doesn't allow signing in with a passkey. Sign in with your user name and password.")

// passkeyOffersPerFailure is how many passkey offers a network gets per
// failure its limit allows. Every view of the sign-in page makes an offer, so
// offers must not spend the failure budget (an organization behind one address
// would lose the passkey button after a hundred page views); they are bounded
// only so that one network cannot fill the ceremony table.
const passkeyOffersPerFailure = 50

// BeginPasskey starts a passwordless sign-in with a passkey. The member is not
// known yet, so the ceremony is bound to a random secret that only the
// returned ID carries: a ceremony ID seen elsewhere (a log) cannot finish it.
// Offers have a generous limit of their own per network; failed answers count
// against the network's failure limit in FinishPasskey.
func (s *Service) BeginPasskey(ctx context.Context, c twofold.Client) (*webauthn.Challenge, error) {
	if s.Keys == nil {
		return nil, ErrKeysUnavailable
	}
	now := s.Now()
	ok, err := s.Store.Take(ctx, "passkey-offers-ip:"+c.NetworkKey(), now.Truncate(s.cfg.IPWindow),
		passkeyOffersPerFailure*s.cfg.IPFailureLimit, now.Add(-2*s.cfg.IPWindow))
	if err != nil {
		return nil, fmt.Errorf("signin: passkey ip limit: %w", err)
	}
	if !ok {
		return nil, ErrNetworkLimit
	}
	secret := twofold.NewToken()
	id, opts, err := s.Keys.BeginPasskey(ctx, passkeyBinding(secret))
	if err != nil {
		return nil, err
	}
	return &webauthn.Challenge{ID: id + "." + secret, Options: opts}, nil
}

func passkeyBinding(secret string) string {
	return "passkey:" + twofold.HashToken(secret)
}

// FinishPasskey signs the member in with the browser's answer to a passkey
// ceremony: a discoverable key that verified the person counts as both
// factors. A disabled or locked member is refused like a wrong password; so is
// an organization whose policy does not allow keys or passkey sign-in. Each
// answer takes one of the network's failure places first, as a password does,
// and gives it back only when it signs the member in.
func (s *Service) FinishPasskey(ctx context.Context, ceremonyID, credentialJSON string, c twofold.Client) (*Result, error) {
	if s.Keys == nil {
		return nil, ErrKeysUnavailable
	}
	giveBack, err := s.takeNetworkPlace(ctx, c, s.Now())
	if err != nil {
		return nil, err
	}
	r, err := s.finishPasskey(ctx, ceremonyID, credentialJSON, c)
	if err == nil {
		giveBack()
	}
	return r, err
}

func (s *Service) finishPasskey(ctx context.Context, ceremonyID, credentialJSON string, c twofold.Client) (*Result, error) {
	id, secret, ok := strings.Cut(ceremonyID, ".")
	if !ok || secret == "" || len(ceremonyID) > 256 {
		return nil, twofold.Errorf(twofold.EEXPIRED, "This security key request has expired or was already used. Please start again.")
	}
	u, cred, err := s.Keys.FinishPasskey(ctx, id, passkeyBinding(secret), []byte(credentialJSON))
	switch {
	case errors.Is(err, webauthn.ErrPossibleClone):
		s.auditFailure(ctx, nil, "", "passkey: security key may have been copied", c)
		return nil, err
	case twofold.ErrorCode(err) == twofold.EUNAUTHORIZED:
		s.auditFailure(ctx, nil, "", "passkey not verified", c)
		return nil, err
	case err != nil:
		return nil, err
	}
	now := s.Now()
	if u.Disabled || now.Before(u.LockedUntil) {
		s.auditFailure(ctx, u, u.Username, "passkey of a disabled or locked account", c)
		return nil, ErrCredentials
	}
	org, err := s.Store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, fmt.Errorf("signin: org: %w", err)
	}
	if !org.Policy.MethodEnabled(twofold.KindFido2) || !org.Policy.PasskeySignIn {
		s.auditFailure(ctx, u, u.Username, "passkey sign-in not allowed by policy", c)
		return nil, ErrPasskeyNotAllowed
	}
	if err := s.notBlocked(u); err != nil {
		s.auditFailure(ctx, u, u.Username, "second factor blocked", c)
		return nil, err
	}
	var r *Result
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.stillUsable(ctx, u, org, cred.MethodID, ""); err != nil {
			return err
		}
		r, err = s.finish(ctx, u, org, now.UTC(), now.UTC(), cred.MethodID, "passkey", c)
		return err
	})
	return s.refusedAtEnd(ctx, u, r, err, c)
}
