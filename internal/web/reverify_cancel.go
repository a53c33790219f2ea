package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
)

// reverifyCancel is Cancel while the re-verification call rings: it is hung up,
// then back to My Account.
func (h *handler) reverifyCancel(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if err := h.SecurityInfo.CancelReverify(r.Context(), p); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/my", http.StatusSeeOther)
}
