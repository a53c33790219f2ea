package web

import (
	"net/http"

	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/pow"
	"github.com/twofold-id/twofold/internal/reset"
)

// Challenger hands out proof-of-work challenges (*pow.Service).
type Challenger interface {
	// Challenge returns a fresh challenge that only the same purpose accepts.
	Challenge(purpose string) (pow.Challenge, error)
}

var _ Challenger = (*pow.Service)(nil)

// powRoutes serves the challenges that forms using the "pow" template fetch
// (their data-pow-url); with no PoW in Deps they are a 404.
func (h *handler) powRoutes(mux *http.ServeMux) {
	if h.PoW == nil {
		return
	}
	mux.HandleFunc("GET /reset/challenge", h.challenge(reset.PoWPurpose))
}

// challenge answers a fresh challenge for purpose as JSON that no cache keeps,
// since each is good for one submission.
func (h *handler) challenge(purpose string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := h.PoW.Challenge(purpose)
		if err != nil {
			httpx.WriteJSONError(w, r, h.log, err)
			return
		}
		httpx.WriteJSON(w, http.StatusOK, c)
	}
}
