package api

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// listSessions lists the member's live sessions, newest first, marking this one.
func (h *handler) listSessions(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	all, err := h.Sessions.List(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := collection[sessionView]{Value: []sessionView{}}
	for _, s := range all {
		out.Value = append(out.Value, newSessionView(s, p.Session.ID))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// signOut revokes the token the call was made with.
func (h *handler) signOut(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if err := readOptionalJSON(w, r, &struct{}{}); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Sessions.SignOut(r.Context(), p); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// revokeSessions signs the member out everywhere, this token included. The
// answer is Graph's revokeSignInSessions shape.
func (h *handler) revokeSessions(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if err := readOptionalJSON(w, r, &struct{}{}); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.Sessions.SignOutEverywhere(r.Context(), p); err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Value bool `json:"value"`
	}{true})
}
