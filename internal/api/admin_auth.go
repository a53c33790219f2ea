package api

import (
	"context"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// Tokens resolves admin API tokens (internal/apitoken).
type Tokens interface {
	// Authenticate returns the actor of a live token; EUNAUTHORIZED for an
	// unknown, revoked or expired one, with one message for all three.
	Authenticate(ctx context.Context, token string, c twofold.Client) (*twofold.Actor, error)
}

// adminHandler is a call made with an admin API token.
type adminHandler func(w http.ResponseWriter, r *http.Request, a *twofold.Actor)

// errNoToken answers an admin call without a usable Authorization header.
var errNoToken = twofold.Errorf(twofold.EUNAUTHORIZED,
	"Send an admin API token (made with \"twofold token create\") in an \"Authorization: Bearer …\" header.")

// admin resolves the bearer token to the token's actor and calls next when
// the token holds scope, or answers 401 (no or a dead token) or 403 (the
// scope is missing, named in the message and in WWW-Authenticate, RFC 6750
// §3.1). A member's session token is not an admin token and gets 401.
func (h *handler) admin(scope twofold.Scope, next adminHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r)
		if !ok || h.Tokens == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="twofold-admin"`)
			h.fail(w, r, errNoToken)
			return
		}
		a, err := h.Tokens.Authenticate(r.Context(), token, httpx.Client(r))
		if err != nil {
			if twofold.ErrorCode(err) == twofold.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="twofold-admin", error="invalid_token"`)
			}
			h.fail(w, r, err)
			return
		}
		if !a.Allows(scope) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="twofold-admin", error="insufficient_scope", scope="`+string(scope)+`"`)
			h.fail(w, r, twofold.Errorf(twofold.EFORBIDDEN, "This token doesn't have the %s scope this call needs.", scope))
			return
		}
		next(w, r, a)
	}
}
