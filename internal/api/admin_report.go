package api

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/registrations"
)

// registrationDetails is a page of Graph's userRegistrationDetails report,
// by user name.
func (h *handler) registrationDetails(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	top, skip, err := pageQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.Console.Registrations.Details(r.Context(), a, registrations.DetailsQuery{Limit: top, After: skip})
	if err != nil {
		h.fail(w, r, pageFields(err))
		return
	}
	out := page[registrationDetailView]{Value: make([]registrationDetailView, 0, len(p.Rows)), NextLink: nextLink(r, p.Next)}
	for _, d := range p.Rows {
		out.Value = append(out.Value, newRegistrationDetailView(d))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// registeredByFeature is Graph's usersRegisteredByFeature summary: how many
// members are registered and capable for MFA and for password reset.
func (h *handler) registeredByFeature(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	s, err := h.Console.Registrations.Summary(r.Context(), a, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newByFeatureView(s))
}

// registeredByMethod is Graph's usersRegisteredByMethod summary: how many
// members hold each kind of method.
func (h *handler) registeredByMethod(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	s, err := h.Console.Registrations.Summary(r.Context(), a, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newByMethodView(s))
}
