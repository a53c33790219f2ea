package webauthn

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"
	gowebauthn "github.com/go-webauthn/webauthn/webauthn"
	"github.com/twofold-id/twofold"
)

// BeginRegistration starts adding a key for user, bound to binding, and returns
// the ceremony ID and the creation options for the browser
// ({"publicKey": …}). The member's keys are excluded, so an authenticator
// already registered says so instead of making a second credential. orgName is
// what the browser shows as the party asking.
func (s *Service) BeginRegistration(ctx context.Context, user *twofold.User, orgName, binding string) (string, json.RawMessage, error) {
	m, err := s.member(ctx, user)
	if err != nil {
		return "", nil, err
	}
	opts := []gowebauthn.RegistrationOption{
		gowebauthn.WithExclusions(m.descriptors()),
		gowebauthn.WithExtensions(gowebauthn.WithExtensionCredProps()),
	}
	if orgName != "" {
		opts = append(opts, gowebauthn.WithRegistrationRelyingPartyName(orgName))
	}
	creation, session, err := s.lib.BeginRegistration(m, opts...)
	if err != nil {
		return "", nil, fmt.Errorf("webauthn: begin registration for %s: %w", user.ID, err)
	}
	return s.start(ctx, binding, twofold.CeremonyRegister, user.ID, creation, session)
}

// FinishRegistration verifies the browser's answer (RegistrationResponseJSON)
// to the ceremony and returns the new credential, not yet stored: the caller
// stores it with its method in one transaction, and sets MethodID. allowAAGUIDs,
// when not empty, lists the authenticator models accepted. A credential ID
// registered already, to anyone, is refused with ECONFLICT.
func (s *Service) FinishRegistration(ctx context.Context, user *twofold.User, ceremonyID, binding string, response []byte, allowAAGUIDs [][]byte) (*twofold.Credential, error) {
	session, err := s.finish(ctx, ceremonyID, binding, twofold.CeremonyRegister, user.ID)
	if err != nil {
		return nil, err
	}
	m, err := s.member(ctx, user)
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, registrationRefused(err)
	}
	lc, err := s.lib.CreateCredential(m, *session, parsed)
	if err != nil {
		return nil, registrationRefused(err)
	}
	if len(allowAAGUIDs) > 0 && !containsBytes(allowAAGUIDs, lc.Authenticator.AAGUID) {
		return nil, &twofold.Error{Code: twofold.EFORBIDDEN,
			Message: "Your organization does not allow this kind of security key.",
			Err:     fmt.Errorf("webauthn: AAGUID %x not allowed", lc.Authenticator.AAGUID)}
	}
	if _, err := s.store.CredentialByID(ctx, lc.ID); err == nil {
		return nil, &twofold.Error{Code: twofold.ECONFLICT, Message: "That security key is already registered.",
			Err: fmt.Errorf("webauthn: credential %x is registered already", lc.ID)}
	} else if twofold.ErrorCode(err) != twofold.ENOTFOUND {
		return nil, fmt.Errorf("webauthn: finish registration: %w", err)
	}
	transports := make([]string, len(lc.Transport))
	for i, t := range lc.Transport {
		transports[i] = string(t)
	}
	return &twofold.Credential{
		UserID:         user.ID,
		CredentialID:   lc.ID,
		PublicKey:      lc.PublicKey,
		SignCount:      lc.Authenticator.SignCount,
		AAGUID:         lc.Authenticator.AAGUID,
		Transports:     transports,
		BackupEligible: lc.Flags.BackupEligible,
		BackupState:    lc.Flags.BackupState,
		UserVerified:   lc.Flags.UserVerified,
		Discoverable:   lc.Extensions.RK != nil && *lc.Extensions.RK,
		CreatedAt:      s.now(),
	}, nil
}

func containsBytes(list [][]byte, b []byte) bool {
	for _, x := range list {
		if bytes.Equal(x, b) {
			return true
		}
	}
	return false
}
