package api

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// me shows who the token belongs to. It needs no fresh second factor.
func (h *handler) me(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	httpx.WriteJSON(w, http.StatusOK, meView{
		ID:                p.User.ID,
		UserPrincipalName: p.User.Username,
		DisplayName:       p.User.DisplayName,
		Organization:      orgView{ID: p.Org.ID, DisplayName: p.Org.Name},
	})
}

// reverify checks a current code and opens the fresh-MFA window for changes.
func (h *handler) reverify(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var in struct {
		Code string `json:"code"`
	}
	if err := readRequired(w, r, &in, "code", &in.Code); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.SecurityInfo.Reverify(r.Context(), p, in.Code); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// getPreferences shows the default sign-in method, Graph's signInPreferences.
func (h *handler) getPreferences(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, preferencesView{UserPreferredMethodForSecondaryAuthentication: o.Default})
}

// setPreferences changes the default sign-in method and answers with the new
// preferences. System-preferred selection is not offered, so only false is taken.
func (h *handler) setPreferences(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var in struct {
		Preferred  twofold.SignInPreference `json:"userPreferredMethodForSecondaryAuthentication"`
		SystemPref bool                     `json:"isSystemPreferredAuthenticationMethodEnabled"`
	}
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := required("userPreferredMethodForSecondaryAuthentication", string(in.Preferred)); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.SystemPref {
		h.fail(w, r, twofold.FieldError("isSystemPreferredAuthenticationMethodEnabled",
			"System-preferred sign-in isn't available; leave \"isSystemPreferredAuthenticationMethodEnabled\" out or set it to false."))
		return
	}
	if err := h.SecurityInfo.SetDefault(r.Context(), p, in.Preferred); err != nil {
		h.fail(w, r, renameField(err, "preference", "userPreferredMethodForSecondaryAuthentication"))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, preferencesView{UserPreferredMethodForSecondaryAuthentication: in.Preferred})
}
