package webauthn

import (
	"github.com/go-webauthn/webauthn/protocol"
	gowebauthn "github.com/go-webauthn/webauthn/webauthn"
	"github.com/twofold-id/twofold"
)

// member is a twofold user as the library sees one: a random handle, never the
// user name, so a key holds nothing that identifies the person.
type member struct {
	user   *twofold.User
	handle []byte
	creds  []*twofold.Credential
}

func (m *member) WebAuthnID() []byte          { return m.handle }
func (m *member) WebAuthnName() string        { return m.user.Username }
func (m *member) WebAuthnDisplayName() string { return m.user.DisplayName }

func (m *member) WebAuthnCredentials() []gowebauthn.Credential {
	out := make([]gowebauthn.Credential, 0, len(m.creds))
	for _, c := range m.creds {
		out = append(out, libCredential(c))
	}
	return out
}

// descriptors lists the member's credentials for allow and exclude lists.
func (m *member) descriptors() []protocol.CredentialDescriptor {
	return gowebauthn.Credentials(m.WebAuthnCredentials()).CredentialDescriptors()
}

// libCredential is c as the library stores one.
func libCredential(c *twofold.Credential) gowebauthn.Credential {
	transports := make([]protocol.AuthenticatorTransport, len(c.Transports))
	for i, t := range c.Transports {
		transports[i] = protocol.AuthenticatorTransport(t)
	}
	return gowebauthn.Credential{
		ID:        c.CredentialID,
		PublicKey: c.PublicKey,
		Transport: transports,
		Flags: gowebauthn.CredentialFlags{UserPresent: true, UserVerified: c.UserVerified,
			BackupEligible: c.BackupEligible, BackupState: c.BackupState},
		Authenticator: gowebauthn.Authenticator{AAGUID: c.AAGUID, SignCount: c.SignCount},
	}
}
