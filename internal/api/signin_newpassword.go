package api

import (
	"context"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/signin"
)

// NewPasswordStep is the sign-in's last step for a member holding an admin's
// temporary password (*signin.Service): a flow in status
// "password_change_required" gets a session only once they choose their own.
type NewPasswordStep interface {
	NewPassword(ctx context.Context, flowID, newPassword, confirm string, c twofold.Client) (*signin.Result, error)
}

// signinNewPassword sets the member's own password in place of the temporary
// one and answers with the session. A refused password is a 400 naming
// newPassword, and the flow stays open for another try. There is no confirm
// field: a client that asks twice compares the two itself.
func (h *handler) signinNewPassword(w http.ResponseWriter, r *http.Request) {
	step, ok := h.Signin.(NewPasswordStep)
	if !ok {
		h.fail(w, r, errNoRoute)
		return
	}
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		NewPassword string `json:"newPassword"`
	}
	if err := readRequired(w, r, &in, "newPassword", &in.NewPassword); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := step.NewPassword(r.Context(), id, in.NewPassword, in.NewPassword, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}
