package webauthn

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"
	gowebauthn "github.com/go-webauthn/webauthn/webauthn"
	"github.com/twofold-id/twofold"
)

// BeginLogin starts a second-factor login of user with one of their keys, bound
// to binding, and returns the ceremony ID and the request options for the
// browser ({"publicKey": …}). Returns ENOTFOUND when the member has no key.
func (s *Service) BeginLogin(ctx context.Context, user *twofold.User, binding string) (string, json.RawMessage, error) {
	m, err := s.member(ctx, user)
	if err != nil {
		return "", nil, err
	}
	if len(m.creds) == 0 {
		return "", nil, &twofold.Error{Code: twofold.ENOTFOUND, Message: "You have no security key registered.",
			Err: fmt.Errorf("webauthn: begin login: user %s has no credentials", user.ID)}
	}
	assertion, session, err := s.lib.BeginLogin(m)
	if err != nil {
		return "", nil, fmt.Errorf("webauthn: begin login for %s: %w", user.ID, err)
	}
	return s.start(ctx, binding, twofold.CeremonyLogin, user.ID, assertion, session)
}

// FinishLogin verifies the browser's answer (AuthenticationResponseJSON) to a
// login ceremony of user and returns the key used, its counter already moved.
// A key of another member, or none of user's, is refused as a failed
// verification; a counter that did not grow is refused with ErrPossibleClone.
func (s *Service) FinishLogin(ctx context.Context, user *twofold.User, ceremonyID, binding string, response []byte) (*twofold.Credential, error) {
	session, err := s.finish(ctx, ceremonyID, binding, twofold.CeremonyLogin, user.ID)
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, keyRefused(err)
	}
	m, err := s.member(ctx, user)
	if err != nil {
		return nil, err
	}
	lc, err := s.lib.ValidateLogin(m, *session, parsed)
	if err != nil {
		return nil, keyRefused(err)
	}
	return s.used(ctx, m, lc, parsed)
}

// BeginPasskey starts a passkey login: no user name, the browser offers the
// discoverable keys it holds for the RP ID. User verification is required,
// since the key stands in for the password.
func (s *Service) BeginPasskey(ctx context.Context, binding string) (string, json.RawMessage, error) {
	assertion, session, err := s.lib.BeginDiscoverableLogin(gowebauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return "", nil, fmt.Errorf("webauthn: begin passkey login: %w", err)
	}
	return s.start(ctx, binding, twofold.CeremonyPasskey, "", assertion, session)
}

// FinishPasskey verifies the answer to a passkey ceremony and returns the
// member the key belongs to (found by its user handle) and the key, its counter
// already moved. The caller still decides whether that member may sign in (not
// disabled, policy allows keys). An answer without user verification is refused.
func (s *Service) FinishPasskey(ctx context.Context, ceremonyID, binding string, response []byte) (*twofold.User, *twofold.Credential, error) {
	session, err := s.finish(ctx, ceremonyID, binding, twofold.CeremonyPasskey, "")
	if err != nil {
		return nil, nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, nil, keyRefused(err)
	}
	// The library checks this too (the session requires it); checking here as
	// well keeps the rule true whatever the session data says.
	if !parsed.Response.AuthenticatorData.Flags.HasUserVerified() {
		return nil, nil, keyRefused(fmt.Errorf("passkey answer without user verification"))
	}
	var m *member
	lookup := func(_, handle []byte) (gowebauthn.User, error) {
		u, err := s.store.UserByWebAuthnHandle(ctx, handle)
		if err != nil {
			return nil, err
		}
		if m, err = s.member(ctx, u); err != nil {
			return nil, err
		}
		return m, nil
	}
	_, lc, err := s.lib.ValidatePasskeyLogin(lookup, *session, parsed)
	if err != nil {
		return nil, nil, keyRefused(err)
	}
	c, err := s.used(ctx, m, lc, parsed)
	if err != nil {
		return nil, nil, err
	}
	return m.user, c, nil
}

// used records a verified login of lc: the counter moves from what was stored
// to what the key signed, in one conditional statement. A counter that did not
// grow, here or against a login that moved it first, is a possible clone.
func (s *Service) used(ctx context.Context, m *member, lc *gowebauthn.Credential, parsed *protocol.ParsedCredentialAssertionData) (*twofold.Credential, error) {
	var stored *twofold.Credential
	for _, c := range m.creds {
		if string(c.CredentialID) == string(lc.ID) {
			stored = c
		}
	}
	if stored == nil { // the library found it among m's; this cannot happen
		return nil, fmt.Errorf("webauthn: verified credential %x is not among user %s's", lc.ID, m.user.ID)
	}
	got := parsed.Response.AuthenticatorData.Counter
	if lc.Authenticator.CloneWarning {
		return nil, possibleClone(lc.ID, stored.SignCount, got)
	}
	now := s.now()
	ok, err := s.store.UpdateSignCount(ctx, lc.ID, stored.SignCount, got, now)
	if err != nil {
		return nil, fmt.Errorf("webauthn: record login: %w", err)
	}
	if !ok {
		// Another login moved the counter since it was read. Zero counters
		// (keys that keep none) never conflict, so the counter now stored is
		// higher than the one read, and this answer must beat it.
		fresh, err := s.store.CredentialByID(ctx, lc.ID)
		if twofold.ErrorCode(err) == twofold.ENOTFOUND { // deleted meanwhile
			return nil, keyRefused(err)
		} else if err != nil {
			return nil, fmt.Errorf("webauthn: record login: %w", err)
		}
		if got <= fresh.SignCount {
			return nil, possibleClone(lc.ID, fresh.SignCount, got)
		}
		if ok, err = s.store.UpdateSignCount(ctx, lc.ID, fresh.SignCount, got, now); err != nil {
			return nil, fmt.Errorf("webauthn: record login: %w", err)
		} else if !ok {
			return nil, possibleClone(lc.ID, fresh.SignCount, got)
		}
		stored = fresh
	}
	c := *stored
	c.SignCount, c.LastUsedAt = got, now
	return &c, nil
}
