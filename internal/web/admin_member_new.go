package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
)

// memberNewView is the "Add a member" form. Only admins choose a role; the
// help desk makes members.
type memberNewView struct {
	Page
	Username, DisplayName, Role string
	Admin                       bool
	Roles                       []option
}

func (memberNewView) template() string { return "admin-member-new" }

func (h *handler) memberNewPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	v := memberNewView{Page: staffPage(p, a, "Add a member", "members"), Role: string(twofold.RoleMember),
		Admin: a.Role == twofold.RoleAdmin, Roles: roleOptions[1:]}
	h.render(w, r, http.StatusOK, v)
}

func (h *handler) memberNewSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	v := memberNewView{Page: staffPage(p, a, "Add a member", "members"), Username: r.PostFormValue("username"),
		DisplayName: r.PostFormValue("displayName"), Role: r.PostFormValue("role"),
		Admin: a.Role == twofold.RoleAdmin, Roles: roleOptions[1:]}
	if !v.Admin || v.Role == "" {
		v.Role = string(twofold.RoleMember)
	}
	u, pw, err := h.Console.Members.CreateMember(r.Context(), a,
		admin.NewMember{Username: v.Username, DisplayName: v.DisplayName, Role: twofold.Role(v.Role)})
	if err != nil {
		switch twofold.ErrorCode(err) {
		case twofold.EINVALID, twofold.ECONFLICT:
			v.Errors = errorsFrom(err, "username", "username", "displayName", "role")
			h.render(w, r, formStatus(w, err), v)
		default:
			h.consoleFail(w, r, p, err, "/admin/members/new")
		}
		return
	}
	h.setShown(w, shownSecret{UserID: u.ID, Kind: shownPassword, Secret: pw, New: true})
	http.Redirect(w, r, memberPath(u.ID)+"/shown", http.StatusSeeOther)
}
