package webauthn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	gowebauthn "github.com/go-webauthn/webauthn/webauthn"
	"github.com/twofold-id/twofold"
)

// start stores a ceremony holding the library's session data and returns its
// ID and the options for the browser.
func (s *Service) start(ctx context.Context, binding string, purpose twofold.CeremonyPurpose, userID string, options any, session *gowebauthn.SessionData) (string, json.RawMessage, error) {
	if binding == "" {
		return "", nil, fmt.Errorf("webauthn: %s ceremony without a binding", purpose)
	}
	data, err := json.Marshal(session)
	if err != nil {
		return "", nil, fmt.Errorf("webauthn: encode session data: %w", err)
	}
	opts, err := json.Marshal(options)
	if err != nil {
		return "", nil, fmt.Errorf("webauthn: encode options: %w", err)
	}
	id, err := s.randomID()
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	c := &twofold.Ceremony{ID: id, Binding: binding, Purpose: purpose, UserID: userID, SessionData: data,
		CreatedAt: now, ExpiresAt: now.Add(s.timeout)}
	if err := s.store.CreateCeremony(ctx, c); err != nil {
		return "", nil, fmt.Errorf("webauthn: begin %s: %w", purpose, err)
	}
	return id, opts, nil
}

// finish consumes the ceremony, once, and returns its session data. A
// ceremony that is used, expired, bound elsewhere, begun for another purpose
// or, when userID is not "", begun for another member, is refused alike.
func (s *Service) finish(ctx context.Context, id, binding string, purpose twofold.CeremonyPurpose, userID string) (*gowebauthn.SessionData, error) {
	c, ok, err := s.store.ConsumeCeremony(ctx, id, binding, purpose, s.now())
	if err != nil {
		return nil, fmt.Errorf("webauthn: finish %s: %w", purpose, err)
	}
	if !ok || c.UserID != userID {
		return nil, ceremonyGone(id)
	}
	var session gowebauthn.SessionData
	if err := json.Unmarshal(c.SessionData, &session); err != nil {
		return nil, fmt.Errorf("webauthn: decode session data of ceremony %s: %w", id, err)
	}
	return &session, nil
}

// handle returns the member's WebAuthn user handle, making one on first use.
func (s *Service) handle(ctx context.Context, userID string) ([]byte, error) {
	candidate := make([]byte, 32)
	if _, err := io.ReadFull(s.random, candidate); err != nil {
		return nil, fmt.Errorf("webauthn: user handle: %w", err)
	}
	h, err := s.store.WebAuthnHandle(ctx, userID, candidate)
	if err != nil {
		return nil, fmt.Errorf("webauthn: user handle: %w", err)
	}
	return h, nil
}

// member loads what the library needs to know of u.
func (s *Service) member(ctx context.Context, u *twofold.User) (*member, error) {
	h, err := s.handle(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	creds, err := s.store.CredentialsOf(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("webauthn: credentials of %s: %w", u.ID, err)
	}
	return &member{user: u, handle: h, creds: creds}, nil
}

// randomID returns a ceremony ID: 128 random bits, base64url.
func (s *Service) randomID() (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return "", fmt.Errorf("webauthn: ceremony ID: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
