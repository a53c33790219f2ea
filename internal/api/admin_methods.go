package api

import (
	"net/http"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/tap"
)

// listUserMethods is every active method of the member, never a secret.
func (h *handler) listUserMethods(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	h.writeMethods(w, r, a, func(*twofold.Method) bool { return true })
}

// listKindMethods is the member's active methods of kind k.
func (h *handler) listKindMethods(k twofold.MethodKind) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
		h.writeMethods(w, r, a, func(m *twofold.Method) bool { return m.Kind == k })
	}
}

func (h *handler) writeMethods(w http.ResponseWriter, r *http.Request, a *twofold.Actor, keep func(*twofold.Method) bool) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.Console.Members.Member(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var kept []*twofold.Method
	for _, mm := range m.Methods {
		if keep(mm) {
			kept = append(kept, mm)
		}
	}
	httpx.WriteJSON(w, http.StatusOK, collection[adminMethodView]{Value: methodViews(kept)})
}

// deleteKindMethod deletes one of the member's methods of kind k; a method of
// another kind is not found here. The member is told.
func (h *handler) deleteKindMethod(k twofold.MethodKind) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
		id, err := pathID(r, "id")
		if err != nil {
			h.fail(w, r, err)
			return
		}
		methodID, err := pathID(r, "methodId")
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if err := h.Console.Members.DeleteMethodOfKind(r.Context(), a, id, methodID, k); err != nil {
			h.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// listPasses is the member's Temporary Access Passes, without the passes.
func (h *handler) listPasses(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	passes, err := h.Console.AccessPasses.List(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, collection[adminMethodView]{Value: methodViews(passes)})
}

// issuePass gives the member a Temporary Access Pass, Graph's
// temporaryAccessPassAuthenticationMethod; the pass is in this answer only.
// Every field may be left out: the policy's default lifetime, starting now.
func (h *handler) issuePass(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		StartDateTime     string `json:"startDateTime"`
		LifetimeInMinutes int    `json:"lifetimeInMinutes"`
		IsUsableOnce      bool   `json:"isUsableOnce"`
	}
	if err := readOptionalJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	req := tap.Request{Lifetime: time.Duration(in.LifetimeInMinutes) * time.Minute, OneTime: in.IsUsableOnce}
	if in.LifetimeInMinutes < 0 {
		h.fail(w, r, twofold.FieldError("lifetimeInMinutes", "The lifetime is a number of minutes, or leave it out for the policy's default."))
		return
	}
	if in.StartDateTime != "" {
		if req.StartAt, err = time.Parse(time.RFC3339, in.StartDateTime); err != nil {
			h.fail(w, r, twofold.FieldError("startDateTime", "Give the start as a date and time such as 2025-01-31T09:00:00Z, or leave it out to start now."))
			return
		}
	}
	issued, err := h.Console.AccessPasses.Issue(r.Context(), a, id, req)
	if err != nil {
		h.fail(w, r, renameField(err, "lifetime", "lifetimeInMinutes", "startAt", "startDateTime"))
		return
	}
	v := newAdminMethodView(issued.Method)
	v.TemporaryAccessPass = issued.Pass
	w.Header().Set("Location", prefix+"/users/"+id+"/authentication/temporaryAccessPassMethods/"+issued.Method.ID)
	httpx.WriteJSON(w, http.StatusCreated, v)
}

// deletePass removes one of the member's passes.
func (h *handler) deletePass(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	methodID, err := pathID(r, "methodId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Console.AccessPasses.Delete(r.Context(), a, id, methodID); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
