package web

import (
	"net/http"
	"net/url"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// securityInfoView is the Security info page.
type securityInfoView struct {
	Page
	*securityinfo.Overview
}

func (securityInfoView) template() string { return "security-info" }

func (h *handler) securityInfo(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	v := securityInfoView{Page: accountPage(p, "Security info", "security-info"), Overview: o}
	v.Notice = noticeText(r.URL.Query().Get("m"))
	h.render(w, r, http.StatusOK, v)
}

// securityFail answers an error from the Security info use case: a stale second
// factor sends the member to verify again and come back to this page; anything
// else is a failure page.
func (h *handler) securityFail(w http.ResponseWriter, r *http.Request, err error) {
	if twofold.ErrorCode(err) == twofold.EREAUTH {
		http.Redirect(w, r, "/my/verify?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
		return
	}
	h.fail(w, r, err)
}
