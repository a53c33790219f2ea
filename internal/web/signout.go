package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// signout ends this session on the server and removes the cookie. A cookie that no
// longer leads to a session is simply removed: the person wanted to be out.
func (h *handler) signout(w http.ResponseWriter, r *http.Request) {
	if token := value(r, h.cookies.session); token != "" {
		p, err := h.Sessions.Authenticate(r.Context(), token, httpx.Client(r))
		switch {
		case err == nil:
			if err := h.Sessions.SignOut(r.Context(), p); err != nil {
				h.fail(w, r, err)
				return
			}
		case twofold.ErrorCode(err) != twofold.EUNAUTHORIZED:
			h.fail(w, r, err)
			return
		}
	}
	h.cookies.clearSession(w)
	http.Redirect(w, r, "/signin?m="+noticeSignedOut, http.StatusSeeOther)
}
