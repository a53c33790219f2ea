package api

import (
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// memberHandler is a call that acts for a signed-in member.
type memberHandler func(w http.ResponseWriter, r *http.Request, p *twofold.Principal)

// errNoBearer answers a call without a usable Authorization header. Authenticate's
// own EUNAUTHORIZED answers a token that leads to no live session.
var errNoBearer = twofold.Errorf(twofold.EUNAUTHORIZED,
	"Sign in first, then send the session token in an \"Authorization: Bearer …\" header.")

// member resolves the bearer token to the member and calls next, or answers 401
// with a WWW-Authenticate challenge (RFC 6750).
func (h *handler) member(next memberHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="twofold"`)
			h.fail(w, r, errNoBearer)
			return
		}
		p, err := h.Sessions.Authenticate(r.Context(), token, httpx.Client(r))
		if err != nil {
			if twofold.ErrorCode(err) == twofold.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="twofold", error="invalid_token"`)
			}
			h.fail(w, r, err)
			return
		}
		next(w, r, p)
	}
}

// bearer returns the token of an "Authorization: Bearer <token>" header. The
// scheme is case-insensitive (RFC 7235); the token must be non-empty.
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
