package api

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// listMethods lists the member's registered methods as a Graph collection.
func (h *handler) listMethods(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := collection[methodView]{Value: []methodView{}}
	for _, row := range o.Methods {
		out.Value = append(out.Value, newMethodView(row.Method))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// beginApp starts adding an authenticator app: 201 with the pending setup, whose
// address is in Location until it is activated.
func (h *handler) beginApp(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if err := readOptionalJSON(w, r, &struct{}{}); err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.SecurityInfo.BeginApp(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", prefix+"/me/authentication/softwareOathMethods/"+e.MethodID)
	httpx.WriteJSON(w, http.StatusCreated, newEnrolmentView(e))
}

// getApp shows one authenticator app: the active method, or, while its setup is
// pending, the setup again (so a client can resume it). An active app's secret is
// never shown.
func (h *handler) getApp(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.SecurityInfo.Method(r.Context(), p, id)
	switch {
	case err == nil && m.Kind == twofold.KindSoftwareOath:
		httpx.WriteJSON(w, http.StatusOK, newMethodView(m))
		return
	case err == nil:
		h.fail(w, r, errNotFound)
		return
	case twofold.ErrorCode(err) != twofold.ENOTFOUND:
		h.fail(w, r, err)
		return
	}
	// Not an active method; the one other thing the ID can name is a pending setup.
	e, err := h.SecurityInfo.PendingApp(r.Context(), p, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newEnrolmentView(e))
}

// activateApp finishes adding an app with a current code and an optional name.
func (h *handler) activateApp(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in activateInput
	if err := in.read(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.SecurityInfo.ActivateApp(r.Context(), p, id, in.DisplayName, in.VerificationCode)
	if err != nil {
		h.fail(w, r, renameActivateField(err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newMethodView(m))
}

// deleteMethod removes one of the member's methods; another member's ID is 404.
func (h *handler) deleteMethod(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.SecurityInfo.Delete(r.Context(), p, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
