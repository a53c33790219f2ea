package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// memberHandler is a page that needs a signed-in member.
type memberHandler func(w http.ResponseWriter, r *http.Request, p *twofold.Principal)

// member resolves the session cookie and calls next with the member, or sends the
// browser to sign in. A dead session's cookie is removed so it is not sent again.
func (h *handler) member(next memberHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := value(r, h.cookies.session)
		if token == "" {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		p, err := h.Sessions.Authenticate(r.Context(), token, httpx.Client(r))
		if twofold.ErrorCode(err) == twofold.EUNAUTHORIZED {
			h.cookies.clearSession(w)
			http.Redirect(w, r, "/signin?m="+noticeSessionEnded, http.StatusSeeOther)
			return
		} else if err != nil {
			h.fail(w, r, err)
			return
		}
		next(w, r, p)
	}
}
