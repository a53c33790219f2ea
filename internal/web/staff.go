package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
)

// staffHandler is an admin-console page: the signed-in member and the actor
// they are as an admin or help-desk member.
type staffHandler func(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor)

// staff resolves the session like member and calls next for an admin or
// help-desk member. Anyone else gets the "You don't have access" page (403),
// which says nothing about what the console holds.
func (h *handler) staff(next staffHandler) http.HandlerFunc {
	return h.member(func(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
		a, ok := twofold.StaffActor(p)
		if !ok {
			h.forbidden(w, r, p)
			return
		}
		if !p.Session.ProvedPassword() {
			h.passSession(w, r, p)
			return
		}
		next(w, r, p, a)
	})
}

// forbidden answers a signed-in member who may not see the page: not staff,
// or help desk on an admin-only page or acting on an admin.
func (h *handler) forbidden(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	v := errorView{Page: accountPage(p, "You don't have access to this page", ""),
		Message: "Your role in " + p.Org.Name + " doesn't allow this. If you need it, ask one of your organization's admins.",
		Back:    "/my"}
	if _, ok := twofold.StaffActor(p); ok {
		v.Back, v.BackLabel = "/admin", "Go to the admin console"
	}
	h.render(w, r, http.StatusForbidden, v)
}

// passSession answers an admin or help-desk member who signed in with a
// Temporary Access Pass: the pass lets them set up security info, nothing
// more, so the console waits for a sign-in with their password.
func (h *handler) passSession(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	v := errorView{Page: accountPage(p, "Sign in with your password to use the admin console", ""),
		Message: "You signed in with a Temporary Access Pass, which only lets you set up your security info. " +
			"Sign out, then sign in with your password and your second factor to use the admin console.",
		Back: "/my/security-info", BackLabel: "Go to Security info"}
	h.render(w, r, http.StatusForbidden, v)
}

// staffPage returns the shared data of an admin-console page; nav marks the
// console section ("members", "policy", "audit", "report").
func staffPage(p *twofold.Principal, a *twofold.Actor, title, nav string) Page {
	pg := accountPage(p, title, nav)
	pg.Staff = &Staff{Role: a.Role, Admin: a.Role == twofold.RoleAdmin}
	return pg
}
