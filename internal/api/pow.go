package api

import (
	"net/http"

	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/pow"
	"github.com/twofold-id/twofold/internal/reset"
)

// Challenger hands out proof-of-work challenges (*pow.Service). Left nil in
// Deps, the challenge calls answer 404.
type Challenger interface {
	// Challenge returns a fresh challenge that only the same purpose accepts.
	Challenge(purpose string) (pow.Challenge, error)
}

var _ Challenger = (*pow.Service)(nil)

// resetChallenge returns a fresh challenge for POST /reset's proofOfWork. It
// needs no credentials: it is what a client solves before it has any.
func (h *handler) resetChallenge(w http.ResponseWriter, r *http.Request) {
	if h.PoW == nil {
		h.fail(w, r, errNoRoute)
		return
	}
	c, err := h.PoW.Challenge(reset.PoWPurpose)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, c)
}
