package api

import (
	"context"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/fraud"
	"github.com/twofold-id/twofold/internal/httpx"
)

// Reporter takes "This wasn't me" reports (*fraud.Service). Report refuses
// a link with EINVALID (not ours, or changed), EEXPIRED (older than 7 days)
// or ECONFLICT (already used), each with a sentence fit to show.
type Reporter interface {
	Report(ctx context.Context, token string, c twofold.Client) (*fraud.Outcome, error)
}

// reportView is what a report did.
type reportView struct {
	// BlockedUntilDateTime is when two-step verification works again; ""
	// means until the help desk lifts the block.
	BlockedUntilDateTime string `json:"blockedUntilDateTime"`
	SignInsStopped       int    `json:"signInsStopped"`
	SessionsEnded        int    `json:"sessionsEnded"`
	HelpdeskContact      string `json:"helpdeskContact"`
}

// report is the twin of the page a notice's link opens: the token is the
// link's last segment, and the call is the member's confirmation.
func (h *handler) report(w http.ResponseWriter, r *http.Request) {
	if h.Report == nil {
		h.fail(w, r, errNoRoute)
		return
	}
	var in struct {
		Token string `json:"token"`
	}
	if err := readRequired(w, r, &in, "token", &in.Token); err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.Report.Report(r.Context(), in.Token, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, reportView{
		BlockedUntilDateTime: dateTime(out.BlockedUntil), SignInsStopped: out.SignInsStopped,
		SessionsEnded: out.SessionsEnded, HelpdeskContact: out.Helpdesk,
	})
}
