package wire

import (
	"crypto/rand"

	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/reset"
)

// buildReset wires self-service password reset over the services already
// built. Security keys take part only where the relying party is set up.
func buildReset(d Deps, s *Services, cfg reset.Config) *reset.Service {
	deps := reset.Deps{
		Store: d.Store, Hasher: d.Hasher, PoW: d.PoW, Phones: s.Phone, Checker: s.Checker,
		Mail: s.Emails, Questions: s.Questions, Rand: rand.Reader, Audit: s.Audit,
		Validate: password.ValidateFor, Log: d.Log, Now: d.Now,
	}
	if s.WebAuthn != nil {
		deps.Keys = s.WebAuthn
	}
	return reset.New(deps, cfg)
}
