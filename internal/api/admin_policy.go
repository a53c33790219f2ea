package api

import (
	"fmt"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/httpx"
)

// getPolicy is the organization's authentication methods policy, the same
// JSON "twofold policy show" prints.
func (h *handler) getPolicy(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	org, err := h.Console.Policies.Policy(r.Context(), a, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, org.Policy)
}

// patchPolicy changes the settings the body names, keeping the others as
// they are, and answers with the whole new policy. An invalid policy is
// refused with every problem at once, so the caller fixes them in one go.
func (h *handler) patchPolicy(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	org, err := h.Console.Policies.Policy(r.Context(), a, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := org.Policy
	// Decoding over the current policy is JSON merge: fields left out keep
	// their value, a list sent replaces the list.
	if err := httpx.ReadJSON(w, r, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.Console.Policies.SetPolicy(r.Context(), a, "", p); err != nil {
		if problems := admin.Problems(err); len(problems) > 0 {
			h.failAll(w, problems)
			return
		}
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}

// problemsBody is the API's error with every problem in details, like
// Graph's error details.
type problemsBody struct {
	Error problemsDetail `json:"error"`
}

type problemsDetail struct {
	httpx.ErrorDetail
	Details []httpx.ErrorDetail `json:"details"`
}

// failAll answers 400 with every problem; each is a field error a person
// can act on.
func (h *handler) failAll(w http.ResponseWriter, problems []error) {
	d := problemsDetail{ErrorDetail: httpx.ErrorDetail{Code: twofold.EINVALID,
		Message: fmt.Sprintf("The policy has %d problems; nothing was changed. Fix each one in details and send it again.", len(problems))}}
	if len(problems) == 1 {
		d.Message = "The policy has a problem; nothing was changed: " + twofold.ErrorMessage(problems[0])
	}
	for _, p := range problems {
		d.Details = append(d.Details, httpx.ErrorDetail{Code: twofold.EINVALID, Message: twofold.ErrorMessage(p), Target: twofold.ErrorField(p)})
	}
	httpx.WriteJSON(w, http.StatusBadRequest, problemsBody{Error: d})
}
