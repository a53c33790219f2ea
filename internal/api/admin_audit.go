package api

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/httpx"
)

// listAudits is a page of the organization's audit log, newest first,
// narrowed by the $filter subset Graph supports on directoryAudits. A filter
// that is not in it is refused with a message saying what is; values are
// never SQL (auditlog.ParseFilter).
func (h *handler) listAudits(w http.ResponseWriter, r *http.Request, a *twofold.Actor) {
	top, skip, err := pageQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := auditlog.ParseFilter(r.URL.Query().Get("$filter"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q.Limit, q.After = top, skip
	p, err := h.Console.AuditLog.Search(r.Context(), a, q)
	if err != nil {
		h.fail(w, r, renameField(pageFields(err), "result", "$filter", "until", "$filter"))
		return
	}
	out := page[auditView]{Value: make([]auditView, 0, len(p.Events)), NextLink: nextLink(r, p.Next)}
	for _, e := range p.Events {
		out.Value = append(out.Value, newAuditView(e))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
