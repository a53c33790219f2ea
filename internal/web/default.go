package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// defaultView is "Change default sign-in method": one radio per choice.
type defaultView struct {
	Page
	*securityinfo.Overview
	Selected twofold.SignInPreference
}

func (defaultView) template() string { return "default" }

func (h *handler) defaultPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, defaultView{Page: accountPage(p, "Change default sign-in method", "security-info"), Overview: o, Selected: o.Default})
}

func (h *handler) defaultSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	pref := twofold.SignInPreference(r.PostFormValue("preference"))
	err := h.SecurityInfo.SetDefault(r.Context(), p, pref)
	if err == nil {
		http.Redirect(w, r, "/my/security-info?m="+noticeDefault, http.StatusSeeOther)
		return
	}
	if hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH {
		h.securityFail(w, r, err)
		return
	}
	o, oerr := h.SecurityInfo.Overview(r.Context(), p)
	if oerr != nil {
		h.securityFail(w, r, oerr)
		return
	}
	v := defaultView{Page: accountPage(p, "Change default sign-in method", "security-info"), Overview: o, Selected: pref}
	v.Errors = errorsFrom(err, "preference", "preference")
	h.render(w, r, formStatus(w, err), v)
}
