package securityinfo

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/policy"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// KeyCeremony is a security-key registration begun for the browser.
type KeyCeremony = webauthn.Challenge

// KeyStore keeps the credentials of security-key methods.
type KeyStore interface {
	CreateCredential(ctx context.Context, c *twofold.Credential) error
	RenameCredential(ctx context.Context, userID, methodID, name string) error
	CredentialsOf(ctx context.Context, userID string) ([]*twofold.Credential, error)
}

// Keys are what security keys need: the ceremonies (nil when the service's
// address cannot have keys, such as an IP address) and their credentials.
type Keys struct {
	WebAuthn *webauthn.Service
	Store    KeyStore
}

// ErrKeysUnavailable answers for security keys when the relying party could
// not be set up: browsers refuse keys on an IP address.
var ErrKeysUnavailable = twofold.Errorf(twofold.EUNAVAILABLE,
	"Security keys aren't available on this address. Use the service's name, such as localhost.")

// BeginKey starts adding a security key: a ceremony bound to the member's
// session, with their keys excluded so one key cannot be added twice. Returns
// ErrReauth, EFORBIDDEN when the policy does not allow keys or the member has
// no other way to sign in yet, ECONFLICT at the limit.
func (s *Service) BeginKey(ctx context.Context, p *twofold.Principal) (*KeyCeremony, error) {
	if _, err := s.keyRoom(ctx, p); err != nil {
		return nil, err
	}
	id, opts, err := s.Keys.WebAuthn.BeginRegistration(ctx, p.User, p.Org.Name, keyBinding(p))
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Member(ctx, p, twofold.ActivityStartedRegister, "security key"); err != nil {
		return nil, err
	}
	return &KeyCeremony{ID: id, Options: opts}, nil
}

// keyBinding ties a registration to the session that began it.
func keyBinding(p *twofold.Principal) string { return "session:" + p.Session.ID }

// keyRoom returns the member's active methods if they may add a key now.
func (s *Service) keyRoom(ctx context.Context, p *twofold.Principal) ([]*twofold.Method, error) {
	if s.Keys.WebAuthn == nil {
		return nil, ErrKeysUnavailable
	}
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	return methods, canAddKey(p, methods)
}

// canAddKey checks the policy, the limit, and that the member has an active
// method other than keys: keys alone would leave someone who loses them locked
// out.
func canAddKey(p *twofold.Principal, methods []*twofold.Method) error {
	pol := p.Org.Policy
	if !pol.MethodEnabled(twofold.KindFido2) {
		return twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow security keys.")
	}
	if policy.CountKind(methods, twofold.KindFido2) == len(methods) {
		return twofold.Errorf(twofold.EFORBIDDEN, "Add another way to sign in before you add a security key.")
	}
	if policy.CountKind(methods, twofold.KindFido2) >= methodkind.Limit(pol, twofold.KindFido2) {
		return keyLimitReached(pol)
	}
	return nil
}

func keyLimitReached(pol twofold.Policy) error {
	return twofold.Errorf(twofold.ECONFLICT, "You already have %d security keys, the most your organization allows. Delete one to add another.",
		methodkind.Limit(pol, twofold.KindFido2))
}

// FinishKey verifies the browser's answer to the ceremony and saves the key
// with its name. The method and its credential are created in one transaction
// with the audit event and notice, the member locked and their keys counted
// inside it, so registrations finished together stay within the limit.
func (s *Service) FinishKey(ctx context.Context, p *twofold.Principal, ceremonyID, name, credentialJSON string) (*twofold.Method, error) {
	name, err := keyName(name)
	if err != nil {
		return nil, err
	}
	methods, err := s.keyRoom(ctx, p)
	if err != nil {
		return nil, err
	}
	cred, err := s.Keys.WebAuthn.FinishRegistration(ctx, p.User, ceremonyID, keyBinding(p), []byte(credentialJSON),
		p.Org.Policy.AllowedAAGUIDBytes())
	if err != nil {
		return nil, err
	}
	limit := methodkind.Limit(p.Org.Policy, twofold.KindFido2)
	return s.saveVerified(ctx, p, methods, methodkind.Verified{
		Save: func(ctx context.Context) (*twofold.Method, error) {
			if err := s.Store.LockMember(ctx, p.User.ID); err != nil {
				return nil, fmt.Errorf("securityinfo: lock member: %w", err)
			}
			now, err := s.Store.ListMethods(ctx, p.User.ID, twofold.MethodActive)
			if err != nil {
				return nil, fmt.Errorf("securityinfo: list methods: %w", err)
			}
			if policy.CountKind(now, twofold.KindFido2) >= limit {
				return nil, keyLimitReached(p.Org.Policy)
			}
			t := s.Now().UTC()
			m := &twofold.Method{ID: twofold.NewID(), UserID: p.User.ID, Kind: twofold.KindFido2,
				State: twofold.MethodActive, Name: name, CreatedAt: t, ActivatedAt: t}
			if err := s.Store.CreateMethod(ctx, m); err != nil {
				return nil, err
			}
			cred.MethodID = m.ID
			if err := s.Keys.Store.CreateCredential(ctx, cred); err != nil {
				return nil, err
			}
			return m, nil
		},
		Preference: twofold.PreferenceFido2,
		Activity:   twofold.ActivityRegistered,
		Describe: func(m *twofold.Method) (string, string) {
			return "security key " + m.ID, fmt.Sprintf("A security key (%q) was added to your account.", m.Name)
		},
	})
}

// RenameKey changes the name of one of the member's security keys.
func (s *Service) RenameKey(ctx context.Context, p *twofold.Principal, methodID, name string) error {
	if s.Keys.Store == nil {
		return ErrKeysUnavailable
	}
	name, err := keyName(name)
	if err != nil {
		return err
	}
	if _, err := s.activeMethods(ctx, p); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Keys.Store.RenameCredential(ctx, p.User.ID, methodID, name); err != nil {
			if twofold.ErrorCode(err) == twofold.ENOTFOUND {
				return twofold.Errorf(twofold.ENOTFOUND, "That security key isn't part of your security info.")
			}
			return err
		}
		return s.Audit.SecurityChange(ctx, p, twofold.ActivityUpdated, "security key "+methodID+" renamed",
			fmt.Sprintf("A security key was renamed %q.", name))
	})
}

// maxKeyName is the longest name a key may have, in characters.
const maxKeyName = 64

// keyName trims name and checks it is 1–64 printable characters.
func keyName(name string) (string, error) {
	if len(name) > 4*maxKeyName+64 { // refuse huge input before scanning it
		return "", twofold.FieldError("name", "Use a name of at most 64 characters.")
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", twofold.FieldError("name", "Give your security key a name, such as YubiKey 5.")
	case !utf8.ValidString(name):
		return "", twofold.FieldError("name", "The name contains characters we can't read.")
	case utf8.RuneCountInString(name) > maxKeyName:
		return "", twofold.FieldError("name", "Use a name of at most 64 characters.")
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "", twofold.FieldError("name", "Use only letters, numbers, spaces and punctuation in the name.")
		}
	}
	return name, nil
}

// Key is one of the member's security keys: the method (name, state) and what
// the authenticator proved (model, last use).
type Key struct {
	Method     *twofold.Method
	Credential *twofold.Credential
}

// ListKeys lists the member's active security keys, oldest first.
func (s *Service) ListKeys(ctx context.Context, p *twofold.Principal) ([]Key, error) {
	if s.Keys.Store == nil {
		return nil, ErrKeysUnavailable
	}
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	creds, err := s.Keys.Store.CredentialsOf(ctx, p.User.ID)
	if err != nil {
		return nil, fmt.Errorf("securityinfo: credentials: %w", err)
	}
	var out []Key
	for _, c := range creds {
		for _, m := range methods {
			if m.ID == c.MethodID && m.Kind == twofold.KindFido2 {
				out = append(out, Key{Method: m, Credential: c})
			}
		}
	}
	return out, nil
}
