package api

import (
	"context"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// keyReverifier is re-verification with a security key (*securityinfo.Service):
// a member whose only method left is a key must still reach Security info.
type keyReverifier interface {
	// BeginReverifyKey starts a key login bound to the session; ENOTFOUND
	// when the member has no key to verify with.
	BeginReverifyKey(ctx context.Context, p *twofold.Principal) (*webauthn.Challenge, error)
	// ReverifyKey checks the answer (counted like a code) and returns the
	// session's new token.
	ReverifyKey(ctx context.Context, p *twofold.Principal, ceremonyID, credentialJSON string) (string, error)
}

func (h *handler) keyReverifier() (keyReverifier, error) {
	if k, ok := h.SecurityInfo.(keyReverifier); ok {
		return k, nil
	}
	return nil, errNoKeys
}

// reverifyKeyOptions begins a key login to verify again: 200 with the request
// options.
func (h *handler) reverifyKeyOptions(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	ks, err := h.keyReverifier()
	if err == nil {
		err = readOptionalJSON(w, r, &struct{}{})
	}
	var c *webauthn.Challenge
	if err == nil {
		c, err = ks.BeginReverifyKey(r.Context(), p)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newCeremonyView(c))
}

// reverifyKey checks the key's answer and, like the other ways to verify
// again, answers with the session's new token.
func (h *handler) reverifyKey(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var in keyAnswer
	ks, err := h.keyReverifier()
	if err == nil {
		err = in.read(w, r, false)
	}
	var token string
	if err == nil {
		token, err = ks.ReverifyKey(r.Context(), p, in.CeremonyID, string(in.Credential))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newReverifiedView(token, p))
}
