package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
)

// overviewView is the My Account landing page.
type overviewView struct {
	Page
	// Methods is how many methods the member has, or -1 when Security info needs a
	// fresh second factor before it can be read (the card then just links there).
	Methods  int
	Sessions int
}

func (overviewView) template() string { return "overview" }

func (h *handler) overview(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	v := overviewView{Page: accountPage(p, "Overview", "overview"), Methods: -1}
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	switch {
	case err == nil:
		v.Methods = len(o.Methods)
	case twofold.ErrorCode(err) != twofold.EREAUTH:
		h.fail(w, r, err)
		return
	}
	list, err := h.Sessions.List(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Sessions = len(list)
	h.render(w, r, http.StatusOK, v)
}
