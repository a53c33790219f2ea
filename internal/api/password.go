package api

import (
	"context"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/account"
	"github.com/twofold-id/twofold/internal/httpx"
)

// Account is the My Account use case beyond security info as the API calls it
// (*account.Service).
type Account interface {
	// ChangePassword replaces the password; field errors name currentPassword,
	// newPassword or confirmPassword; EREAUTH when the second factor is stale.
	ChangePassword(ctx context.Context, p *twofold.Principal, current, newPassword, confirm string, signOutOthers bool) (*account.Changed, error)
}

// changePassword is POST /me/password: the current password and the new one,
// and whether the member's other sessions end. 204 on success; the token used
// keeps working. The API takes the new password once: the confirmation is a
// form's concern, so it is passed as typed.
func (h *handler) changePassword(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if h.Account == nil {
		h.fail(w, r, errNoRoute)
		return
	}
	var in struct {
		Current       string `json:"currentPassword"`
		New           string `json:"newPassword"`
		SignOutOthers *bool  `json:"signOutOtherSessions"`
	}
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	// Signing out the other sessions is the default, as on the page.
	signOut := in.SignOutOthers == nil || *in.SignOutOthers
	if _, err := h.Account.ChangePassword(r.Context(), p, in.Current, in.New, in.New, signOut); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
