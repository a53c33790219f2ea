package api

import (
	"net/http"

	"github.com/twofold-id/twofold/internal/httpx"
)

// tapSigninRoutes registers sign-in with a Temporary Access Pass.
func (h *handler) tapSigninRoutes(t *table) {
	t.handle("POST", "/signin/temporaryAccessPass", h.signinPass)
}

// signinPass signs in with a user name and a Temporary Access Pass instead of
// a password, and answers exactly as POST /signin does: a flow in the
// registration interrupt, or a session token.
func (h *handler) signinPass(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Pass     string `json:"temporaryAccessPass"`
	}
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := firstErr(required("username", in.Username), required("temporaryAccessPass", in.Pass)); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.TemporaryAccessPass(r.Context(), in.Username, in.Pass, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}
