package webauthn

import (
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	gowebauthn "github.com/go-webauthn/webauthn/webauthn"
	"github.com/twofold-id/twofold"
)

// DefaultTimeout is how long a ceremony may take: long enough to find a key
// and touch it, short enough that a challenge does not linger.
const DefaultTimeout = 5 * time.Minute

// Config is the relying party and the service's dependencies.
type Config struct {
	RPID    string   // a domain name, such as contoso.com or localhost
	Origins []string // where pages that run ceremonies are served, such as https://id.contoso.com
	// Timeout is how long a ceremony lives; zero means DefaultTimeout.
	Timeout time.Duration
	Now     func() time.Time // the clock ceremonies expire by; nil means time.Now
	Random  io.Reader        // for ceremony IDs and user handles; nil means crypto/rand
}

// Service begins and finishes WebAuthn ceremonies. It is safe for concurrent use.
type Service struct {
	store   twofold.FIDO2Store
	lib     *gowebauthn.WebAuthn
	timeout time.Duration
	now     func() time.Time
	random  io.Reader
}

// New returns a Service for the relying party cfg names, keeping credentials and
// ceremonies in store.
func New(store twofold.FIDO2Store, cfg Config) (*Service, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Random == nil {
		cfg.Random = rand.Reader
	}
	// The library enforces its own timeout by the wall clock as a second
	// line; the ceremony's expiry in the store, by cfg.Now, is the first.
	timeout := gowebauthn.TimeoutConfig{Enforce: true, Timeout: cfg.Timeout, TimeoutUVD: cfg.Timeout}
	lib, err := gowebauthn.New(&gowebauthn.Config{
		RPID:                  cfg.RPID,
		RPDisplayName:         "twofold", // each registration names the organization instead
		RPOrigins:             cfg.Origins,
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementPreferred,
			RequireResidentKey: protocol.ResidentKeyNotRequired(),
			UserVerification:   protocol.VerificationPreferred,
		},
		Timeouts: gowebauthn.TimeoutsConfig{Login: timeout, Registration: timeout},
	})
	if err != nil {
		return nil, fmt.Errorf("webauthn: relying party %q: %w", cfg.RPID, err)
	}
	return &Service{store: store, lib: lib, timeout: cfg.Timeout, now: cfg.Now, random: cfg.Random}, nil
}
