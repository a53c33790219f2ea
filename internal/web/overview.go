package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
)

// overviewView is the My Account landing page.
type overviewView struct {
	Page
	// Methods is how many methods the member has.
	Methods  int
	Sessions int
}

func (overviewView) template() string { return "overview" }

func (h *handler) overview(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	v := overviewView{Page: accountPage(p, "Overview", "overview")}
	v.Notice = passwordNotice(r) // password.go
	n, err := h.SecurityInfo.MethodCount(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Methods = n
	list, err := h.Sessions.List(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Sessions = len(list)
	h.render(w, r, http.StatusOK, v)
}
