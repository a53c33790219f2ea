package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/fraud"
	"github.com/twofold-id/twofold/internal/httpx"
)

// Reporter is the "This wasn't me" use case as the pages call it
// (*fraud.Service). Check and Report refuse a link with EINVALID (not ours
// or changed), EEXPIRED (older than 7 days) or ECONFLICT (already used, only
// Report can tell), each with a sentence fit to show.
type Reporter interface {
	Check(ctx context.Context, token string) error
	Report(ctx context.Context, token string, c twofold.Client) (*fraud.Outcome, error)
}

// reportView asks the person who followed the link in a notice to confirm.
type reportView struct {
	Page
	Token string
}

func (reportView) template() string { return "report" }

// reportDoneView says what the report did and what to do next.
type reportDoneView struct {
	Page
	Outcome *fraud.Outcome
}

func (reportDoneView) template() string { return "report-done" }

// BlockedFor says how long the block lasts, as a sentence ending.
func (v reportDoneView) BlockedFor() string {
	if v.Outcome.BlockedUntil.IsZero() {
		return "until your help desk lifts the block"
	}
	return "until " + v.Outcome.BlockedUntil.UTC().Format("2 January 2006 at 15:04 MST")
}

// reportPage shows what reporting does and asks to confirm; it changes nothing,
// so a mail scanner that opens the link blocks no one.
func (h *handler) reportPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := h.Report.Check(r.Context(), token); err != nil {
		h.reportFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, reportView{Page: Page{Title: "Report a change you didn't make"}, Token: token})
}

// reportSubmit takes the report. The result is shown at once rather than
// after a redirect: it belongs to this report, and the link is used up.
func (h *handler) reportSubmit(w http.ResponseWriter, r *http.Request) {
	out, err := h.Report.Report(r.Context(), r.PathValue("token"), httpx.Client(r))
	if err != nil {
		h.reportFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, reportDoneView{Page: Page{Title: "We've blocked two-step verification on your account"}, Outcome: out})
}

// reportFail shows why a link can't report, in the use case's own sentence
// and nothing else. A failure of ours is logged without the link's token.
func (h *handler) reportFail(w http.ResponseWriter, r *http.Request, err error) {
	if hardFailure(err) {
		r2 := r.Clone(r.Context())
		r2.URL = &url.URL{Path: "/report/REDACTED"}
		h.fail(w, r2, err)
		return
	}
	title := "This link doesn't work"
	switch twofold.ErrorCode(err) {
	case twofold.EEXPIRED:
		title = "This link has expired"
	case twofold.ECONFLICT:
		title = "This link has already been used"
	}
	h.render(w, r, httpx.Status(err), errorView{
		Page: Page{Title: title}, Message: twofold.ErrorMessage(err), Back: "/signin", BackLabel: "Go to sign in",
	})
}

// reportRoutes adds the pages of the links in notices; with no Reporter
// they stay a 404.
func (h *handler) reportRoutes(mux *http.ServeMux) {
	if h.Report == nil {
		return
	}
	mux.HandleFunc("GET /report/{token}", h.reportPage)
	mux.HandleFunc("POST /report/{token}", h.reportSubmit)
}
