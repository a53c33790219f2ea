package web

import (
	"net/http"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// deleteView asks "Delete this authenticator app? You can't undo this." with the
// safe answer focused.
type deleteView struct {
	Page
	Row  securityinfo.Row
	Noun string // "authenticator app"
}

func (deleteView) template() string { return "delete" }

func (h *handler) deletePage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	id := r.PathValue("id")
	for _, row := range o.Methods {
		if row.Method.ID == id && row.Deletable {
			v := deleteView{Page: accountPage(p, "Delete "+strings.ToLower(row.Label), "security-info"), Row: row, Noun: methodkind.Noun(row.Method.Kind)}
			h.render(w, r, http.StatusOK, v)
			return
		}
	}
	h.notFound(w, r)
}

func (h *handler) deleteSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if err := h.SecurityInfo.Delete(r.Context(), p, r.PathValue("id")); err != nil {
		h.securityFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/my/security-info?m="+noticeDeleted, http.StatusSeeOther)
}
