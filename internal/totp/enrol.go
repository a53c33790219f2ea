package totp

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
)

// secretSize is 160 bits, the HMAC-SHA1 block-friendly size RFC 4226 recommends.
const secretSize = 20

// maxNameLen is the longest method name in characters.
const maxNameLen = 64

// Begin starts registering an authenticator app for userID: it makes a new
// secret, stores it sealed in a pending method and returns what the setup page
// shows. issuer (the organization name) and account (the user name) label the
// entry in the member's app. Store errors are passed on, wrapped.
func (s *Service) Begin(ctx context.Context, userID, issuer, account string) (*Enrolment, error) {
	secret := make([]byte, secretSize)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails (Go ≥1.24)
	defer clear(secret)
	m := &twofold.Method{
		ID:        twofold.NewID(),
		UserID:    userID,
		Kind:      twofold.KindSoftwareOath,
		State:     twofold.MethodPending,
		Name:      DefaultName,
		CreatedAt: s.now(),
	}
	// Bound to the method ID, so a sealed secret moved to another row will not open.
	m.SecretSealed = s.box.Seal(secret, []byte(m.ID))
	e, err := render(m.ID, secret, issuer, account)
	if err != nil {
		return nil, err
	}
	if err := s.methods.CreateMethod(ctx, m); err != nil {
		return nil, fmt.Errorf("totp: create method: %w", err)
	}
	return e, nil
}

// Pending shows the setup of a pending method again, for a page reload. It
// returns ENOTFOUND for a method that is not the user's, not an authenticator
// app or already active (its secret is never shown again), and EEXPIRED when
// the setup is older than PendingTTL.
func (s *Service) Pending(ctx context.Context, userID, methodID, issuer, account string) (*Enrolment, error) {
	m, secret, err := s.pending(ctx, userID, methodID)
	if err != nil {
		return nil, err
	}
	defer clear(secret)
	return render(m.ID, secret, issuer, account)
}

// Activate finishes a setup: it checks name and code and makes the method
// active, recording the step of code as used so the same code cannot then sign
// in. limit is how many apps the member may hold: the store counts them with
// the activation, so setups started below the limit and finished together
// cannot pass it. An empty name becomes DefaultName. A wrong code is an
// EINVALID error on "code"; a bad name one on "name"; ECONFLICT at the limit;
// otherwise the errors of Pending apply.
func (s *Service) Activate(ctx context.Context, userID, methodID, name, code string, limit int) error {
	name, err := cleanName(name)
	if err != nil {
		return err
	}
	code, err = NormalizeCode(code)
	if err != nil {
		return err
	}
	m, secret, err := s.pending(ctx, userID, methodID)
	if err != nil {
		return err
	}
	defer clear(secret)
	now := s.now()
	step, ok, _ := matchStep(secret, code, now, m.LastStep)
	if !ok {
		return twofold.FieldError("code", "That code didn't work. Check the code in your authenticator app and try again.")
	}
	if err := s.methods.ActivateMethodWithin(ctx, userID, methodID, twofold.KindSoftwareOath, limit, name, step, now); err != nil {
		return fmt.Errorf("totp: activate method: %w", err)
	}
	return nil
}

// pending loads a pending, unexpired authenticator-app method and opens its secret.
func (s *Service) pending(ctx context.Context, userID, methodID string) (*twofold.Method, []byte, error) {
	m, err := s.methods.MethodByID(ctx, userID, methodID)
	if err != nil {
		return nil, nil, fmt.Errorf("totp: find method: %w", err)
	}
	if m.Kind != twofold.KindSoftwareOath || m.State != twofold.MethodPending {
		return nil, nil, twofold.Errorf(twofold.ENOTFOUND, "We couldn't find that setup. Start again.")
	}
	if s.now().Sub(m.CreatedAt) > PendingTTL {
		return nil, nil, twofold.Errorf(twofold.EEXPIRED, "This setup has expired. Start again.")
	}
	secret, err := s.box.Open(m.SecretSealed, []byte(m.ID))
	if err != nil {
		return nil, nil, fmt.Errorf("totp: open secret of method %s: %w", m.ID, err)
	}
	return m, secret, nil
}

// cleanName trims name and checks it is 1–64 printable characters, defaulting
// an empty name so the member may skip the field.
func cleanName(name string) (string, error) {
	if len(name) > 4*maxNameLen+64 { // refuse huge input before scanning it
		return "", twofold.FieldError("name", "Use a name of at most 64 characters.")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return DefaultName, nil
	}
	if !utf8.ValidString(name) {
		return "", twofold.FieldError("name", "The name contains characters we can't read.")
	}
	if utf8.RuneCountInString(name) > maxNameLen {
		return "", twofold.FieldError("name", "Use a name of at most 64 characters.")
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "", twofold.FieldError("name", "Use only letters, numbers, spaces and punctuation in the name.")
		}
	}
	return name, nil
}
