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
	if err := firstErr(required(preferredField, string(in.Preferred)),
		oneOf(preferredField, string(in.Preferred), settablePreferences...)); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.SystemPref {
		h.fail(w, r, twofold.FieldError("isSystemPreferredAuthenticationMethodEnabled",
			"System-preferred sign-in isn't available; leave \"isSystemPreferredAuthenticationMethodEnabled\" out or set it to false."))
		return
	}
	if err := h.SecurityInfo.SetDefault(r.Context(), p, in.Preferred); err != nil {
		h.fail(w, r, renameField(err, "preference", preferredField))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, preferencesView{UserPreferredMethodForSecondaryAuthentication: in.Preferred})
}

// preferredField is the signInPreferences field that holds the default.
const preferredField = "userPreferredMethodForSecondaryAuthentication"

// settablePreferences are the defaults a member may choose ("none" is what is
// left when nothing is usable, not a choice). Whether the member has the method
// is the use case's question.
var settablePreferences = []string{
	string(twofold.PreferenceFido2), string(twofold.PreferenceOath), string(twofold.PreferenceVoice),
	string(twofold.PreferenceVoiceAlternate), string(twofold.PreferenceVoiceOffice), string(twofold.PreferenceSMS),
}
